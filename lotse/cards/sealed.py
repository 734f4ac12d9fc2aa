"""Sealed files (``lotse.sealed/1``): a payload encrypted to one card, signed by its sender.

:func:`seal` encrypts a payload (a statistics package, a handover) to the holder of a
contact card: X25519 with a key made for this one file, HKDF-SHA-256 and AES-256-GCM
(:mod:`lotse.crypto.sealing`). Inside travel the sender's own card and the sender's
Ed25519 signature over the purpose, the recipient's fingerprint, the file's key and the
payload. :func:`open_sealed` decrypts a file sealed to this vault and checks all of it.

The envelope says in clear what it is (``purpose``) and for whom (the recipient's
fingerprint, and their name as a hint for the message when it reaches someone else);
neither can be changed unnoticed: the fingerprint is bound into the key and the
associated data, the purpose into the sender's signature.

Every failure is a :class:`~lotse.errors.BadInputError` with a clear message: a file for
someone else, a changed or damaged file, a bad signature, a file of another purpose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lotse.cards.card import ContactCard, card_from_dict, display_fingerprint, make_card
from lotse.cards.keys import b64, encryption_key, signing_key, unb64
from lotse.crypto import sealing
from lotse.errors import BadInputError
from lotse.i18n import N_, _

SEALED_FORMAT = "lotse.sealed/1"
#: What a sealed file holds (the sender signs it; opening asks for one).
PURPOSE_PACKAGE = "lotse.stats-package"
PURPOSE_HANDOVER = "lotse.handover"
_PURPOSE_NAMES = {
    PURPOSE_PACKAGE: N_("ein Statistik-Paket"),
    PURPOSE_HANDOVER: N_("eine Übergabe"),
}


@dataclass(frozen=True)
class Envelope:
    """A sealed file's outside: what it is and for whom, readable without any key."""

    name: str
    purpose: str
    recipient: str
    recipient_name: str
    sealed: sealing.Sealed


@dataclass(frozen=True)
class Opened:
    """A sealed file opened by its recipient: the payload and who sealed it (checked)."""

    payload: bytes
    sender: ContactCard


def _purpose_name(purpose: str) -> str:
    return _(_PURPOSE_NAMES[purpose]) if purpose in _PURPOSE_NAMES else purpose


def seal(
    payload: bytes,
    recipient: ContactCard,
    session: Session,
    vault_id: str,
    purpose: str = PURPOSE_PACKAGE,
) -> bytes:
    """``payload`` sealed to ``recipient`` by this vault (``session`` of vault ``vault_id``).

    Makes the vault's keys on first use (the caller commits).
    """
    sender = make_card(session, vault_id)
    key = signing_key(session)
    # The signature covers this file's own key pair, so it is made here, before sealing.
    ephemeral_private = sealing.new_encryption_key()
    ephemeral = ephemeral_private.public_key().public_bytes_raw()
    signature = key.sign(sealing.signed_part(purpose, recipient.fingerprint, ephemeral, payload))
    inner = json.dumps(
        {"sender": sender.to_dict(), "payload": b64(payload), "signature": b64(signature)},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    sealed = sealing.seal(inner, recipient.x25519, recipient.fingerprint, ephemeral_private)
    envelope = {
        "format": SEALED_FORMAT,
        "scheme": sealing.SCHEME,
        "purpose": purpose,
        "recipient": recipient.fingerprint,
        "recipient_name": recipient.title,
        "ephemeral": b64(sealed.ephemeral),
        "nonce": b64(sealed.nonce),
        "ciphertext": b64(sealed.ciphertext),
    }
    return (json.dumps(envelope, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _not_sealed(name: str, why: str) -> BadInputError:
    return BadInputError(
        _("{file}: keine gültige verschlüsselte Lotse-Datei ({why}).").format(file=name, why=why)
    )


def envelope_of(obj: Any, name: str) -> Envelope | None:
    """The envelope of a parsed file, ``None`` if it is no sealed file at all."""
    if not isinstance(obj, dict) or obj.get("format") != SEALED_FORMAT:
        return None
    try:
        if obj["scheme"] != sealing.SCHEME:
            raise _not_sealed(name, _("unbekanntes Verfahren"))
        recipient = obj["recipient"]
        if not isinstance(recipient, str) or len(recipient) != 64:
            raise ValueError(recipient)
        recipient.encode("ascii")
        return Envelope(
            name=name,
            purpose=str(obj["purpose"]),
            recipient=recipient,
            recipient_name=str(obj.get("recipient_name") or ""),
            sealed=sealing.Sealed(
                recipient, unb64(obj["ephemeral"]), unb64(obj["nonce"]), unb64(obj["ciphertext"])
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _not_sealed(name, _("Angaben fehlen")) from None


def own_fingerprint(session: Session, vault_id: str) -> str:
    return make_card(session, vault_id).fingerprint


def open_sealed(
    envelope: Envelope, session: Session, vault_id: str, purpose: str = PURPOSE_PACKAGE
) -> Opened:
    """The payload of ``envelope`` if it is sealed to this vault, for ``purpose``, and
    signed by the sender whose card it carries; else a clear :class:`BadInputError`."""
    name = envelope.name
    if envelope.purpose != purpose:
        raise BadInputError(
            _("{file} ist {what}, nicht {expected}.").format(
                file=name,
                what=_purpose_name(envelope.purpose),
                expected=_purpose_name(purpose),
            )
        )
    own = own_fingerprint(session, vault_id)
    try:
        inner = sealing.open_sealed(envelope.sealed, encryption_key(session), own)
    except sealing.SealError as error:
        if error.reason == "foreign":
            raise BadInputError(
                _(
                    "{file} ist für einen anderen Empfänger verschlüsselt ({who}, Fingerabdruck "
                    "{theirs}), nicht für diesen Tresor (Fingerabdruck {own}). Nur der Tresor "
                    "des Empfängers kann die Datei öffnen; nichts wurde übernommen."
                ).format(
                    file=name,
                    who=envelope.recipient_name or "?",
                    theirs=display_fingerprint(envelope.recipient),
                    own=display_fingerprint(own),
                )
            ) from None
        raise _changed(name) from None
    try:
        obj = json.loads(inner)
        sender = card_from_dict(obj["sender"], name)
        payload, signature = unb64(obj["payload"]), unb64(obj["signature"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _changed(name) from None
    try:
        sealing.verify(
            sender.ed25519,
            signature,
            sealing.signed_part(purpose, own, envelope.sealed.ephemeral, payload),
        )
    except sealing.SealError:
        raise BadInputError(
            _(
                "{file}: die Unterschrift des Absenders ({who}) stimmt nicht; die Datei wurde "
                "verändert. Nichts wurde übernommen."
            ).format(file=name, who=sender.title)
        ) from None
    return Opened(payload, sender)


def _changed(name: str) -> BadInputError:
    return BadInputError(
        _(
            "{file} wurde nach dem Verschlüsseln verändert oder ist beschädigt; sie lässt "
            "sich nicht öffnen. Nichts wurde übernommen."
        ).format(file=name)
    )
