"""The vault: one folder holding the encrypted database and the header with its key slots."""

from lotse.vault.vault import Vault, create_vault, open_vault

__all__ = ["Vault", "create_vault", "open_vault"]
