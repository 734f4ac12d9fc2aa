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
    from_os_error,
)
from lotse.i18n import _
from lotse.vault.vault import damaged, disk_error, is_damage_error


def as_lotse_error(error: BaseException, folder: Path | None = None) -> LotseError | None:
    """The user-facing error for a database or disk failure, or None if ``error`` is not one."""
    if isinstance(error, LotseError):
        return error
    if isinstance(error, OSError):
        return from_os_error(error)
    if not isinstance(error, DBAPIError | sqlcipher3.Error):
        return None
    disk = disk_error(error)
    if disk is not None:
        return disk
    driver = error.orig if isinstance(error, DBAPIError) else error
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
