"""Sealing to an X25519 key: only the recipient opens, any change is noticed."""

from __future__ import annotations

import dataclasses

import pytest

from lotse.crypto import sealing


def _recipient() -> tuple[sealing.X25519PrivateKey, bytes, str]:
    key = sealing.new_encryption_key()
    public = key.public_key().public_bytes_raw()
    return key, public, sealing.fingerprint(b"test", public)


def test_the_recipient_opens_what_was_sealed_to_it() -> None:
    key, public, fp = _recipient()
    sealed = sealing.seal(b"inner message", public, fp)
    assert b"inner message" not in sealed.ciphertext
    assert sealing.open_sealed(sealed, key, fp) == b"inner message"
    # Each sealing uses a key of its own: the same message never looks the same twice.
    assert sealing.seal(b"inner message", public, fp).ciphertext != sealed.ciphertext


def test_someone_else_cannot_open_it() -> None:
    _key, public, fp = _recipient()
    other, _other_public, other_fp = _recipient()
    sealed = sealing.seal(b"x", public, fp)
    with pytest.raises(sealing.SealError) as error:
        sealing.open_sealed(sealed, other, other_fp)
    assert error.value.reason == "foreign"
    # Relabelled for the other key, the derived key still differs: damaged, not opened.
    relabelled = dataclasses.replace(sealed, recipient=other_fp)
    with pytest.raises(sealing.SealError) as error:
        sealing.open_sealed(relabelled, other, other_fp)
    assert error.value.reason == "damaged"


@pytest.mark.parametrize("part", ["ciphertext", "nonce", "ephemeral"])
def test_any_changed_byte_is_noticed(part: str) -> None:
    key, public, fp = _recipient()
    sealed = sealing.seal(b"figures", public, fp)
    value = bytearray(getattr(sealed, part))
    value[len(value) // 2] ^= 1
    with pytest.raises(sealing.SealError) as error:
        sealing.open_sealed(dataclasses.replace(sealed, **{part: bytes(value)}), key, fp)
    assert error.value.reason == "damaged"


def test_signatures_bind_purpose_recipient_and_payload() -> None:
    signer = sealing.new_signing_key()
    public = signer.public_key().public_bytes_raw()
    message = sealing.signed_part("p", "a" * 64, b"e" * 32, b"payload")
    signature = sealing.sign(signer, message)
    sealing.verify(public, signature, message)
    for other in (
        sealing.signed_part("q", "a" * 64, b"e" * 32, b"payload"),
        sealing.signed_part("p", "b" * 64, b"e" * 32, b"payload"),
        sealing.signed_part("p", "a" * 64, b"f" * 32, b"payload"),
        sealing.signed_part("p", "a" * 64, b"e" * 32, b"payloaD"),
    ):
        with pytest.raises(sealing.SealError):
            sealing.verify(public, signature, other)


def test_fingerprints_are_unambiguous() -> None:
    assert sealing.fingerprint(b"ab", b"c") != sealing.fingerprint(b"a", b"bc")
