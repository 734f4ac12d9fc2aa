"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from lotse.db import migrate
from lotse.db.models import Base


def test_migrations_match_the_models() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        migrate.upgrade(conn)
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], "models and migrations differ: run tools/regen_initial_migration.py"


def test_vault_schema_is_at_head(vault) -> None:
    with vault.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        tables = set(inspect(conn).get_table_names())
    assert {"family", "contact", "contact_topic", "referral", "group_offer"} <= tables


def test_head_from_file_names_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.is_known_revision(migrate.head_revision())
    assert not migrate.is_known_revision("from_the_future")
