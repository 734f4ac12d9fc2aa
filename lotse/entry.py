"""The ``lotse`` program: the command line, which opens the window when no command is given.

It sits above both :mod:`lotse.cli` and :mod:`lotse.ui`, which never import each other:
it hands the command line a :class:`~lotse.cli.gui.Desktop` that imports the window (and
Qt) only when the window is wanted, so commands start without loading Qt.

The window's start does not load the command line either: its commands import the whole
storage stack (SQLAlchemy, SQLCipher, ReportLab …), which the unlock window does not need
before the passphrase is typed (:func:`lotse.ui.app.preload_storage` loads it then). When
the arguments are only the window's own options (``--vault``, ``--demo``, ``--debug``),
:func:`window_args` reads them and the window opens at once; anything else goes to
:func:`lotse.cli.main.main`, whose parser defines the same options.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class QtDesktop:
    """The Qt window of :mod:`lotse.ui.app`, imported on first use."""

    def load(self) -> None:
        import lotse.ui.app  # noqa: F401  (importing it is the check)

    def run(self, args: argparse.Namespace, folder: Path) -> int:
        from lotse.ui.app import run

        return run(args, folder)

    def build_main_window(self, vault: Any) -> Any:
        from lotse.ui.app import build_main_window

        return build_main_window(vault)

    def ensure_app(self) -> Any:
        from lotse.ui.qt_app import ensure_app

        return ensure_app()


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The window's options if ``argv`` holds nothing else, as the command line's parser
    reads them; ``None`` for anything else (a command, ``--help``, a mistake …)."""
    args = argparse.Namespace(vault=None, debug=False, demo=False, command=None)
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word in ("--demo", "--debug"):
            setattr(args, word[2:], True)
        elif word == "--vault" and rest and not rest[0].startswith("-"):
            args.vault = rest.pop(0)
        elif word.startswith("--vault=") and len(word) > len("--vault="):
            args.vault = word[len("--vault=") :]
        else:
            return None
    return args


def _open_window(args: argparse.Namespace) -> int:
    from lotse.cli.context import prepare, say
    from lotse.cli.gui import open_window
    from lotse.errors import LotseError

    prepare()
    desktop = QtDesktop()
    args.desktop = desktop
    try:
        return open_window(args, desktop)
    except LotseError as error:
        say(error.message)
        return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = window_args(argv)
    if args is not None:
        return _open_window(args)
    from lotse.cli.main import main as cli_main

    return cli_main(argv, desktop=QtDesktop())
