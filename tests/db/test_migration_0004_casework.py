"""Migration 0004 adds the casework columns and tables and copies the single consent into
one ``consent`` row per scope code, without touching a family's other records."""

from __future__ import annotations

from typing import Any

from alembic import command
from sqlalchemy import Connection, create_engine, event, inspect, text

from lotse.db import migrate


def _engine() -> Any:
    # Foreign keys on, as in a vault: a migration that copied ``family`` would cascade.
    engine = create_engine("sqlite://")

    @event.listens_for(engine, "connect")
    def _fk(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    return engine


def _fill_0003(conn: Connection) -> None:
    family = (
        "INSERT INTO family (id, code, adults, languages, consent_date, consent_scope, "
        "consent_withdrawn, created_at, updated_at) VALUES "
        "(:id, :code, 1, '[]', :date, :scope, :withdrawn, '2025-01-01', '2025-01-01')"
    )
    conn.execute(
        text(family),
        [
            {
                "id": 1,
                "code": "A",
                "date": "2025-02-21",
                "scope": '["referral", "documentation"]',
                "withdrawn": None,
            },
            {
                "id": 2,
                "code": "B",
                "date": "2025-01-08",
                "scope": '["statistics"]',
                "withdrawn": "2025-03-01",
            },
            {"id": 3, "code": "C", "date": None, "scope": "[]", "withdrawn": None},
            {
                "id": 4,
                "code": "D",
                "date": "2025-04-01",
                "scope": '["transfer", "transfer"]',
                "withdrawn": None,
            },
        ],
    )
    conn.execute(
        text("INSERT INTO child (family_id, position, birth_date) VALUES (1, 0, '2024-05-02')")
    )
    conn.execute(
        text(
            "INSERT INTO referral (family_id, date, target, status, created_at) "
            "VALUES (1, '2025-02-21', 'early_help', 'arrived', '2025-02-21')"
        )
    )


def test_consent_becomes_one_row_per_scope_and_nothing_else_changes() -> None:
    engine = _engine()
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003_vault_state")
        _fill_0003(conn)
        command.upgrade(migrate.alembic_config(conn), "0004_casework")

        consents = conn.execute(
            text(
                "SELECT family_id, position, purpose, date, recipient, withdrawn, form_language "
                "FROM consent ORDER BY family_id, position"
            )
        ).all()
        assert [tuple(row) for row in consents] == [
            (1, 0, "referral", "2025-02-21", None, None, None),
            (1, 1, "documentation", "2025-02-21", None, None, None),
            (2, 0, "statistics", "2025-01-08", None, "2025-03-01", None),
            (4, 0, "transfer", "2025-04-01", None, None, None),  # a code given twice: once
        ]
        # The old columns stay (code still reads them) and keep their values.
        old = conn.execute(text("SELECT consent_scope FROM family WHERE id = 1")).scalar()
        assert old == '["referral", "documentation"]'
        # New columns: empty, the screening's booleans false; the family's records kept.
        row = conn.execute(
            text(
                "SELECT identified, screening_date, screening_staff_concern, "
                "screening_own_request, closure_reason, origin_service, origin_date "
                "FROM family WHERE id = 1"
            )
        ).one()
        assert tuple(row) == (None, None, 0, 0, None, None, None)
        assert conn.execute(text("SELECT count(*) FROM child")).scalar() == 1
        assert conn.execute(text("SELECT mode FROM referral")).all() == [(None,)]
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("family")}
        assert {"ix_family_screening_date", "ix_family_closed"} <= indexes


def test_downgrade_keeps_the_records() -> None:
    engine = _engine()
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003_vault_state")
        _fill_0003(conn)
        command.upgrade(migrate.alembic_config(conn), "0004_casework")
        command.downgrade(migrate.alembic_config(conn), "0003_vault_state")
        tables = set(inspect(conn).get_table_names())
        assert "consent" not in tables and "screening_factor" not in tables
        columns = {c["name"] for c in inspect(conn).get_columns("family")}
        assert "screening_date" not in columns and "consent_scope" in columns
        assert conn.execute(text("SELECT count(*) FROM child")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM referral")).scalar() == 1
