"""``lotse`` with no command: the window, as the command line sees it (no Qt imported here).

The command line does not import the window: the program's entry point
(:mod:`lotse.entry`), which sits above both, hands :func:`lotse.cli.main.main` a
:class:`Desktop` that opens it. Without one (the command line used as a library, or a
build without a window) ``lotse`` says so instead of failing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Protocol

from lotse.errors import EXIT_FAILURE
from lotse.i18n import _


class Desktop(Protocol):
    """What the command line needs of the window (see :mod:`lotse.ui.app`)."""

    def load(self) -> None:
        """Import the window and Qt now; ImportError if this Lotse cannot build it."""
        ...

    def run(self, args: argparse.Namespace, folder: Path) -> int:
        """Open the window on the vault in ``folder``; the exit status when it closes."""
        ...

    def build_main_window(self, vault: Any) -> Any:
        """The main window on an unlocked vault, not shown (for the smoke test)."""
        ...

    def ensure_app(self) -> Any:
        """The Qt application object (made on first use)."""
        ...


def has_display(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether a window can be shown. Without one, Qt aborts the process with a core dump."""
    if not sys.platform.startswith("linux"):
        return True
    return any(environ.get(var) for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def open_window(args: argparse.Namespace, desktop: Desktop | None) -> int:
    from lotse.cli.context import say, vault_dir

    if desktop is None:
        say(
            _(
                "Dieses Lotse hat kein Fenster. Die Befehle stehen zur Verfügung, siehe: "
                "lotse --help"
            )
        )
        return EXIT_FAILURE
    if not has_display():
        say(
            _(
                "Kein Bildschirm gefunden: das Lotse-Fenster braucht eine grafische Sitzung. "
                "Ohne Fenster stehen die Befehle zur Verfügung, siehe: lotse --help"
            )
        )
        return EXIT_FAILURE
    return desktop.run(args, vault_dir(getattr(args, "vault", None)))
