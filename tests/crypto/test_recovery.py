"""Wrapping a data key to the recovery public key: each scheme round-trips and is bound."""

from __future__ import annotations

import hashlib
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519

from lotse.crypto import recovery
from lotse.crypto.keywrap import UnwrapError


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def _keys(rsa_key: rsa.RSAPrivateKey):
    return {
        "rsa": rsa_key,
        "x25519": x25519.X25519PrivateKey.generate(),
        "p256": ec.generate_private_key(ec.SECP256R1()),
    }


def _pem(public_key) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@pytest.mark.parametrize(
    ("kind", "scheme"),
    [
        ("rsa", recovery.SCHEME_RSA),
        ("x25519", recovery.SCHEME_X25519),
        ("p256", recovery.SCHEME_ECDH),
    ],
)
def test_round_trip_and_binding(rsa_key, kind: str, scheme: str) -> None:
    private = _keys(rsa_key)[kind]
    public = recovery.load_public_key(_pem(private.public_key()))
    secret = os.urandom(32)
    wrapped = recovery.wrap(public, secret, b"vault A")
    assert wrapped.scheme == scheme
    assert secret not in wrapped.ciphertext
    assert recovery.unwrap(private, wrapped, b"vault A") == secret
    with pytest.raises(UnwrapError):  # moved to another vault or slot
        recovery.unwrap(private, wrapped, b"vault B")
    other = _keys(rsa_key if kind != "rsa" else rsa.generate_private_key(65537, 3072))[kind]
    with pytest.raises(UnwrapError):
        recovery.unwrap(other, wrapped, b"vault A")
    flipped = bytearray(wrapped.ciphertext)
    flipped[0] ^= 1
    with pytest.raises(UnwrapError):
        recovery.unwrap(
            private,
            recovery.Wrapped(wrapped.scheme, wrapped.ephemeral, wrapped.nonce, bytes(flipped)),
            b"vault A",
        )


def test_each_wrap_is_fresh(rsa_key) -> None:
    public = x25519.X25519PrivateKey.generate().public_key()
    secret = os.urandom(32)
    one, two = recovery.wrap(public, secret, b"c"), recovery.wrap(public, secret, b"c")
    assert one.ephemeral != two.ephemeral and one.ciphertext != two.ciphertext


def test_fingerprint_is_sha256_of_the_der_public_key(rsa_key) -> None:
    der = rsa_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert recovery.fingerprint(rsa_key.public_key()) == hashlib.sha256(der).hexdigest()


def test_unusable_public_keys_are_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(recovery.RecoveryKeyError):
        recovery.load_public_key(_pem(small.public_key()))
    with pytest.raises(recovery.RecoveryKeyError):
        recovery.load_public_key(_pem(ed25519.Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(recovery.RecoveryKeyError):
        recovery.load_public_key("-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----")


def test_private_key_file_with_and_without_password() -> None:
    key = x25519.X25519PrivateKey.generate()
    plain = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    locked = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"kennwort"),
    )
    fingerprint = recovery.fingerprint(key.public_key())
    assert recovery.fingerprint(recovery.load_private_key(plain).public_key()) == fingerprint
    loaded = recovery.load_private_key(locked, b"kennwort")
    assert recovery.fingerprint(loaded.public_key()) == fingerprint
    with pytest.raises(recovery.PrivateKeyPasswordError):
        recovery.load_private_key(locked)
    with pytest.raises(recovery.PrivateKeyPasswordError):
        recovery.load_private_key(locked, b"falsch")
    with pytest.raises(recovery.RecoveryKeyError):
        recovery.load_private_key(b"not a key at all")
