"""The program's entry point: the window starts without the storage stack, which loads
while the passphrase is typed; its options read as the command line reads them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lotse.cli.main import build_parser
from lotse.crypto import kdf
from lotse.entry import window_args
from lotse.vault import create_vault
from tests.conftest import PASSPHRASE

#: What the unlock window must not wait for (issue 15: a start 6.3 times a bare window's).
STORAGE = ("sqlalchemy", "sqlcipher3", "alembic", "reportlab", "lotse.usecases", "lotse.db")

#: Runs ``lotse --vault FOLDER`` and reports which of STORAGE are loaded when the unlock
#: window is shown, and then whether they arrive in the background.
CHILD = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    STORAGE = {storage!r}
    app = QApplication(sys.argv[:1])
    report = {{}}

    def loaded():
        return [name for name in STORAGE if name in sys.modules]

    def wait_for_preload():
        if len(loaded()) == len(STORAGE) - 2 or report.get("polls", 0) > 400:
            report["later"] = loaded()
            print(json.dumps(report), flush=True)
            os._exit(0)
        report["polls"] = report.get("polls", 0) + 1
        QTimer.singleShot(50, wait_for_preload)

    class Probe(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Show and obj.objectName() == "unlock_window":
                if "shown" not in report:
                    report["shown"] = loaded()
                    QTimer.singleShot(0, wait_for_preload)
            return False

    probe = Probe()
    app.installEventFilter(probe)
    from lotse.entry import main
    main(["--vault", sys.argv[1]])
    """
).format(storage=STORAGE)


def test_the_unlock_window_shows_before_the_storage_stack_which_loads_meanwhile(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, kdf.TEST_PARAMS).close()
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["shown"] == []
    # Alembic and ReportLab come with their first use (a migration, a PDF), not before.
    assert set(report["later"]) == {"sqlalchemy", "sqlcipher3", "lotse.usecases", "lotse.db"}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--debug"],
        ["--vault", "/tmp/Mein Tresor"],
        ["--vault=/srv/v", "--demo", "--debug"],
        ["--vault", "a", "--vault", "b"],
    ],
)
def test_the_window_options_read_as_the_command_line_reads_them(argv: list[str]) -> None:
    ours = window_args(argv)
    theirs = build_parser().parse_args(argv)
    assert ours is not None
    assert (ours.vault, ours.demo, ours.debug, ours.command) == (
        theirs.vault,
        theirs.demo,
        theirs.debug,
        theirs.command,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "f.jsonl"],
        ["--vault", "x", "backup", "b"],
        ["--help"],
        ["--version"],
        ["--vault"],
        ["--vault", "--demo"],
        ["--dem"],
        ["-x"],
    ],
)
def test_anything_else_goes_to_the_command_line(argv: list[str]) -> None:
    assert window_args(argv) is None
