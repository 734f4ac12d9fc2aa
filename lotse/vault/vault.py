"""Creating, unlocking and closing a vault.

A vault is one folder::

    lotse-vault.json   header: format, key slots with the wrapped data key, MAC, checksum
    lotse.db           SQLCipher 4 database (with -wal and -shm beside it while open)
    lotse.lock         held by the process that has the vault open

The random 256-bit data key opens the database as a SQLCipher raw key, so Argon2id in the
header is the only key derivation. Every page (database and WAL) is encrypted and
authenticated by SQLCipher; a wrong data key or a changed page fails on read, which this
module turns into :class:`VaultDamagedError` once the passphrase is known to be right.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock, Timeout
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from lotse.crypto import kdf, keywrap
from lotse.crypto.kdf import KdfParams
from lotse.db import migrate
from lotse.errors import (
    NotAVaultError,
    VaultDamagedError,
    VaultExistsError,
    VaultInUseError,
    VaultTooNewError,
    WrongPassphraseError,
)
from lotse.i18n import _
from lotse.vault import header as hdr
from lotse.vault.passphrase import DEFAULT_MIN_LENGTH, check_passphrase

DB_NAME = "lotse.db"
LOCK_NAME = "lotse.lock"
#: Present while ``init`` runs; a folder with it holds no vault (see create_vault).
CREATING_NAME = "lotse.creating"

# SQLite error texts that mean the page could not be decrypted or authenticated.
_DAMAGE_MARKERS = ("file is not a database", "malformed", "hmac check", "not an error", "corrupt")


def is_damage_error(exc: BaseException) -> bool:
    """Whether a database error means a damaged or tampered file (not a bug of ours)."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlcipher3.DatabaseError):
        return False
    message = str(original).lower()
    return any(marker in message for marker in _DAMAGE_MARKERS)


def damaged(folder: Path) -> VaultDamagedError:
    return VaultDamagedError(
        _(
            "Der Tresor in {folder} ist beschädigt oder wurde verändert. Lotse zeigt keine "
            "Daten aus einer beschädigten Datei. Stellen Sie eine Sicherung wieder her."
        ).format(folder=folder)
    )


class Vault:
    """An unlocked vault: an SQLAlchemy engine over the decrypted database."""

    def __init__(self, folder: Path, header: hdr.Header, data_key: bytes, lock: FileLock) -> None:
        self.folder = folder
        self.header = header
        self._data_key = data_key
        self._lock = lock
        self.engine: Engine = _make_engine(folder / DB_NAME, data_key)
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
        assigns every id itself). Under ``cipher_memory_security`` each lookup allocates and
        wipes memory; on 100,000 rows that is most of the import time.
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
        slot = self.header.slot("passphrase")
        self.header.set_passphrase_slot(
            new, self._data_key, params or (slot.kdf if slot else kdf.DEFAULT_PARAMS)
        )
        self.header.seal(self._data_key)
        hdr.write_header(self.folder, self.header)

    def close(self) -> None:
        """Checkpoint the WAL into the database, drop every connection, release the lock."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except DBAPIError:
            pass
        self.engine.dispose()
        self._data_key = b""
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_engine(db_path: Path, data_key: bytes) -> Engine:
    raw_key = f"\"x'{data_key.hex()}'\""

    def connect() -> Any:
        conn = sqlcipher3.connect(str(db_path), check_same_thread=False)
        cur = conn.cursor()
        # SQLCipher logs decryption failures to stderr; we report them ourselves.
        cur.execute("PRAGMA cipher_log_level = NONE")
        cur.execute(f"PRAGMA key = {raw_key}")
        cur.execute("PRAGMA cipher_memory_security = ON")
        # Fail here, clearly, if the key does not open the file (PRAGMA key never does).
        cur.execute("SELECT count(*) FROM sqlite_master").fetchall()
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA temp_store = MEMORY")  # no sort spill files on disk
        cur.execute("PRAGMA busy_timeout = 5000")
        cur.execute("PRAGMA cache_size = -65536")  # 64 MiB: fewer pages decrypted twice
        cur.close()
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
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy (the "begin" hook) control BEGIN

    return engine


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


def _leftovers_of_interrupted_creation(folder: Path) -> None:
    """Remove what an ``init`` left when it was interrupted before it finished.

    The marker proves no complete vault ever existed here: :func:`open_vault` refuses a
    folder that has it, so nothing can have been stored in these files.
    """
    if not (folder / CREATING_NAME).exists():
        return
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", hdr.HEADER_NAME, CREATING_NAME):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def create_vault(
    folder: Path,
    passphrase: str,
    params: KdfParams | None = None,
    min_length: int = DEFAULT_MIN_LENGTH,
) -> Vault:
    """Create a new, empty vault in ``folder`` (which must be missing or empty)."""
    check_passphrase(passphrase, min_length)
    params = params or kdf.DEFAULT_PARAMS
    folder = Path(folder)
    exists = VaultExistsError(_("In {folder} gibt es bereits einen Tresor.").format(folder=folder))
    if (folder / hdr.HEADER_NAME).exists() and not (folder / CREATING_NAME).exists():
        raise exists  # the clearer message, even while that vault is open elsewhere
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Lock, then look again: another init racing for the same folder waits its turn.
    lock = _acquire_lock(folder)
    try:
        _leftovers_of_interrupted_creation(folder)
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
        hdr.write_header(folder, header)
        # Only now is this a vault: until the marker goes, it is an unfinished one.
        (folder / CREATING_NAME).unlink()
        return vault
    except BaseException:
        if vault is not None:
            vault.engine.dispose()
        _leftovers_of_interrupted_creation(folder)  # only files this call created
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


def open_vault(folder: Path, passphrase: str) -> Vault:
    """Unlock the vault in ``folder``; migrate its schema if it is from an older Lotse."""
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
            data_key = header.unwrap_with_passphrase(passphrase)
        except keywrap.UnwrapError as exc:
            raise WrongPassphraseError(_("Die Passphrase ist falsch.")) from exc
        except hdr.HeaderDamaged as exc:
            raise damaged(folder) from exc
        if not header.mac_is_valid(data_key):
            raise damaged(folder)
        vault = Vault(folder, header, data_key, lock)
        _check_database(vault)
        return vault
    except BaseException:
        if vault is not None:
            vault.engine.dispose()
        lock.release()
        raise


def _check_database(vault: Vault) -> None:
    try:
        with vault.engine.connect() as conn:
            problems = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
            if problems:
                raise damaged(vault.folder)
            revision = migrate.current_revision(conn)
    except DBAPIError as exc:
        if is_damage_error(exc):
            raise damaged(vault.folder) from exc
        raise
    if revision is None:
        raise damaged(vault.folder)
    if revision == migrate.head_revision():
        return
    if not migrate.is_known_revision(revision):
        raise VaultTooNewError(
            _(
                "Der Tresor in {folder} stammt aus einer neueren Lotse-Version. Bitte "
                "aktualisieren Sie Lotse, um ihn zu öffnen."
            ).format(folder=vault.folder)
        )
    # An older schema: keep a copy of the file as it was, then migrate in one transaction.
    with vault.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = vault.folder / f"{DB_NAME}.before-{migrate.head_revision()}"
    if not backup.exists():
        shutil.copy2(vault.db_path, backup)
        os.chmod(backup, 0o600)
    with vault.engine.begin() as conn:
        migrate.upgrade(conn)
