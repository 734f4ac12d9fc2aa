"""Wrapping the vault's data key with AES-256-GCM, and the keys derived from it.

The data key never leaves memory unwrapped; on disk it exists only as GCM ciphertext
under a key-encryption key (from a passphrase; see :mod:`lotse.crypto.recovery` for the
recovery key).
The associated data binds a wrapped key to its vault and slot, so a slot cannot be moved
between vaults or have its parameters swapped unnoticed.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DATA_KEY_LENGTH = 32
NONCE_LENGTH = 12


class UnwrapError(Exception):
    """The key-encryption key is wrong, or the wrapped key or its context was altered."""


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_LENGTH)


def wrap(kek: bytes, data_key: bytes, associated_data: bytes) -> tuple[bytes, bytes]:
    """Return ``(nonce, ciphertext)`` of ``data_key`` under ``kek``."""
    nonce = os.urandom(NONCE_LENGTH)
    return nonce, AESGCM(kek).encrypt(nonce, data_key, associated_data)


def unwrap(kek: bytes, nonce: bytes, ciphertext: bytes, associated_data: bytes) -> bytes:
    try:
        key = AESGCM(kek).decrypt(nonce, ciphertext, associated_data)
    except InvalidTag as exc:
        raise UnwrapError from exc
    if len(key) != DATA_KEY_LENGTH:
        raise UnwrapError
    return key


def subkey(data_key: bytes, purpose: bytes) -> bytes:
    """A 256-bit key for one ``purpose``, derived from (never equal to) the data key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(data_key)


def header_mac_key(data_key: bytes) -> bytes:
    """A key for the header's HMAC, derived from (never equal to) the data key."""
    return subkey(data_key, b"lotse vault header mac v1")


def audit_chain_key(data_key: bytes) -> bytes:
    """The key of the audit log's chain of HMACs, derived from (never equal to) the data key.

    Derived once and kept in the database (see :mod:`lotse.vault.audit`), so a key
    rotation does not break the chain of the entries written before it.
    """
    return subkey(data_key, b"lotse audit chain v1")


def mac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def mac_matches(key: bytes, message: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(mac(key, message), expected)
