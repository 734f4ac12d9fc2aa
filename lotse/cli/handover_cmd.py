"""``lotse handover export|import``: hand one family over to another service, take one in.

``export`` checks the card before the vault is unlocked (a damaged or changed card costs
nothing), then runs :meth:`~lotse.usecases.handover.HandoverAPI.export`: refused (exit 2,
nothing written) without a valid ``transfer`` consent naming the card's service.
``import`` opens the file with this vault's key, shows sender, fingerprint and family,
and stores it with its origin, all or nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lotse.cli.context import say, unlocked_api
from lotse.cli.report_cmd import _check_target
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.usecases.handover import MODES, HandoverFile
from lotse.usecases.team import ContactCard, load_card


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "handover",
        parents=[common],
        help=_("eine Familie mit ihrer Einwilligung an einen anderen Dienst übergeben"),
    )
    actions = p.add_subparsers(dest="handover_action", metavar=_("AKTION"), required=True)
    q = actions.add_parser(
        "export",
        parents=[common],
        help=_("eine Familie verschlüsselt an den Inhaber einer Kontaktkarte übergeben"),
    )
    q.add_argument(
        "family", metavar=_("FAMILIE"), help=_("Code der Familie oder ihre Datensatz-ID")
    )
    q.add_argument(
        "--to",
        required=True,
        metavar=_("KARTE"),
        help=_("die Kontaktkarte des Empfängers (Datei, oder Name bzw. Dienst im Adressbuch)"),
    )
    q.add_argument("--out", required=True, metavar=_("DATEI"), help=_("die Übergabe-Datei"))
    q.add_argument(
        "--mode",
        choices=MODES,
        default="contact_made",
        help=_("wie die Familie in Kontakt kommt (Vorgabe: contact_made)"),
    )
    q.add_argument(
        "--close",
        action="store_true",
        help=_("die Begleitung mit dem Grund „übergeben“ abschließen"),
    )
    q.add_argument(
        "--with-notes",
        action="store_true",
        help=_("auch die Notizen mitgeben (Vorgabe: sie bleiben hier)"),
    )
    q.set_defaults(handler=cmd_handover_export)
    q = actions.add_parser("import", parents=[common], help=_("eine übergebene Familie übernehmen"))
    q.add_argument("file", metavar=_("DATEI"))
    q.set_defaults(handler=cmd_handover_import)


def _card(text: str, cards: list[ContactCard]) -> ContactCard:
    """The card ``--to`` names: a card file, else one card of the address book."""
    if Path(text).exists():
        return load_card(text)
    wanted = text.strip().casefold()
    found = [c for c in cards if wanted in (c.name.casefold(), c.service.casefold())]
    if len(found) == 1:
        return found[0]
    raise BadInputError(
        _(
            "„{card}“ ist weder eine Karten-Datei noch genau eine Karte im Adressbuch "
            "(Name oder Dienst)."
        ).format(card=text)
    )


def cmd_handover_export(args: argparse.Namespace) -> int:
    _check_target(args.out)
    card = load_card(args.to) if Path(args.to).exists() else None
    with unlocked_api(getattr(args, "vault", None)) as api:
        if card is None:
            card = _card(args.to, [stored.card for stored in api.team.cards()])
        sent = api.handover.export(
            args.family,
            card,
            Path(args.out),
            mode=args.mode,
            close=args.close,
            with_notes=args.with_notes,
        )
    say(
        _(
            "Familie {code} an {service} übergeben ({file}, verschlüsselt für den "
            "Fingerabdruck {fingerprint}); als Vermittlung vermerkt."
        ).format(
            code=sent.code,
            service=sent.recipient,
            file=args.out,
            fingerprint=card.display_fingerprint,
        )
    )
    if sent.closed:
        say(_("Die Begleitung ist abgeschlossen (übergeben)."))
    return 0


def _show(opened: HandoverFile) -> None:
    say(
        _("Übergabe von {who} ({service}), Fingerabdruck {fingerprint}, vom {date}.").format(
            who=opened.sender.name or opened.sender.title,
            service=opened.sender.service,
            fingerprint=opened.sender.display_fingerprint,
            date=opened.date.strftime("%d.%m.%Y"),
        )
    )
    say(_("Familie {family}: {contents}.").format(family=opened.family, contents=opened.contents()))


def cmd_handover_import(args: argparse.Namespace) -> int:
    with unlocked_api(getattr(args, "vault", None)) as api:
        opened = api.handover.open(Path(args.file))
        _show(opened)
        received = api.handover.accept(opened)
    say(
        _("Übernommen als {code}, Herkunft: {sender}.").format(
            code=received.code, sender=received.sender
        )
    )
    return 0
