"""Errors the user can act on, each with the exit status cli.md gives it.

Every message is already translated when the error is raised; the CLI prints it as it
is and the window shows it in a dialog. Anything that is not a ``LotseError`` is an
unexpected failure (exit 1).
"""

from __future__ import annotations

import errno

from lotse.i18n import _

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_WRONG_PASSPHRASE = 3
EXIT_DAMAGED = 4


class LotseError(Exception):
    """An error with a message for the user and an exit status."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class BadInputError(LotseError):
    """Bad arguments or bad input; nothing was stored."""

    exit_code = EXIT_BAD_INPUT


class WrongPassphraseError(LotseError):
    exit_code = EXIT_WRONG_PASSPHRASE


class VaultDamagedError(LotseError):
    """The vault's database or header is damaged or has been tampered with."""

    exit_code = EXIT_DAMAGED


class NotAVaultError(BadInputError):
    pass


class VaultExistsError(BadInputError):
    pass


class VaultTooNewError(BadInputError):
    """The vault was written by a newer Lotse than this one."""


class VaultInUseError(LotseError):
    """Another process has the vault open."""

    exit_code = EXIT_FAILURE


class PassphraseRuleError(BadInputError):
    pass


# --- the disk ---------------------------------------------------------------------------------
# What the operating system or SQLite reports about the disk, as the user can act on it. The
# use cases raise these (lotse.usecases.errors maps OSError and SQLite's disk errors), the
# command line exits 1 with the message, the window shows it in a dialog.


def _where(filename: object) -> str:
    return f" ({filename})" if filename else ""


def disk_full(filename: object = None) -> LotseError:
    """No space left (ENOSPC, a quota, SQLite's "database or disk is full")."""
    return LotseError(
        _(
            "Kein Platz mehr auf dem Datenträger{where}: Lotse konnte nicht speichern. Die "
            "Änderung ist nicht gespeichert; alles vorher Gespeicherte bleibt erhalten. "
            "Schaffen Sie Platz (etwa im Papierkorb oder im Download-Ordner) und versuchen "
            "Sie es dann erneut."
        ).format(where=_where(filename))
    )


def disk_failed(filename: object = None) -> LotseError:
    """The disk reported a read or write error (EIO, SQLite's "disk I/O error")."""
    return LotseError(
        _(
            "Der Datenträger meldet einen Lese- oder Schreibfehler{where}: die Änderung ist "
            "womöglich nicht gespeichert. Vielleicht wurde er entfernt oder ist beschädigt. "
            "Versuchen Sie es erneut; schlägt es wieder fehl, schreiben Sie eine Sicherung "
            "auf einen anderen Datenträger und wenden Sie sich an Ihre IT."
        ).format(where=_where(filename))
    )


def disk_unreadable(filename: object = None) -> LotseError:
    """A read failed although the file reaches there (EIO on read): not damage, the disk."""
    return LotseError(
        _(
            "Der Datenträger meldet einen Lesefehler{where}: Lotse konnte die Datei nicht "
            "lesen. Vielleicht wurde er entfernt oder ist beschädigt. Versuchen Sie es "
            "erneut; schlägt es wieder fehl, wenden Sie sich an Ihre IT."
        ).format(where=_where(filename))
    )


def disk_read_only(filename: object = None) -> LotseError:
    return LotseError(
        _(
            "Der Datenträger ist schreibgeschützt{where}: Lotse kann dort nichts speichern. "
            "Die Änderung ist nicht gespeichert."
        ).format(where=_where(filename))
    )


def disk_os_error(
    error: OSError, filename: object = None, reading: bool = False
) -> LotseError | None:
    """The disk's message when ``error`` is the disk's doing (full, failing, read-only).

    It names ``filename`` if given (the user's name for a temporary file), else the error's;
    ``reading``: nothing was being changed, so a failing disk gets the read wording.
    """
    code = error.errno or 0
    name = filename or error.filename
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return disk_full(name)
    if code == errno.EIO:
        return disk_unreadable(name) if reading else disk_failed(name)
    if code == errno.EROFS:
        return disk_read_only(name)
    return None


def from_os_error(error: OSError) -> LotseError:
    """The error the user sees when reading or writing a file failed."""
    disk = disk_os_error(error)
    if disk is not None:
        return disk
    code = error.errno or 0
    if code in (errno.EACCES, errno.EPERM):
        return LotseError(
            _("Lotse darf {file} nicht lesen oder schreiben (keine Berechtigung).").format(
                file=error.filename or ""
            )
        )
    return LotseError(
        _("Lotse konnte {file} nicht lesen oder schreiben: {reason}").format(
            file=error.filename or _("eine Datei"), reason=error.strerror or error
        )
    )
