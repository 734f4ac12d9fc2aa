"""Data protection on the command line: ``erase``, ``access-report``, ``retention``, ``audit``.

- ``lotse erase FAMILY [--yes]``: erases one family on request (GDPR Art. 17);
- ``lotse access-report FAMILY --out FILE``: everything stored about it (Art. 15), as PDF
  or JSON by the file's extension;
- ``lotse retention run [--dry-run] [--yes]``: erases the families whose retention period
  has passed; ``--dry-run`` lists them;
- ``lotse audit show [--action A] [--since DATE] [--until DATE]`` and ``lotse audit
  verify`` (exit 4 when an entry was changed, removed or added out of order).

FAMILY is a family's code or the id it had in an imported records file. The work is done
by the use cases (:mod:`lotse.usecases`); these handlers ask and say what happened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from lotse.cli.context import say, unlocked_api
from lotse.errors import BadInputError, VaultDamagedError
from lotse.i18n import _, ngettext
from lotse.usecases.audit import ACTIONS, describe, label


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "erase",
        parents=[common],
        help=_("eine Familie auf Verlangen löschen (Art. 17 DSGVO), mit allen ihren Daten"),
    )
    p.add_argument("family", metavar=_("FAMILIE"), help=_("Code oder Datensatz-ID der Familie"))
    p.add_argument("--yes", action="store_true", help=_("ohne Rückfrage"))
    p.set_defaults(handler=cmd_erase)

    p = sub.add_parser(
        "access-report",
        parents=[common],
        help=_("alles, was über eine Familie gespeichert ist (Art. 15 DSGVO), als PDF oder JSON"),
    )
    p.add_argument("family", metavar=_("FAMILIE"), help=_("Code oder Datensatz-ID der Familie"))
    p.add_argument("--out", required=True, metavar=_("DATEI"), help=_("Zieldatei, .pdf oder .json"))
    p.set_defaults(handler=cmd_access_report)

    p = sub.add_parser(
        "retention", parents=[common], help=_("Familien nach Ablauf der Aufbewahrungsfrist löschen")
    )
    actions = p.add_subparsers(dest="retention_action", metavar=_("AKTION"), required=True)
    q = actions.add_parser(
        "run",
        parents=[common],
        help=_("Familien löschen, deren Begleitung länger als die Frist zurückliegt"),
    )
    q.add_argument("--dry-run", action="store_true", help=_("nur auflisten, nichts löschen"))
    q.add_argument("--yes", action="store_true", help=_("ohne Rückfrage"))
    q.set_defaults(handler=cmd_retention_run)

    p = sub.add_parser("audit", parents=[common], help=_("das Protokoll des Tresors"))
    actions = p.add_subparsers(dest="audit_action", metavar=_("AKTION"), required=True)
    q = actions.add_parser("show", parents=[common], help=_("die Einträge des Protokolls zeigen"))
    q.add_argument(
        "--action",
        action="append",
        metavar=_("AKTION"),
        help=_("nur diese Aktion (mehrfach möglich), z. B. family_erased"),
    )
    q.add_argument("--since", type=_date, metavar=_("DATUM"), help=_("ab diesem Tag (JJJJ-MM-TT)"))
    q.add_argument("--until", type=_date, metavar=_("DATUM"), help=_("bis zu diesem Tag"))
    q.add_argument("--json", action="store_true", help=_("als JSON-Zeilen ausgeben"))
    q.set_defaults(handler=cmd_audit_show)
    q = actions.add_parser(
        "verify",
        parents=[common],
        help=_("prüfen, dass kein Eintrag verändert, entfernt oder eingeschoben wurde"),
    )
    q.set_defaults(handler=cmd_audit_verify)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("kein Datum der Form JJJJ-MM-TT: {value}").format(value=text)
        ) from None


def _ask(question: str) -> bool:
    """A yes/no question at the terminal; refused (exit 2) where there is none."""
    if not sys.stdin.isatty():
        raise BadInputError(
            _(
                "Das braucht eine Bestätigung: Lotse läuft nicht an einem Terminal. "
                "Bestätigen Sie mit --yes."
            )
        )
    answer = input(question + " " + _("[j/N] "))
    return answer.strip().lower() in (_("j"), _("ja"), "j", "ja", "y", "yes")


def cmd_erase(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        family = api.erasure.find(args.family)
        preview = api.erasure.preview(family.id)
        what = ", ".join(
            (
                ngettext("{n} Kontakt", "{n} Kontakte", preview.contacts).format(
                    n=preview.contacts
                ),
                ngettext("{n} Vermittlung", "{n} Vermittlungen", preview.referrals).format(
                    n=preview.referrals
                ),
                ngettext("{n} Wiedervorlage", "{n} Wiedervorlagen", preview.reminders).format(
                    n=preview.reminders
                ),
            )
        )
        question = _("Familie {code} mit allen ihren Daten ({what}) endgültig löschen?").format(
            code=family.code, what=what
        )
        if not args.yes and not _ask(question):
            say(_("Nicht gelöscht."))
            return 0
        erased = api.erasure.erase(family.id)
    say(
        _(
            "Familie {code} ist gelöscht ({what}); im Protokoll vermerkt. Abgeschlossene "
            "Zeiträume behalten ihre Zahlen."
        ).format(code=erased.code, what=what)
    )
    return 0


def cmd_access_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    with unlocked_api(getattr(args, "vault", None)) as api:
        family = api.erasure.find(args.family)
        api.access_report.write(family.id, out)
    say(
        _("Auskunft über Familie {code} geschrieben nach {file}; im Protokoll vermerkt.").format(
            code=family.code, file=out
        )
    )
    say(_("Achtung: die Datei enthält personenbezogene Daten unverschlüsselt."))
    return 0


def cmd_retention_run(args: argparse.Namespace) -> int:
    today = dt.date.today()
    with unlocked_api(getattr(args, "vault", None)) as api:
        state = api.retention.state(today)
        if state.months == 0:
            say(
                _(
                    "Es ist keine Aufbewahrungsfrist eingestellt (retention_months = 0): "
                    "Lotse löscht nichts von selbst."
                )
            )
            return 0
        for family in state.due:
            print(f"{family.code}\t{family.closed.isoformat()}\t{family.due.isoformat()}")
        if not state.due:
            say(
                ngettext(
                    "Keine Familie ist fällig (Frist: {n} Monat nach Abschluss).",
                    "Keine Familie ist fällig (Frist: {n} Monate nach Abschluss).",
                    state.months,
                ).format(n=state.months)
            )
            return 0
        count = ngettext("{n} Familie", "{n} Familien", len(state.due)).format(n=len(state.due))
        if args.dry_run:
            say(_("{count} wären zu löschen (nichts wurde gelöscht).").format(count=count))
            return 0
        question = _("{count} mit allen ihren Daten endgültig löschen?").format(count=count)
        if not args.yes and not state.locked and not _ask(question):
            say(_("Nicht gelöscht."))
            return 0
        run = api.retention.run(today)
    say(
        ngettext(
            "{n} Familie gelöscht; im Protokoll vermerkt.",
            "{n} Familien gelöscht; im Protokoll vermerkt.",
            len(run.erased),
        ).format(n=len(run.erased))
    )
    return 0


def _local(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def cmd_audit_show(args: argparse.Namespace) -> int:
    actions = args.action
    if actions:
        unknown = [a for a in actions if a not in ACTIONS]
        if unknown:
            raise BadInputError(
                _("Unbekannte Aktion: {actions} (bekannt: {known}).").format(
                    actions=", ".join(unknown), known=", ".join(ACTIONS)
                )
            )
    with unlocked_api(getattr(args, "vault", None)) as api:
        entries = api.audit.entries(actions, args.since, args.until)
    for entry in entries:
        if args.json:
            line = {
                "id": entry.id,
                "at": entry.at.replace(tzinfo=dt.UTC).isoformat(),
                "action": entry.action,
                "details": entry.details,
            }
            print(json.dumps(line, ensure_ascii=False))
        else:
            details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
            print(f"{entry.id}\t{_local(entry.at)}\t{_(label(entry.action))}\t{details}")
    if not entries:
        say(_("Keine Einträge."))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        check = api.audit.verify()
    if check.intact:
        say(
            ngettext(
                "Das Protokoll ist unverändert ({n} Eintrag geprüft).",
                "Das Protokoll ist unverändert ({n} Einträge geprüft).",
                check.entries,
            ).format(n=check.entries)
        )
        return 0
    raise VaultDamagedError(
        _("Das Protokoll des Tresors wurde verändert:"),
        [describe(finding) for finding in check.findings],
    )
