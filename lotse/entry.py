"""The ``lotse`` program: the command line, which opens the window when no command is given.

It sits above both :mod:`lotse.cli` and :mod:`lotse.ui`, which never import each other:
it hands the command line a :class:`~lotse.cli.gui.Desktop` that imports the window (and
Qt) only when the window is wanted, so commands start without loading Qt.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lotse.cli.main import main as cli_main


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


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, desktop=QtDesktop())
