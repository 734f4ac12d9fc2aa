"""``lotse policy check|show``, and the policy as the command line obeys it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lotse import i18n
from lotse.cli.main import main
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE

EXAMPLE = Path(__file__).resolve().parents[2] / "packaging" / "policy.example.toml"
BAD = (
    "[locked]\n"
    "suppression_threshold = 2\n"
    "lock_after_minute = 5\n"
    "\n"
    "[defaults]\n"
    "retention_months = -1\n"
)


@pytest.fixture
def bad_policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_check_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", str(EXAMPLE)]) == 0
    assert capsys.readouterr().err == f"{EXAMPLE}: in Ordnung (5 festgelegt, 4 vorbelegt).\n"


def test_check_lists_every_problem_with_file_and_line(
    bad_policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", "check", str(bad_policy)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad_policy}: 3 Fehler in der Richtlinie.",
        f"{bad_policy}:2: [locked] suppression_threshold: 2 ist zu klein; die Schwelle für "
        "die Geheimhaltung darf nie unter 3 liegen.",
        f"{bad_policy}:3: [locked]: unbekannte Einstellung „lock_after_minute“. Gemeint ist "
        "vielleicht „lock_after_minutes“.",
        f"{bad_policy}:6: [defaults] retention_months: -1 liegt nicht im erlaubten Bereich "
        "0 bis 1200.",
    ]


def test_check_in_english(
    bad_policy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOTSE_LANG", "en")
    assert main(["policy", "check", str(bad_policy)]) == 2
    err = capsys.readouterr().err
    assert f"{bad_policy}: 3 errors in the policy." in err
    assert f"{bad_policy}:3: [locked]: unknown setting “lock_after_minute”." in err
    i18n.set_language("de")


def test_check_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", str(tmp_path / "none.toml")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'none.toml'}: keine Datei.\n"


def test_a_bad_machine_policy_warns_and_lotse_goes_on(
    bad_policy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOTSE_POLICY", str(bad_policy))
    assert main(["policy", "show"]) == 2
    out, err = capsys.readouterr()
    assert f"Warnung: {bad_policy}:2: [locked] suppression_threshold: 2 ist zu klein" in err
    assert f"Warnung: {bad_policy}:6: " in err
    assert f"Richtlinie: {bad_policy}\n" in out
    # The wrong locked threshold is locked at the safe built-in, not dropped.
    assert "suppression_threshold = 3  (vom Administrator festgelegt)\n" in out
    assert "retention_months = 0  (eingebaut)\n" in out


def test_show_without_a_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "show"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Richtlinie: keine"
    assert "min_passphrase_length = 12  (eingebaut)" in out


def _policy(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "machine-policy.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("LOTSE_POLICY", str(path))


def test_init_obeys_the_locked_passphrase_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _policy(tmp_path, "[locked]\nmin_passphrase_length = 30\n", monkeypatch)
    folder = tmp_path / "vault"
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)  # 26 characters: enough built-in
    assert main(["--vault", str(folder), "init"]) == 2
    assert "mindestens 30 Zeichen" in capsys.readouterr().err
    assert not (folder / DB_NAME).exists()
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE + "-lang-genug")
    assert main(["--vault", str(folder), "init"]) == 0
    assert (folder / DB_NAME).exists()


def test_the_report_uses_the_locked_threshold_whatever_the_vault_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lotse import settings
    from lotse.vault import create_vault

    folder = tmp_path / "vault"
    with create_vault(folder, PASSPHRASE) as vault, vault.transaction() as session:
        settings.put(session, "suppression_threshold", 4)  # the user's own, before the lock
    _policy(tmp_path, "[locked]\nsuppression_threshold = 7\n", monkeypatch)
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "report.json"
    args = ["--vault", str(folder), "report", "--period", "2026-Q2", "--format", "json"]
    assert main([*args, "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["threshold"] == 7


def test_a_broken_policy_file_warns_and_the_builtins_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _policy(tmp_path, "[locked]\nmin_passphrase_length = 40\nlock_after_minutes =\n", monkeypatch)
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)  # 26 characters: the built-in 12 applies
    folder = tmp_path / "vault"
    assert main(["--vault", str(folder), "init"]) == 0
    err = capsys.readouterr().err
    assert f"Warnung: {tmp_path / 'machine-policy.toml'}:3: Die Datei ist kein gültiges TOML" in err
    assert (folder / DB_NAME).exists()
