"""``lotse`` with no command: opens the desktop window (Qt is imported only here, lazily)."""

from __future__ import annotations

import argparse
import os
import sys

from lotse.errors import EXIT_FAILURE
from lotse.i18n import _


def has_display(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether a window can be shown. Without one, Qt aborts the process with a core dump."""
    if not sys.platform.startswith("linux"):
        return True
    return any(environ.get(var) for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def open_window(args: argparse.Namespace) -> int:
    if not has_display():
        from lotse.cli.context import say

        say(
            _(
                "Kein Bildschirm gefunden: das Lotse-Fenster braucht eine grafische Sitzung. "
                "Ohne Fenster stehen die Befehle zur Verfügung, siehe: lotse --help"
            )
        )
        return EXIT_FAILURE
    from lotse.cli.context import vault_dir
    from lotse.ui.app import run

    return run(args, vault_dir(getattr(args, "vault", None)))
