"""Vault state: noticing a database or header that was put back from an older copy.

SQLCipher authenticates each page, not the file as a whole, so an older ``lotse.db`` (or a
write-ahead log cut back by a commit) decrypts as well as the current one. Lotse keeps two
numbers in the database (table ``vault_state``) *and* in the HMAC-covered header:

``generation``
    raised by every restore; files of two different restores never pass as one vault.
``writes``
    the committed write transactions. The database's counter is bumped inside each write
    transaction (:class:`CountingConnection`), so it cannot lag behind its data. The
    header's copy is rewritten after a commit when :data:`HEADER_INTERVAL` seconds have
    passed since its last write, or :data:`HEADER_LAG_LIMIT` commits, at unlock and at
    close (with ``clean`` set).

At unlock (:func:`check`):

- the database behind the header (lower generation, or same generation and fewer writes):
  the database, or its write-ahead log, is older than the header: refused;
- the header behind the database: after a clean close that cannot happen (the header was
  written last), so it is an older header: refused; after a crash (``clean`` false) the
  header may miss the commits since its last write, at most :data:`HEADER_LAG_LIMIT`:
  accepted, anything beyond is refused.

What this cannot notice, by design: a header and a database put back *together* (that is
what a restore is), and a rollback by no more than the commits the header had not yet seen
when the machine crashed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from lotse.errors import VaultDamagedError
from lotse.i18n import _
from lotse.vault.header import HEADER_NAME, VaultState

#: The header is rewritten after a commit once this many seconds passed since its last write.
HEADER_INTERVAL = 2.0
#: … or once it is this many commits behind. Also how far behind the database an uncleanly
#: closed header may be at the next unlock.
HEADER_LAG_LIMIT = 32

STATE_TABLE = "vault_state"
_BUMP = f"UPDATE {STATE_TABLE} SET writes = writes + 1 WHERE id = 1"
_READ = f"SELECT generation, writes FROM {STATE_TABLE} WHERE id = 1"


class VaultRollbackError(VaultDamagedError):
    """Header and database disagree: one of them was put back from an older copy."""


_HEAD = "SELECT mac FROM audit_log ORDER BY id DESC LIMIT 1"


@dataclass(frozen=True)
class DbState:
    generation: int
    writes: int
    #: The latest link of the audit log (:mod:`lotse.vault.audit`); the header keeps a copy.
    audit_head: str | None = None


def read_db_state(dbapi_conn: Any) -> DbState | None:
    """The database's counters, or ``None`` if it has no state table (an older schema)."""
    try:
        row = dbapi_conn.execute(_READ).fetchone()
    except (sqlcipher3.OperationalError, sqlite3.OperationalError):
        return None
    if row is None:
        return None
    try:
        head = dbapi_conn.execute(_HEAD).fetchone()
    except (sqlcipher3.OperationalError, sqlite3.OperationalError):
        head = None  # a schema before the audit chain
    return DbState(int(row[0]), int(row[1]), head[0] if head else None)


class CountingConnection(sqlcipher3.Connection):
    """An SQLCipher connection that counts its write transactions in ``vault_state``.

    The counter is bumped in the same transaction as the writes (just before COMMIT), so
    it is exactly as durable as they are; ``after_write`` runs after the commit (the vault
    uses it to bring the header up to date). ``before_commit`` runs inside the transaction,
    just before COMMIT: if it raises, nothing of the transaction is committed (the vault
    refuses writes while its header cannot follow them). SQLAlchemy commits through
    :meth:`commit`.
    """

    after_write: Callable[[CountingConnection], None] | None = None
    before_commit: Callable[[CountingConnection], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._changes_seen = self.total_changes

    def commit(self) -> None:
        wrote = self.in_transaction and self.total_changes != self._changes_seen
        if wrote:
            try:
                self.execute(_BUMP)
            except sqlcipher3.OperationalError as exc:
                # Only a schema without the table (before migration 0003, or a test going
                # down the migrations) has nothing to count in.
                if STATE_TABLE not in str(exc):
                    raise
                wrote = False
        if wrote and self.before_commit is not None:
            self.before_commit(self)
        super().commit()
        self._changes_seen = self.total_changes
        if wrote and self.after_write is not None:
            self.after_write(self)

    def rollback(self) -> None:
        super().rollback()
        self._changes_seen = self.total_changes


def check(folder: Path, header_state: VaultState | None, db: DbState | None) -> None:
    """Refuse a database and header that do not belong together (see the module doc)."""
    if header_state is None:
        return  # a format 1 header: nothing to compare yet (its first write adds the state)
    if db is None:
        raise _database_older(folder, header_state, None)
    if db.generation < header_state.generation:
        raise _database_older(folder, header_state, db)
    if db.generation > header_state.generation:
        raise _header_older(folder, header_state, db)
    if db.writes < header_state.writes:
        raise _database_older(folder, header_state, db)
    behind = db.writes - header_state.writes
    if behind and (header_state.clean or behind > HEADER_LAG_LIMIT):
        raise _header_older(folder, header_state, db)


def _what_to_do() -> str:
    return _(
        "Lotse öffnet den Tresor so nicht, damit nichts unbemerkt verloren geht. Stellen Sie "
        "die letzte Sicherung wieder her: lotse restore DATEI (die jetzigen Dateien legt "
        "Lotse dabei beiseite, es wird nichts gelöscht)."
    )


def _database_older(folder: Path, header: VaultState, db: DbState | None) -> VaultRollbackError:
    if db is None:
        found = _(
            "Die Datenbank (lotse.db) in {folder} ist älter als der Tresor-Kopf ({header}): "
            "sie stammt aus einer früheren Lotse-Version."
        ).format(folder=folder, header=HEADER_NAME)
    else:
        found = _(
            "Die Datenbank (lotse.db) in {folder} ist älter als der Tresor-Kopf ({header}): "
            "der Kopf kennt {h_writes} Schreibvorgänge (Generation {h_gen}), die Datenbank "
            "nur {d_writes} (Generation {d_gen}). Wahrscheinlich wurde eine ältere Kopie von "
            "lotse.db zurückgelegt oder das Schreibprotokoll (lotse.db-wal) nach einem Absturz "
            "gekürzt; die neueren Änderungen fehlen."
        ).format(
            folder=folder,
            header=HEADER_NAME,
            h_writes=header.writes,
            h_gen=header.generation,
            d_writes=db.writes,
            d_gen=db.generation,
        )
    return VaultRollbackError(found + " " + _what_to_do())


def _header_older(folder: Path, header: VaultState, db: DbState) -> VaultRollbackError:
    found = _(
        "Der Tresor-Kopf ({header}) in {folder} ist älter als die Datenbank: er kennt "
        "{h_writes} Schreibvorgänge (Generation {h_gen}), die Datenbank {d_writes} "
        "(Generation {d_gen}). Wahrscheinlich wurde eine ältere Kopie von {header} zurückgelegt."
    ).format(
        folder=folder,
        header=HEADER_NAME,
        h_writes=header.writes,
        h_gen=header.generation,
        d_writes=db.writes,
        d_gen=db.generation,
    )
    return VaultRollbackError(found + " " + _what_to_do())
