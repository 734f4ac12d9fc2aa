"""audit chain: each audit entry carries an HMAC linking it to the one before

``audit_log.mac`` holds the link (see ``lotse/vault/audit.py``); an index on ``at`` serves
the viewer's filter by day. Entries written before stay without a link: a migration has
no key, so the vault chains them the next time it is opened (the log has no link yet
then, which is how a log from before the chain is told apart from a tampered one).

Revision ID: 0008_audit_chain
Revises: 0007_drafts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_chain"
down_revision = "0007_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no batch copy of the table).
    op.add_column("audit_log", sa.Column("mac", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.execute('ALTER TABLE "audit_log" DROP COLUMN "mac"')
