"""Errors the user can act on, each with the exit status cli.md gives it.

Every message is already translated when the error is raised; the CLI prints it as it
is and the window shows it in a dialog. Anything that is not a ``LotseError`` is an
unexpected failure (exit 1).
"""

from __future__ import annotations

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
