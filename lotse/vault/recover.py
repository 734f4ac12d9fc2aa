"""Recovering a vault whose passphrase is forgotten, with the organisation's recovery key.

When the machine policy names ``recovery_public_key``, every vault keeps a recovery slot:
its data key wrapped to that public key (:mod:`lotse.crypto.recovery`), added at ``init``
and at the next unlock when missing or made for another key. IT, holding the private key
offline, opens the vault with it and sets a new passphrase (:func:`recover_vault`); the
audit log records it with the key's fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lotse.crypto import kdf, keywrap
from lotse.crypto import recovery as rcrypto
from lotse.crypto.kdf import KdfParams
from lotse.errors import BadInputError, LotseError, WrongPassphraseError
from lotse.i18n import _
from lotse.vault import audit, backup
from lotse.vault import header as hdr
from lotse.vault.backup import RestoreResult
from lotse.vault.passphrase import DEFAULT_MIN_LENGTH, check_passphrase
from lotse.vault.vault import Vault, read_vault_header, unlock


class WrongRecoveryKeyError(WrongPassphraseError):
    """The private key is not the one this vault's recovery slot was made for (exit 3)."""


def load_private_key(data: bytes, password: str | None = None) -> rcrypto.PrivateKey:
    """The recovery private key from a key file's bytes, with clear errors."""
    try:
        return rcrypto.load_private_key(data, password.encode("utf-8") if password else None)
    except rcrypto.PrivateKeyPasswordError:
        if password is None:
            raise PrivateKeyLockedError(
                _(
                    "Die Schlüsseldatei ist mit einem Kennwort geschützt. Geben Sie es ein "
                    "(oder setzen Sie LOTSE_RECOVERY_KEY_PASSWORD)."
                )
            ) from None
        raise WrongPassphraseError(_("Das Kennwort der Schlüsseldatei ist falsch.")) from None
    except rcrypto.RecoveryKeyError:
        raise BadInputError(
            _(
                "Die Datei enthält keinen privaten Wiederherstellungsschlüssel, den Lotse "
                "verwenden kann (RSA ab 3072 Bit, X25519 oder EC P-256/384/521; PEM oder DER)."
            )
        ) from None


class PrivateKeyLockedError(BadInputError):
    """The key file needs a password that was not given."""


def recovery_fingerprint(folder: Path) -> str | None:
    """The fingerprint of the key the vault's recovery slot is made for, or ``None``."""
    slot = read_vault_header(folder).recovery_slot()
    return None if slot is None else slot.fingerprint


def _recovery_keys(
    private_key: rcrypto.PrivateKey, no_slot: Callable[[], LotseError]
) -> Callable[[hdr.Header], tuple[bytes, Callable[[], bytes | None]]]:
    fingerprint = rcrypto.fingerprint(private_key.public_key())

    def keys(header: hdr.Header) -> tuple[bytes, Callable[[], bytes | None]]:
        slot = header.recovery_slot()
        if slot is None:
            raise no_slot()
        if slot.fingerprint != fingerprint:
            raise WrongRecoveryKeyError(
                _(
                    "Dieser private Schlüssel gehört nicht zum Wiederherstellungszugang des "
                    "Tresors (erwartet wird der Schlüssel mit dem Fingerabdruck {expected}, "
                    "dieser hat {given})."
                ).format(expected=slot.fingerprint, given=fingerprint)
            )
        try:
            current = header.unwrap_with_recovery_key(private_key, pending=False)
        except keywrap.UnwrapError:
            raise WrongRecoveryKeyError(
                _("Der private Schlüssel öffnet den Wiederherstellungszugang nicht.")
            ) from None

        def pending() -> bytes | None:
            try:
                return header.unwrap_with_recovery_key(private_key, pending=True)
            except keywrap.UnwrapError:
                return None

        return current, pending

    return keys


def recover_vault(
    folder: Path,
    private_key: rcrypto.PrivateKey,
    new_passphrase: str,
    min_length: int = DEFAULT_MIN_LENGTH,
    params: KdfParams | None = None,
) -> str:
    """Open the vault with the recovery key and set ``new_passphrase``; the key's fingerprint.

    The vault's data key stays (IT may follow with ``lotse passphrase --rotate-key``).
    """
    check_passphrase(new_passphrase, min_length)
    fingerprint = rcrypto.fingerprint(private_key.public_key())
    action = ("vault_recovered", {"fingerprint": fingerprint})

    def no_slot() -> LotseError:
        return BadInputError(
            _(
                "Der Tresor in {folder} hat keinen Wiederherstellungszugang: als er "
                "zuletzt geöffnet wurde, nannte die Richtlinie keinen "
                "recovery_public_key. Ohne Passphrase lässt er sich nicht öffnen."
            ).format(folder=folder)
        )

    vault = unlock(Path(folder), _recovery_keys(private_key, no_slot), action=action)
    try:
        vault.set_passphrase(new_passphrase, params or _slot_params(vault.header))
    finally:
        vault.close()
    return fingerprint


def restore_with_recovery_key(
    source: Path,
    folder: Path,
    private_key: rcrypto.PrivateKey,
    new_passphrase: str,
    min_length: int = DEFAULT_MIN_LENGTH,
    params: KdfParams | None = None,
) -> RestoreResult:
    """Restore a backup whose passphrase is forgotten, then set ``new_passphrase``.

    The backup must carry a recovery slot for ``private_key`` (made while the policy named
    its public key). The new passphrase is checked first, so a weak one leaves the folder
    untouched; the restore and the recovery are both in the audit log.
    """
    check_passphrase(new_passphrase, min_length)
    fingerprint = rcrypto.fingerprint(private_key.public_key())

    def no_slot() -> LotseError:
        return BadInputError(
            _(
                "Die Sicherung {file} hat keinen Wiederherstellungszugang: als sie "
                "geschrieben wurde, nannte die Richtlinie keinen recovery_public_key. Sie "
                "öffnet sich nur mit ihrer Passphrase."
            ).format(file=source)
        )

    keys = _recovery_keys(private_key, no_slot)

    def recovered(vault: Vault) -> None:
        # In the restore's own opening: a vault restored but still behind the forgotten
        # passphrase would help nobody, so a failure here undoes the restore.
        with vault.transaction() as session:
            audit.append(session, "vault_recovered", fingerprint=fingerprint)
        vault.set_passphrase(new_passphrase, params or _slot_params(vault.header))

    return backup.restore_backup(
        Path(source), Path(folder), lambda header: keys(header)[0], then=recovered
    )


def _slot_params(header: hdr.Header) -> KdfParams:
    slot = header.slot(hdr.PASSPHRASE_SLOT)
    return slot.kdf if isinstance(slot, hdr.KeySlot) else kdf.DEFAULT_PARAMS
