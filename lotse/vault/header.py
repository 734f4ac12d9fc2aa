"""The vault header: a small JSON file beside the database that holds the wrapped data key.

Layout (``lotse-vault.json``)::

    {"format": "lotse.vault/2", "vault_id": "…", "created": "…",
     "key_slots": [{"id": "passphrase", "type": "passphrase", "kdf": {…},
                    "salt": "b64", "nonce": "b64", "wrapped_key": "b64"},
                   {"id": "recovery", "type": "recovery-rsa-oaep-sha256",
                    "public_key": "PEM", "fingerprint": "hex", "ephemeral": "b64",
                    "nonce": "b64", "wrapped_key": "b64"}],
     "pending_key_slots": [],
     "state": {"generation": 1, "writes": 42, "clean": true, "audit_head": null},
     "mac": "b64", "checksum": "hex"}

Two seals, as KeePass's KDBX 4 has them: ``checksum`` (SHA-256 of the rest) tells damage
apart from a wrong passphrase before any key is derived; ``mac`` (HMAC under a key derived
from the data key) shows after unlocking that nobody changed the header.

``state`` is the header's view of the database (see :mod:`lotse.vault.state`): a header and
a database that disagree are refused as a rollback. ``pending_key_slots`` is non-empty only
while a key rotation runs: the same slots wrapping the *next* data key, so a rotation cut
off between the database's rekey and the header's rewrite still opens (see
:meth:`lotse.vault.vault.Vault.rotate_key`). Format 1 (no state, no pending slots) is still
read; the next write makes it format 2.
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

from lotse.crypto import keywrap, recovery
from lotse.crypto.kdf import SALT_LENGTH, KdfParams, derive_key, new_salt
from lotse.vault import HEADER_NAME as HEADER_NAME  # its home is the light package

FORMAT_PREFIX = "lotse.vault/"
FORMAT_VERSION = 2
FORMAT = f"{FORMAT_PREFIX}{FORMAT_VERSION}"
#: Older formats this Lotse still reads.
READABLE_VERSIONS = (1, 2)

PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"

#: Bounds for fields of a recovery slot (an 8192-bit RSA key's PEM is about 1.5 KB).
_MAX_PEM = 8192
_MAX_WRAPPED = 1024
_MAX_EPHEMERAL = 256
_MAX_COUNTER = 2**62


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
    """The data key wrapped under a key derived from the passphrase (Argon2id)."""

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

    def unwrap(self, passphrase: str, vault_id: str) -> bytes:
        kek = derive_key(passphrase, self.salt, self.kdf)
        return keywrap.unwrap(kek, self.nonce, self.wrapped_key, self.associated_data(vault_id))


@dataclass
class RecoverySlot:
    """The data key wrapped to the organisation's recovery public key (kept in the slot)."""

    id: str
    type: str
    public_key: str
    fingerprint: str
    ephemeral: bytes
    nonce: bytes
    wrapped_key: bytes

    def associated_data(self, vault_id: str) -> bytes:
        return _canonical(
            {
                "vault_id": vault_id,
                "slot": self.id,
                "type": self.type,
                "fingerprint": self.fingerprint,
            }
        )

    def wrapped(self) -> recovery.Wrapped:
        return recovery.Wrapped(self.type, self.ephemeral, self.nonce, self.wrapped_key)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "ephemeral": _b64(self.ephemeral),
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
        }

    @classmethod
    def from_json(cls, data: Any) -> RecoverySlot:
        if not isinstance(data, dict):
            raise HeaderDamaged("key slot is not an object")
        try:
            slot = cls(
                id=str(data["id"]),
                type=str(data["type"]),
                public_key=data["public_key"],
                fingerprint=data["fingerprint"],
                ephemeral=_unb64(data["ephemeral"]),
                nonce=_unb64(data["nonce"]),
                wrapped_key=_unb64(data["wrapped_key"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise HeaderDamaged(str(exc)) from exc
        if (
            slot.type not in recovery.SCHEMES
            or not isinstance(slot.public_key, str)
            or not 0 < len(slot.public_key) <= _MAX_PEM
            or not isinstance(slot.fingerprint, str)
            or len(slot.fingerprint) != 64
            or len(slot.ephemeral) > _MAX_EPHEMERAL
            or len(slot.nonce) not in (0, keywrap.NONCE_LENGTH)
            or not 0 < len(slot.wrapped_key) <= _MAX_WRAPPED
        ):
            raise HeaderDamaged("recovery slot field of wrong type or length")
        return slot

    @classmethod
    def wrap(cls, public_key: recovery.PublicKey, data_key: bytes, vault_id: str) -> RecoverySlot:
        slot = cls(
            id=RECOVERY_SLOT,
            type=recovery.scheme_for(public_key),
            public_key=recovery.public_pem(public_key),
            fingerprint=recovery.fingerprint(public_key),
            ephemeral=b"",
            nonce=b"",
            wrapped_key=b"",
        )
        wrapped = recovery.wrap(public_key, data_key, slot.associated_data(vault_id))
        slot.ephemeral, slot.nonce, slot.wrapped_key = (
            wrapped.ephemeral,
            wrapped.nonce,
            wrapped.ciphertext,
        )
        return slot


AnySlot = KeySlot | RecoverySlot


def _slot_from_json(data: Any) -> AnySlot:
    if isinstance(data, dict) and data.get("type") in recovery.SCHEMES:
        return RecoverySlot.from_json(data)
    slot = KeySlot.from_json(data)
    if slot.type != "passphrase":
        raise HeaderDamaged("unknown key slot type")
    return slot


@dataclass
class VaultState:
    """The header's view of the database: see :mod:`lotse.vault.state`."""

    generation: int
    writes: int
    clean: bool
    #: The audit log's latest link (its chain head), once the audit log is chained.
    audit_head: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "writes": self.writes,
            "clean": self.clean,
            "audit_head": self.audit_head,
        }

    @classmethod
    def from_json(cls, data: Any) -> VaultState:
        if not isinstance(data, dict):
            raise HeaderDamaged("state is not an object")
        generation, writes = data.get("generation"), data.get("writes")
        clean, head = data.get("clean"), data.get("audit_head")
        for number in (generation, writes):
            if isinstance(number, bool) or not isinstance(number, int):
                raise HeaderDamaged("state counter is not a number")
            if not 0 <= number < _MAX_COUNTER:
                raise HeaderDamaged("state counter out of range")
        if not isinstance(clean, bool) or not (head is None or isinstance(head, str)):
            raise HeaderDamaged("bad state field")
        if head is not None and len(head) > 256:
            raise HeaderDamaged("audit head too long")
        return cls(generation, writes, clean, head)  # type: ignore[arg-type]


@dataclass
class Header:
    vault_id: str
    created: str
    key_slots: list[AnySlot] = field(default_factory=list)
    mac: bytes = b""
    #: ``None`` only in a format 1 header, which had no state yet.
    state: VaultState | None = None
    pending_key_slots: list[AnySlot] = field(default_factory=list)
    version: int = FORMAT_VERSION

    # -- the two seals ---------------------------------------------------------------------
    def _body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": f"{FORMAT_PREFIX}{self.version}",
            "vault_id": self.vault_id,
            "created": self.created,
            "key_slots": [slot.to_json() for slot in self.key_slots],
        }
        if self.version >= 2:
            body["pending_key_slots"] = [slot.to_json() for slot in self.pending_key_slots]
            body["state"] = self.state.to_json() if self.state else None
        return body

    def seal(self, data_key: bytes) -> None:
        """Compute the MAC under ``data_key`` (always as the current format)."""
        self.version = FORMAT_VERSION
        self.mac = keywrap.mac(keywrap.header_mac_key(data_key), _canonical(self._body()))

    def mac_is_valid(self, data_key: bytes) -> bool:
        return keywrap.mac_matches(
            keywrap.header_mac_key(data_key), _canonical(self._body()), self.mac
        )

    def to_json(self) -> dict[str, Any]:
        data = self._body()
        data["mac"] = _b64(self.mac)
        data["checksum"] = hashlib.sha256(_canonical(data)).hexdigest()
        return data

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, sort_keys=False) + "\n").encode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise HeaderDamaged("not JSON") from exc
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: Any) -> Header:
        if not isinstance(data, dict):
            raise HeaderDamaged("not an object")
        data = dict(data)
        # The checksum first, so a flipped bit in "format" reads as damage, not as a newer
        # Lotse. Every future header format keeps this checksum over the same canonical body.
        checksum = data.pop("checksum", None)
        if (
            not isinstance(checksum, str)
            or hashlib.sha256(_canonical(data)).hexdigest() != checksum
        ):
            raise HeaderDamaged("checksum mismatch")
        fmt = data.get("format")
        if not isinstance(fmt, str) or not fmt.startswith(FORMAT_PREFIX):
            raise HeaderDamaged("bad format")
        try:
            version = int(fmt.removeprefix(FORMAT_PREFIX))
        except ValueError as exc:
            raise HeaderDamaged("bad format") from exc
        if fmt != f"{FORMAT_PREFIX}{version}":
            raise HeaderDamaged("bad format")
        if version > FORMAT_VERSION:
            raise HeaderTooNew(fmt)
        if version not in READABLE_VERSIONS:
            raise HeaderDamaged("bad format")
        slots = data.get("key_slots")
        if not isinstance(slots, list) or not slots:
            raise HeaderDamaged("no key slots")
        header = cls(
            vault_id=str(data.get("vault_id", "")),
            created=str(data.get("created", "")),
            key_slots=[_slot_from_json(s) for s in slots],
            mac=_unb64(data.get("mac")),
            version=version,
        )
        if version >= 2:
            pending = data.get("pending_key_slots")
            if not isinstance(pending, list):
                raise HeaderDamaged("no pending key slots list")
            header.pending_key_slots = [_slot_from_json(s) for s in pending]
            if "state" not in data:
                raise HeaderDamaged("no state")
            header.state = None if data["state"] is None else VaultState.from_json(data["state"])
        ids = [s.id for s in header.key_slots]
        if len(set(ids)) != len(ids):
            raise HeaderDamaged("duplicate key slot")
        return header

    # -- key slots ------------------------------------------------------------------------
    def slot(self, slot_id: str) -> AnySlot | None:
        return next((s for s in self.key_slots if s.id == slot_id), None)

    def passphrase_slot(self) -> KeySlot:
        slot = self.slot(PASSPHRASE_SLOT)
        if not isinstance(slot, KeySlot):
            raise HeaderDamaged("no passphrase slot")
        return slot

    def recovery_slot(self) -> RecoverySlot | None:
        slot = self.slot(RECOVERY_SLOT)
        return slot if isinstance(slot, RecoverySlot) else None

    def set_passphrase_slot(self, passphrase: str, data_key: bytes, params: KdfParams) -> None:
        """Wrap ``data_key`` under ``passphrase`` into the ``passphrase`` slot (replacing it)."""
        self._put_slot(self.key_slots, passphrase_slot(passphrase, data_key, params, self.vault_id))

    def set_recovery_slot(self, public_key: recovery.PublicKey, data_key: bytes) -> None:
        """Wrap ``data_key`` to the recovery ``public_key`` (replacing any earlier one)."""
        self._put_slot(self.key_slots, RecoverySlot.wrap(public_key, data_key, self.vault_id))

    @staticmethod
    def _put_slot(slots: list[AnySlot], slot: AnySlot) -> None:
        position = next((i for i, s in enumerate(slots) if s.id == slot.id), None)
        if position is None:
            # The passphrase slot first: tools and people look at key_slots[0].
            slots.insert(0 if slot.id == PASSPHRASE_SLOT else len(slots), slot)
        else:
            slots[position] = slot

    def unwrap_with_passphrase(self, passphrase: str) -> bytes:
        """The data key; raises :class:`keywrap.UnwrapError` for a wrong passphrase."""
        return self.passphrase_slot().unwrap(passphrase, self.vault_id)

    def unwrap_pending_with_passphrase(self, passphrase: str) -> bytes | None:
        """The next data key of an unfinished rotation, or ``None`` if there is none."""
        slot = next((s for s in self.pending_key_slots if isinstance(s, KeySlot)), None)
        return None if slot is None else slot.unwrap(passphrase, self.vault_id)

    def unwrap_with_recovery_key(self, private_key: recovery.PrivateKey, pending: bool) -> bytes:
        """The data key (or the next one) from the recovery slot; :class:`keywrap.UnwrapError`
        if ``private_key`` is not the one the slot was made for."""
        slots = self.pending_key_slots if pending else self.key_slots
        slot = next((s for s in slots if isinstance(s, RecoverySlot)), None)
        if slot is None:
            raise keywrap.UnwrapError
        return recovery.unwrap(private_key, slot.wrapped(), slot.associated_data(self.vault_id))


def passphrase_slot(passphrase: str, data_key: bytes, params: KdfParams, vault_id: str) -> KeySlot:
    """A new passphrase slot holding ``data_key``."""
    salt = new_salt()
    slot = KeySlot(PASSPHRASE_SLOT, "passphrase", params, salt, b"", b"")
    kek = derive_key(passphrase, salt, params)
    slot.nonce, slot.wrapped_key = keywrap.wrap(kek, data_key, slot.associated_data(vault_id))
    return slot


def new_header() -> Header:
    return Header(
        vault_id=str(uuid.uuid4()),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )


def read_header(folder: Path) -> Header:
    return Header.from_bytes((folder / HEADER_NAME).read_bytes())


def write_header(folder: Path, header: Header) -> None:
    """Write atomically (temp file, fsync, rename), readable by the user only."""
    write_private_file(folder / HEADER_NAME, header.to_bytes())


def write_private_file(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically (temp file, fsync, rename, fsync folder)."""
    folder = target.parent
    tmp = folder / (target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        # A full disk: the partial copy would only take up what little space is left.
        tmp.unlink(missing_ok=True)
        raise
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
