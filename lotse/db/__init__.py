"""Storage: the SQLAlchemy model of a vault's database and its Alembic migrations."""
