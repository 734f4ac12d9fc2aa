"""Keeping a vault safe: backup and its reminder, restore, passphrase change, key rotation.

The window's "Datei → Sicherung …", "Datei → Passphrase ändern …", the reminder in
"Heute", the wizard's strength meter and the restore offered where a vault is closed all
come through here; the work itself is :mod:`lotse.vault.backup`, :mod:`lotse.vault.vault`
and :mod:`lotse.vault.passphrase`.

Two kinds of use case:

- of an open vault (:class:`VaultAdminAPI`, ``api.vault_admin``): run on the vault
  thread like every other. :meth:`VaultAdminAPI.rotate_key` re-encrypts the database and
  must have the vault to itself: the window runs it as a vault-thread job (they run one
  after the other) and starts nothing else until it is back.
- without an open vault (module functions): :func:`restore` (the vault's folder must not
  be open; it takes the folder's lock itself), the strength estimate and the generator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lotse import settings
from lotse.usecases.access import VaultAccess
from lotse.usecases.settings import min_passphrase_length
from lotse.vault import backup as backups
from lotse.vault import passphrase as rules
from lotse.vault.backup import BackupInfo, RestoreResult
from lotse.vault.passphrase import Strength

__all__ = [
    "BackupInfo",
    "BackupStatus",
    "RestoreResult",
    "Strength",
    "VaultAdminAPI",
    "check_new_passphrase",
    "restore",
    "strength",
    "suggest_passphrase",
    "suggestion_bits",
    "verify_backup",
]


@dataclass(frozen=True)
class BackupStatus:
    """When the vault was last backed up, and whether "Heute" should remind of it."""

    #: the last verified backup (UTC), ``None`` if there never was one
    last: dt.datetime | None
    #: the reminder's interval in force (policy, vault, else built-in 7)
    reminder_days: int
    due: bool

    def days_since(self, now: dt.datetime | None = None) -> int | None:
        if self.last is None:
            return None
        now = now or dt.datetime.now(dt.UTC)
        return max(0, (now - self.last).days)


class VaultAdminAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def backup(self, target: Path) -> BackupInfo:
        """Write an encrypted backup to ``target`` and check it opens (see backup_vault)."""
        with self._access.guarded():
            return backups.backup_vault(self._access.vault, Path(target))

    def backup_status(self, now: dt.datetime | None = None) -> BackupStatus:
        """The last backup and whether it is older than ``backup_reminder_days``."""
        with self._access.read() as session:
            days = int(settings.get(session, "backup_reminder_days"))
        with self._access.guarded():
            last = backups.last_backup(self._access.vault)
        return BackupStatus(last, days, backups.backup_is_due(last, days, now))

    def change_passphrase(self, old: str, new: str) -> None:
        """Wrap the data key under ``new`` (the policy's minimum length applies).

        Copies of the header from before, and backups, still open with ``old`` until the
        data key is rotated (:meth:`rotate_key`).
        """
        with self._access.guarded():
            self._access.vault.change_passphrase(old, new, min_length=min_passphrase_length())

    def rotate_key(self, passphrase: str) -> None:
        """Re-encrypt the database under a new data key, wrapped under ``passphrase``.

        Old header copies and older backups no longer open this database afterwards.
        Nothing else may use the vault while it runs (see the module docstring).
        """
        with self._access.guarded():
            self._access.vault.rotate_key(passphrase, min_length=min_passphrase_length())


# --- without an open vault --------------------------------------------------------------


def restore(source: Path, folder: Path, passphrase: str) -> RestoreResult:
    """Restore the backup ``source`` into ``folder`` (empty, new, or this vault's own).

    The vault in ``folder`` must be closed; its files are moved into ``replaced-<time>/``
    there, never deleted. Run it where the window opens vaults (the vault thread): it
    takes and releases the folder's lock.
    """
    return backups.restore_backup(Path(source), Path(folder), passphrase)


def verify_backup(path: Path, passphrase: str) -> BackupInfo:
    """Open the backup ``path`` as a restore would, without writing anything."""
    return backups.verify_backup(Path(path), passphrase)


def strength(text: str) -> Strength:
    """The zxcvbn estimate of ``text`` (fast enough for every key press)."""
    return rules.estimate_strength(text)


def check_new_passphrase(text: str, min_length: int | None = None) -> None:
    """:class:`~lotse.errors.PassphraseRuleError` naming the first rule ``text`` breaks.

    ``min_length`` defaults to the policy's minimum (never below the built-in 12).
    """
    rules.check_passphrase(text, min_passphrase_length() if min_length is None else min_length)


def suggest_passphrase() -> str:
    """A new passphrase of random German words (five, separated by "-")."""
    return rules.generate_passphrase()


def suggestion_bits() -> int:
    """The entropy of a suggested passphrase in whole bits."""
    return int(rules.generated_bits())
