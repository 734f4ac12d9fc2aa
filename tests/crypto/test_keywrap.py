"""Known answers for the data-key wrapping and the header MAC (:mod:`lotse.crypto.keywrap`).

AES-256-GCM against the test cases 13–16 of McGrew and Viega, "The Galois/Counter Mode
of Operation (GCM)" (the AES-256 cases, also in NIST's GCM test vectors); HKDF-SHA256
against RFC 5869, appendix A, test cases 1–3; HMAC-SHA256 against RFC 4231, test case 2.
Lotse's own wrappers are checked against these primitives and against pinned vectors:
an unwrap that stops accepting yesterday's ciphertext, or a header MAC key that changes,
would lock every navigator out of their vault.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lotse.crypto import keywrap

# --- AES-256-GCM: McGrew & Viega, test cases 13-16 (key, IV, plaintext, AAD, ciphertext, tag)

_K15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
_P15 = (
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
)
_C15 = (
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
)
GCM_CASES = {
    "13": ("00" * 32, "00" * 12, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
    "14": (
        "00" * 32,
        "00" * 12,
        "00" * 16,
        "",
        "cea7403d4d606b6e074ec5d3baf39d18",
        "d0d1c8a799996bf0265b98b5d48ab919",
    ),
    "15": (_K15, "cafebabefacedbaddecaf888", _P15, "", _C15, "b094dac5d93471bdec1a502270e3cc6c"),
    "16": (
        _K15,
        "cafebabefacedbaddecaf888",
        _P15[:120],
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        _C15[:120],
        "76fc6ece0f4e1768cddf8853bb2d551b",
    ),
}


@pytest.mark.parametrize("case", GCM_CASES)
def test_aes_256_gcm_meets_the_gcm_test_vectors(case: str) -> None:
    key, iv, plain, aad, cipher, tag = (bytes.fromhex(v) for v in GCM_CASES[case])
    gcm = AESGCM(key)
    assert gcm.encrypt(iv, plain, aad or None) == cipher + tag
    assert gcm.decrypt(iv, cipher + tag, aad or None) == plain


# Lotse's unwrap, pinned: the first 32 bytes of case 15's plaintext as a data key, wrapped
# under case 15's key and IV with associated data as a key slot gives it. The ciphertext
# is case 15's (GCM is a stream cipher: the same key and IV encrypt a prefix to a prefix);
# the tag was computed once with AESGCM on 2026-12-01.
PINNED_AD = b'{"slot":"passphrase"}'
PINNED_WRAPPED = bytes.fromhex(_C15[:64] + "e3320c09d7635cd627a5f008d1a3416f")


def test_unwrap_opens_the_pinned_wrapped_key() -> None:
    key = keywrap.unwrap(
        bytes.fromhex(_K15), bytes.fromhex("cafebabefacedbaddecaf888"), PINNED_WRAPPED, PINNED_AD
    )
    assert key == bytes.fromhex(_P15[:64])


@pytest.mark.parametrize(
    ("kek", "nonce", "wrapped", "ad"),
    [
        ("00" * 32, "cafebabefacedbaddecaf888", PINNED_WRAPPED.hex(), PINNED_AD),
        (_K15, "cafebabefacedbaddecaf889", PINNED_WRAPPED.hex(), PINNED_AD),
        (_K15, "cafebabefacedbaddecaf888", PINNED_WRAPPED.hex()[:-2] + "00", PINNED_AD),
        (_K15, "cafebabefacedbaddecaf888", PINNED_WRAPPED.hex(), b'{"slot":"recovery"}'),
        # A genuine GCM ciphertext of a key of the wrong length (case 14: 16 bytes).
        ("00" * 32, "00" * 12, GCM_CASES["14"][4] + GCM_CASES["14"][5], b""),
    ],
    ids=["wrong key", "wrong nonce", "changed tag", "other slot", "short key"],
)
def test_unwrap_refuses_anything_else(kek: str, nonce: str, wrapped: str, ad: bytes) -> None:
    with pytest.raises(keywrap.UnwrapError):
        keywrap.unwrap(bytes.fromhex(kek), bytes.fromhex(nonce), bytes.fromhex(wrapped), ad)


def test_wrap_is_aes_256_gcm_with_a_fresh_96_bit_nonce() -> None:
    kek, data_key = bytes.fromhex(_K15), bytes.fromhex(_P15[:64])
    nonce, wrapped = keywrap.wrap(kek, data_key, PINNED_AD)
    again, _ = keywrap.wrap(kek, data_key, PINNED_AD)
    assert len(nonce) == keywrap.NONCE_LENGTH == 12
    assert nonce != again
    assert wrapped == AESGCM(kek).encrypt(nonce, data_key, PINNED_AD)
    assert keywrap.unwrap(kek, nonce, wrapped, PINNED_AD) == data_key


# --- HKDF-SHA256: RFC 5869, appendix A, test cases 1-3 (IKM, salt, info, L, OKM) ---------

HKDF_CASES = {
    "1": (
        "0b" * 22,
        "000102030405060708090a0b0c",
        "f0f1f2f3f4f5f6f7f8f9",
        42,
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    ),
    "2": (
        bytes(range(0x00, 0x50)).hex(),
        bytes(range(0x60, 0xB0)).hex(),
        bytes(range(0xB0, 0x100)).hex(),
        82,
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
        "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
        "cc30c58179ec3e87c14c01d5c1f3434f1d87",
    ),
    # Empty salt and info: the salt of HashLen zeros Lotse gets with salt=None.
    "3": (
        "0b" * 22,
        "",
        "",
        42,
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    ),
}


def _hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    """RFC 5869 written out with the standard library: an independent reference."""
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    okm, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
    return okm[:length]


@pytest.mark.parametrize("case", HKDF_CASES)
def test_hkdf_sha256_meets_rfc_5869(case: str) -> None:
    ikm, salt, info, length, okm = HKDF_CASES[case]
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=length,
        salt=bytes.fromhex(salt) or None,
        info=bytes.fromhex(info),
    )
    assert hkdf.derive(bytes.fromhex(ikm)).hex() == okm
    assert _hkdf_sha256(bytes.fromhex(ikm), bytes.fromhex(salt), bytes.fromhex(info), length) == (
        bytes.fromhex(okm)
    )


# Pinned (derived once on 2026-12-01, equal to the reference above).
PINNED_DATA_KEY = bytes(range(32))
PINNED_HEADER_MAC_KEY = "5227c86fa3ededfc0afa956fa5a474a8fe37e2e83b28b996259fac7e36ada85d"


def test_header_mac_key_is_hkdf_sha256_of_the_data_key() -> None:
    key = keywrap.header_mac_key(PINNED_DATA_KEY)
    assert key.hex() == PINNED_HEADER_MAC_KEY
    assert key == _hkdf_sha256(PINNED_DATA_KEY, b"", b"lotse vault header mac v1", 32)
    assert key != PINNED_DATA_KEY


# --- HMAC-SHA256: RFC 4231, test case 2 ----------------------------------------------------

RFC4231_KEY = b"Jefe"
RFC4231_DATA = b"what do ya want for nothing?"
RFC4231_MAC = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


def test_header_mac_is_hmac_sha256() -> None:
    assert keywrap.mac(RFC4231_KEY, RFC4231_DATA).hex() == RFC4231_MAC
    assert keywrap.mac_matches(RFC4231_KEY, RFC4231_DATA, bytes.fromhex(RFC4231_MAC))
    assert not keywrap.mac_matches(RFC4231_KEY, RFC4231_DATA + b"!", bytes.fromhex(RFC4231_MAC))
