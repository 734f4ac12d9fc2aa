"""Passphrase key derivation with Argon2id (RFC 9106), via the ``cryptography`` package.

The parameters travel with each key slot in the vault header, so they can be raised
later without touching the data. Tests pass cheaper :class:`KdfParams`; the defaults are
at least RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_LENGTH = 32
SALT_LENGTH = 16


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def to_json(self) -> dict[str, int | str]:
        return {"name": "argon2id", **asdict(self)}

    @classmethod
    def from_json(cls, data: object) -> KdfParams:
        """Parameters read from a header; bounded, so an edited header cannot ask for 2 TiB."""
        if not isinstance(data, dict) or data.get("name") != "argon2id":
            raise ValueError("unsupported KDF")
        values = {k: data.get(k) for k in ("memory_kib", "iterations", "lanes")}
        for key, value in values.items():
            low, high = _BOUNDS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"KDF parameter {key} out of range")
        return cls(**values)  # type: ignore[arg-type]


# Generous upper bounds (4 GiB, 64 passes, 64 lanes) leave room to raise the parameters.
_BOUNDS = {"memory_kib": (8, 4 * 1024 * 1024), "iterations": (1, 64), "lanes": (1, 64)}


#: What new vaults get. Never lower than RFC 9106's second recommended option.
DEFAULT_PARAMS = KdfParams()

#: Cheap parameters for tests only: real Argon2id, a fraction of the work.
TEST_PARAMS = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)


def new_salt() -> bytes:
    return os.urandom(SALT_LENGTH)


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The 256-bit key-encryption key for ``passphrase`` (NFC-normalised UTF-8)."""
    import unicodedata

    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    kdf = Argon2id(
        salt=salt,
        length=KEY_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)
