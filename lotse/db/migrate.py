"""Bringing a vault's schema up to date with Alembic, on an open connection.

Alembic is imported only when asked for: every start of Lotse checks the schema revision,
but few need the migration machinery, and its import costs ~0.1 s of start-up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _script():  # type: ignore[no-untyped-def]
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision, read from the newest migration file (no Alembic import).

    Revision files are named ``NNNN_<slug>.py`` with a sortable number (0001, 0002…); the
    revision id is the file's ``revision = "…"`` line ("0001", "0002_secrets", …).
    """
    newest = sorted((MIGRATIONS / "versions").glob("[0-9]*.py"))[-1]
    found = re.search(r"^revision = [\"']([^\"']+)[\"']", newest.read_text("utf-8"), re.M)
    if found is None:
        raise RuntimeError(f"{newest.name} names no revision")
    return found.group(1)


def current_revision(connection: Connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:  # no alembic_version table: not a Lotse database
        return None


def is_known_revision(revision: str) -> bool:
    return any(rev.revision == revision for rev in _script().walk_revisions())


def upgrade(connection: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), "head")
