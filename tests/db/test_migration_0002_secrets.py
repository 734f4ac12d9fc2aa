"""Migration 0002 moves the signing key out of the settings into the ``secret`` table."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from lotse.db import migrate


def test_signing_key_moves_from_setting_to_secret_and_back() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
        conn.execute(
            text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
            [
                {"k": "statistics_signing_key", "v": '"c2VjcmV0"'},
                {"k": "organisation", "v": '"Stadt Bottrop"'},
            ],
        )
        command.upgrade(migrate.alembic_config(conn), "0002_secrets")
        settings = dict(conn.execute(text("SELECT key, value FROM setting")).all())
        secrets = dict(conn.execute(text("SELECT key, value FROM secret")).all())
        assert settings == {"organisation": '"Stadt Bottrop"'}
        assert secrets == {"statistics_signing_key": '"c2VjcmV0"'}

        command.downgrade(migrate.alembic_config(conn), "0001")
        settings = dict(conn.execute(text("SELECT key, value FROM setting")).all())
        assert settings["statistics_signing_key"] == '"c2VjcmV0"'
