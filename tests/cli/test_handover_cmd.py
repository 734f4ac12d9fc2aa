"""``lotse handover`` as real processes on two real vaults (cheap KDF parameters): the
clinic navigator hands a screened, counselled family to the family centre."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.crypto import kdf
from lotse.db.models import AuditEntry, Family
from lotse.usecases import Profile, VaultAPI
from tests.conftest import PASSPHRASE
from tests.usecases.test_handover import family_file


def _lotse(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"LOTSE_VAULT": str(folder), "LOTSE_PASSPHRASE": PASSPHRASE, "LOTSE_LANG": "de"}
    return subprocess.run(
        [sys.executable, "-m", "lotse", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def _refused(done: subprocess.CompletedProcess[str], text: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert text in done.stderr


def _vault(folder: Path, name: str, site: str) -> Path:
    with VaultAPI.create(folder, PASSPHRASE, params=kdf.TEST_PARAMS) as api:
        api.settings.save_profile(Profile(name, site, "birth_clinic"))
    return folder


def _actions(folder: Path) -> list[tuple[str, dict[str, object]]]:
    with VaultAPI.open(folder, PASSPHRASE) as api, api._access.vault.session() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.details) for e in rows if e.action.startswith("handover")]


def _families(folder: Path) -> list[Family]:
    with VaultAPI.open(folder, PASSPHRASE) as api, api._access.vault.session() as s:
        rows = list(s.scalars(select(Family)))
        s.expunge_all()
        return rows


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path, Path]:
    clinic = _vault(tmp_path / "clinic", "Nora", "Klinik Nord")
    centre = _vault(tmp_path / "centre", "Paula", "Familienzentrum Lirich")
    _ok(_lotse(clinic, "import", str(family_file(tmp_path / "f.jsonl"))))
    _ok(_lotse(centre, "card", "export", "--out", str(tmp_path / "centre.card")))
    return clinic, centre, tmp_path / "centre.card"


def test_the_done_when_scenario(two: tuple[Path, Path, Path], tmp_path: Path) -> None:
    clinic, centre, card = two
    out = tmp_path / "familie.lotse"
    said = _ok(
        _lotse(
            clinic,
            "handover",
            "export",
            "f-1",
            "--to",
            str(card),
            "--out",
            str(out),
            "--mode",
            "accompanied",
            "--close",
        )
    )
    assert "Familienzentrum Lirich" in said and "abgeschlossen" in said
    [sent] = _families(clinic)
    assert sent.closure_reason == "handed_over"
    assert _actions(clinic) == [
        (
            "handover_sent",
            {"family": sent.code, "recipient": "Familienzentrum Lirich"},
        )
    ]

    said = _ok(_lotse(centre, "handover", "import", str(out)))
    assert "Nora" in said and "Klinik Nord" in said and "2 Kontakte" in said
    [got] = _families(centre)
    assert (got.origin_service, got.origin_date) == ("Klinik Nord", sent.closed)
    assert got.code in said
    assert _actions(centre) == [
        ("handover_received", {"family": got.code, "sender": "Klinik Nord"})
    ]
    # Both audit logs are intact and the export of the centre carries the origin.
    _ok(_lotse(clinic, "audit", "verify"))
    _ok(_lotse(centre, "audit", "verify"))
    _ok(_lotse(centre, "export", str(tmp_path / "centre.jsonl")))
    family_line = json.loads((tmp_path / "centre.jsonl").read_text("utf-8").splitlines()[1])
    assert family_line["origin"] == {"service": "Klinik Nord", "date": sent.closed.isoformat()}

    # Twice: refused.
    _refused(_lotse(centre, "handover", "import", str(out)), "schon übernommen")
    assert len(_families(centre)) == 1


def test_refusals(two: tuple[Path, Path, Path], tmp_path: Path) -> None:
    clinic, centre, card = two
    other = _vault(tmp_path / "other", "Otto", "Kita Süd")
    _ok(_lotse(other, "card", "export", "--out", str(tmp_path / "other.card")))
    # Wrong card: the family's transfer consent names the family centre only.
    out = tmp_path / "x.lotse"
    _refused(
        _lotse(
            clinic,
            "handover",
            "export",
            "f-1",
            "--to",
            str(tmp_path / "other.card"),
            "--out",
            str(out),
        ),
        "keine gültige Einwilligung zur Weitergabe",
    )
    assert not out.exists()
    assert _actions(clinic) == []
    # A file for the centre, opened by someone else, or changed: refused, nothing stored.
    _ok(_lotse(clinic, "handover", "export", "f-1", "--to", str(card), "--out", str(out)))
    _refused(_lotse(other, "handover", "import", str(out)), "anderen Empfänger")
    envelope = json.loads(out.read_text("utf-8"))
    envelope["ciphertext"] = (
        envelope["ciphertext"][:40]
        + ("B" if envelope["ciphertext"][40] == "A" else "A")
        + envelope["ciphertext"][41:]
    )
    changed = tmp_path / "changed.lotse"
    changed.write_text(json.dumps(envelope), "utf-8")
    _refused(_lotse(centre, "handover", "import", str(changed)), "verändert")
    assert _families(centre) == [] and _families(other) == []


def test_without_transfer_consent(tmp_path: Path) -> None:
    clinic = _vault(tmp_path / "clinic", "Nora", "Klinik Nord")
    centre = _vault(tmp_path / "centre", "Paula", "Familienzentrum Lirich")
    _ok(_lotse(clinic, "import", str(family_file(tmp_path / "f.jsonl", transfer_to=None))))
    _ok(_lotse(centre, "card", "export", "--out", str(tmp_path / "centre.card")))
    out = tmp_path / "x.lotse"
    _refused(
        _lotse(
            clinic,
            "handover",
            "export",
            "f-1",
            "--to",
            str(tmp_path / "centre.card"),
            "--out",
            str(out),
        ),
        "keine gültige Einwilligung zur Weitergabe",
    )
    assert not out.exists()


def test_team_merge_counts_each_contact_once(two: tuple[Path, Path, Path], tmp_path: Path) -> None:
    clinic, centre, card = two
    out = tmp_path / "h.lotse"
    _ok(_lotse(clinic, "handover", "export", "f-1", "--to", str(card), "--out", str(out)))
    _ok(_lotse(centre, "handover", "import", str(out)))
    period = "2026-Q2"
    for folder in (clinic, centre):
        _ok(
            _lotse(
                folder,
                "package",
                "export",
                "--period",
                period,
                "--out",
                str(tmp_path / f"{folder.name}.json"),
            )
        )
    lead = _vault(tmp_path / "lead", "Tanja", "Rathaus")
    _ok(
        _lotse(
            lead,
            "package",
            "merge",
            "--period",
            period,
            "--out",
            str(tmp_path / "t.json"),
            str(tmp_path / "clinic.json"),
            str(tmp_path / "centre.json"),
        )
    )
    report = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert report["totals"]["counselling_contacts"] == 2
    assert report["totals"]["counselling_minutes"] == 70
    # centre: nothing of its own yet
    centre_package = json.loads((tmp_path / "centre.json").read_text("utf-8"))
    assert centre_package["figures"]["totals"]["counselling_contacts"] == 0
