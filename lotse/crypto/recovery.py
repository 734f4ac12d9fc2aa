"""Wrapping the data key to the organisation's recovery public key (and unwrapping it).

IT keeps the private key offline; the machine policy names the public key
(``recovery_public_key``). Three schemes, by the kind of key the policy names:

- RSA (3072 bits or more): RSA-OAEP with SHA-256 (MGF1-SHA-256), the context as OAEP label;
- X25519: an ephemeral X25519 key agreement, HKDF-SHA-256, AES-256-GCM;
- EC P-256/384/521: the same with an ephemeral ECDH key on the recipient's curve.

``context`` (the caller's associated data) binds a wrapped key to its vault, slot and the
recipient key's fingerprint: a wrap moved to another vault or relabelled does not open.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Union

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lotse.crypto.keywrap import NONCE_LENGTH, UnwrapError

SCHEME_RSA = "recovery-rsa-oaep-sha256"
SCHEME_X25519 = "recovery-x25519-hkdf-sha256-aes256gcm"
SCHEME_ECDH = "recovery-ecdh-hkdf-sha256-aes256gcm"
SCHEMES = (SCHEME_RSA, SCHEME_X25519, SCHEME_ECDH)

MIN_RSA_BITS = 3072
_CURVES = ("secp256r1", "secp384r1", "secp521r1")
_HKDF_INFO = b"lotse recovery key wrap v1"

PublicKey = Union[rsa.RSAPublicKey, x25519.X25519PublicKey, ec.EllipticCurvePublicKey]  # noqa: UP007
PrivateKey = Union[rsa.RSAPrivateKey, x25519.X25519PrivateKey, ec.EllipticCurvePrivateKey]  # noqa: UP007


class RecoveryKeyError(Exception):
    """A key that is not a usable recovery key (wrong kind, too small, not PEM)."""


class PrivateKeyPasswordError(RecoveryKeyError):
    """The private key file is encrypted and the password is missing or wrong."""


@dataclass(frozen=True)
class Wrapped:
    """A data key wrapped to a public key; ``ephemeral`` and ``nonce`` are empty for RSA."""

    scheme: str
    ephemeral: bytes
    nonce: bytes
    ciphertext: bytes


def load_public_key(pem: str) -> PublicKey:
    """The public key in ``pem``; :class:`RecoveryKeyError` if Lotse cannot wrap to it."""
    try:
        key = serialization.load_pem_public_key(pem.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise RecoveryKeyError("not a PEM public key") from exc
    _check_usable(key)
    return key  # type: ignore[return-value]


def _check_usable(key: object) -> None:
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise RecoveryKeyError(f"RSA key of {key.key_size} bits")
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in _CURVES:
            raise RecoveryKeyError(f"curve {key.curve.name}")
    elif not isinstance(key, x25519.X25519PublicKey):
        raise RecoveryKeyError(f"unsupported key type {type(key).__name__}")


def load_private_key(data: bytes, password: bytes | None = None) -> PrivateKey:
    """The private key in ``data`` (PEM, or DER), decrypted with ``password`` if it has one."""
    loaders = (serialization.load_pem_private_key, serialization.load_der_private_key)
    for loader in loaders:
        try:
            key = loader(data, password=password)
        except TypeError as exc:  # encrypted without a password, or a password for a plain key
            if password is None:
                raise PrivateKeyPasswordError("the key file is encrypted") from exc
            raise RecoveryKeyError("the key file is not encrypted") from exc
        except ValueError as exc:
            if b"ENCRYPTED" in data[:200] and password is not None:
                raise PrivateKeyPasswordError("wrong password for the key file") from exc
            continue
        except Exception as exc:  # e.g. UnsupportedAlgorithm
            raise RecoveryKeyError(str(exc)) from exc
        if not isinstance(
            key, rsa.RSAPrivateKey | x25519.X25519PrivateKey | ec.EllipticCurvePrivateKey
        ):
            raise RecoveryKeyError(f"unsupported key type {type(key).__name__}")
        _check_usable(key.public_key())
        return key
    raise RecoveryKeyError("not a private key (PEM or DER)")


def public_pem(key: PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def fingerprint(key: PublicKey) -> str:
    """SHA-256 of the key's DER SubjectPublicKeyInfo, hex (``openssl pkey -pubin -outform
    DER | sha256sum`` gives the same)."""
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def scheme_for(key: PublicKey) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return SCHEME_RSA
    if isinstance(key, x25519.X25519PublicKey):
        return SCHEME_X25519
    return SCHEME_ECDH


def _oaep(context: bytes) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=context)


def _raw(key: x25519.X25519PublicKey | ec.EllipticCurvePublicKey) -> bytes:
    if isinstance(key, x25519.X25519PublicKey):
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes, context: bytes) -> bytes:
    # Both public keys in the salt: the derived key belongs to this one exchange.
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=hashlib.sha256(ephemeral + recipient).digest(),
        info=_HKDF_INFO + b"\x00" + context,
    ).derive(shared)


def wrap(key: PublicKey, secret: bytes, context: bytes) -> Wrapped:
    """``secret`` (the data key) wrapped to ``key``, bound to ``context``."""
    scheme = scheme_for(key)
    if isinstance(key, rsa.RSAPublicKey):
        return Wrapped(scheme, b"", b"", key.encrypt(secret, _oaep(context)))
    if isinstance(key, x25519.X25519PublicKey):
        eph_x = x25519.X25519PrivateKey.generate()
        shared = eph_x.exchange(key)
        eph_public: x25519.X25519PublicKey | ec.EllipticCurvePublicKey = eph_x.public_key()
    else:
        eph_ec = ec.generate_private_key(key.curve)
        shared = eph_ec.exchange(ec.ECDH(), key)
        eph_public = eph_ec.public_key()
    ephemeral = _raw(eph_public)
    kek = _kek(shared, ephemeral, _raw(key), context)
    nonce = os.urandom(NONCE_LENGTH)
    return Wrapped(scheme, ephemeral, nonce, AESGCM(kek).encrypt(nonce, secret, context))


def unwrap(key: PrivateKey, wrapped: Wrapped, context: bytes) -> bytes:
    """The secret; :class:`UnwrapError` if ``key`` is not the recipient or anything changed."""
    public = key.public_key()
    if wrapped.scheme != scheme_for(public):
        raise UnwrapError
    try:
        if isinstance(key, rsa.RSAPrivateKey):
            return key.decrypt(wrapped.ciphertext, _oaep(context))
        if isinstance(key, x25519.X25519PrivateKey):
            shared = key.exchange(x25519.X25519PublicKey.from_public_bytes(wrapped.ephemeral))
        else:
            peer = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, wrapped.ephemeral)
            shared = key.exchange(ec.ECDH(), peer)
        kek = _kek(shared, wrapped.ephemeral, _raw(public), context)  # type: ignore[arg-type]
        return AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, context)
    except (InvalidTag, ValueError) as exc:
        raise UnwrapError from exc
