"""The one door to an open vault's database that every use case goes through.

:meth:`VaultAccess.read` and :meth:`VaultAccess.write` hand out a session for exactly one
use case: ``write`` commits when the block ends and rolls everything back when it raises,
so a failed use case leaves nothing half-stored. Both map database failures to
:class:`~lotse.errors.LotseError` (:mod:`lotse.usecases.errors`) and refuse to work once
the vault is closed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from lotse.errors import LotseError
from lotse.i18n import _
from lotse.usecases.errors import mapped_errors
from lotse.vault import Vault


class VaultAccess:
    """Sessions of one open vault, each for one use case."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.closed = False

    @property
    def folder(self) -> Path:
        return self.vault.folder

    def _check_open(self) -> None:
        if self.closed:
            raise LotseError(_("Ihr Tresor ist gesperrt."))

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        self._check_open()
        with mapped_errors(self.folder), self.vault.session() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed at the end of the block, or not at all."""
        self._check_open()
        with mapped_errors(self.folder), self.vault.transaction() as session:
            yield session

    @contextlib.contextmanager
    def guarded(self) -> Iterator[None]:
        """For work that opens its own transaction (the bulk import): errors mapped."""
        self._check_open()
        with mapped_errors(self.folder):
            yield
