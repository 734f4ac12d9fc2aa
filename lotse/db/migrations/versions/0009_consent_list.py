"""consent list: the single consent columns of ``family`` go

Migration 0004 copied each family's single consent (``consent_date``, ``consent_scope``,
``consent_withdrawn``) into ``consent`` rows, one per scope code; everything now reads
and writes those rows (the consent register, issue 11), so the old columns are dropped:
they would otherwise keep a consent the navigator has since withdrawn or corrected.

Downgrade puts back the columns and fills them from the rows as far as one consent can
hold them: the earliest date, the purposes in order, and a withdrawal only when every
consent of the family is withdrawn (the latest such date).

Revision ID: 0009_consent_list
Revises: 0008_audit_chain
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0009_consent_list"
down_revision = "0008_audit_chain"
branch_labels = None
depends_on = None

_COLUMNS = ("consent_date", "consent_scope", "consent_withdrawn")


def upgrade() -> None:
    # SQLite's own ALTER TABLE DROP COLUMN (3.35+), never a batch that copies the table:
    # with foreign keys on, dropping the old copy of ``family`` would cascade to its records.
    for column in _COLUMNS:
        op.execute(f'ALTER TABLE "family" DROP COLUMN "{column}"')


def downgrade() -> None:
    op.add_column("family", sa.Column("consent_date", sa.Date(), nullable=True))
    op.add_column(
        "family",
        sa.Column("consent_scope", sa.JSON(), nullable=False, server_default="[]"),
    )
    op.add_column("family", sa.Column("consent_withdrawn", sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT family_id, purpose, date, withdrawn FROM consent "
            "ORDER BY family_id, position, id"
        )
    ).all()
    by_family: dict[int, list[tuple[str, str, str | None]]] = {}
    for family_id, purpose, date, withdrawn in rows:
        by_family.setdefault(family_id, []).append((purpose, date, withdrawn))
    for family_id, consents in by_family.items():
        purposes = list(dict.fromkeys(purpose for purpose, _d, _w in consents))
        withdrawals = [w for _p, _d, w in consents]
        withdrawn = max(withdrawals) if all(withdrawals) else None
        bind.execute(
            sa.text(
                "UPDATE family SET consent_date = :date, consent_scope = :scope, "
                "consent_withdrawn = :withdrawn WHERE id = :id"
            ),
            {
                "date": min(date for _p, date, _w in consents),
                "scope": json.dumps(purposes),
                "withdrawn": withdrawn,
                "id": family_id,
            },
        )
