"""The list of erased families, kept outside the database so a restore cannot bring them back.

When a family is erased (GDPR Art. 17), its code goes into ``lotse-erased.json`` in the
vault folder, only as a keyed hash (HMAC-SHA-256): the file names nobody, and without the
key nobody can test a code against it. A restore (:mod:`lotse.vault.backup`) erases every
family of the restored database whose code is on the list, so an erasure made after the
backup still holds.

The key lives in the database (table ``secret``), derived once from the data key, so a key
rotation does not change it and every backup carries it. The file has a MAC under a key
derived from it: a list with entries removed (or damaged) is noticed and reported.

Layout::

    {"format": "lotse.erased/1", "vault_id": "…",
     "erased": [{"hash": "hex", "at": "2026-11-21T10:00:00+00:00"}], "mac": "hex"}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.crypto import keywrap
from lotse.db.models import Family, Secret
from lotse.vault.header import write_private_file

ERASED_NAME = "lotse-erased.json"
FORMAT = "lotse.erased/1"
SECRET_KEY = "erasure_list_key"
#: A list longer than this is not read (a vault erases far fewer families in its life).
MAX_ENTRIES = 1_000_000

_lock = threading.Lock()


class OpenVault(Protocol):
    """What :func:`record_erasure` needs of a :class:`lotse.vault.vault.Vault` (which
    imports this module, so it cannot be imported here)."""

    folder: Path
    _data_key: bytes

    @property
    def vault_id(self) -> str: ...

    def session(self) -> Session: ...


class ErasedListDamaged(Exception):
    """The file is not a list of erasures, or its MAC does not match."""


@dataclass
class ErasedList:
    vault_id: str
    #: hash → when it was recorded (ISO 8601, UTC)
    entries: dict[str, str] = field(default_factory=dict)
    #: False if the file's MAC did not match (entries were removed, added or damaged)
    intact: bool = True

    def merge(self, other: ErasedList) -> None:
        for digest, at in other.entries.items():
            self.entries.setdefault(digest, at)


def _keys(list_key: bytes) -> tuple[bytes, bytes]:
    """(the key for code hashes, the key for the file's MAC)."""
    return (
        keywrap.subkey(list_key, b"lotse erased family code v1"),
        keywrap.subkey(list_key, b"lotse erased list mac v1"),
    )


def code_hash(list_key: bytes, code: str) -> str:
    hash_key, _mac_key = _keys(list_key)
    return hmac.new(hash_key, code.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def list_key(session: Session) -> bytes | None:
    """The vault's erasure list key, or ``None`` in a vault that has none yet."""
    stored = session.get(Secret, SECRET_KEY)
    if stored is None or not isinstance(stored.value, str):
        return None
    try:
        key = bytes.fromhex(stored.value)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def ensure_list_key(session: Session, data_key: bytes) -> bytes:
    """The vault's erasure list key; made (from the data key) and stored if missing."""
    key = list_key(session)
    if key is None:
        key = keywrap.subkey(data_key, b"lotse erased list key v1")
        row = session.get(Secret, SECRET_KEY)
        if row is None:
            session.add(Secret(key=SECRET_KEY, value=key.hex()))
        else:
            row.value = key.hex()
    return key


def _mac(list_key: bytes, vault_id: str, entries: dict[str, str]) -> str:
    _hash_key, mac_key = _keys(list_key)
    body = json.dumps(
        {"format": FORMAT, "vault_id": vault_id, "erased": sorted(entries.items())},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    return hmac.new(mac_key, body, hashlib.sha256).hexdigest()


def to_json(list_key: bytes, erased: ErasedList) -> dict[str, Any]:
    entries = [{"hash": h, "at": at} for h, at in sorted(erased.entries.items())]
    return {
        "format": FORMAT,
        "vault_id": erased.vault_id,
        "erased": entries,
        "mac": _mac(list_key, erased.vault_id, erased.entries),
    }


def from_json(list_key: bytes, data: Any, vault_id: str) -> ErasedList:
    """The list in ``data``; :class:`ErasedListDamaged` if it is not one or belongs to
    another vault. A MAC that does not match gives ``intact=False`` with every well-formed
    entry (an entry cannot be forged without the key, so applying it is always safe)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ErasedListDamaged("not a list of erasures")
    if data.get("vault_id") != vault_id:
        raise ErasedListDamaged("list of another vault")
    raw = data.get("erased")
    if not isinstance(raw, list) or len(raw) > MAX_ENTRIES:
        raise ErasedListDamaged("no entries")
    entries: dict[str, str] = {}
    well_formed = True
    for item in raw:
        digest = item.get("hash") if isinstance(item, dict) else None
        at = item.get("at") if isinstance(item, dict) else None
        if isinstance(digest, str) and len(digest) == 64 and isinstance(at, str) and len(at) < 64:
            entries[digest] = at
        else:
            well_formed = False
    mac = data.get("mac")
    intact = (
        well_formed
        and isinstance(mac, str)
        and hmac.compare_digest(mac, _mac(list_key, vault_id, entries))
    )
    return ErasedList(vault_id, entries, intact)


def read_file(path: Path, list_key: bytes, vault_id: str) -> ErasedList:
    """The list in ``path``; an empty one if there is no file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ErasedList(vault_id)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ErasedListDamaged("not JSON") from exc
    return from_json(list_key, data, vault_id)


def write_file(folder: Path, list_key: bytes, erased: ErasedList) -> None:
    data = json.dumps(to_json(list_key, erased), indent=1) + "\n"
    write_private_file(folder / ERASED_NAME, data.encode("ascii"))


def record_erasure(vault: OpenVault, code: str, session: Session | None = None) -> None:
    """Put family ``code`` on the vault's list of erased families.

    Call it *before* the family's deletion is committed, with the deleting transaction's
    ``session`` if there is one: a crash in between leaves a listed family that still
    exists (the erasure the user asked for is then repeated by a restore), never an erased
    family missing from the list. A list whose MAC no longer matched is rewritten with a
    valid one, keeping its entries (an erasure must never fail for that).
    """
    if session is not None:
        key = ensure_list_key(session, vault._data_key)
    else:
        with vault.session() as own:
            key = ensure_list_key(own, vault._data_key)
            if own.new or own.dirty:
                own.commit()
    with _lock:
        try:
            erased = read_file(vault.folder / ERASED_NAME, key, vault.vault_id)
        except ErasedListDamaged:
            erased = ErasedList(vault.vault_id)
        erased.entries.setdefault(code_hash(key, code), _now())
        write_file(vault.folder, key, erased)


def reapply(session: Session, list_key: bytes, erased: ErasedList) -> list[str]:
    """Erase every family on ``erased`` from the database (the caller commits); their codes.

    Deleting the family deletes everything stored about it (children, contacts, referrals,
    reminders: the schema's cascades); closed periods keep their anonymous figures.
    """
    if not erased.entries:
        return []
    gone: list[str] = []
    for family in session.scalars(select(Family)):
        if code_hash(list_key, family.code) in erased.entries:
            gone.append(family.code)
            session.delete(family)
    return gone


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
