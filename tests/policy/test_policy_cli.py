"""``lotse policy check|show``, and the policy as the command line obeys it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
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


# --- the machine-wide policy cannot be switched off, and never ends in a traceback ---


def test_lotse_policy_cannot_switch_off_the_machine_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lotse import policy

    machine = tmp_path / "machine.toml"
    machine.write_text("[locked]\nsuppression_threshold = 6\n", encoding="utf-8")
    monkeypatch.setattr(policy, "machine_policy_file", machine)
    monkeypatch.setenv("LOTSE_POLICY", "")
    assert main(["policy", "show"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"Richtlinie: {machine}"
    assert "suppression_threshold = 6  (vom Administrator festgelegt)\n" in out


#: Runs ``lotse ARGS…`` in a new process whose machine-wide policy file is ARGV[1] ("" for
#: none): the test suite's way to keep this machine's own policy out of child processes,
#: since no environment variable can move or switch off the machine-wide file.
RUN_LOTSE = (
    "import sys; from pathlib import Path; from lotse import policy; "
    "policy.machine_policy_file = Path(sys.argv[1]) if sys.argv[1] else None; "
    "from lotse.cli.main import main; sys.exit(main(sys.argv[2:]))"
)


def run_lotse(
    args: list[str], machine: Path | None = None, lotse_policy: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("LOTSE_POLICY", None)
    if lotse_policy is not None:
        env["LOTSE_POLICY"] = lotse_policy
    return subprocess.run(
        [sys.executable, "-c", RUN_LOTSE, str(machine or ""), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_empty_lotse_policy_keeps_the_machine_policy_in_a_real_process(
    tmp_path: Path,
) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text("[locked]\nmin_passphrase_length = 40\n", encoding="utf-8")
    done = run_lotse(["policy", "show"], machine=machine, lotse_policy="")
    assert done.returncode == 0, done.stderr
    assert f"Richtlinie: {machine}\n" in done.stdout
    assert "min_passphrase_length = 40  (vom Administrator festgelegt)\n" in done.stdout


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda tmp: "/dev/zero", "/dev/zero ist keine gewöhnliche Datei, sondern ein Gerät."),
        (
            lambda tmp: _file(tmp, b"[defaults]\norganisation = " + b"[" * 100_000),
            "zu tief verschachtelt",
        ),
        (
            lambda tmp: _file(tmp, b"# " + b"x" * (1024 * 1024) + b"\n"),
            "Lotse liest höchstens 1 MiB",
        ),
    ],
    ids=["dev-zero", "nested", "huge"],
)
def test_a_policy_that_cannot_be_read_warns_without_a_traceback(
    tmp_path: Path, make: Callable[[Path], str], fragment: str
) -> None:
    path = make(tmp_path)
    done = run_lotse(["policy", "show"], lotse_policy=path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Warnung: ")
    assert path in done.stderr and fragment in done.stderr
    assert "gelten die eingebauten Vorgaben." in done.stderr
    assert "suppression_threshold = 3  (eingebaut)\n" in done.stdout


def test_a_policy_with_a_bom_applies_in_a_real_process(tmp_path: Path) -> None:
    path = _file(tmp_path, b"\xef\xbb\xbf[locked]\r\nlock_after_minutes = 7\r\n")
    done = run_lotse(["policy", "check", path])
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"{path}: in Ordnung (1 festgelegt, 0 vorbelegt).\n"


def _file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "policy.toml"
    path.write_bytes(data)
    return str(path)
