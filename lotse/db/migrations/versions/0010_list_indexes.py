"""list indexes: the families list reads its dates from indexes alone

The families list shows each family's last contact and next open Wiedervorlage. Read for
100,000 families at once (one query, :mod:`lotse.casework.listing`), the aggregates took
SQLite most of the list's time: each contact of ``ix_contact_family_id`` had to be looked
up in the table for its date. With the date in the index (and a partial index of open
reminders only) the list's query needs no table row of either; a write stores one more
index entry.

Revision ID: 0010_list_indexes
Revises: 0009_consent_list
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_list_indexes"
down_revision = "0009_consent_list"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contact_family_date", "contact", ["family_id", "date"])
    op.create_index(
        "ix_reminder_open_family_due",
        "reminder",
        ["family_id", "due"],
        sqlite_where=sa.text("done IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_open_family_due", table_name="reminder")
    op.drop_index("ix_contact_family_date", table_name="contact")
