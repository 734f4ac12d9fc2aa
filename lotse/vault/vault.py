"""Creating, unlocking, rotating and closing a vault.

A vault is one folder::

    lotse-vault.json   header: format, key slots with the wrapped data key, state, MAC, checksum
    lotse.db           SQLCipher 4 database (with -wal and -shm beside it while open)
    lotse-erased.json  keyed hashes of erased families' codes (see erasures.py)
    lotse.lock         held by the process that has the vault open

The random 256-bit data key opens the database as a SQLCipher raw key, so Argon2id in the
header is the only key derivation. Every page (database and WAL) is encrypted and
authenticated by SQLCipher; a wrong data key or a changed page fails on read, which this
module turns into :class:`VaultDamagedError` once the passphrase is known to be right.
Header and database each keep the vault state (generation, writes), compared at unlock
(:mod:`lotse.vault.state`).

``cipher_memory_security`` is off (SQLCipher's own default since 4.5.0): wiping every
SQLite allocation cannot protect what Python already holds in plain objects (every row a
query returns), and it made imports five times slower. See the README's threat model.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock, Timeout
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from lotse.crypto import kdf, keywrap, recovery
from lotse.crypto.kdf import KdfParams
from lotse.db import migrate
from lotse.db.models import AuditEntry
from lotse.errors import (
    LotseError,
    NotAVaultError,
    VaultDamagedError,
    VaultExistsError,
    VaultInUseError,
    VaultTooNewError,
    WrongPassphraseError,
    disk_failed,
    disk_full,
    disk_read_only,
    disk_unreadable,
)
from lotse.i18n import _
from lotse.vault import audit, erasures, hardening, state
from lotse.vault import header as hdr
from lotse.vault.passphrase import DEFAULT_MIN_LENGTH, check_passphrase

DB_NAME = "lotse.db"
LOCK_NAME = "lotse.lock"
#: Present while ``init`` runs; a folder with it holds no vault (see create_vault).
CREATING_NAME = "lotse.creating"
#: Present while ``restore`` writes a vault (see lotse.vault.backup).
RESTORING_NAME = "lotse.restoring"
#: Every file a vault consists of (besides the lock), for clean-up and for moving aside.
VAULT_FILES = (
    DB_NAME,
    DB_NAME + "-wal",
    DB_NAME + "-shm",
    hdr.HEADER_NAME,
    erasures.ERASED_NAME,
)

#: SQLCipher 4's page size (Lotse never changes it).
_PAGE_SIZE = 4096

# SQLite error texts that mean the page could not be decrypted or authenticated.
_DAMAGE_MARKERS = ("file is not a database", "malformed", "hmac check", "not an error", "corrupt")


def is_damage_error(exc: BaseException) -> bool:
    """Whether a database error means a damaged or tampered file (not a bug of ours)."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlcipher3.DatabaseError):
        return False
    message = str(original).lower()
    return any(marker in message for marker in _DAMAGE_MARKERS)


def disk_error(exc: BaseException, filename: object = None) -> LotseError | None:
    """The disk failure SQLite reports in ``exc`` (full, I/O error, read-only), or None.

    SQLite's result code says what the disk did (sqlite3's sqlite_errorname), else its fixed
    text for the code: errors of the online backup API (below SQLAlchemy) come without it.
    """
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlcipher3.Error):
        return None
    code = str(getattr(original, "sqlite_errorname", "") or "")
    text = str(original)
    # Naming only the ``filename`` given: the failing file may not be the vault's.
    if code == "SQLITE_FULL" or text == "database or disk is full":
        return disk_full(filename)
    if code.startswith("SQLITE_IOERR") or text.startswith("disk I/O error"):
        return disk_failed(filename)
    if code.startswith("SQLITE_READONLY") or text.startswith("attempt to write a readonly"):
        return disk_read_only(filename)
    return None


# SQLCipher's cipher_integrity_check row for a page it could not read (its sqlite3OsRead
# failed): a short read past a truncated end is damage, a read inside the file the disk's.
_READ_FAILED = re.compile(r"error reading (\d+) bytes from file page \d+ at offset (\d+)")


def integrity_problem(
    db_path: Path, rows: list[Any], folder: Path, shown: Path | None = None
) -> LotseError | None:
    """What SQLCipher's ``cipher_integrity_check`` ``rows`` on ``db_path`` mean, or None.

    A page that failed its authentication is damage (:func:`damaged`); a page that could not
    be read although the file reaches past it is a failing disk, reported as such (exit 1):
    telling the navigator to restore a backup over a vault that is whole would be wrong.
    ``shown`` is the file named in that message (the user's name for a temporary copy).
    """
    if not rows:
        return None
    try:
        size = db_path.stat().st_size
    except OSError:
        size = 0
    for text, *_rest in rows:
        read = _READ_FAILED.match(str(text))
        if read is None or int(read[1]) + int(read[2]) > size:
            return damaged(folder)
    return disk_unreadable(shown or db_path)


def damaged(folder: Path) -> VaultDamagedError:
    return VaultDamagedError(
        _(
            "Der Tresor in {folder} ist beschädigt oder wurde verändert. Lotse zeigt keine "
            "Daten aus einer beschädigten Datei. Stellen Sie eine Sicherung wieder her."
        ).format(folder=folder)
    )


def _key_does_not_open(folder: Path) -> VaultDamagedError:
    return VaultDamagedError(
        _(
            "Die Datenbank (lotse.db) in {folder} lässt sich mit dem Schlüssel aus {header} "
            "nicht öffnen: entweder ist sie beschädigt, oder {header} ist eine ältere Kopie "
            "(etwa von vor einem Schlüsselwechsel) und gehört nicht zu dieser Datenbank. "
            "Stellen Sie die letzte Sicherung wieder her: lotse restore DATEI."
        ).format(folder=folder, header=hdr.HEADER_NAME)
    )


class Vault:
    """An unlocked vault: an SQLAlchemy engine over the decrypted database."""

    def __init__(self, folder: Path, header: hdr.Header, data_key: bytes, lock: FileLock) -> None:
        hardening.disable_core_dumps()
        self.folder = folder
        self.header = header
        self._data_key = data_key
        self._lock = lock
        self._closed = False
        # Serialises header writes (commits may come from several threads).
        self._state_lock = threading.RLock()
        #: Off until the vault is established: create/unlock write the header themselves.
        self._header_follows_writes = False
        #: What the check of the audit log found at this unlock and recorded in it.
        self.audit_findings: list[audit.Finding] = []
        self._header_written_at = time.monotonic()
        #: The database's state after the last commit whose header write failed (a full
        #: disk), until the header is written; see :meth:`_before_commit`.
        self._header_failed: state.DbState | None = None
        self.engine: Engine = _make_engine(
            folder / DB_NAME, data_key, self._after_write, self._before_commit
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def vault_id(self) -> str:
        return self.header.vault_id

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    def session(self) -> Session:
        return self._sessions()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        with self._sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def bulk_transaction(self) -> Iterator[Session]:
        """Like :meth:`transaction`, without SQLite's per-row foreign-key lookups.

        For bulk inserts whose references the caller has already checked (the importer
        assigns every id itself): a lookup per inserted row adds up over 100,000 rows.
        """
        with self.engine.connect() as conn:
            driver = conn.connection.driver_connection
            # On the driver connection: SQLAlchemy would BEGIN first, and inside a
            # transaction SQLite ignores this pragma.
            driver.execute("PRAGMA foreign_keys = OFF")
            try:
                with Session(bind=conn) as session, session.begin():
                    yield session
            finally:
                if conn.in_transaction():
                    conn.rollback()
                driver.execute("PRAGMA foreign_keys = ON")

    # -- vault state --------------------------------------------------------------------
    def _after_write(self, conn: state.CountingConnection) -> None:
        """After each committed write: bring the header's state up to date, now and then.

        Now if :data:`state.HEADER_INTERVAL` seconds passed since the header's last write or
        it is :data:`state.HEADER_LAG_LIMIT` commits behind; otherwise a later commit, the
        close or :meth:`sync_header` does it. The header is never ahead of the database.
        """
        if not self._header_follows_writes:
            return
        with self._state_lock:
            db = state.read_db_state(conn)
            known = self.header.state
            if db is None or known is None:
                return
            behind = db.writes - known.writes
            waited = time.monotonic() - self._header_written_at
            # A new audit entry's link goes outside the database at once (see audit.py).
            logged = db.audit_head is not None and db.audit_head != known.audit_head
            if (
                logged
                or behind >= state.HEADER_LAG_LIMIT
                or (behind > 0 and waited >= state.HEADER_INTERVAL)
            ):
                try:
                    self._write_state(db, clean=False)
                except OSError:
                    # The commit stands (it is on disk) and its use case succeeded; the
                    # header catches up before the next commit, or that one is refused.
                    self._header_failed = db

    def _before_commit(self, conn: state.CountingConnection) -> None:
        """Before a write commits: write a header that could not follow the last commit.

        If it still cannot be written (the disk is full), the OSError refuses this
        commit: the header must never lag more than :data:`state.HEADER_LAG_LIMIT`
        commits behind the database, or unlock would take it for an older copy.
        """
        with self._state_lock:
            if self._header_failed is not None:
                self._write_state(self._header_failed, clean=False)
                self._header_failed = None

    def _write_state(self, db: state.DbState, clean: bool, keep_head: bool = False) -> None:
        """Write the header's state from ``db`` (``keep_head``: the header's own audit head)."""
        with self._state_lock:
            head = db.audit_head
            if keep_head or head is None:
                head = self.header.state.audit_head if self.header.state else None
            saved = self.header.to_json()
            self.header.state = hdr.VaultState(db.generation, db.writes, clean, head)
            self.header.seal(self._data_key)
            self._write_header_or_restore(saved)
            self._header_written_at = time.monotonic()

    def _write_header_or_restore(self, saved: dict[str, Any]) -> None:
        """Write the header; if that fails, the header in memory goes back to ``saved``
        (what the file still holds), so no later write carries a change that failed."""
        try:
            hdr.write_header(self.folder, self.header)
        except OSError:
            self.header = hdr.Header.from_json(saved)
            raise

    def _db_state(self) -> state.DbState | None:
        with self.engine.connect() as conn:
            return state.read_db_state(conn.connection.driver_connection)

    def sync_header(self) -> None:
        """Write the header's state now (after a batch of writes, or when the window idles)."""
        db = self._db_state()
        if db is not None:
            self._write_state(db, clean=False)

    def _establish(
        self,
        recovery_pem: str | None,
        action: tuple[str, dict[str, Any]] | None = None,
        created: bool = False,
    ) -> None:
        """Finish opening: mark the header "open", add what the vault lacks, follow writes.

        The header says "not closed cleanly" before anything is written, so a crash in
        the middle never leaves a clean header behind a database that moved on. The audit
        log is checked against the header's head as it was before (what the check finds
        is recorded in the log), then the opening itself is logged: ``action`` (default
        ``vault_unlocked``, or ``vault_created``), with the failed attempts before it.
        """
        known = self.header.state
        header_head = known.audit_head if known else None
        # A header that was not closed cleanly may lag behind the log by a crash.
        header_clean = known.clean if known else False
        db = self._db_state()
        if db is None:
            raise damaged(self.folder)
        self._write_state(db, clean=False, keep_head=True)
        self._header_follows_writes = True
        failures = audit.read_failed_unlocks(self.folder)
        with self.transaction() as session:
            erasures.ensure_list_key(session, self._data_key)
            audit.ensure_key(session, self._data_key)
            # A log from before the chain is chained now (the header has no head yet).
            legacy = audit.seal_legacy(session) if header_head is None else 0
            check = audit.verify(
                session,
                header_head,
                header_clean,
                check_head=not (created or legacy) and (header_clean or header_head is not None),
            )
            self.audit_findings = audit.record_new_findings(session, check)
            added = self._update_recovery_slot(recovery_pem)
            if added is not None:
                audit.append(session, "recovery_key_added", fingerprint=added)
            if failures is not None:
                audit.append(
                    session,
                    "unlock_failed",
                    count=failures.count,
                    first=failures.first,
                    last=failures.last,
                )
            if action is None:
                action = ("vault_created", {}) if created else ("vault_unlocked", {})
            audit.append(session, action[0], **action[1])
            _log_policy_problems(session)
        if failures is not None:
            audit.forget_failed_unlocks(self.folder)
        self.sync_header()

    def _update_recovery_slot(self, pem: str | None) -> str | None:
        """Wrap the data key to the policy's recovery key if the slot is missing or another
        key's; the new key's fingerprint, or ``None`` if nothing changed.

        A policy that names no key leaves an existing slot alone: a laptop that misses the
        policy file for a while must not lose its recovery access.
        """
        if pem is None:
            from lotse import settings

            pem = str(settings.machine_value("recovery_public_key") or "")
        if not pem.strip():
            return None
        try:
            public_key = recovery.load_public_key(pem)
        except recovery.RecoveryKeyError:
            return None  # the policy reports it; the vault must still open
        fingerprint = recovery.fingerprint(public_key)
        slot = self.header.recovery_slot()
        if slot is not None and slot.fingerprint == fingerprint:
            return None
        with self._state_lock:
            self.header.set_recovery_slot(public_key, self._data_key)
            self.header.seal(self._data_key)
            hdr.write_header(self.folder, self.header)
        return fingerprint

    # -- keys ---------------------------------------------------------------------------
    def change_passphrase(
        self,
        old: str,
        new: str,
        params: KdfParams | None = None,
        min_length: int = DEFAULT_MIN_LENGTH,
    ) -> None:
        """Re-wrap the data key under ``new``; the database itself is not touched."""
        check_passphrase(new, min_length)
        try:
            self.header.unwrap_with_passphrase(old)
        except keywrap.UnwrapError as exc:
            raise WrongPassphraseError(_("Die bisherige Passphrase ist falsch.")) from exc
        self.set_passphrase(new, params)

    def set_passphrase(self, new: str, params: KdfParams | None = None) -> None:
        """Wrap the data key under ``new`` (no check of the old one: recovery uses this)."""
        slot = self.header.slot(hdr.PASSPHRASE_SLOT)
        params = params or (slot.kdf if isinstance(slot, hdr.KeySlot) else kdf.DEFAULT_PARAMS)
        with self._state_lock:
            saved = self.header.to_json()
            self.header.set_passphrase_slot(new, self._data_key, params)
            self.header.seal(self._data_key)
            self._write_header_or_restore(saved)
        with self.transaction() as session:
            audit.append(session, "passphrase_changed")

    def rotate_key(
        self,
        passphrase: str,
        new_passphrase: str | None = None,
        params: KdfParams | None = None,
        min_length: int = DEFAULT_MIN_LENGTH,
    ) -> None:
        """Re-encrypt the database under a new data key and re-wrap every key slot.

        ``passphrase`` is the current one; the new key is wrapped under ``new_passphrase``
        (default: the same) and to the recovery key, if the vault has one. Afterwards old
        copies of the header (and backups made before) no longer open this database.

        Crash-safe in three steps: (1) the header gets the new key's slots as *pending*,
        (2) ``PRAGMA rekey`` re-encrypts every page in one transaction, (3) the pending
        slots replace the old ones. Unlock finishes a rotation cut off after (2) and drops
        one cut off before it. Nothing else may use the vault meanwhile. A new passphrase
        is set only after (3), as a change of its own: the pending slot is under the
        current passphrase, which unlock needs (the header's MAC is under the old key
        until (3)), so a rotation cut off after (2) still opens with it.
        """
        new_passphrase = passphrase if new_passphrase is None else new_passphrase
        if new_passphrase != passphrase:
            check_passphrase(new_passphrase, min_length)
        try:
            self.header.unwrap_with_passphrase(passphrase)
        except keywrap.UnwrapError as exc:
            raise WrongPassphraseError(_("Die bisherige Passphrase ist falsch.")) from exc
        slot = self.header.passphrase_slot()
        new_key = keywrap.new_data_key()
        pending: list[hdr.AnySlot] = [
            hdr.passphrase_slot(passphrase, new_key, params or slot.kdf, self.vault_id)
        ]
        old_recovery = self.header.recovery_slot()
        if old_recovery is not None:
            public_key = recovery.load_public_key(old_recovery.public_key)
            pending.append(hdr.RecoverySlot.wrap(public_key, new_key, self.vault_id))
        with self._state_lock:
            self.sync_header()
            self.header.pending_key_slots = pending
            self.header.seal(self._data_key)
            hdr.write_header(self.folder, self.header)  # (1)

            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.engine.dispose()
            rekeying = _connect(self.db_path, self._data_key)
            try:
                rekeying.execute(f"PRAGMA rekey = {_raw_key(new_key)}")  # (2)
                rekeying.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                rekeying.close()

            self._data_key = new_key
            self.engine = _make_engine(
                self.db_path, new_key, self._after_write, self._before_commit
            )
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            self.header.key_slots = pending
            self.header.pending_key_slots = []
            self.header.seal(new_key)
            hdr.write_header(self.folder, self.header)  # (3)
        with self.transaction() as session:
            audit.append(session, "data_key_rotated")
        if new_passphrase != passphrase:
            self.set_passphrase(new_passphrase, params)

    # -- closing ------------------------------------------------------------------------
    def close(self) -> None:
        """Checkpoint the WAL, write the header as cleanly closed, release everything."""
        if self._closed:
            return
        self._closed = True
        try:
            try:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except DBAPIError:
                pass
            if self._header_follows_writes:
                self._header_follows_writes = False
                try:
                    db = self._db_state()
                except DBAPIError:
                    db = None  # a damaged database: leave the header as it is
                if db is not None:
                    # A full disk: the header stays "not closed cleanly", at most
                    # HEADER_LAG_LIMIT commits behind, which unlock accepts.
                    with contextlib.suppress(OSError):
                        self._write_state(db, clean=True)
        finally:
            self.engine.dispose()
            self._data_key = b""
            self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _log_policy_problems(session: Session) -> None:
    """Log the machine policy's problems when they differ from those logged last."""
    from lotse import options

    problems = list(options.current_policy().problems)
    if not problems:
        return
    last = session.scalar(
        select(AuditEntry.details)
        .where(AuditEntry.action == "policy_problem")
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if not last or last.get("problems") != problems:
        audit.append(session, "policy_problem", problems=problems)


def _raw_key(data_key: bytes) -> str:
    return f"\"x'{data_key.hex()}'\""


def _connect(db_path: Path, data_key: bytes) -> state.CountingConnection:
    """A connection that has proved the key opens the file (else a DatabaseError)."""
    conn = sqlcipher3.connect(
        str(db_path), check_same_thread=False, factory=state.CountingConnection
    )
    try:
        # SQLCipher logs decryption failures to stderr; we report them ourselves.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_raw_key(data_key)}")
        conn.execute("PRAGMA cipher_memory_security = OFF")  # see the module docstring
        # Fail here, clearly, if the key does not open the file (PRAGMA key never does).
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def _cache_kib(db_path: Path) -> int:
    """SQLite's page cache for one connection, in KiB: an eighth of the file, 4–16 MiB.

    bench/bench_scale.py: at 100,000 families (220 MB) the report reads the period's
    contacts once, so more than 16 MiB buys little (PDF 1.5 s, 1.4 s at 48 MiB) but costs
    the window its memory (252 MB peak; 285 MB at 48, 302 at 64). At 20,000 (43 MB) a
    full 16 MiB kept the window at 207 MB, over its 200; an eighth keeps it under.
    """
    try:
        size = db_path.stat().st_size
    except OSError:
        size = 0
    return min(16 * 1024, max(4 * 1024, size // 8 // 1024))


def _make_engine(
    db_path: Path,
    data_key: bytes,
    after_write: Callable[[state.CountingConnection], None],
    before_commit: Callable[[state.CountingConnection], None],
) -> Engine:
    def connect() -> Any:
        conn = _connect(db_path, data_key)
        conn.after_write = after_write
        conn.before_commit = before_commit
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # no sort spill files on disk
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute(f"PRAGMA cache_size = -{_cache_kib(db_path)}")
        return conn

    engine = create_engine(
        f"sqlite:///{db_path}",
        module=sqlcipher3,
        creator=connect,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; issue it so reads see one snapshot.
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "connect")
    def _connect_event(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy (the "begin" hook) control BEGIN

    return engine


def _key_opens(db_path: Path, data_key: bytes) -> bool:
    try:
        _connect(db_path, data_key).close()
    except sqlcipher3.DatabaseError as exc:
        if is_damage_error(exc):
            return False
        raise
    return True


def _integrity_rows(db_path: Path, data_key: bytes) -> list[Any] | None:
    """SQLCipher's page check of the file under ``data_key`` (None if it cannot run)."""
    conn = sqlcipher3.connect(str(db_path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_raw_key(data_key)}")
        return conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.DatabaseError:
        return None
    finally:
        conn.close()


def _key_fails(folder: Path, db_path: Path, data_key: bytes) -> LotseError | None:
    """Why ``data_key`` did not open the database, or None if it does on a second try."""
    rows = _integrity_rows(db_path, data_key)
    if rows is None:
        return damaged(folder)
    # Every page failing means another key (an older header).
    if len(rows) >= max(1, db_path.stat().st_size // _PAGE_SIZE):
        return _key_does_not_open(folder)
    problem = integrity_problem(db_path, rows, folder)
    if problem is not None:  # some pages: damage, or a disk that cannot read them
        return problem
    # Every page authenticates: a read that failed once (the disk), or a damaged
    # write-ahead log, which the page check does not read.
    return None if _key_opens(db_path, data_key) else damaged(folder)


def _acquire_lock(folder: Path) -> FileLock:
    lock = FileLock(str(folder / LOCK_NAME), timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout as exc:
        raise VaultInUseError(
            _(
                "Der Tresor in {folder} ist bereits geöffnet (in einem anderen Lotse-Fenster "
                "oder Befehl). Schließen Sie ihn dort und versuchen Sie es erneut."
            ).format(folder=folder)
        ) from exc
    return lock


def _create_private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def remove_unfinished(folder: Path) -> None:
    """Remove what an ``init`` or ``restore`` left when it was interrupted before it finished.

    Its marker proves no complete vault ever existed here: :func:`open_vault` refuses a
    folder that has one, so nothing can have been stored in these files.
    """
    markers = [folder / CREATING_NAME, folder / RESTORING_NAME]
    if not any(marker.exists() for marker in markers):
        return
    for name in VAULT_FILES:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    for marker in markers:
        with contextlib.suppress(FileNotFoundError):
            marker.unlink()


def create_vault(
    folder: Path,
    passphrase: str,
    params: KdfParams | None = None,
    min_length: int = DEFAULT_MIN_LENGTH,
    recovery_public_key: str | None = None,
) -> Vault:
    """Create a new, empty vault in ``folder`` (which must be missing or empty).

    ``recovery_public_key`` (PEM) defaults to the machine policy's ``recovery_public_key``.
    """
    check_passphrase(passphrase, min_length)
    params = params or kdf.DEFAULT_PARAMS
    folder = Path(folder)
    exists = VaultExistsError(_("In {folder} gibt es bereits einen Tresor.").format(folder=folder))
    unfinished = (folder / CREATING_NAME).exists() or (folder / RESTORING_NAME).exists()
    if (folder / hdr.HEADER_NAME).exists() and not unfinished:
        raise exists  # the clearer message, even while that vault is open elsewhere
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Lock, then look again: another init racing for the same folder waits its turn.
    lock = _acquire_lock(folder)
    try:
        remove_unfinished(folder)
        if (folder / hdr.HEADER_NAME).exists() or (folder / DB_NAME).exists():
            raise exists
        if any(p.name != LOCK_NAME for p in folder.iterdir()):
            raise VaultExistsError(
                _(
                    "Der Ordner {folder} ist nicht leer; ein neuer Tresor braucht einen "
                    "leeren Ordner."
                ).format(folder=folder)
            )
        _create_private_file(folder / CREATING_NAME)
    except BaseException:
        lock.release()
        raise
    vault: Vault | None = None
    try:
        data_key = keywrap.new_data_key()
        header = hdr.new_header()
        header.set_passphrase_slot(passphrase, data_key, params)
        header.seal(data_key)
        _create_private_file(folder / DB_NAME)
        vault = Vault(folder, header, data_key, lock)
        with vault.engine.begin() as conn:
            migrate.upgrade(conn)
        vault._establish(recovery_public_key, created=True)
        # Only now is this a vault: until the marker goes, it is an unfinished one.
        (folder / CREATING_NAME).unlink()
        return vault
    except BaseException:
        if vault is not None:
            vault.engine.dispose()
        remove_unfinished(folder)  # only files this call created
        lock.release()
        raise


def read_vault_header(folder: Path) -> hdr.Header:
    """The header of the vault in ``folder``, with clear errors for every way it can fail."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotAVaultError(
            _("In {folder} gibt es keinen Tresor. Legen Sie einen an mit: lotse init").format(
                folder=folder
            )
        )
    if (folder / CREATING_NAME).exists():
        raise NotAVaultError(
            _(
                "Das Anlegen des Tresors in {folder} wurde unterbrochen; er enthält keine "
                "Daten. Legen Sie ihn neu an mit: lotse init"
            ).format(folder=folder)
        )
    if (folder / RESTORING_NAME).exists():
        raise NotAVaultError(
            _(
                "Die Wiederherstellung des Tresors in {folder} wurde unterbrochen. "
                "Wiederholen Sie sie mit: lotse restore DATEI"
            ).format(folder=folder)
        )
    header_path = folder / hdr.HEADER_NAME
    if not header_path.is_file():
        if (folder / DB_NAME).exists():
            raise damaged(folder)
        raise NotAVaultError(
            _("Der Ordner {folder} ist kein Lotse-Tresor (es fehlt die Datei {name}).").format(
                folder=folder, name=hdr.HEADER_NAME
            )
        )
    try:
        return hdr.read_header(folder)
    except hdr.HeaderTooNew as exc:
        raise VaultTooNewError(
            _(
                "Der Tresor in {folder} stammt aus einer neueren Lotse-Version. Bitte "
                "aktualisieren Sie Lotse, um ihn zu öffnen."
            ).format(folder=folder)
        ) from exc
    except hdr.HeaderDamaged as exc:
        raise damaged(folder) from exc


#: Given the header, the data key and a way to get the pending key of an unfinished key
#: rotation (``None`` if it has none). Raises the error for a wrong secret.
KeySource = Callable[[hdr.Header], tuple[bytes, Callable[[], bytes | None]]]


def _passphrase_keys(passphrase: str) -> KeySource:
    def keys(header: hdr.Header) -> tuple[bytes, Callable[[], bytes | None]]:
        try:
            current = header.unwrap_with_passphrase(passphrase)
        except keywrap.UnwrapError as exc:
            raise WrongPassphraseError(_("Die Passphrase ist falsch.")) from exc

        def pending() -> bytes | None:
            try:
                return header.unwrap_pending_with_passphrase(passphrase)
            except keywrap.UnwrapError:
                return None

        return current, pending

    return keys


def open_vault(folder: Path, passphrase: str, recovery_public_key: str | None = None) -> Vault:
    """Unlock the vault in ``folder``; migrate its schema if it is from an older Lotse.

    Refuses a database and header that do not belong together (:mod:`lotse.vault.state`)
    and adds a recovery slot for ``recovery_public_key`` (default: the machine policy's)
    when the vault lacks one for that key.
    """
    return unlock(folder, _passphrase_keys(passphrase), recovery_public_key)


def unlock(
    folder: Path,
    keys: KeySource,
    recovery_public_key: str | None = None,
    action: tuple[str, dict[str, Any]] | None = None,
) -> Vault:
    """Unlock with the data key ``keys`` gives (passphrase or recovery key).

    ``action`` is what the audit log records for this opening (action, details); by
    default ``vault_unlocked``. A wrong passphrase is counted beside the header (no
    database is open then) and logged at the next successful unlock.
    """
    folder = Path(folder)
    read_vault_header(folder)  # clear errors before touching anything (no lock file yet)
    lock = _acquire_lock(folder)
    vault: Vault | None = None
    try:
        # Read again under the lock: the header is only ever rewritten by its lock holder.
        header = read_vault_header(folder)
        db = folder / DB_NAME
        if not db.is_file() or db.stat().st_size == 0:
            raise damaged(folder)
        try:
            data_key, pending = keys(header)
        except hdr.HeaderDamaged as exc:
            raise damaged(folder) from exc
        except WrongPassphraseError:
            audit.note_failed_unlock(folder)
            raise
        if not header.mac_is_valid(data_key):
            raise damaged(folder)
        data_key = _settle_rotation(folder, header, data_key, pending)
        vault = Vault(folder, header, data_key, lock)
        _check_database(vault)
        vault._establish(recovery_public_key, action)
        return vault
    except BaseException:
        if vault is not None:
            vault._header_follows_writes = False
            vault.engine.dispose()
        lock.release()
        raise


def _settle_rotation(
    folder: Path, header: hdr.Header, data_key: bytes, pending: Callable[[], bytes | None]
) -> bytes:
    """The key that opens the database, finishing or dropping an interrupted rotation."""
    db = folder / DB_NAME
    opens = _key_opens(db, data_key)
    next_key = pending() if not opens and header.pending_key_slots else None
    if next_key is not None and _key_opens(db, next_key):
        # Cut off after the rekey: the database has the new key; finish the header.
        header.key_slots = header.pending_key_slots
        header.pending_key_slots = []
        header.seal(next_key)
        hdr.write_header(folder, header)
        return next_key
    if not opens:
        failure = _key_fails(folder, db, data_key)
        if failure is not None:
            raise failure
    if header.pending_key_slots:  # cut off before the rekey: the old key stands
        header.pending_key_slots = []
        header.seal(data_key)
        hdr.write_header(folder, header)
    return data_key


def _check_database(vault: Vault) -> None:
    try:
        with vault.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
            problem = integrity_problem(vault.db_path, list(rows), vault.folder)
            if problem is not None:
                raise problem
            revision = migrate.current_revision(conn)
            db_state = state.read_db_state(conn.connection.driver_connection)
    except DBAPIError as exc:
        if is_damage_error(exc):
            raise damaged(vault.folder) from exc
        raise
    if revision is None:
        raise damaged(vault.folder)
    if revision != migrate.head_revision() and not migrate.is_known_revision(revision):
        raise VaultTooNewError(
            _(
                "Der Tresor in {folder} stammt aus einer neueren Lotse-Version. Bitte "
                "aktualisieren Sie Lotse, um ihn zu öffnen."
            ).format(folder=vault.folder)
        )
    # Before any write (a migration is one): header and database must belong together.
    state.check(vault.folder, vault.header.state, db_state)
    if revision == migrate.head_revision():
        return
    # An older schema: keep a copy of the file as it was, then migrate in one transaction.
    with vault.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = vault.folder / f"{DB_NAME}.before-{migrate.head_revision()}"
    if not backup.exists():
        shutil.copy2(vault.db_path, backup)
        os.chmod(backup, 0o600)
    with vault.engine.begin() as conn:
        migrate.upgrade(conn)
