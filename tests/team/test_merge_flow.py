"""The team lead's merge flow on the command line, against both stores.

Three navigators send packages (one sealed to the team lead's card); the team lead merges
them into her vault or into a shared PostgreSQL database (a real server, see conftest),
corrects one with ``--replace``, lists and removes packages. A package for someone else
and a tampered one are refused with clear messages and exit 2; nothing is stored.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lotse.cli.main import main
from lotse.crypto import kdf
from lotse.team.pg_store import VIEW, check_url
from lotse.usecases import Profile, VaultAPI
from tests.conftest import PASSPHRASE
from tests.stats.builders import Builder, fill

NAVIGATORS = (
    ("Nora", "Klinik Nord", "birth_clinic", 2),
    ("Paul", "Kita Süd", "kita_family_centre", 3),
    ("Ida", "Klinik Nord", "birth_clinic", 4),
)


def _families(n: int, prefix: str, day: int = 3):
    def build(b: Builder) -> None:
        for i in range(n):
            b.family(f"{prefix}{i}", adults=1)
            b.contact(f"{prefix}{i}", f"2026-08-{day:02d}", "counselling", 45)

    return build


def _vault(folder: Path, name: str, site: str, line: str) -> Path:
    with VaultAPI.create(folder, PASSPHRASE, params=kdf.TEST_PARAMS) as api:
        api.settings.save_profile(Profile(name, site, line))
    return folder


def run(monkeypatch: pytest.MonkeyPatch, vault: Path, *args: str) -> int:
    monkeypatch.setenv("LOTSE_VAULT", str(vault))
    return main(list(args))


@pytest.fixture(params=["vault", "postgresql"])
def store(request: pytest.FixtureRequest) -> list[str]:
    """``--store`` arguments: none (the vault), or a new PostgreSQL database."""
    if request.param == "vault":
        return []
    return ["--store", request.getfixturevalue("postgres_url")]


def test_merge_flow(
    store: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from lotse.crypto.kdf import TEST_PARAMS  # noqa: F401 - cheap KDF for every vault here
    from lotse.vault import open_vault

    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    lead = _vault(tmp_path / "lead", "Tanja", "Rathaus", "")
    assert run(monkeypatch, lead, "card", "export", "--out", "tanja.card") == 0
    assert "Fingerabdruck:" in capsys.readouterr().out
    files = []
    for i, (name, site, line, families) in enumerate(NAVIGATORS):
        folder = _vault(tmp_path / name, name, site, line)
        with open_vault(folder, PASSPHRASE) as vault:
            fill(vault, _families(families, name))
        sealed = ["--to", "tanja.card"] if i == 0 else []
        out = f"{name}.lotse"
        assert (
            run(
                monkeypatch,
                folder,
                "package",
                "export",
                "--period",
                "2026-Q3",
                "--out",
                out,
                *sealed,
            )
            == 0
        )
        files.append(out)
    assert "verschlüsselt für Tanja" in capsys.readouterr().err
    assert "families_reached" not in Path("Nora.lotse").read_text("utf-8")

    merge = ["package", "merge", "--period", "2026-Q3", *store]
    assert run(monkeypatch, lead, *merge, "--out", "team.json", *files) == 0
    assert "3 Pakete neu übernommen" in capsys.readouterr().err
    report = json.loads(Path("team.json").read_text("utf-8"))
    assert report["totals"]["families_reached"] == 2 + 3 + 4
    assert [p["navigator"] for p in report["packages"]] == ["Ida", "Nora", "Paul"]

    # A package sealed for Paul, not for the team lead: refused, exit 2, nothing stored.
    paul_card = tmp_path / "paul.card"
    assert run(monkeypatch, tmp_path / "Paul", "card", "export", "--out", str(paul_card)) == 0
    assert (
        run(
            monkeypatch,
            tmp_path / "Nora",
            "package",
            "export",
            "--period",
            "2026-Q3",
            "--out",
            "for-paul.lotse",
            "--to",
            str(paul_card),
        )
        == 0
    )
    capsys.readouterr()
    assert run(monkeypatch, lead, *merge, "--out", "x.json", "for-paul.lotse") == 2
    assert "für einen anderen Empfänger verschlüsselt (Paul" in capsys.readouterr().err
    # Tampered: a sealed one and a plain one.
    obj = json.loads(Path("Nora.lotse").read_text("utf-8"))
    raw = bytearray(base64.b64decode(obj["ciphertext"]))
    raw[5] ^= 1
    obj["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    Path("tampered.lotse").write_text(json.dumps(obj), "utf-8")
    assert run(monkeypatch, lead, *merge, "--out", "x.json", "tampered.lotse") == 2
    assert "nach dem Verschlüsseln verändert" in capsys.readouterr().err
    plain = json.loads(Path("Paul.lotse").read_text("utf-8"))
    plain["figures"]["totals"]["families_reached"] = 1
    Path("forged.lotse").write_text(json.dumps(plain), "utf-8")
    assert run(monkeypatch, lead, *merge, "--out", "x.json", "forged.lotse") == 2
    assert "Signatur" in capsys.readouterr().err
    assert not Path("x.json").exists()

    # Paul corrects his figures: a conflict until the team lead replaces on purpose.
    with open_vault(tmp_path / "Paul", PASSPHRASE) as vault:
        fill(vault, _families(1, "late", 20))
    assert (
        run(
            monkeypatch,
            tmp_path / "Paul",
            "package",
            "export",
            "--period",
            "2026-Q3",
            "--out",
            "Paul-2.lotse",
        )
        == 0
    )
    capsys.readouterr()
    assert run(monkeypatch, lead, *merge, "--out", "x.json", "Paul-2.lotse") == 2
    assert "--replace" in capsys.readouterr().err
    assert run(monkeypatch, lead, *merge, "--replace", "--out", "team2.csv", "Paul-2.lotse") == 0
    assert "1 durch eine Korrektur ersetzt" in capsys.readouterr().err
    csv_text = Path("team2.csv").read_text("utf-8-sig")
    assert "totals;families_reached;;10" in csv_text
    assert "package;3;navigator;Paul" in csv_text

    # List and remove.
    assert run(monkeypatch, lead, "package", "list", *store) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[1] for line in lines] == ["Ida", "Nora", "Paul"]
    first_id = lines[0].split("\t")[0]
    assert run(monkeypatch, lead, "package", "remove", first_id, *store) == 0
    assert "entfernt" in capsys.readouterr().err
    assert run(monkeypatch, lead, "package", "list", "--period", "2026-Q3", *store) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    assert run(monkeypatch, lead, "package", "keys", *store) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
    assert run(monkeypatch, lead, "package", "remove", "999", *store) == 2

    if store:
        # The office reads the shared database with its own tools: a view per quarter,
        # site and service line, aggregates only.
        engine = create_engine(check_url(store[1]))
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    f"SELECT quarter, site, service_line, packages, families_reached FROM {VIEW}"
                    " ORDER BY site"
                )
            ).all()
        engine.dispose()
        assert [tuple(r) for r in rows] == [
            ("2026-Q3", "Kita Süd", "kita_family_centre", 1, 4),
            ("2026-Q3", "Klinik Nord", "birth_clinic", 1, 2),
        ]


def test_a_changed_row_in_the_shared_store_is_noticed(
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from lotse.vault import open_vault

    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    lead = _vault(tmp_path / "lead", "Tanja", "Rathaus", "")
    nora = _vault(tmp_path / "Nora", "Nora", "Klinik Nord", "birth_clinic")
    with open_vault(nora, PASSPHRASE) as vault:
        fill(vault, _families(3, "n"))
    assert (
        run(monkeypatch, nora, "package", "export", "--period", "2026-Q3", "--out", "n.json") == 0
    )
    merge = ["package", "merge", "--period", "2026-Q3", "--store", postgres_url]
    assert run(monkeypatch, lead, *merge, "--out", "a.json", "n.json") == 0
    engine = create_engine(check_url(postgres_url))
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE lotse_package SET payload = jsonb_set(payload, "
                "'{figures,totals,families_reached}', '30')"
            )
        )
    engine.dispose()
    capsys.readouterr()
    assert run(monkeypatch, lead, *merge, "--out", "b.json", "n.json") == 4
    assert "außerhalb von Lotse verändert" in capsys.readouterr().err
