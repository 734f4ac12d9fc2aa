"""team: received packages name their navigator, pinned keys, the address book

For team leads (issue 13):

- ``statistics_package`` gets ``created`` (when the navigator's vault made it: a
  correction is newer), ``navigator``, ``site`` and ``service_line`` (from the package,
  for lists and the delivery matrix), and an index on its period's dates;
- ``pinned_key``: the signing key each vault's packages must carry, pinned on the first
  one (before, the first stored package was the pin; it moves here, so removing a
  package no longer forgets the key);
- ``team_card``: the contact cards received (the address book).

Existing packages keep their payload; ``created`` is copied from it, the navigator stays
empty (packages before this revision did not name one).

Revision ID: 0005_team
Revises: 0004_casework
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_team"
down_revision = "0004_casework"
branch_labels = None
depends_on = None


def _payload(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _created(payload: dict[str, Any]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(payload["created"]))
    except (KeyError, ValueError):
        return None


def upgrade() -> None:
    with op.batch_alter_table("statistics_package") as batch:
        batch.add_column(sa.Column("created", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("navigator", sa.Text(), nullable=True))
        batch.add_column(sa.Column("site", sa.Text(), nullable=True))
        batch.add_column(sa.Column("service_line", sa.Text(), nullable=True))
        batch.create_index("ix_statistics_package_start_end", ["start", "end"])
    op.create_table(
        "pinned_key",
        sa.Column("source_vault", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_vault", name=op.f("pk_pinned_key")),
    )
    op.create_table(
        "team_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vault", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_card")),
        sa.UniqueConstraint("vault", name=op.f("uq_team_card_vault")),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, source_vault, payload, received_at FROM statistics_package "
            "ORDER BY received_at, id"
        )
    ).fetchall()
    pinned: set[str] = set()
    for row_id, vault, raw, received in rows:
        payload = _payload(raw)
        conn.execute(
            sa.text("UPDATE statistics_package SET created = :created WHERE id = :id"),
            {"created": _created(payload), "id": row_id},
        )
        key = payload.get("public_key")
        if vault not in pinned and isinstance(key, str):
            pinned.add(vault)
            conn.execute(
                sa.text(
                    "INSERT INTO pinned_key (source_vault, public_key, pinned_at) "
                    "VALUES (:vault, :key, :at)"
                ),
                {"vault": vault, "key": key, "at": received},
            )


def downgrade() -> None:
    op.drop_table("team_card")
    op.drop_table("pinned_key")
    with op.batch_alter_table("statistics_package") as batch:
        batch.drop_index("ix_statistics_package_start_end")
        batch.drop_column("service_line")
        batch.drop_column("site")
        batch.drop_column("navigator")
        batch.drop_column("created")
