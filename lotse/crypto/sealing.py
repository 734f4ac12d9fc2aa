"""Sealing a message to one recipient's X25519 key, signed by the sender's Ed25519 key.

The primitives under contact cards, encrypted statistics packages and handovers (no
vault, no file format of its own beyond the envelope; :mod:`lotse.cards` builds on it):

- an ephemeral X25519 key agreement with the recipient's public key,
- HKDF-SHA-256 over the shared secret (salt: both public keys; info: the scheme and the
  recipient's fingerprint) to one AES-256-GCM key,
- AES-256-GCM over the inner message, with the envelope's header as associated data.

The inner message carries the sender's signature (Ed25519) over the purpose, the
recipient's fingerprint, the ephemeral public key and the payload's SHA-256: a recipient
cannot pass the sealed payload on as if it had been sealed to someone else, a stranger
cannot seal a payload in the sender's name, and a package sealed for one purpose (a
statistics package) cannot be read as another (a handover).

Every failure to open is :class:`SealError` with a reason code (``foreign``, ``damaged``,
``signature``); the caller words the message.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SCHEME = "x25519-hkdf-sha256-aes256gcm-ed25519"
KEY_LENGTH = 32
NONCE_LENGTH = 12
_INFO = b"lotse sealed v1"
_SIGNED = b"lotse sealed signature v1\x00"


class SealError(Exception):
    """A sealed message that cannot be opened; ``reason`` says why (for the message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sealed:
    """The parts of a sealed message (the caller puts them into its file format)."""

    recipient: str
    ephemeral: bytes
    nonce: bytes
    ciphertext: bytes


def fingerprint(*parts: bytes) -> str:
    """SHA-256 (hex) of length-prefixed ``parts``: unambiguous however the parts split."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(4, "big"))
        digest.update(part)
    return digest.hexdigest()


def _key(shared: bytes, ephemeral: bytes, recipient_key: bytes, recipient: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_LENGTH,
        salt=ephemeral + recipient_key,
        info=_INFO + b"\x00" + recipient.encode("ascii"),
    ).derive(shared)


def _header(recipient: str, ephemeral: bytes) -> bytes:
    return SCHEME.encode("ascii") + b"\x00" + recipient.encode("ascii") + b"\x00" + ephemeral


def signed_part(purpose: str, recipient: str, ephemeral: bytes, payload: bytes) -> bytes:
    """What the sender signs: purpose, recipient, this message's key and the payload."""
    return (
        _SIGNED
        + purpose.encode("utf-8")
        + b"\x00"
        + recipient.encode("ascii")
        + b"\x00"
        + ephemeral
        + hashlib.sha256(payload).digest()
    )


def seal(
    inner: bytes,
    recipient_key: bytes,
    recipient: str,
    ephemeral_private: X25519PrivateKey | None = None,
) -> Sealed:
    """Encrypt ``inner`` to the X25519 public key ``recipient_key`` (fingerprint
    ``recipient``). ``inner`` is the caller's signed message (see :func:`signed_part`),
    which covers the ephemeral key: so the caller makes it and passes it in."""
    ephemeral_private = ephemeral_private or X25519PrivateKey.generate()
    ephemeral = ephemeral_private.public_key().public_bytes_raw()
    shared = ephemeral_private.exchange(X25519PublicKey.from_public_bytes(recipient_key))
    key = _key(shared, ephemeral, recipient_key, recipient)
    nonce = os.urandom(NONCE_LENGTH)
    ciphertext = AESGCM(key).encrypt(nonce, inner, _header(recipient, ephemeral))
    return Sealed(recipient, ephemeral, nonce, ciphertext)


def open_sealed(sealed: Sealed, private_key: X25519PrivateKey, own: str) -> bytes:
    """The inner message of ``sealed``, if it is sealed to ``private_key`` (fingerprint
    ``own``); :class:`SealError` ``foreign`` if for someone else, ``damaged`` if changed."""
    if sealed.recipient != own:
        raise SealError("foreign")
    if len(sealed.ephemeral) != KEY_LENGTH or len(sealed.nonce) != NONCE_LENGTH:
        raise SealError("damaged")
    own_public = private_key.public_key().public_bytes_raw()
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(sealed.ephemeral))
    except ValueError:  # an all-zero shared secret: a forged ephemeral key
        raise SealError("damaged") from None
    key = _key(shared, sealed.ephemeral, own_public, own)
    try:
        return AESGCM(key).decrypt(
            sealed.nonce, sealed.ciphertext, _header(sealed.recipient, sealed.ephemeral)
        )
    except InvalidTag:
        raise SealError("damaged") from None


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    return key.sign(message)


def verify(public_key: bytes, signature: bytes, message: bytes) -> None:
    """:class:`SealError` ``signature`` unless ``signature`` is ``public_key``'s over it."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        raise SealError("signature") from None


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def new_encryption_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()
