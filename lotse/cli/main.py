"""Entry point of the ``lotse`` program: parses arguments and maps errors to exit codes.

Each command lives in its own module with ``register(subparsers)``; the module sets
``handler`` on its parser. Errors the user can act on (:class:`LotseError`) print their
translated message; anything else is an unexpected failure, with a traceback only under
``--debug``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from lotse import __version__
from lotse.cli import (
    argparse_i18n,
    context,
    dp_cmd,
    handover_cmd,
    policy_cmd,
    report_cmd,
    smoke_cmd,
    team_cmd,
    vault_cmd,
)
from lotse.cli import commands as records_commands
from lotse.cli.gui import Desktop, open_window
from lotse.errors import EXIT_FAILURE, EXIT_OK, LotseError
from lotse.i18n import _
from lotse.usecases import as_lotse_error

#: Modules that add commands; each has ``register(subparsers)``.
COMMAND_MODULES = [
    records_commands,
    report_cmd,
    team_cmd,
    dp_cmd,
    handover_cmd,
    policy_cmd,
    smoke_cmd,
    vault_cmd,
]


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """``--vault`` and ``--debug``, accepted before and after the command name.

    On the commands their default is SUPPRESS, so ``lotse --vault X import F`` keeps X.
    """
    common = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if suppress else None
    common.add_argument(
        "--vault",
        metavar=_("ORDNER"),
        default=default,
        help=_("der Tresor-Ordner (sonst LOTSE_VAULT)"),
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help=_("bei Fehlern die technischen Details zeigen"),
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(suppress=True)
    parser = argparse.ArgumentParser(
        prog="lotse",
        description=_("Lotse – Dokumentation und Statistik für Lotsendienste."),
        parents=[_common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"Lotse {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("das Fenster mit einem Demo-Tresor öffnen (synthetische Daten)"),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("BEFEHL"))
    for module in COMMAND_MODULES:
        module.register(sub, common)
    return parser


def _print_error(error: LotseError) -> None:
    context.say(error.message)
    for line in error.details:
        context.say(line)


def main(argv: Sequence[str] | None = None, desktop: Desktop | None = None) -> int:
    """Run the command ``argv`` names; without one, open the window ``desktop`` gives.

    ``desktop`` is also there for commands that need the window (``args.desktop``).
    """
    context.prepare()
    argparse_i18n.install()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.desktop = desktop
    debug = bool(getattr(args, "debug", False))
    try:
        if args.command is None:
            return open_window(args, desktop)
        return int(args.handler(args) or EXIT_OK)
    except LotseError as error:
        if debug:
            traceback.print_exc()
        _print_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        context.say(_("Abgebrochen."))
        return EXIT_FAILURE
    except Exception as error:  # the last line of defence: no traceback for the user
        if debug:
            traceback.print_exc()
        # The use cases map database failures; one that got past them still is one.
        mapped = as_lotse_error(error)
        if mapped is not None:
            _print_error(mapped)
            return mapped.exit_code
        context.say(
            _("Unerwarteter Fehler: {error}. Mit --debug zeigt Lotse die Einzelheiten.").format(
                error=error
            )
        )
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
