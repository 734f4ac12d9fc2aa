"""Sealed files: only the card's holder opens them; the sender is checked; changes show."""

from __future__ import annotations

import base64
import json

import pytest

from lotse.cards.card import ContactCard, make_card
from lotse.cards.sealed import PURPOSE_HANDOVER, PURPOSE_PACKAGE, envelope_of, open_sealed, seal
from lotse.crypto import kdf
from lotse.errors import BadInputError
from lotse.vault import Vault, create_vault
from tests.conftest import PASSPHRASE


def _card(vault: Vault) -> ContactCard:
    with vault.transaction() as session:
        return make_card(session, vault.vault_id)


def _seal(sender: Vault, to: ContactCard, payload: bytes, purpose: str = PURPOSE_PACKAGE) -> dict:
    with sender.transaction() as session:
        return json.loads(seal(payload, to, session, sender.vault_id, purpose))


def _open(vault: Vault, obj: dict, purpose: str = PURPOSE_PACKAGE):
    envelope = envelope_of(obj, "paket.lotse")
    assert envelope is not None
    with vault.transaction() as session:
        return open_sealed(envelope, session, vault.vault_id, purpose)


def test_the_recipient_opens_and_knows_the_sender(navigator: Vault, lead: Vault) -> None:
    obj = _seal(navigator, _card(lead), b"the figures")
    assert obj["format"] == "lotse.sealed/1" and obj["recipient_name"] == "Tanja Leitung"
    assert "the figures" not in json.dumps(obj)
    opened = _open(lead, obj)
    assert opened.payload == b"the figures"
    assert opened.sender.name == "Nora Beispiel"
    assert opened.sender.fingerprint == _card(navigator).fingerprint


def test_a_file_for_someone_else_is_refused_clearly(
    navigator: Vault, lead: Vault, tmp_path
) -> None:
    obj = _seal(navigator, _card(lead), b"x")
    with (
        create_vault(tmp_path / "third", PASSPHRASE, kdf.TEST_PARAMS) as third,
        pytest.raises(BadInputError) as error,
    ):
        _open(third, obj)
    message = error.value.message
    assert "für einen anderen Empfänger verschlüsselt (Tanja Leitung" in message
    assert _card(lead).display_fingerprint in message


def test_a_changed_file_is_refused(navigator: Vault, lead: Vault) -> None:
    obj = _seal(navigator, _card(lead), b"x" * 100)
    raw = bytearray(base64.b64decode(obj["ciphertext"]))
    raw[10] ^= 0xFF
    with pytest.raises(BadInputError, match="nach dem Verschlüsseln verändert"):
        _open(lead, dict(obj, ciphertext=base64.b64encode(bytes(raw)).decode()))
    with pytest.raises(BadInputError, match="keine gültige verschlüsselte Lotse-Datei"):
        _open(lead, dict(obj, nonce="***"))


def test_a_file_of_another_purpose_is_not_taken_for_a_package(
    navigator: Vault, lead: Vault
) -> None:
    obj = _seal(navigator, _card(lead), b"x", PURPOSE_HANDOVER)
    with pytest.raises(BadInputError, match="ist eine Übergabe, nicht ein Statistik-Paket"):
        _open(lead, obj)
    # Relabelled in clear: the sender's signature covers the purpose.
    with pytest.raises(BadInputError, match="Unterschrift des Absenders"):
        _open(lead, dict(obj, purpose=PURPOSE_PACKAGE))
    assert _open(lead, obj, PURPOSE_HANDOVER).payload == b"x"
