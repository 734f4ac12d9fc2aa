"""secrets out of the user-visible settings

Secrets (the statistics signing key, later the keys other features add) get a table of
their own, so nothing that lists, exports or resets the settings can reach them. The
signing key that earlier versions kept in ``setting`` moves here.

Revision ID: 0002_secrets
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_secrets"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Rows of ``setting`` that were secrets before this revision.
MOVED_KEYS = ("statistics_signing_key",)


def upgrade() -> None:
    op.create_table(
        "secret",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_secret")),
    )
    keys = ", ".join(f"'{key}'" for key in MOVED_KEYS)
    op.execute(
        f"INSERT INTO secret (key, value) SELECT key, value FROM setting WHERE key IN ({keys})"
    )
    op.execute(f"DELETE FROM setting WHERE key IN ({keys})")


def downgrade() -> None:
    keys = ", ".join(f"'{key}'" for key in MOVED_KEYS)
    op.execute(
        f"INSERT INTO setting (key, value) SELECT key, value FROM secret WHERE key IN ({keys})"
    )
    op.drop_table("secret")
