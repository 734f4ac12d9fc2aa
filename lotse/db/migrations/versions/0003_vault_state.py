"""vault state: the database's generation and write counter

One row the vault compares with its header's copy at unlock, so an older ``lotse.db`` (or
a write-ahead log cut back) under a newer header, or an older header over a newer
database, is refused (see ``lotse/vault/state.py``). Existing vaults start at generation 1
with no writes counted; their format 1 header has no state to compare yet.

Revision ID: 0003_vault_state
Revises: 0002_secrets
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_vault_state"
down_revision = "0002_secrets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("writes", sa.Integer(), nullable=False),
        sa.Column("last_backup_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_state")),
    )
    op.execute("INSERT INTO vault_state (id, generation, writes) VALUES (1, 1, 0)")


def downgrade() -> None:
    op.drop_table("vault_state")
