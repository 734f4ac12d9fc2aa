"""The address book: contact cards this vault received, one per vault.

A card received for a vault pins that vault's keys: a later card for the same vault with
other keys (another fingerprint) is refused until the old one is removed on purpose, and
a statistics package claiming that vault must be signed with the card's key. Adding,
updating and removing a card are written to the vault's log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.cards.card import ContactCard, card_from_dict, display_fingerprint
from lotse.cards.keys import b64
from lotse.db.models import PinnedKey, TeamCard, utcnow
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.vault import audit


@dataclass(frozen=True)
class StoredCard:
    """A card of the address book with its row id and when it was added."""

    id: int
    card: ContactCard
    added_at: str


def add_card(session: Session, card: ContactCard, own_vault: str | None = None) -> bool:
    """Keep ``card``; True if it replaced an older card of the same vault (same keys).

    Refused: this vault's own card, and a card whose keys differ from the card or the
    packages already known for its vault.
    """
    if own_vault is not None and card.vault == own_vault:
        raise BadInputError(
            _("Das ist die Kontaktkarte dieses Tresors selbst; sie gehört nicht ins Adressbuch.")
        )
    row = session.scalar(select(TeamCard).where(TeamCard.vault == card.vault))
    if row is not None and row.fingerprint != card.fingerprint:
        raise BadInputError(
            _(
                "Für {who} liegt schon eine Karte mit anderen Schlüsseln vor (Fingerabdruck "
                "{old}, die neue hat {new}). Fragen Sie telefonisch nach; hat der Tresor "
                "wirklich neue Schlüssel, entfernen Sie zuerst die alte Karte."
            ).format(
                who=card.title,
                old=display_fingerprint(row.fingerprint),
                new=card.display_fingerprint,
            )
        )
    pinned = session.get(PinnedKey, card.vault)
    if pinned is not None and pinned.public_key != b64(card.ed25519):
        raise BadInputError(
            _(
                "Die Karte von {who} hat einen anderen Signaturschlüssel als die Pakete, die "
                "von diesem Tresor schon vorliegen; sie wurde nicht übernommen."
            ).format(who=card.title)
        )
    if pinned is None:
        session.add(PinnedKey(source_vault=card.vault, public_key=b64(card.ed25519)))
    replaced = row is not None
    if row is None:
        row = TeamCard(vault=card.vault, fingerprint=card.fingerprint)
        session.add(row)
    row.name = card.title
    row.card = card.to_dict()
    row.added_at = utcnow()
    audit.append(
        session,
        "card_updated" if replaced else "card_added",
        vault=card.vault,
        fingerprint=card.fingerprint,
    )
    session.flush()
    return replaced


def list_cards(session: Session) -> list[StoredCard]:
    """Every card of the address book, by name."""
    rows = session.scalars(select(TeamCard).order_by(TeamCard.name, TeamCard.id))
    return [
        StoredCard(row.id, card_from_dict(row.card, row.name), row.added_at.isoformat())
        for row in rows
    ]


def card_for(session: Session, vault: str) -> ContactCard | None:
    row = session.scalar(select(TeamCard).where(TeamCard.vault == vault))
    return None if row is None else card_from_dict(row.card, row.name)


def remove_card(session: Session, card_id: int) -> ContactCard:
    """Remove card ``card_id`` and the pin of its vault's key (logged).

    Removing is how a key change is accepted on purpose (after comparing the new
    fingerprint by phone): the next card or package of that vault pins its key anew.
    """
    row = session.get(TeamCard, card_id)
    if row is None:
        raise BadInputError(
            _("Im Adressbuch gibt es keine Karte mit der Nummer {id}.").format(id=card_id)
        )
    card = card_from_dict(row.card, row.name)
    session.delete(row)
    pinned = session.get(PinnedKey, card.vault)
    if pinned is not None:
        session.delete(pinned)
    audit.append(session, "card_removed", vault=card.vault, fingerprint=card.fingerprint)
    session.flush()
    return card
