"""drafts and counters: open forms survive a lock; family codes never come back

- ``draft``: what an open form holds, saved as it is typed, so an auto-lock in the middle
  of a conversation loses nothing (issue 9); a family's drafts go with the family;
- ``counter``: numbers that only grow. ``family_code:<year>`` is the last number handed
  out for a year's family codes, so the code of a deleted family is never given to
  another one. Existing vaults start at the highest code they hold.

Revision ID: 0007_drafts
Revises: 0005_team
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0007_drafts"
down_revision = "0005_team"
branch_labels = None
depends_on = None

_CODE = re.compile(r"F-(\d{4})-(\d{4,})")


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["family.id"],
            name=op.f("fk_draft_family_id_family"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
    )
    op.create_index(op.f("ix_draft_family_id"), "draft", ["family_id"], unique=False)
    op.create_table(
        "counter",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counter")),
    )
    # The highest code of each year held now (codes and external references alike).
    conn = op.get_bind()
    highest: dict[int, int] = {}
    for code, ref in conn.execute(sa.text("SELECT code, external_ref FROM family")):
        for value in (code, ref):
            match = _CODE.fullmatch(value or "")
            if match:
                year, number = int(match[1]), int(match[2])
                highest[year] = max(highest.get(year, 0), number)
    for year, number in sorted(highest.items()):
        conn.execute(
            sa.text("INSERT INTO counter (name, value) VALUES (:name, :value)"),
            {"name": f"family_code:{year}", "value": number},
        )


def downgrade() -> None:
    op.drop_table("counter")
    op.drop_index(op.f("ix_draft_family_id"), table_name="draft")
    op.drop_table("draft")
