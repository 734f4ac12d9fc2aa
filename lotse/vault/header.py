"""The vault header: a small JSON file beside the database that holds the wrapped data key.

Layout (``lotse-vault.json``)::

    {"format": "lotse.vault/1", "vault_id": "…", "created": "…",
     "key_slots": [{"id": "passphrase", "type": "passphrase", "kdf": {…},
                    "salt": "b64", "nonce": "b64", "wrapped_key": "b64"}],
     "mac": "b64", "checksum": "hex"}

Two seals, as KeePass's KDBX 4 has them: ``checksum`` (SHA-256 of the rest) tells damage
apart from a wrong passphrase before any key is derived; ``mac`` (HMAC under a key derived
from the data key) shows after unlocking that nobody changed the header. ``key_slots`` is a
list so a recovery key or an organisation's escrow key can be added later.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lotse.crypto import keywrap
from lotse.crypto.kdf import SALT_LENGTH, KdfParams, derive_key, new_salt

HEADER_NAME = "lotse-vault.json"
FORMAT = "lotse.vault/1"
FORMAT_PREFIX = "lotse.vault/"
FORMAT_VERSION = 1


class HeaderDamaged(Exception):
    """The header cannot be read or its checksum does not match."""


class HeaderTooNew(Exception):
    """The header was written by a newer Lotse."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise HeaderDamaged("expected base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise HeaderDamaged("bad base64") from exc


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@dataclass
class KeySlot:
    id: str
    type: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes

    def associated_data(self, vault_id: str) -> bytes:
        return _canonical(
            {"vault_id": vault_id, "slot": self.id, "type": self.type, "kdf": self.kdf.to_json()}
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "kdf": self.kdf.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
        }

    @classmethod
    def from_json(cls, data: Any) -> KeySlot:
        if not isinstance(data, dict):
            raise HeaderDamaged("key slot is not an object")
        try:
            slot = cls(
                id=str(data["id"]),
                type=str(data["type"]),
                kdf=KdfParams.from_json(data["kdf"]),
                salt=_unb64(data["salt"]),
                nonce=_unb64(data["nonce"]),
                wrapped_key=_unb64(data["wrapped_key"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise HeaderDamaged(str(exc)) from exc
        if (
            len(slot.salt) != SALT_LENGTH
            or len(slot.nonce) != keywrap.NONCE_LENGTH
            or len(slot.wrapped_key) != keywrap.DATA_KEY_LENGTH + 16  # + GCM tag
        ):
            raise HeaderDamaged("key slot field of wrong length")
        return slot


@dataclass
class Header:
    vault_id: str
    created: str
    key_slots: list[KeySlot] = field(default_factory=list)
    mac: bytes = b""

    # -- the two seals ---------------------------------------------------------------------
    def _body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "vault_id": self.vault_id,
            "created": self.created,
            "key_slots": [slot.to_json() for slot in self.key_slots],
        }

    def seal(self, data_key: bytes) -> None:
        self.mac = keywrap.mac(keywrap.header_mac_key(data_key), _canonical(self._body()))

    def mac_is_valid(self, data_key: bytes) -> bool:
        return keywrap.mac_matches(
            keywrap.header_mac_key(data_key), _canonical(self._body()), self.mac
        )

    def to_bytes(self) -> bytes:
        data = self._body()
        data["mac"] = _b64(self.mac)
        data["checksum"] = hashlib.sha256(_canonical(data)).hexdigest()
        return (json.dumps(data, indent=2, sort_keys=False) + "\n").encode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HeaderDamaged("not JSON") from exc
        if not isinstance(data, dict):
            raise HeaderDamaged("not an object")
        # The checksum first, so a flipped bit in "format" reads as damage, not as a newer
        # Lotse. Every future header format keeps this checksum over the same canonical body.
        checksum = data.pop("checksum", None)
        if (
            not isinstance(checksum, str)
            or hashlib.sha256(_canonical(data)).hexdigest() != checksum
        ):
            raise HeaderDamaged("checksum mismatch")
        fmt = data.get("format")
        if isinstance(fmt, str) and fmt.startswith(FORMAT_PREFIX) and fmt != FORMAT:
            try:
                version = int(fmt.removeprefix(FORMAT_PREFIX))
            except ValueError as exc:
                raise HeaderDamaged("bad format") from exc
            if version > FORMAT_VERSION:
                raise HeaderTooNew(fmt)
        if fmt != FORMAT:
            raise HeaderDamaged("bad format")
        slots = data.get("key_slots")
        if not isinstance(slots, list) or not slots:
            raise HeaderDamaged("no key slots")
        return cls(
            vault_id=str(data.get("vault_id", "")),
            created=str(data.get("created", "")),
            key_slots=[KeySlot.from_json(s) for s in slots],
            mac=_unb64(data.get("mac")),
        )

    # -- key slots ------------------------------------------------------------------------
    def slot(self, slot_id: str) -> KeySlot | None:
        return next((s for s in self.key_slots if s.id == slot_id), None)

    def set_passphrase_slot(self, passphrase: str, data_key: bytes, params: KdfParams) -> None:
        """Wrap ``data_key`` under ``passphrase`` into the ``passphrase`` slot (replacing it)."""
        salt = new_salt()
        slot = KeySlot("passphrase", "passphrase", params, salt, b"", b"")
        kek = derive_key(passphrase, salt, params)
        slot.nonce, slot.wrapped_key = keywrap.wrap(
            kek, data_key, slot.associated_data(self.vault_id)
        )
        self.key_slots = [s for s in self.key_slots if s.id != "passphrase"]
        self.key_slots.insert(0, slot)

    def unwrap_with_passphrase(self, passphrase: str) -> bytes:
        """The data key; raises :class:`keywrap.UnwrapError` for a wrong passphrase."""
        slot = self.slot("passphrase")
        if slot is None:
            raise HeaderDamaged("no passphrase slot")
        kek = derive_key(passphrase, slot.salt, slot.kdf)
        return keywrap.unwrap(
            kek, slot.nonce, slot.wrapped_key, slot.associated_data(self.vault_id)
        )


def new_header() -> Header:
    return Header(
        vault_id=str(uuid.uuid4()),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )


def read_header(folder: Path) -> Header:
    return Header.from_bytes((folder / HEADER_NAME).read_bytes())


def write_header(folder: Path, header: Header) -> None:
    """Write atomically (temp file, fsync, rename), readable by the user only."""
    target = folder / HEADER_NAME
    tmp = folder / (HEADER_NAME + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, header.to_bytes())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
