"""casework: identified date, screening, closure reason, referral mode, consents, origin

What clinic navigators document (issue 10, records.md ``lotse.records/2``):

- ``family.identified``: the day the service first learned of the family;
- the screening in ``family.screening_date`` / ``screening_staff_concern`` /
  ``screening_own_request`` with its burden factors in ``screening_factor`` (one row per
  factor, so statistics count them in SQL); a family has a screening when its date is set;
- ``family.closure_reason`` beside ``closed``; ``family.origin_service`` / ``origin_date``;
- ``referral.mode``;
- ``consent``: one row per consent (purpose, date, recipient, withdrawn, form language).

The single consent of earlier schemas (``family.consent_date``, ``consent_scope``,
``consent_withdrawn``) is copied into ``consent`` as one row per scope code, in the
order of the scope list (records.md: a version 1 ``consent`` reads as one ``consents``
entry per scope code). A consent without a date has no row (a consent row needs one; the
form never stored scope without a date). The old columns stay for now: code that still
reads them goes first, a later revision drops them.

Revision ID: 0004_casework
Revises: 0003_vault_state
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_casework"
down_revision = "0003_vault_state"
branch_labels = None
depends_on = None


def _scope_codes(raw: Any) -> list[str]:
    """The scope codes of a stored ``consent_scope`` (JSON text), each once, in order."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    if not isinstance(raw, list):
        return []
    return list(dict.fromkeys(code for code in raw if isinstance(code, str) and code))


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a batch that copies the table: with foreign keys
    # on, dropping the old copy of ``family`` would cascade to its children and contacts.
    op.add_column("family", sa.Column("closure_reason", sa.String(length=32), nullable=True))
    op.add_column("family", sa.Column("identified", sa.Date(), nullable=True))
    op.add_column("family", sa.Column("screening_date", sa.Date(), nullable=True))
    for name in ("screening_staff_concern", "screening_own_request"):
        op.add_column(
            "family", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column("family", sa.Column("origin_service", sa.Text(), nullable=True))
    op.add_column("family", sa.Column("origin_date", sa.Date(), nullable=True))
    op.create_index("ix_family_screening_date", "family", ["screening_date"], unique=False)
    op.create_index("ix_family_closed", "family", ["closed"], unique=False)
    op.add_column("referral", sa.Column("mode", sa.String(length=32), nullable=True))

    op.create_table(
        "screening_factor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("factor", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["family.id"],
            name=op.f("fk_screening_factor_family_id_family"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_factor")),
        sa.UniqueConstraint("family_id", "factor", name=op.f("uq_screening_factor_family_id")),
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=True),
        sa.Column("withdrawn", sa.Date(), nullable=True),
        sa.Column("form_language", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["family.id"],
            name=op.f("fk_consent_family_id_family"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index(op.f("ix_consent_family_id"), "consent", ["family_id"], unique=False)

    # The old single consent, one row per scope code. Dates are copied as the ISO text
    # SQLite holds them (no round trip through Python dates that could change them).
    bind = op.get_bind()
    old = bind.execute(
        sa.text(
            "SELECT id, consent_date, consent_scope, consent_withdrawn FROM family "
            "WHERE consent_date IS NOT NULL ORDER BY id"
        )
    ).all()
    rows = [
        {
            "family_id": family_id,
            "position": position,
            "purpose": code,
            "date": date,
            "withdrawn": withdrawn,
        }
        for family_id, date, scope, withdrawn in old
        for position, code in enumerate(_scope_codes(scope))
    ]
    if rows:
        bind.execute(
            sa.text(
                "INSERT INTO consent (family_id, position, purpose, date, withdrawn) "
                "VALUES (:family_id, :position, :purpose, :date, :withdrawn)"
            ),
            rows,
        )


def downgrade() -> None:
    # The consent rows go; the old single consent columns were never changed by upgrade.
    # Columns are dropped with SQLite's own ALTER TABLE DROP COLUMN (3.35+), not a batch
    # that copies the table (see upgrade: that would cascade to the family's records).
    op.drop_index(op.f("ix_consent_family_id"), table_name="consent")
    op.drop_table("consent")
    op.drop_table("screening_factor")
    op.drop_index("ix_family_closed", table_name="family")
    op.drop_index("ix_family_screening_date", table_name="family")
    for table, column in (
        ("referral", "mode"),
        ("family", "origin_date"),
        ("family", "origin_service"),
        ("family", "screening_own_request"),
        ("family", "screening_staff_concern"),
        ("family", "screening_date"),
        ("family", "identified"),
        ("family", "closure_reason"),
    ):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
