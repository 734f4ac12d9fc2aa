"""Recovery with the organisation's key, on real vault files: RSA and X25519 key pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, x25519
from sqlalchemy import select

from lotse.crypto import recovery as rcrypto
from lotse.crypto.keywrap import UnwrapError
from lotse.db.models import AuditEntry, Family
from lotse.errors import BadInputError, PassphraseRuleError, WrongPassphraseError
from lotse.vault import create_vault, open_vault
from lotse.vault import header as hdr
from lotse.vault.recover import (
    WrongRecoveryKeyError,
    load_private_key,
    recover_vault,
    recovery_fingerprint,
)
from tests.conftest import PASSPHRASE

NEW = "Eine ganz neue Passphrase"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def _public_pem(private) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _private_pem(private, password: bytes | None = None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _vault_with_recovery(folder: Path, private) -> None:
    v = create_vault(folder, PASSPHRASE, recovery_public_key=_public_pem(private))
    with v.transaction() as s:
        s.add(Family(code="F-2026-0001", adults=1, person_name="Wiebke Quarz"))
    v.close()


@pytest.mark.parametrize("kind", ["rsa", "x25519"])
def test_forgotten_passphrase_is_replaced_with_the_recovery_key(
    vault_dir: Path, rsa_key, kind: str
) -> None:
    private = rsa_key if kind == "rsa" else x25519.X25519PrivateKey.generate()
    _vault_with_recovery(vault_dir, private)
    slot = json.loads((vault_dir / hdr.HEADER_NAME).read_text())["key_slots"][1]
    assert slot["id"] == "recovery"
    assert slot["fingerprint"] == rcrypto.fingerprint(private.public_key())
    fingerprint = recover_vault(vault_dir, load_private_key(_private_pem(private)), NEW)
    assert fingerprint == slot["fingerprint"]
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_dir, PASSPHRASE)
    with open_vault(vault_dir, NEW) as v, v.session() as s:
        assert s.scalar(select(Family.person_name)) == "Wiebke Quarz"
        logged = s.scalars(select(AuditEntry).where(AuditEntry.action == "vault_recovered"))
        assert [e.details for e in logged] == [{"fingerprint": fingerprint}]


def test_another_private_key_is_refused(vault_dir: Path) -> None:
    _vault_with_recovery(vault_dir, x25519.X25519PrivateKey.generate())
    stranger = load_private_key(_private_pem(x25519.X25519PrivateKey.generate()))
    with pytest.raises(WrongRecoveryKeyError) as err:
        recover_vault(vault_dir, stranger, NEW)
    assert err.value.exit_code == 3
    assert "Fingerabdruck" in err.value.message
    open_vault(vault_dir, PASSPHRASE).close()  # nothing changed


def test_the_new_passphrase_must_meet_the_rules(vault_dir: Path) -> None:
    private = x25519.X25519PrivateKey.generate()
    _vault_with_recovery(vault_dir, private)
    with pytest.raises(PassphraseRuleError):
        recover_vault(vault_dir, load_private_key(_private_pem(private)), "Sommer2026!!")
    open_vault(vault_dir, PASSPHRASE).close()


def test_vault_without_recovery_slot(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    assert recovery_fingerprint(vault_dir) is None
    private = load_private_key(_private_pem(x25519.X25519PrivateKey.generate()))
    with pytest.raises(BadInputError, match="keinen Wiederherstellungszugang"):
        recover_vault(vault_dir, private, NEW)


def test_slot_is_added_and_replaced_at_the_next_unlock(vault_dir: Path, rsa_key) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    first = x25519.X25519PrivateKey.generate()
    open_vault(vault_dir, PASSPHRASE, recovery_public_key=_public_pem(first)).close()
    assert recovery_fingerprint(vault_dir) == rcrypto.fingerprint(first.public_key())
    # The organisation changes its key: the next unlock wraps to the new one.
    open_vault(vault_dir, PASSPHRASE, recovery_public_key=_public_pem(rsa_key)).close()
    assert recovery_fingerprint(vault_dir) == rcrypto.fingerprint(rsa_key.public_key())
    with pytest.raises(WrongRecoveryKeyError):
        recover_vault(vault_dir, load_private_key(_private_pem(first)), NEW)
    # A policy without a key leaves the slot alone.
    open_vault(vault_dir, PASSPHRASE, recovery_public_key="").close()
    assert recovery_fingerprint(vault_dir) == rcrypto.fingerprint(rsa_key.public_key())
    with open_vault(vault_dir, PASSPHRASE) as v, v.session() as s:
        added = s.scalars(select(AuditEntry).where(AuditEntry.action == "recovery_key_added"))
        assert len(added.all()) == 2


def test_recovery_still_works_after_a_key_rotation(vault_dir: Path) -> None:
    private = x25519.X25519PrivateKey.generate()
    _vault_with_recovery(vault_dir, private)
    with open_vault(vault_dir, PASSPHRASE) as v:
        v.rotate_key(PASSPHRASE)
    recover_vault(vault_dir, load_private_key(_private_pem(private)), NEW)
    open_vault(vault_dir, NEW).close()


def test_slot_moved_to_another_vault_does_not_open_it(tmp_path: Path) -> None:
    private = x25519.X25519PrivateKey.generate()
    _vault_with_recovery(tmp_path / "a", private)
    _vault_with_recovery(tmp_path / "b", private)
    a = json.loads((tmp_path / "a" / hdr.HEADER_NAME).read_text())
    b = hdr.read_header(tmp_path / "b")
    slot = hdr.RecoverySlot.from_json(a["key_slots"][1])
    with pytest.raises(UnwrapError):
        rcrypto.unwrap(private, slot.wrapped(), slot.associated_data(b.vault_id))


def test_password_protected_key_file(vault_dir: Path) -> None:
    private = x25519.X25519PrivateKey.generate()
    locked = _private_pem(private, b"geheimes Kennwort")
    with pytest.raises(BadInputError, match="Kennwort geschützt"):
        load_private_key(locked)
    with pytest.raises(WrongPassphraseError, match="Kennwort der Schlüsseldatei"):
        load_private_key(locked, "falsch")
    key = load_private_key(locked, "geheimes Kennwort")
    assert rcrypto.fingerprint(key.public_key()) == rcrypto.fingerprint(private.public_key())
    with pytest.raises(BadInputError, match="keinen privaten"):
        load_private_key(b"-----BEGIN PUBLIC KEY-----\n")
