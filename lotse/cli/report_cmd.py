"""``lotse report`` and ``lotse period close|reopen|list`` (packages: :mod:`lotse.cli.team_cmd`).

Each command checks what it can before the vault is unlocked (the period, the format, the
target, the package files), then runs one use case of the statistics
(:class:`~lotse.usecases.statistics.StatisticsAPI`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lotse.cli.context import say, unlocked_api
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.report import check_format
from lotse.report.model import FORMATS
from lotse.stats.period import Period, parse_period


def _period_help() -> str:
    return _("2026-Q3, 2026, 2026-08 oder 2026-07-15..2026-08-31")


def _format_help() -> str:
    return _("{formats} (sonst nach der Dateiendung, sonst json)").format(formats="|".join(FORMATS))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report", parents=[common], help=_("die Statistik eines Zeitraums als Bericht schreiben")
    )
    p.add_argument("--period", required=True, metavar=_("ZEITRAUM"), help=_period_help())
    # Checked in the handler, not by argparse: a clear message and exit 2, not a usage dump.
    p.add_argument("--format", default=None, metavar=_("FORMAT"), help=_format_help())
    p.add_argument(
        "--publish",
        action="store_true",
        help=_("für die Veröffentlichung: Kleinstzahlen unterdrücken"),
    )
    p.add_argument(
        "--out",
        required=True,
        metavar=_("DATEI"),
        help=_("Zieldatei, oder - für die Standardausgabe (json, csv)"),
    )
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "period", parents=[common], help=_("berichtete Zeiträume abschließen oder wieder öffnen")
    )
    actions = p.add_subparsers(dest="period_action", metavar=_("AKTION"), required=True)
    q = actions.add_parser(
        "close", parents=[common], help=_("einen Zeitraum abschließen (Zahlen einfrieren)")
    )
    q.add_argument("period", metavar=_("ZEITRAUM"))
    q.set_defaults(handler=cmd_close)
    q = actions.add_parser(
        "reopen", parents=[common], help=_("einen abgeschlossenen Zeitraum wieder öffnen")
    )
    q.add_argument("period", metavar=_("ZEITRAUM"))
    q.add_argument("--yes", action="store_true", help=_("ohne Rückfrage"))
    q.set_defaults(handler=cmd_reopen)
    q = actions.add_parser("list", parents=[common], help=_("abgeschlossene Zeiträume zeigen"))
    q.set_defaults(handler=cmd_list)


def _format_for(option: str | None, out: str) -> str:
    if option is not None:
        return option.strip().lower()
    suffix = Path(out).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "json"


def _check_target(out: str) -> None:
    """Refuse a target that cannot be written before the vault is even unlocked."""
    if out == "-":
        return
    path = Path(out)
    if path.is_dir():
        raise BadInputError(_("{file} ist ein Ordner, keine Datei.").format(file=out))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInputError(
            _(
                "Die Datei {file} kann nicht geschrieben werden: den Ordner {folder} gibt es nicht."
            ).format(file=out, folder=folder)
        )


def cmd_report(args: argparse.Namespace) -> int:
    # Everything that can be checked without the vault is checked first: bad input costs nothing.
    period = parse_period(args.period)
    fmt = check_format(_format_for(args.format, args.out), args.out)
    _check_target(args.out)
    with unlocked_api(getattr(args, "vault", None)) as api:
        api.statistics.write_report(period, fmt, args.out, publish=args.publish)
    if args.out != "-":
        say(
            _("Bericht für {period} geschrieben nach {file}.").format(
                period=period.label, file=args.out
            )
        )
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    with unlocked_api(getattr(args, "vault", None)) as api:
        api.statistics.close_period(period)
    say(
        _("Zeitraum {period} abgeschlossen: seine Zahlen bleiben nun unverändert.").format(
            period=period.label
        )
    )
    return 0


def _confirm(period: Period) -> bool:
    if not sys.stdin.isatty():
        raise BadInputError(
            _(
                "Wieder öffnen braucht eine Bestätigung: Lotse läuft nicht an einem Terminal. "
                "Bestätigen Sie mit --yes."
            )
        )
    answer = input(
        _(
            "Zeitraum {period} wieder öffnen? Seine Berichte werden dann aus den aktuellen "
            "Datensätzen gezählt und können sich ändern. [j/N] "
        ).format(period=period.label)
    )
    return answer.strip().lower() in (_("j"), _("ja"), "j", "ja", "y", "yes")


def cmd_reopen(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    if not args.yes and not _confirm(period):
        say(_("Nicht wieder geöffnet."))
        return 0
    with unlocked_api(getattr(args, "vault", None)) as api:
        reopened = api.statistics.reopen_period(args.period)
    say(
        _("Zeitraum {period} wieder geöffnet (im Protokoll vermerkt).").format(
            period=reopened.label
        )
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        closed = api.statistics.closed_periods()
    if not closed:
        say(_("Kein Zeitraum ist abgeschlossen."))
    for info in closed:
        print(
            f"{info.period.label}\t{info.period.start.isoformat()}\t{info.period.end.isoformat()}"
            f"\t{info.closed_at.isoformat(timespec='seconds')}"
        )
    return 0
