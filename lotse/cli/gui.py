"""``lotse`` with no command: opens the desktop window (Qt is imported only here, lazily)."""

from __future__ import annotations

import argparse


def open_window(args: argparse.Namespace) -> int:
    from lotse.ui.app import run

    return run(args)
