"""``lotse smoke``: the self-test the installed package runs in CI.

The smoke test is run the way CI runs it on a package: the installed ``lotse`` program (the
entry point, which hands the command line its window) as a child process (the venv's
console script, and the frozen app when ``make package`` has built one). It must fail when
the window cannot be built: a child process in which ``import PySide6`` fails (a stand-in
package first on its path) shows it does, and so does the command line started without
the entry point's window.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lotse.cli import smoke_cmd
from lotse.cli.main import build_parser
from lotse.cli.main import main as cli_main
from lotse.entry import main

ROOT = Path(__file__).resolve().parents[2]
#: The console script ``pip install`` put beside this Python (what ``make run`` starts).
INSTALLED = Path(sys.executable).parent / ("lotse.exe" if os.name == "nt" else "lotse")
#: The frozen one-folder app ``make package`` builds (packaging/lotse.spec).
FROZEN = ROOT / "dist" / "lotse" / ("lotse.exe" if os.name == "nt" else "lotse")
STEPS = (
    "Fenster-Bibliothek laden",
    "Tresor anlegen",
    "Datensatz-Datei einlesen",
    "JSON-Bericht schreiben",
    "PDF-Bericht schreiben",
    "Hauptfenster öffnen und schließen",
)


def _smoke(program: Path, **env: str) -> subprocess.CompletedProcess[str]:
    if not program.is_file():
        pytest.fail(f"{program} is missing: install Lotse into this venv (make setup)")
    return subprocess.run(
        [str(program), "smoke"],
        env=os.environ | env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


def _passed(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for step in STEPS:
        assert f"smoke: {step}: ok" in done.stderr
    assert done.stderr.rstrip().endswith("smoke: alles in Ordnung")


def test_installed_lotse_passes_its_smoke_test() -> None:
    _passed(_smoke(INSTALLED))


@pytest.mark.skipif(not FROZEN.is_file(), reason="no frozen app in dist/ (make package)")
def test_frozen_lotse_passes_its_smoke_test() -> None:
    _passed(_smoke(FROZEN))


def test_smoke_passes_under_an_it_policy(tmp_path: Path) -> None:
    # Districts the demo does not know and a long passphrase rule: smoke adapts to both.
    policy = tmp_path / "policy.toml"
    policy.write_text(
        "[locked]\nmin_passphrase_length = 100\nsuppression_threshold = 4\n"
        '[locked.districts]\nnord = "Nord"\nsued = "Süd"\n',
        encoding="utf-8",
    )
    _passed(_smoke(INSTALLED, LOTSE_POLICY=str(policy)))


def test_smoke_fails_when_qt_cannot_be_imported(tmp_path: Path) -> None:
    # A package named PySide6 first on the path that refuses to import: as a frozen build
    # would be that left Qt out.
    blocker = tmp_path / "no-qt" / "PySide6"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("PySide6 left out")\n')
    path = os.pathsep.join(filter(None, [str(blocker.parent), os.environ.get("PYTHONPATH")]))

    done = _smoke(INSTALLED, PYTHONPATH=path)

    assert done.returncode == 1
    assert "Das Lotse-Fenster lässt sich nicht bauen: PySide6 left out." in done.stderr
    assert "smoke: Tresor anlegen" not in done.stderr  # failed first, not after a minute
    assert done.stderr.rstrip().endswith("smoke: FEHLGESCHLAGEN")


def test_smoke_fails_when_started_without_the_entry_points_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The command line used as a library has no window to test: that is a failure too.
    assert cli_main(["smoke"]) == 1
    err = capsys.readouterr().err
    assert "Das Lotse-Fenster lässt sich nicht bauen: Diesem Lotse wurde kein Fenster" in err
    assert "smoke: Tresor anlegen" not in err
    assert err.rstrip().endswith("smoke: FEHLGESCHLAGEN")


def test_smoke_is_hidden_from_the_help() -> None:
    assert "smoke" not in build_parser().format_help()


def test_smoke_fails_loudly_when_a_step_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Zero demo families is refused by `lotse demo`: the step must fail the smoke test,
    # and show the child's own message.
    monkeypatch.setattr(smoke_cmd, "SMOKE_FAMILIES", 0)
    assert main(["smoke"]) == 1
    err = capsys.readouterr().err
    assert "smoke: Tresor anlegen: ok" in err
    assert "demo --families 0“ endete mit Status 2" in err
    assert "--families: muss zwischen 1 und 1000000 liegen" in err
    assert err.rstrip().endswith("smoke: FEHLGESCHLAGEN")
