"""The address book: received cards, pinned keys, logged changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lotse.cards.address_book import add_card, card_for, list_cards, remove_card
from lotse.cards.card import ContactCard, make_card
from lotse.db.models import AuditEntry, PinnedKey
from lotse.errors import BadInputError
from lotse.vault import Vault
from tests.cards.conftest import set_profile


def _card(vault: Vault) -> ContactCard:
    with vault.transaction() as session:
        return make_card(session, vault.vault_id)


def test_add_list_update_remove(navigator: Vault, lead: Vault) -> None:
    card = _card(navigator)
    with lead.transaction() as session:
        assert add_card(session, card, lead.vault_id) is False
    set_profile(navigator, site="Klinik Süd")
    with lead.transaction() as session:
        assert add_card(session, _card(navigator), lead.vault_id) is True  # same keys: updated
    with lead.session() as session:
        [stored] = list_cards(session)
        assert stored.card.site == "Klinik Süd"
        assert card_for(session, navigator.vault_id) == stored.card
        assert session.get(PinnedKey, navigator.vault_id) is not None
    with lead.transaction() as session:
        assert remove_card(session, stored.id).name == "Nora Beispiel"
    with lead.session() as session:
        assert list_cards(session) == []
        assert session.get(PinnedKey, navigator.vault_id) is None
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-3:] == ["card_added", "card_updated", "card_removed"]
    with pytest.raises(BadInputError, match="keine Karte mit der Nummer"), lead.transaction() as s:
        remove_card(s, stored.id)


def test_a_card_with_other_keys_for_a_known_vault_is_refused(navigator: Vault, lead: Vault) -> None:
    with lead.transaction() as session:
        add_card(session, _card(navigator), lead.vault_id)
    # Another vault's keys claiming Nora's vault id (made, then signed with its own keys).
    with lead.transaction() as session:
        impostor = make_card(session, navigator.vault_id)
    refused = pytest.raises(BadInputError, match="schon eine Karte mit anderen Schlüsseln")
    with refused, lead.transaction() as session:
        add_card(session, impostor, "someone else")
    own = _card(lead)
    with pytest.raises(BadInputError, match="dieses Tresors selbst"), lead.transaction() as s:
        add_card(s, own, lead.vault_id)
