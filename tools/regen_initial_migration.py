"""Regenerate ``0001_initial_schema.py`` from ``lotse/db/models.py``.

Only until the first release: no vault in the field has the schema yet, so the initial
migration is kept equal to the models. After the first release every change is a new
migration (``alembic revision --autogenerate`` against a vault at head).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from lotse.db.migrate import MIGRATIONS, alembic_config


def main() -> None:
    for old in (MIGRATIONS / "versions").glob("0001_*.py"):
        old.unlink()
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        command.revision(
            alembic_config(conn), message="initial schema", autogenerate=True, rev_id="0001"
        )
    print(f"written {next(Path(MIGRATIONS / 'versions').glob('0001_*.py'))}")


if __name__ == "__main__":
    main()
