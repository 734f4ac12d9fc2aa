"""The vault: one folder holding the encrypted database and the header with its key slots.

``Vault``, ``create_vault`` and ``open_vault`` load :mod:`lotse.vault.vault` (SQLAlchemy,
SQLCipher) on first use, so reading a header's name or the machine policy does not: the
unlock window shows before the storage stack is loaded (issue 15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

#: The header's file name (defined here, not in :mod:`lotse.vault.header`, so that asking
#: whether a folder holds a vault loads no cryptography).
HEADER_NAME = "lotse-vault.json"

if TYPE_CHECKING:
    from lotse.vault.vault import Vault, create_vault, open_vault

__all__ = ["Vault", "create_vault", "open_vault"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from lotse.vault import vault

        return getattr(vault, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
