"""The vault's own key pairs, made on first use and kept in the ``secret`` table.

- Ed25519 (``statistics_signing_key``, the name it has had since the first statistics
  packages): signs packages, contact cards and sealed messages;
- X25519 (``encryption_key``): what others seal packages and handovers to.

Both private keys stay in the encrypted vault and are never among the settings.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy.orm import Session

from lotse.crypto import sealing
from lotse.db.models import Secret

#: The secret holding the vault's private signing key (base64 of the raw 32 bytes).
SIGNING_KEY_SETTING = "statistics_signing_key"
#: The secret holding the vault's private X25519 key (base64 of the raw 32 bytes).
ENCRYPTION_KEY_SETTING = "encryption_key"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _stored(session: Session, key: str, make: bytes) -> bytes:
    row = session.get(Secret, key)
    if row is not None:
        return unb64(str(row.value))
    session.add(Secret(key=key, value=b64(make)))
    session.flush()
    return make


def signing_key(session: Session) -> Ed25519PrivateKey:
    """The vault's signing key, made and stored on first use (the caller commits)."""
    raw = _stored(session, SIGNING_KEY_SETTING, sealing.new_signing_key().private_bytes_raw())
    return Ed25519PrivateKey.from_private_bytes(raw)


def encryption_key(session: Session) -> X25519PrivateKey:
    """The vault's X25519 key, made and stored on first use (the caller commits)."""
    raw = _stored(session, ENCRYPTION_KEY_SETTING, sealing.new_encryption_key().private_bytes_raw())
    return X25519PrivateKey.from_private_bytes(raw)
