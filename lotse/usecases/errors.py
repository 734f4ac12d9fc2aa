"""Turning what the storage layer raises into errors the user can act on.

The window and the command line see only :class:`~lotse.errors.LotseError`: a damaged or
tampered database becomes :class:`~lotse.errors.VaultDamagedError` (exit 4), a full or
failing disk (an ``OSError``, or SQLite's own report of it) the message of
:func:`lotse.errors.from_os_error`, any other database failure a plain
:class:`~lotse.errors.LotseError` (exit 1) naming the driver's message. Nothing here
catches programming errors; those stay unexpected.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
from sqlalchemy.exc import DBAPIError

from lotse.errors import (
    LotseError,
    VaultDamagedError,
    disk_failed,
    disk_full,
    disk_read_only,
    from_os_error,
)
from lotse.i18n import _
from lotse.vault.vault import damaged, is_damage_error


def as_lotse_error(error: BaseException, folder: Path | None = None) -> LotseError | None:
    """The user-facing error for a database or disk failure, or None if ``error`` is not one."""
    if isinstance(error, LotseError):
        return error
    if isinstance(error, OSError):
        return from_os_error(error)
    if not isinstance(error, DBAPIError | sqlcipher3.Error):
        return None
    # SQLite's result code says what the disk did (sqlite3's sqlite_errorname), else its
    # fixed text for the code: the online backup's errors (the backup's copy, made below
    # SQLAlchemy) come without the code.
    driver = error.orig if isinstance(error, DBAPIError) else error
    code = str(getattr(driver, "sqlite_errorname", "") or "")
    text = str(driver)
    # Not naming the vault's folder: the file may be another (a backup's copy, say).
    if code == "SQLITE_FULL" or text == "database or disk is full":
        return disk_full()
    if code.startswith("SQLITE_IOERR") or text.startswith("disk I/O error"):
        return disk_failed()
    if code.startswith("SQLITE_READONLY") or text.startswith("attempt to write a readonly"):
        return disk_read_only()
    if is_damage_error(error):
        if folder is not None:
            return damaged(folder)
        return VaultDamagedError(
            _(
                "Der Tresor ist beschädigt oder wurde verändert. Lotse zeigt keine Daten "
                "aus einer beschädigten Datei. Stellen Sie eine Sicherung wieder her."
            )
        )
    return LotseError(_("Unerwarteter Fehler in der Datenbank: {error}").format(error=driver))


@contextlib.contextmanager
def mapped_errors(folder: Path | None = None) -> Iterator[None]:
    """Re-raise database and disk failures inside the block as :class:`LotseError`."""
    try:
        yield
    except (DBAPIError, sqlcipher3.Error, OSError) as error:
        mapped = as_lotse_error(error, folder)
        assert mapped is not None
        raise mapped from error
