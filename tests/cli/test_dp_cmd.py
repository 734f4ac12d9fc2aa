"""Data protection on the command line, on real vault files: erase, access report,
retention, audit log; and the consent rules as an import meets them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
import sqlcipher3

from lotse.cli.main import main
from lotse.usecases import VaultAPI
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE

TODAY = dt.date.today()
LONG_AGO = dt.date(2019, 2, 1)


def _family(fid: str, name: str | None = None, closed: dt.date | None = None, **more) -> str:
    line: dict = {"type": "family", "id": fid, "adults": 2, "children": []}
    if name:
        line["person"] = {"name": name, "phone": "0208 0999"}
    if closed:
        line["closed"] = closed.isoformat()
    line.update(more)
    return json.dumps(line, ensure_ascii=False)


def _consent(*scope: str, date: dt.date = LONG_AGO) -> dict:
    return {"consent": {"date": date.isoformat(), "scope": list(scope)}}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    monkeypatch.setenv("LOTSE_VAULT", str(folder))
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    return folder


@pytest.fixture
def filled(env: Path, tmp_path: Path) -> Path:
    """A vault with three families: an old closed case, a current one, one without consent."""
    records = tmp_path / "records.jsonl"
    lines = [
        '{"format": "lotse.records/1"}',
        _family("F-2019-0001", "Hilde Altfall", LONG_AGO, **_consent("documentation")),
        _family("F-2026-0001", "Nora Beispiel", **_consent("documentation", "statistics")),
        _family("sheet-7", "Aus Der Tabelle"),
        '{"type": "contact", "family": "F-2019-0001", "date": "2019-01-10",'
        ' "kind": "first_contact", "minutes": 30, "notes": "alte Notiz"}',
        '{"type": "contact", "family": "F-2026-0001", "date": "2026-03-02",'
        ' "kind": "first_contact", "minutes": 45, "notes": "Wohnung zu klein"}',
        '{"type": "referral", "family": "F-2026-0001", "date": "2026-03-02",'
        ' "target": "family_midwife", "status": "arrived", "status_date": "2026-03-10"}',
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["init"]) == 0
    assert main(["import", str(records)]) == 0
    return env


def _codes(folder: Path) -> list[str]:
    with VaultAPI.open(folder, PASSPHRASE) as api:
        return [row.code for row in api.families.rows()]


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["audit", "show", "--json", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_an_import_without_consent_is_accepted(filled: Path, capsys) -> None:
    with VaultAPI.open(filled, PASSPHRASE) as api:
        missing = api.consents.missing(TODAY)
        assert [(m.name, m.personal) for m in missing] == [("Aus Der Tabelle", True)]
    [imported] = _audit(capsys, "--action", "records_imported")
    assert imported["details"]["families"] == 3


def test_erase_asks_then_erases_with_every_record(filled: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["erase", "F-2026-0001"]) == 2  # not at a terminal: --yes needed
    assert "--yes" in capsys.readouterr().err
    assert main(["erase", "F-1999-0001", "--yes"]) == 2
    assert "gibt es in diesem Tresor nicht" in capsys.readouterr().err
    assert main(["erase", "F-2026-0001", "--yes"]) == 0
    err = capsys.readouterr().err
    assert "F-2026-0001 ist gelöscht (1 Kontakt, 1 Vermittlung, 0 Wiedervorlagen)" in err
    assert _codes(filled) == ["F-2019-0001", "F-2026-0002"]  # sheet-7 got a code
    # By the id of the records file too.
    assert main(["erase", "sheet-7", "--yes"]) == 0
    logged = _audit(capsys, "--action", "family_erased")
    assert [e["details"]["family"] for e in logged] == ["F-2026-0001", "F-2026-0002"]
    assert "Beispiel" not in json.dumps(logged) and "Tabelle" not in json.dumps(logged)


def test_access_report_as_pdf_and_json(filled: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "auskunft.json"
    assert main(["access-report", "F-2026-0001", "--out", str(out)]) == 0
    assert "unverschlüsselt" in capsys.readouterr().err
    data = json.loads(out.read_text("utf-8"))
    assert data["person"][0]["value"] == "Nora Beispiel"
    assert [c["notes"] for c in data["contacts"]] == ["Wohnung zu klein"]
    assert [s["status"] for s in data["referrals"][0]["history"]] == ["arrived"]
    pdf = tmp_path / "auskunft.pdf"
    assert main(["access-report", "F-2026-0001", "--out", str(pdf)]) == 0
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Nora Beispiel" in text and "Wohnung zu klein" in text
    assert main(["access-report", "F-2026-0001", "--out", str(tmp_path / "a.txt")]) == 2
    logged = _audit(capsys, "--action", "access_report")
    assert [e["details"] for e in logged] == [
        {"family": "F-2026-0001", "format": "json"},
        {"family": "F-2026-0001", "format": "pdf"},
    ]


def test_retention_run_lists_then_erases(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    capsys.readouterr()
    assert main(["retention", "run"]) == 0
    assert "retention_months = 0" in capsys.readouterr().err
    policy = tmp_path / "policy.toml"
    policy.write_text("[defaults]\nretention_months = 24\n", encoding="utf-8")
    monkeypatch.setenv("LOTSE_POLICY", str(policy))
    from lotse import policy as machine

    machine.reset_for_tests()
    assert main(["retention", "run", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("F-2019-0001\t2019-02-01\t2021-02-02")
    assert "1 Familie wären zu löschen" in captured.err
    assert main(["retention", "run"]) == 2  # a default policy: the navigator confirms
    assert main(["retention", "run", "--yes"]) == 0
    assert "1 Familie gelöscht" in capsys.readouterr().err
    assert _codes(filled) == ["F-2026-0001", "F-2026-0002"]
    [run] = _audit(capsys, "--action", "retention_run")
    assert run["details"] == {"months": 24, "locked": False, "families": ["F-2019-0001"]}


def test_locked_retention_erases_at_the_next_command(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[locked]\nretention_months = 12\n", encoding="utf-8")
    monkeypatch.setenv("LOTSE_POLICY", str(policy))
    from lotse import policy as machine

    machine.reset_for_tests()
    erased = _audit(capsys, "--action", "family_erased")
    assert [(e["details"]["family"], e["details"]["reason"]) for e in erased] == [
        ("F-2019-0001", "retention")
    ]
    assert _codes(filled) == ["F-2026-0001", "F-2026-0002"]


def _tamper(folder: Path, sql: str) -> None:
    with VaultAPI.open(folder, PASSPHRASE) as api:
        key = api._access.vault._data_key
    conn = sqlcipher3.connect(str(folder / DB_NAME))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET details = '{\"families\": 99}' WHERE action = 'records_imported'",
        "DELETE FROM audit_log WHERE action = 'records_imported'",
        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
    ],
    ids=["changed", "removed", "last removed"],
)
def test_audit_verify_fails_after_an_entry_is_changed_or_removed(
    filled: Path, sql: str, capsys
) -> None:
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    assert "unverändert" in capsys.readouterr().err
    _tamper(filled, sql)
    assert main(["audit", "verify"]) == 4
    err = capsys.readouterr().err
    assert "Das Protokoll des Tresors wurde verändert" in err and "Traceback" not in err
    # And it stays found: the change is on record.
    assert main(["audit", "verify"]) == 4


def test_audit_show_lists_unlocks_failed_attempts_and_exports(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("LOTSE_PASSPHRASE", "not the passphrase at all")
    assert main(["audit", "show"]) == 3
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    assert main(["export", str(tmp_path / "e.jsonl")]) == 0
    capsys.readouterr()
    assert main(["audit", "show"]) == 0
    out = capsys.readouterr().out
    assert "Tresor entsperrt" in out and "Datensätze exportiert" in out
    [failed] = _audit(capsys, "--action", "unlock_failed")
    assert failed["details"]["count"] == 1
    today = TODAY.isoformat()
    assert len(_audit(capsys, "--since", today, "--until", today)) >= 5
    assert _audit(capsys, "--until", "2000-01-01") == []
    capsys.readouterr()
    assert main(["audit", "show", "--action", "frobnicate"]) == 2
    assert "Unbekannte Aktion" in capsys.readouterr().err
