"""``lotse report`` and ``lotse period``, run in-process as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from lotse.cli.main import main
from lotse.crypto import kdf
from lotse.db.models import AuditEntry, ClosedPeriod, StatisticsPackage
from lotse.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE
from tests.stats.builders import fill, reference_records


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A closed vault with the reference records; LOTSE_VAULT and LOTSE_PASSPHRASE set."""
    folder = tmp_path / "vault"
    vault = create_vault(folder, PASSPHRASE, kdf.TEST_PARAMS)
    fill(vault, reference_records)
    vault.close()
    monkeypatch.setenv("LOTSE_VAULT", str(folder))
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    return folder


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "vault")


def test_json_report_to_stdout(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--period", "2026-Q3", "--out", "-"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "lotse.report/1"
    assert report["totals"]["families_reached"] == 3
    assert report["published"] is False


def test_csv_to_stdout(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--period", "2026-Q3", "--format", "csv", "--out", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffAbschnitt;Kennzahl;Code;Wert")
    assert "totals;counselling_contacts;;4" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "pdf"])
def test_every_format_to_a_file(
    env: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"bericht.{fmt}"
    code = main(["report", "--period", "2026-Q3", "--format", fmt, "--publish", "--out", str(out)])
    assert code == 0
    assert "Bericht für 2026-Q3 geschrieben" in capsys.readouterr().err
    assert out.stat().st_size > 0
    assert files(tmp_path) == [out.name]


def test_format_from_the_file_extension(env: Path, tmp_path: Path) -> None:
    assert main(["report", "--period", "2026-08", "--out", "b.xlsx"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames[0] == "Summen"
    assert main(["report", "--period", "2026", "--publish", "--out", "b.txt"]) == 0
    report = json.loads((tmp_path / "b.txt").read_text("utf-8"))
    assert report["period"]["label"] == "2026" and report["published"] is True


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--period", "2026-Q5", "--out", "r.json"], "Unbekannte Zeitraum-Angabe"),
        (["--period", "2026-09-01..2026-08-01", "--out", "r.json"], "Ende vor dem Anfang"),
        (
            ["--period", "2026-Q3", "--format", "docx", "--out", "r.docx"],
            "Unbekanntes Berichtsformat",
        ),
        (["--period", "2026-Q3", "--format", "pdf", "--out", "-"], "Standardausgabe"),
        (["--period", "2026-Q3", "--out", "nirgends/r.json"], "den Ordner nirgends gibt es nicht"),
        (["--period", "2026-Q3", "--out", "."], "ist ein Ordner"),
        (["--period", "2026-Q3", "--out", "/proc/lotse.json"], "kann nicht geschrieben werden"),
    ],
)
def test_bad_input_exit_2_nothing_written(
    env: Path, tmp_path: Path, args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", *args]) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert files(tmp_path) == []


def test_unwritable_folder(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        code = main(["report", "--period", "2026-Q3", "--out", str(locked / "r.pdf")])
        if code == 0:  # running as root: permissions do not apply
            pytest.skip("permissions are not enforced for this user")
        assert code == 2
        assert "kann nicht geschrieben werden" in capsys.readouterr().err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_wrong_passphrase_exit_3(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSE_PASSPHRASE", "falsch-falsch-falsch")
    assert main(["report", "--period", "2026-Q3", "--out", "r.json"]) == 3
    assert not Path("r.json").exists()


def test_english_messages(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOTSE_LANG", "en")
    assert main(["report", "--period", "Q3", "--out", "r.json"]) == 2
    assert "Unknown period" in capsys.readouterr().err


def test_close_list_reopen(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["period", "close", "2026-Q3"]) == 0
    assert "2026-Q3 abgeschlossen" in capsys.readouterr().err
    assert main(["period", "close", "2026-Q3"]) == 2
    assert "bereits abgeschlossen" in capsys.readouterr().err
    assert main(["period", "list"]) == 0
    assert capsys.readouterr().out.startswith("2026-Q3\t2026-07-01\t2026-09-30\t")
    assert main(["report", "--period", "2026-Q3", "--out", "r.json"]) == 0
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["closed"] is True
    # Not at a terminal and no --yes: refused, nothing changed.
    assert main(["period", "reopen", "2026-Q3"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["period", "reopen", "2026-Q3", "--yes"]) == 0
    assert "wieder geöffnet" in capsys.readouterr().err
    assert main(["period", "list"]) == 0
    assert "Kein Zeitraum ist abgeschlossen" in capsys.readouterr().err
    with open_vault(env, PASSPHRASE) as vault, vault.session() as session:
        assert session.scalars(select(ClosedPeriod)).all() == []
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("period_%"))
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["period_closed", "period_reopened"]


def test_reopen_asks_at_a_terminal(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["period", "close", "2026-Q3"]) == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    assert main(["period", "reopen", "2026-Q3"]) == 0
    assert "Nicht wieder geöffnet" in capsys.readouterr().err
    monkeypatch.setattr("builtins.input", lambda _prompt: "j")
    assert main(["period", "reopen", "2026-Q3"]) == 0
    with open_vault(env, PASSPHRASE) as vault, vault.session() as session:
        assert session.scalars(select(ClosedPeriod)).all() == []


def test_close_refuses_a_running_period(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["period", "close", "2999-Q1"]) == 2
    assert "noch nicht zu Ende" in capsys.readouterr().err


def test_package_export_and_merge(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["package", "export", "--period", "2026-Q3", "--out", "nav.json"]) == 0
    assert "nur Summen" in capsys.readouterr().err
    package = json.loads((tmp_path / "nav.json").read_text("utf-8"))
    assert package["format"] == "lotse.stats-package/1"
    lead = tmp_path / "lead"
    create_vault(lead, PASSPHRASE, kdf.TEST_PARAMS).close()
    monkeypatch.setenv("LOTSE_VAULT", str(lead))
    args = ["package", "merge", "nav.json", "nav.json", "--period", "2026-Q3", "--out", "m.json"]
    assert main(args) == 0
    assert "1 Pakete neu übernommen, 0 ersetzt" in capsys.readouterr().err
    merged = json.loads((tmp_path / "m.json").read_text("utf-8"))
    assert merged["totals"]["families_reached"] == 3
    assert "bei jeder und jedem gezählt" in merged["notes"][0]
    # Again, as published PDF: replaced, not counted twice; the footnote is in the PDF.
    args = [*args[:-2], "--publish", "--out", "m.pdf"]
    assert main(args) == 0
    assert "0 Pakete neu übernommen, 1 ersetzt" in capsys.readouterr().err
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")


def test_package_merge_bad_input(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["package", "export", "--period", "2026-Q3", "--out", "nav.json"]) == 0
    obj = json.loads((tmp_path / "nav.json").read_text("utf-8"))
    obj["figures"]["totals"]["referrals"] = 99
    (tmp_path / "forged.json").write_text(json.dumps(obj), "utf-8")
    capsys.readouterr()
    assert main(["package", "merge", "forged.json", "--period", "2026-Q3", "--out", "m.json"]) == 2
    assert "Signatur" in capsys.readouterr().err
    assert main(["package", "merge", "nav.json", "--period", "2026-Q2", "--out", "m.json"]) == 2
    err = capsys.readouterr().err
    assert "nichts wurde gespeichert" in err and "gilt für 2026-Q3" in err
    assert not (tmp_path / "m.json").exists()
    with open_vault(env, PASSPHRASE) as vault, vault.session() as session:
        assert session.scalars(select(StatisticsPackage)).all() == []
