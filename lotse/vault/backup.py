"""Backup and restore: the whole vault as one encrypted, verified file.

``lotse backup FILE`` copies the open vault's database with SQLite's online backup API into
a new SQLCipher file under the *same* data key (pages are decrypted and re-encrypted in
memory, never written in plain), and bundles it with a copy of the header (the key slots
that open it) and the list of erased families into one file::

    lotse.backup/1\\n
    8 bytes  big-endian length of the metadata
    …        metadata, JSON: {"format", "created", "lotse_version", "vault_id",
             "header": {…the vault header…}, "erased": {…lotse-erased.json…} | null,
             "database": {"size", "sha256"}, "mac"}
    8 bytes  big-endian length of the database
    …        the SQLCipher database

``mac`` is an HMAC over the metadata (which holds the database's SHA-256) under a key
derived from the data key: a changed byte anywhere is noticed once the passphrase is known.
The file is written to a temporary name beside the target, opened and checked like a
restore would (:func:`verify_backup`), and only then renamed to the target.

``lotse restore FILE`` puts a backup into an empty or new folder, or in place of a vault
of the same id whose files it first moves aside into ``replaced-<time>/`` in that folder
(nothing is deleted). It raises the generation (so files of the vault before the restore
are refused next to the restored ones), re-erases every family on the erased list (the
backup's and the replaced vault's), and writes ``vault_restored`` into the audit log.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import stat
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import sqlcipher3
from sqlalchemy import select

from lotse import __version__
from lotse.crypto import keywrap
from lotse.db.models import VaultStateRow, utcnow
from lotse.errors import (
    BadInputError,
    LotseError,
    VaultDamagedError,
    VaultTooNewError,
    WrongPassphraseError,
    disk_os_error,
)
from lotse.i18n import _
from lotse.vault import audit, erasures, state
from lotse.vault import header as hdr
from lotse.vault.vault import (
    DB_NAME,
    LOCK_NAME,
    RESTORING_NAME,
    Vault,
    _acquire_lock,
    _check_database,
    _connect,
    _create_private_file,
    disk_error,
    integrity_problem,
    remove_unfinished,
)

FORMAT = "lotse.backup/1"
MAGIC = (FORMAT + "\n").encode("ascii")
#: Metadata larger than this is not read (a header and a list of erasures are far smaller).
MAX_META = 64 * 1024 * 1024
#: The days after which the window reminds of a backup, unless the policy says otherwise.
BACKUP_REMINDER_DAYS = 7
REPLACED_PREFIX = "replaced-"
_CHUNK = 1024 * 1024
_LEN = struct.Struct(">Q")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds (after it was opened and checked)."""

    path: Path
    created: str
    vault_id: str
    generation: int
    writes: int
    families: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    folder: Path
    backup_created: str
    generation: int
    #: Codes are not returned (they would end up in logs); only how many.
    erased_again: int
    #: Where the files of the vault that was replaced now are, if there was one.
    moved_aside: Path | None
    #: The replaced vault's list of erasures was damaged or changed (entries may be missing).
    erased_list_doubtful: bool


def _mac_key(data_key: bytes) -> bytes:
    return keywrap.subkey(data_key, b"lotse backup mac v1")


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _seal(meta: dict[str, Any], data_key: bytes) -> None:
    body = {k: v for k, v in meta.items() if k != "mac"}
    meta["mac"] = base64.b64encode(keywrap.mac(_mac_key(data_key), _canonical(body))).decode()


def _mac_ok(meta: dict[str, Any], data_key: bytes) -> bool:
    body = {k: v for k, v in meta.items() if k != "mac"}
    try:
        mac = base64.b64decode(str(meta.get("mac", "")), validate=True)
    except ValueError:
        return False
    return keywrap.mac_matches(_mac_key(data_key), _canonical(body), mac)


# -- errors ---------------------------------------------------------------------------------
def _damaged_backup(path: Path) -> VaultDamagedError:
    return VaultDamagedError(
        _(
            "Die Sicherung {file} ist beschädigt oder wurde verändert; Lotse stellt sie nicht "
            "wieder her. Nehmen Sie eine andere Sicherung."
        ).format(file=path)
    )


def _unreadable_copy(path: Path) -> LotseError:
    # The vault itself read fine (the copy was made from it): the disk wrote wrongly.
    return LotseError(
        _(
            "Die Sicherung {file} ließ sich nach dem Schreiben nicht fehlerfrei zurücklesen "
            "und wurde nicht gespeichert. Der Datenträger ist womöglich beschädigt: "
            "schreiben Sie die Sicherung auf einen anderen."
        ).format(file=path)
    )


def _not_a_backup(path: Path) -> BadInputError:
    return BadInputError(
        _("{file} ist keine Lotse-Sicherung (lotse backup schreibt sie).").format(file=path)
    )


def _cannot(path: Path, error: OSError, writing: bool) -> LotseError:
    # The disk's doing: the user acts on the disk (exit 1); else the file was the wrong one.
    disk = disk_os_error(error, path, reading=not writing)
    if disk is not None:
        return disk
    text = (
        _("Die Datei {file} kann nicht geschrieben werden: {error}")
        if writing
        else _("Die Datei {file} kann nicht gelesen werden: {error}")
    )
    # Not fileio.os_reason: fileio reads the vault's header name, so it may not be used here.
    return BadInputError(text.format(file=path, error=error.strerror or error))


# -- writing --------------------------------------------------------------------------------
def _check_target(vault: Vault, target: Path) -> None:
    if target.is_dir():
        raise BadInputError(_("{file} ist ein Ordner, keine Datei.").format(file=target))
    folder = target.parent.resolve() if str(target.parent) else Path.cwd()
    if folder == vault.folder.resolve() or (folder / hdr.HEADER_NAME).exists():
        raise BadInputError(
            _(
                "{file} liegt in einem Tresor-Ordner. Eine Sicherung gehört auf einen anderen "
                "Datenträger (USB-Stick, Netzlaufwerk), nicht neben den Tresor."
            ).format(file=target)
        )
    if not folder.is_dir():
        raise BadInputError(_("Den Ordner {folder} gibt es nicht.").format(folder=folder))


def _remove(*paths: Path) -> None:
    for path in paths:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(path) + suffix).unlink()


def _snapshot(vault: Vault, target: Path) -> None:
    """An encrypted copy of the open vault's database in ``target`` (online backup API)."""
    source = vault.engine.raw_connection()
    try:
        copy = _connect(target, vault._data_key)
        try:
            source.driver_connection.backup(copy)
            # One self-contained file: the copy needs no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def _inspect_db(path: Path, data_key: bytes, shown: Path) -> tuple[state.DbState, int]:
    """(state, number of families) of a database file; damage raises VaultDamagedError.

    A disk that fails to read it raises the disk's error, naming ``shown``.
    """
    try:
        conn = _connect(path, data_key)
    except sqlcipher3.DatabaseError as exc:
        raise disk_error(exc, shown) or VaultDamagedError(str(exc)) from exc
    try:
        conn.execute("PRAGMA query_only = ON")
        rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        problem = integrity_problem(path, rows, path.parent, shown)
        if problem is not None:
            raise problem
        if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise VaultDamagedError("quick check")
        db_state = state.read_db_state(conn)
        families = conn.execute("SELECT count(*) FROM family").fetchone()[0]
    except sqlcipher3.DatabaseError as exc:
        # A read that failed is the disk's doing, not damage: say so, exit 1, not 4.
        raise disk_error(exc, shown) or VaultDamagedError(str(exc)) from exc
    finally:
        conn.close()
    if db_state is None:
        raise VaultDamagedError("no vault state")
    return db_state, int(families)


def _copy_range(src: BinaryIO, size: int, dest: Any) -> str:
    digest = hashlib.sha256()
    left = size
    while left:
        chunk = src.read(min(_CHUNK, left))
        if not chunk:
            raise EOFError
        digest.update(chunk)
        dest.write(chunk)
        left -= len(chunk)
    return digest.hexdigest()


class _Discard:
    """A sink for :func:`_copy_range` when only the hash is wanted."""

    def write(self, data: bytes) -> int:
        return len(data)


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_vault(vault: Vault, target: Path) -> BackupInfo:
    """Write an encrypted, verified backup of the open ``vault`` to ``target``."""
    target = Path(target)
    _check_target(vault, target)
    folder = target.parent if str(target.parent) else Path(".")
    # What a backup to this name left when it was killed: encrypted, but each file as large
    # as the vault (with SQLite's -journal beside; a staged file's verify copy starts "..").
    for stale in [*folder.glob(f".{target.name}.*.tmp*"), *folder.glob(f"..{target.name}.*.tmp*")]:
        with contextlib.suppress(OSError):
            stale.unlink()
    token = secrets.token_hex(4)
    # Names fileio's clean-up of killed writes also finds (".NAME.*.tmp").
    staged_db = folder / f".{target.name}.{token}.db.tmp"
    staged = folder / f".{target.name}.{token}.tmp"
    key = vault._data_key
    try:
        try:
            _create_private_file(staged_db)
            _snapshot(vault, staged_db)
            try:
                db_state, families = _inspect_db(staged_db, key, target)
            except VaultDamagedError:
                raise _unreadable_copy(target) from None

            header = hdr.Header.from_json(vault.header.to_json())
            header.state = hdr.VaultState(
                db_state.generation, db_state.writes, True, db_state.audit_head
            )
            header.pending_key_slots = []
            header.seal(key)
            erased_path = vault.folder / erasures.ERASED_NAME
            erased = json.loads(erased_path.read_text("utf-8")) if erased_path.exists() else None

            size = staged_db.stat().st_size
            with staged_db.open("rb") as fh:
                digest = hashlib.sha256()
                for chunk in iter(lambda: fh.read(_CHUNK), b""):
                    digest.update(chunk)
            created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            meta: dict[str, Any] = {
                "format": FORMAT,
                "created": created,
                "lotse_version": __version__,
                "vault_id": vault.vault_id,
                "header": header.to_json(),
                "erased": erased,
                "database": {"size": size, "sha256": digest.hexdigest()},
            }
            _seal(meta, key)
            raw_meta = json.dumps(meta, ensure_ascii=True).encode("ascii")

            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out, staged_db.open("rb") as db:
                out.write(MAGIC)
                out.write(_LEN.pack(len(raw_meta)))
                out.write(raw_meta)
                out.write(_LEN.pack(size))
                _copy_range(db, size, out)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise _cannot(target, exc, writing=True) from None
        try:
            info = verify_backup(staged, data_key=key, name=target)
        except VaultDamagedError:
            raise _unreadable_copy(target) from None
        if (info.generation, info.writes, info.families) != (
            db_state.generation,
            db_state.writes,
            families,
        ):
            raise _unreadable_copy(target)
        try:
            os.replace(staged, target)
            _fsync_dir(folder)
        except OSError as exc:
            raise _cannot(target, exc, writing=True) from None
    finally:
        _remove(staged_db, staged)
    with vault.transaction() as session:
        row = session.get(VaultStateRow, 1)
        if row is not None:
            row.last_backup_at = utcnow()
        audit.append(session, "vault_backup", generation=info.generation, writes=info.writes)
    return BackupInfo(target, info.created, info.vault_id, info.generation, info.writes,
                      info.families, info.size)  # fmt: skip


def last_backup(vault: Vault) -> dt.datetime | None:
    """When the last verified backup of this vault was written (UTC), or ``None``."""
    with vault.session() as session:
        when = session.scalar(select(VaultStateRow.last_backup_at).where(VaultStateRow.id == 1))
    return None if when is None else when.replace(tzinfo=dt.UTC)


def backup_is_due(
    last: dt.datetime | None,
    reminder_days: int = BACKUP_REMINDER_DAYS,
    now: dt.datetime | None = None,
) -> bool:
    """Whether to remind of a backup: none yet, or the last one is ``reminder_days`` old."""
    if last is None:
        return True
    now = now or dt.datetime.now(dt.UTC)
    return now - last >= dt.timedelta(days=reminder_days)


# -- reading --------------------------------------------------------------------------------
def _open_regular(path: Path) -> BinaryIO:
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_backup(path)
        return path.open("rb")
    except FileNotFoundError:
        raise BadInputError(_("Die Datei {file} gibt es nicht.").format(file=path)) from None
    except OSError as exc:
        raise _cannot(path, exc, writing=False) from None


def _read_meta(fh: BinaryIO, path: Path) -> tuple[dict[str, Any], int, int]:
    """(metadata, offset of the database, its size); checks the framing, not the MAC."""
    if fh.read(len(MAGIC)) != MAGIC:
        raise _not_a_backup(path)
    try:
        (meta_len,) = _LEN.unpack(fh.read(_LEN.size))
        if meta_len > MAX_META:
            raise _damaged_backup(path)
        meta = json.loads(fh.read(meta_len).decode("ascii"))
        (db_len,) = _LEN.unpack(fh.read(_LEN.size))
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _damaged_backup(path) from None
    offset = len(MAGIC) + _LEN.size + meta_len + _LEN.size
    total = os.fstat(fh.fileno()).st_size
    database = meta.get("database") if isinstance(meta, dict) else None
    if (
        not isinstance(meta, dict)
        or meta.get("format") != FORMAT
        or not isinstance(database, dict)
        or database.get("size") != db_len
        or not isinstance(database.get("sha256"), str)
        or offset + db_len != total
    ):
        raise _damaged_backup(path)
    return meta, offset, db_len


def _header_of(meta: dict[str, Any], path: Path) -> hdr.Header:
    try:
        return hdr.Header.from_json(meta.get("header"))
    except hdr.HeaderTooNew:
        raise VaultTooNewError(
            _(
                "Die Sicherung {file} stammt aus einer neueren Lotse-Version. Bitte "
                "aktualisieren Sie Lotse, um sie wiederherzustellen."
            ).format(file=path)
        ) from None
    except hdr.HeaderDamaged:
        raise _damaged_backup(path) from None


def _unwrap(header: hdr.Header, passphrase: str) -> bytes:
    try:
        return header.unwrap_with_passphrase(passphrase)
    except keywrap.UnwrapError:
        raise WrongPassphraseError(
            _(
                "Die Passphrase ist falsch. Eine Sicherung öffnet sich mit der Passphrase, "
                "die galt, als sie geschrieben wurde."
            )
        ) from None


def _extract(fh: BinaryIO, offset: int, size: int, sha256: str, dest: Path, path: Path) -> None:
    """Copy the backup's database to ``dest`` (a new private file), checking its hash."""
    fh.seek(offset)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        try:
            digest = _copy_range(fh, size, out)
        except EOFError:
            raise _damaged_backup(path) from None
        out.flush()
        os.fsync(out.fileno())
    if digest != sha256:
        raise _damaged_backup(path)


def verify_backup(
    path: Path,
    passphrase: str | None = None,
    data_key: bytes | None = None,
    name: Path | None = None,
) -> BackupInfo:
    """Open the backup at ``path`` as a restore would and check everything in it.

    Needs its passphrase (or the data key). Wrong passphrase: WrongPassphraseError; any
    damage: VaultDamagedError. The database is checked in an encrypted temporary copy.
    """
    path = Path(path)
    shown = name or path
    with _open_regular(path) as fh:
        meta, offset, size = _read_meta(fh, shown)
        header = _header_of(meta, shown)
        if data_key is None:
            data_key = _unwrap(header, passphrase or "")
        if not _mac_ok(meta, data_key) or not header.mac_is_valid(data_key):
            raise _damaged_backup(shown)
        if header.vault_id != meta.get("vault_id") or header.state is None:
            raise _damaged_backup(shown)
        scratch = path.parent / f".{path.name}.{secrets.token_hex(4)}.verify.tmp"
        try:
            _extract(fh, offset, size, meta["database"]["sha256"], scratch, shown)
            try:
                db_state, families = _inspect_db(scratch, data_key, shown)
            except VaultDamagedError:
                raise _damaged_backup(shown) from None
        except OSError as exc:
            raise _cannot(path, exc, writing=False) from None
        finally:
            _remove(scratch)
    if (db_state.generation, db_state.writes) != (header.state.generation, header.state.writes):
        raise _damaged_backup(shown)
    return BackupInfo(
        path=shown,
        created=str(meta.get("created", "")),
        vault_id=header.vault_id,
        generation=db_state.generation,
        writes=db_state.writes,
        families=families,
        size=path.stat().st_size,
    )


# -- restoring ------------------------------------------------------------------------------
def _move_aside(folder: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = folder / f"{REPLACED_PREFIX}{stamp}"
    n = 1
    while aside.exists():
        n += 1
        aside = folder / f"{REPLACED_PREFIX}{stamp}-{n}"
    aside.mkdir(mode=0o700)
    for entry in sorted(folder.iterdir()):
        if entry.name == LOCK_NAME or entry.name.startswith(REPLACED_PREFIX) or entry == aside:
            continue
        entry.rename(aside / entry.name)
    _fsync_dir(folder)
    return aside


def _move_back(aside: Path, folder: Path) -> None:
    for entry in aside.iterdir():
        with contextlib.suppress(OSError):
            entry.rename(folder / entry.name)
    with contextlib.suppress(OSError):
        aside.rmdir()


def _old_generation(aside: Path) -> int:
    """The replaced vault's generation as its header says (0 if it cannot be read)."""
    try:
        old = hdr.read_header(aside)
    except (OSError, hdr.HeaderDamaged, hdr.HeaderTooNew):
        return 0
    return old.state.generation if old.state else 0


def _prepare_folder(folder: Path, vault_id: str) -> Path | None:
    """Make ``folder`` ready to receive the restore; the folder the old files went to.

    ``folder`` may be empty, hold a vault of the same id (damaged or not), or hold only a
    ``lotse-erased.json`` copied there from the lost vault (so its erasures apply).
    """
    entries = [
        p
        for p in folder.iterdir()
        if p.name != LOCK_NAME and not p.name.startswith(REPLACED_PREFIX)
    ]
    if not entries:
        return None
    only_erased_list = [p.name for p in entries] == [erasures.ERASED_NAME]
    is_vault = (folder / hdr.HEADER_NAME).exists() or (folder / DB_NAME).exists()
    if not is_vault and not only_erased_list:
        raise BadInputError(
            _(
                "Der Ordner {folder} ist nicht leer und enthält keinen Tresor. Stellen Sie die "
                "Sicherung in einen leeren oder neuen Ordner wieder her."
            ).format(folder=folder)
        )
    with contextlib.suppress(OSError, hdr.HeaderDamaged, hdr.HeaderTooNew):
        if hdr.read_header(folder).vault_id != vault_id:
            raise BadInputError(
                _(
                    "Der Ordner {folder} enthält einen anderen Tresor als die Sicherung. "
                    "Stellen Sie sie in einen leeren oder neuen Ordner wieder her."
                ).format(folder=folder)
            )
    return _move_aside(folder)


#: Gives the data key of a backup from its header (its passphrase, or a recovery key).
DataKeyOf = Callable[[hdr.Header], bytes]


def restore_backup(
    source: Path,
    folder: Path,
    passphrase: str | DataKeyOf,
    then: Callable[[Vault], None] | None = None,
) -> RestoreResult:
    """Restore the backup ``source`` into ``folder`` (see the module docstring).

    ``passphrase`` is the backup's passphrase, or a function that finds the data key in
    its header another way (the organisation's recovery key: :mod:`lotse.vault.recover`).
    ``then`` runs on the restored vault while it is open (a new passphrase, say); if it
    fails, the restore is undone as any other failure.
    """
    source, folder = Path(source), Path(folder)
    with _open_regular(source) as fh:
        meta, offset, size = _read_meta(fh, source)
        header = _header_of(meta, source)
        data_key = passphrase(header) if callable(passphrase) else _unwrap(header, passphrase)
        if not _mac_ok(meta, data_key) or not header.mac_is_valid(data_key):
            raise _damaged_backup(source)
        if header.state is None or header.vault_id != meta.get("vault_id"):
            raise _damaged_backup(source)
        # The whole file is checked before the folder is touched (or a vault moved aside).
        fh.seek(offset)
        try:
            digest = _copy_range(fh, size, _Discard())
        except EOFError:
            raise _damaged_backup(source) from None
        if digest != meta["database"]["sha256"]:
            raise _damaged_backup(source)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise _cannot(folder, exc, writing=True) from None
        lock = _acquire_lock(folder)
        aside: Path | None = None
        vault: Vault | None = None
        undo: list[Callable[[], None]] = []
        try:
            remove_unfinished(folder)
            aside = _prepare_folder(folder, header.vault_id)
            _create_private_file(folder / RESTORING_NAME)
            undo.append(lambda: remove_unfinished(folder))
            _extract(fh, offset, size, meta["database"]["sha256"], folder / DB_NAME, source)
            vault = Vault(folder, header, data_key, lock)
            _check_database(vault)
            result = _finish_restore(vault, meta, aside, then)
            (folder / RESTORING_NAME).unlink()
            vault.close()
            return result
        except BaseException:
            if vault is not None:
                vault.engine.dispose()
            for step in reversed(undo):
                step()
            if aside is not None:
                _move_back(aside, folder)
            lock.release()
            raise


def _finish_restore(
    vault: Vault, meta: dict[str, Any], aside: Path | None, then: Callable[[Vault], None] | None
) -> RestoreResult:
    key = vault._data_key
    header_head = vault.header.state.audit_head if vault.header.state else None
    doubtful = False
    with vault.transaction() as session:
        row = session.get(VaultStateRow, 1)
        if row is None:
            raise _damaged_backup(vault.folder)
        previous = max(row.generation, _old_generation(aside) if aside else 0)
        row.generation = previous + 1
        list_key = erasures.ensure_list_key(session, key)
        erased = erasures.ErasedList(vault.vault_id)
        if meta.get("erased") is not None:
            with contextlib.suppress(erasures.ErasedListDamaged):
                erased.merge(erasures.from_json(list_key, meta["erased"], vault.vault_id))
        if aside is not None and (aside / erasures.ERASED_NAME).exists():
            try:
                old = erasures.read_file(aside / erasures.ERASED_NAME, list_key, vault.vault_id)
                doubtful = not old.intact
                erased.merge(old)
            except erasures.ErasedListDamaged:
                doubtful = True
        gone = erasures.reapply(session, list_key, erased)
        # A backup from before the audit chain: its log is chained now.
        audit.ensure_key(session, key)
        if header_head is None:
            audit.seal_legacy(session)
        audit.append(
            session,
            "vault_restored",
            backup_created=meta.get("created"),
            generation=row.generation,
            erased_again=len(gone),
        )
    erasures.write_file(vault.folder, list_key, erased)
    if then is not None:
        then(vault)
    db = vault._db_state()  # after ``then``: the header follows its writes too
    if db is None:
        raise _damaged_backup(vault.folder)
    vault._write_state(db, clean=True)
    return RestoreResult(
        folder=vault.folder,
        backup_created=str(meta.get("created", "")),
        generation=db.generation,
        erased_again=len(gone),
        moved_aside=aside,
        erased_list_doubtful=doubtful,
    )
