"""Contact cards: made from the profile, self-signed, checked on reading."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lotse.cards.card import make_card, parse_card, read_card
from lotse.cards.keys import ENCRYPTION_KEY_SETTING, SIGNING_KEY_SETTING
from lotse.db.models import Secret
from lotse.errors import BadInputError
from lotse.vault import Vault


def _card_text(vault: Vault, service: str | None = None) -> str:
    with vault.transaction() as session:
        return make_card(session, vault.vault_id, service).text()


def test_a_card_names_the_navigator_and_carries_public_keys_only(navigator: Vault) -> None:
    text = _card_text(navigator)
    card = parse_card(text)
    assert (card.name, card.organisation, card.site) == (
        "Nora Beispiel",
        "Träger Test e. V.",
        "Klinik Nord",
    )
    assert card.service == "Klinik Nord"  # default: the site
    assert card.service_line_label == "Lotsendienst Geburtsklinik"
    assert card.vault == navigator.vault_id
    with navigator.session() as session:
        secrets = [session.get(Secret, k) for k in (SIGNING_KEY_SETTING, ENCRYPTION_KEY_SETTING)]
    assert all(s is not None and str(s.value) not in text for s in secrets)
    # Eight groups of four hex digits, to read out on the phone.
    assert re.fullmatch(r"([0-9A-F]{4} ){7}[0-9A-F]{4}", card.display_fingerprint)
    # The same vault, another day, another service: the same keys, the same fingerprint.
    again = parse_card(_card_text(navigator, "Lotsendienst Klinik Nord"))
    assert again.service == "Lotsendienst Klinik Nord"
    assert again.fingerprint == card.fingerprint


def test_a_changed_card_is_refused_with_the_reason(navigator: Vault, lead: Vault) -> None:
    obj = json.loads(_card_text(navigator))
    changed = dict(obj, name="Mallory")
    with pytest.raises(BadInputError, match="Signatur fehlt oder stimmt nicht"):
        parse_card(json.dumps(changed), "nora.card")
    # Someone else's keys under Nora's card: the fingerprint no longer fits.
    other = json.loads(_card_text(lead))
    swapped = dict(obj, keys=other["keys"])
    with pytest.raises(BadInputError, match="Fingerabdruck passt nicht"):
        parse_card(json.dumps(swapped), "nora.card")
    with pytest.raises(BadInputError, match=r"nora\.card: keine gültige Kontaktkarte"):
        parse_card(json.dumps({k: v for k, v in obj.items() if k != "keys"}), "nora.card")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{", "kein JSON"),
        ('{"format": "lotse.records/2"}', "unbekanntes Format"),
        ('{"format": "lotse.stats-package/1"}', "Statistik-Paket, keine Karte"),
        ("[]", "unbekanntes Format"),
    ],
)
def test_a_foreign_or_damaged_file_says_what_it_is(
    tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "x.card"
    path.write_text(content, "utf-8")
    with pytest.raises(BadInputError, match=words):
        read_card(path)


def test_a_service_with_a_line_break_is_refused(navigator: Vault) -> None:
    with pytest.raises(BadInputError, match="Zeilenumbrüche"), navigator.transaction() as s:
        make_card(s, navigator.vault_id, "a\nb")
