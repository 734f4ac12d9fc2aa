"""``lotse card …`` and ``lotse package …``: contact cards and statistics packages.

Each command checks what it can before the vault is unlocked (the period, the format,
the target, every package and card file: a tampered or damaged file costs nothing), then
runs use cases of the team (:class:`~lotse.usecases.team.TeamAPI`). Sealed packages are
opened after unlocking, with the team lead's key.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lotse.cli.context import say, unlocked_api
from lotse.cli.report_cmd import _check_target, _format_for, _format_help, _period_help
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.report import check_format
from lotse.stats.packages import read_package_file
from lotse.stats.period import Period, parse_period
from lotse.usecases.team import ContactCard, ReceivedPackage, load_card


def _store_help() -> str:
    return _(
        "die empfangenen Pakete in einer gemeinsamen PostgreSQL-Datenbank halten "
        "(postgresql://Benutzer@Rechner/Datenbank) statt im Tresor"
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "card", parents=[common], help=_("Kontaktkarten: die eigene schreiben, erhaltene verwalten")
    )
    actions = p.add_subparsers(dest="card_action", metavar=_("AKTION"), required=True)
    q = actions.add_parser(
        "export", parents=[common], help=_("die Kontaktkarte dieses Tresors schreiben")
    )
    q.add_argument(
        "--service",
        default=None,
        metavar=_("TEXT"),
        help=_("der Dienst, den eine Einwilligung als Empfänger nennt (sonst der Standort)"),
    )
    q.add_argument("--out", required=True, metavar=_("DATEI"), help=_("die Karten-Datei"))
    q.set_defaults(handler=cmd_card_export)
    q = actions.add_parser(
        "show", parents=[common], help=_("eine Kontaktkarte prüfen und zeigen (ohne Tresor)")
    )
    q.add_argument("file", metavar=_("DATEI"))
    q.set_defaults(handler=cmd_card_show)
    q = actions.add_parser(
        "add", parents=[common], help=_("eine erhaltene Kontaktkarte ins Adressbuch übernehmen")
    )
    q.add_argument("file", metavar=_("DATEI"))
    q.set_defaults(handler=cmd_card_add)
    q = actions.add_parser("list", parents=[common], help=_("das Adressbuch zeigen"))
    q.set_defaults(handler=cmd_card_list)
    q = actions.add_parser(
        "remove", parents=[common], help=_("eine Karte aus dem Adressbuch entfernen")
    )
    q.add_argument("id", type=int, metavar="ID")
    q.set_defaults(handler=cmd_card_remove)

    p = sub.add_parser(
        "package",
        parents=[common],
        help=_("Statistik-Pakete mehrerer Tresore austauschen und zusammenführen"),
    )
    actions = p.add_subparsers(dest="package_action", metavar=_("AKTION"), required=True)
    q = actions.add_parser(
        "export",
        parents=[common],
        help=_("das signierte Statistik-Paket dieses Tresors für einen Zeitraum schreiben"),
    )
    q.add_argument("--period", required=True, metavar=_("ZEITRAUM"), help=_period_help())
    q.add_argument("--out", required=True, metavar=_("DATEI"), help=_("die Paket-Datei"))
    q.add_argument(
        "--to",
        default=None,
        metavar=_("KARTE"),
        help=_("verschlüsselt für die Inhaberin oder den Inhaber dieser Kontaktkarte"),
    )
    q.add_argument(
        "--merged",
        action="store_true",
        help=_(
            "Teamleitung: ein Gesamtpaket für die nächste Ebene (z. B. Kommune → Land) aus "
            "den empfangenen Paketen des Zeitraums, signiert von diesem Tresor, mit der "
            "Liste der enthaltenen Pakete"
        ),
    )
    q.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help=_("mit --merged: die empfangenen Pakete aus dieser PostgreSQL-Datenbank"),
    )
    q.set_defaults(handler=cmd_package_export)
    q = actions.add_parser(
        "merge",
        parents=[common],
        help=_("Pakete übernehmen und den zusammengeführten Bericht schreiben"),
    )
    q.add_argument(
        "files", nargs="+", metavar=_("PAKET"), help=_("Paket-Dateien der Lotsinnen und Lotsen")
    )
    q.add_argument("--period", required=True, metavar=_("ZEITRAUM"), help=_period_help())
    q.add_argument("--format", default=None, metavar=_("FORMAT"), help=_format_help())
    q.add_argument(
        "--publish",
        action="store_true",
        help=_("für die Veröffentlichung: Kleinstzahlen unterdrücken"),
    )
    q.add_argument(
        "--replace",
        action="store_true",
        help=_("ein neueres Paket (Korrektur) ersetzt das ältere desselben Tresors und Zeitraums"),
    )
    q.add_argument("--store", default=None, metavar="URL", help=_store_help())
    q.add_argument(
        "--out",
        required=True,
        metavar=_("DATEI"),
        help=_("Zieldatei, oder - für die Standardausgabe (json, csv)"),
    )
    q.set_defaults(handler=cmd_package_merge)
    q = actions.add_parser("list", parents=[common], help=_("die empfangenen Pakete zeigen"))
    q.add_argument("--period", default=None, metavar=_("ZEITRAUM"), help=_period_help())
    q.add_argument("--store", default=None, metavar="URL", help=_store_help())
    q.set_defaults(handler=cmd_package_list)
    q = actions.add_parser("remove", parents=[common], help=_("ein empfangenes Paket entfernen"))
    q.add_argument("id", type=int, metavar="ID")
    q.add_argument("--store", default=None, metavar="URL", help=_store_help())
    q.set_defaults(handler=cmd_package_remove)
    q = actions.add_parser(
        "keys",
        parents=[common],
        help=_("die festgehaltenen Signaturschlüssel der Tresore mit Fingerabdruck zeigen"),
    )
    q.add_argument("--store", default=None, metavar="URL", help=_store_help())
    q.set_defaults(handler=cmd_package_keys)


def _no_stdout(out: str, what: str) -> None:
    if out == "-":
        raise BadInputError(
            _("{what} braucht eine Datei, nicht die Standardausgabe.").format(what=what)
        )


def _show_card(card: ContactCard) -> None:
    print(_("Name: {v}").format(v=card.name))
    print(_("Organisation: {v}").format(v=card.organisation))
    print(_("Standort: {v}").format(v=card.site))
    print(_("Arbeitsbereich: {v}").format(v=card.service_line_label))
    print(_("Dienst: {v}").format(v=card.service))
    print(_("Fingerabdruck: {v}").format(v=card.display_fingerprint))


def cmd_card_export(args: argparse.Namespace) -> int:
    _no_stdout(args.out, _("Die Kontaktkarte"))
    _check_target(args.out)
    with unlocked_api(getattr(args, "vault", None)) as api:
        card = api.team.export_card(Path(args.out), args.service)
    _show_card(card)
    say(
        _(
            "Kontaktkarte geschrieben nach {file} (nur öffentliche Schlüssel). Lesen Sie den "
            "Fingerabdruck am Telefon vor, wenn jemand die Karte übernimmt."
        ).format(file=args.out)
    )
    return 0


def cmd_card_show(args: argparse.Namespace) -> int:
    _show_card(load_card(args.file))
    return 0


def cmd_card_add(args: argparse.Namespace) -> int:
    card = load_card(args.file)
    with unlocked_api(getattr(args, "vault", None)) as api:
        updated = api.team.add_card(card)
    _show_card(card)
    if updated:
        say(_("Die Karte von {who} wurde im Adressbuch aktualisiert.").format(who=card.title))
    else:
        say(
            _(
                "Die Karte von {who} ist im Adressbuch. Vergleichen Sie den Fingerabdruck "
                "am Telefon mit {who}."
            ).format(who=card.title)
        )
    return 0


def cmd_card_list(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        cards = api.team.cards()
    if not cards:
        say(_("Das Adressbuch ist leer."))
    for stored in cards:
        card = stored.card
        print(
            f"{stored.id}\t{card.title}\t{card.site}\t{card.service_line_label}\t"
            f"{card.display_fingerprint}"
        )
    return 0


def cmd_card_remove(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        card = api.team.remove_card(args.id)
    say(_("Die Karte von {who} wurde aus dem Adressbuch entfernt.").format(who=card.title))
    return 0


def cmd_package_export(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    _no_stdout(args.out, _("Das Paket"))
    _check_target(args.out)
    to = load_card(args.to) if args.to else None
    if args.store and not args.merged:
        raise BadInputError(_("--store gilt nur mit --merged (ein Gesamtpaket)."))
    if args.merged:
        return _export_merged(args, period, to)
    with unlocked_api(getattr(args, "vault", None)) as api:
        # If writing fails, no key and no log entry stay (one transaction with the file).
        api.team.export_package(period, Path(args.out), to)
    if to is None:
        say(
            _(
                "Statistik-Paket für {period} geschrieben nach {file} (nur Summen, keine "
                "Datensätze)."
            ).format(period=period.label, file=args.out)
        )
    else:
        say(
            _(
                "Statistik-Paket für {period} geschrieben nach {file}, verschlüsselt für {who} "
                "(Fingerabdruck {fingerprint})."
            ).format(
                period=period.label,
                file=args.out,
                who=to.title,
                fingerprint=to.display_fingerprint,
            )
        )
    return 0


def _export_merged(args: argparse.Namespace, period: Period, to: ContactCard | None) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        done = api.team.export_merged_package(period, Path(args.out), to, args.store)
    text = _(
        "Gesamtpaket für {period} geschrieben nach {file}: {packages} empfangene Pakete, "
        "die Zahlen von {navigators} Lotsinnen und Lotsen (nur Summen)."
    ).format(period=period.label, file=args.out, packages=done.packages, navigators=done.navigators)
    if to is not None:
        text += " " + _("Verschlüsselt für {who} (Fingerabdruck {fingerprint}).").format(
            who=to.title, fingerprint=to.display_fingerprint
        )
    say(text)
    return 0


def cmd_package_merge(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    fmt = check_format(_format_for(args.format, args.out), args.out)
    _check_target(args.out)
    # Read and check every file before the vault is unlocked: a bad file costs nothing.
    found = [read_package_file(Path(name), name) for name in args.files]
    with unlocked_api(getattr(args, "vault", None)) as api:
        packages = api.team.open_packages(found)
        # If the report cannot be written, no package is kept (one transaction).
        merged = api.team.merge(
            packages, period, fmt, args.out, args.publish, args.replace, args.store
        )
    say(
        _(
            "{added} Pakete neu übernommen, {replaced} ersetzt, {corrected} durch eine "
            "Korrektur ersetzt; Bericht aus {n} Paketen."
        ).format(
            added=merged.added,
            replaced=merged.replaced,
            corrected=merged.corrected,
            n=merged.packages,
        )
    )
    return 0


def _when(p: ReceivedPackage) -> tuple[str, str]:
    created = "" if p.created is None else p.created.isoformat(timespec="seconds")
    return created, p.received_at.isoformat(timespec="seconds")


def cmd_package_list(args: argparse.Namespace) -> int:
    period = parse_period(args.period) if args.period else None
    with unlocked_api(getattr(args, "vault", None)) as api:
        held = api.team.held(period, args.store)
    if not held:
        say(_("Keine empfangenen Pakete."))
    for p in held:
        created, received = _when(p)
        print(
            f"{p.id}\t{p.title}\t{p.site}\t{p.service_line}\t{p.period.label}\t"
            f"{created}\t{received}"
        )
    return 0


def cmd_package_remove(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        removed = api.team.remove(args.id, args.store)
    say(
        _("Paket {id} von {who} für {period} entfernt (im Protokoll vermerkt).").format(
            id=args.id, who=removed.title, period=removed.period.label
        )
    )
    return 0


def cmd_package_keys(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        keys = api.team.pinned_keys(args.store)
    if not keys:
        say(_("Noch kein Schlüssel festgehalten."))
    for key in keys:
        print(f"{key.vault}\t{key.fingerprint}\t{key.pinned_at.isoformat(timespec='seconds')}")
    return 0
