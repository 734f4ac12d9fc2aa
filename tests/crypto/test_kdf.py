"""Known answers for the passphrase key derivation (Argon2id, :mod:`lotse.crypto.kdf`).

First the library call Lotse makes (``cryptography``'s ``Argon2id``) against the test
vector of RFC 9106, section 5.3; then Lotse's own wrapper against a vector derived once
with it and pinned here: if the wrapper ever derived another key from the same
passphrase, salt and parameters, every existing vault would stop opening.
"""

from __future__ import annotations

import unicodedata

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from lotse.crypto import kdf
from lotse.crypto.kdf import KdfParams

# RFC 9106 "Argon2 Memory-Hard Function for Password Hashing and Proof-of-Work
# Applications", section 5.3 (Argon2id): memory 32 KiB, 3 passes, 4 lanes, tag length 32.
RFC9106_PASSWORD = bytes([0x01] * 32)
RFC9106_SALT = bytes([0x02] * 16)
RFC9106_SECRET = bytes([0x03] * 8)
RFC9106_AD = bytes([0x04] * 12)
RFC9106_TAG = bytes.fromhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")

# Lotse's wrapper, pinned (derived once with lotse.crypto.kdf on 2026-12-01, checked
# against the library call below): NFC-normalised UTF-8 passphrase, no secret, no
# associated data, 32-byte key.
PINNED_PASSPHRASE = "Zwölf Äpfel, 2 Birnen"
PINNED_SALT = bytes(range(16))
PINNED = [
    (
        KdfParams(memory_kib=32, iterations=3, lanes=4),
        "27680168cbbee1d8a6e318b9725670e643877509042abce6cae5286c6e0cbc32",
    ),
    (kdf.TEST_PARAMS, "36b30b0e6e94cc3bafc817abbce5c62c592d9cfa3d588f6b8029799b5119cb10"),
]


def test_argon2id_of_the_library_meets_rfc_9106() -> None:
    argon2id = Argon2id(
        salt=RFC9106_SALT,
        length=32,
        iterations=3,
        lanes=4,
        memory_cost=32,
        ad=RFC9106_AD,
        secret=RFC9106_SECRET,
    )
    assert argon2id.derive(RFC9106_PASSWORD) == RFC9106_TAG


@pytest.mark.parametrize(("params", "expected"), PINNED, ids=["32KiB-t3-p4", "test-params"])
def test_derive_key_gives_the_pinned_key(params: KdfParams, expected: str) -> None:
    assert kdf.derive_key(PINNED_PASSPHRASE, PINNED_SALT, params).hex() == expected


def test_derive_key_is_plain_argon2id_of_the_nfc_utf8_passphrase() -> None:
    params = PINNED[0][0]
    plain = Argon2id(
        salt=PINNED_SALT,
        length=kdf.KEY_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(unicodedata.normalize("NFC", PINNED_PASSPHRASE).encode("utf-8"))
    assert kdf.derive_key(PINNED_PASSPHRASE, PINNED_SALT, params) == plain


def test_the_same_passphrase_typed_decomposed_gives_the_same_key() -> None:
    # "ö" as one code point or as "o" + combining diaeresis (as some keyboards send it).
    decomposed = unicodedata.normalize("NFD", PINNED_PASSPHRASE)
    assert decomposed != PINNED_PASSPHRASE
    params, expected = PINNED[0]
    assert kdf.derive_key(decomposed, PINNED_SALT, params).hex() == expected


def test_every_input_changes_the_key() -> None:
    params, expected = PINNED[0]
    other_salt = bytes(reversed(PINNED_SALT))
    more_passes = KdfParams(params.memory_kib, params.iterations + 1, params.lanes)
    assert kdf.derive_key(PINNED_PASSPHRASE + " ", PINNED_SALT, params).hex() != expected
    assert kdf.derive_key(PINNED_PASSPHRASE, other_salt, params).hex() != expected
    assert kdf.derive_key(PINNED_PASSPHRASE, PINNED_SALT, more_passes).hex() != expected
