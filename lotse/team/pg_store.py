"""The received-packages store in a shared PostgreSQL database (a coordination office).

Several coordinators keep their navigators' packages in one database and read it with
their own tools: ``lotse package merge|list|remove --store postgresql://…``. The database
holds what a team lead's vault holds of packages, aggregates only: each package as it
was signed (``payload``, JSONB), the navigator, site and service line it names, and the
pinned signing keys. The rules are those of :mod:`lotse.team.store`; because others can
write to the database, every package read is checked again against its signature and
pinned key (``verify=True``).

The view ``lotse_quarter_site_service`` adds up the counts of the quarterly packages per
quarter × site × service line, one column per total of statistics.md, for the office's
own tools (exact figures: publish only after suppressing small numbers).

The tables are made on first use; a schema version row guards against a newer Lotse's
layout. The driver is psycopg 3 (``postgresql://`` means ``postgresql+psycopg://``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from lotse.errors import BadInputError, LotseError
from lotse.i18n import _
from lotse.stats.keys import COUNT_KEYS
from lotse.team.store import SqlPackageStore

SCHEMA_VERSION = 1
VIEW = "lotse_quarter_site_service"

metadata = MetaData()
packages = Table(
    "lotse_package",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_vault", String(64), nullable=False),
    Column("period_label", String(64), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("payload", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("created", DateTime),
    Column("navigator", Text),
    Column("site", Text),
    Column("service_line", Text),
    UniqueConstraint("source_vault", "start", "end", name="uq_lotse_package_vault_period"),
    Index("ix_lotse_package_period", "start", "end"),
)
pins = Table(
    "lotse_pinned_key",
    metadata,
    Column("source_vault", String(64), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("pinned_at", DateTime, nullable=False),
)
schema = Table(
    "lotse_schema",
    metadata,
    Column("version", Integer, nullable=False),
)


def _view_sql() -> str:
    # The keys are Lotse's own identifiers (stats/keys.py), never user input.
    sums = ",\n".join(
        f"  sum((payload->'figures'->'totals'->>'{key}')::bigint) AS {key}" for key in COUNT_KEYS
    )
    return f"""
CREATE OR REPLACE VIEW {VIEW} AS
SELECT
  to_char(start, 'YYYY') || '-Q' || to_char(start, 'Q') AS quarter,
  coalesce(site, '') AS site,
  coalesce(service_line, '') AS service_line,
  count(*) AS packages,
{sums}
FROM lotse_package
WHERE start = date_trunc('quarter', start)::date
  AND "end" = (date_trunc('quarter', start) + interval '3 months - 1 day')::date
GROUP BY 1, 2, 3
"""


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def check_url(url: str) -> str:
    """The SQLAlchemy URL for ``url`` (``postgresql://…``), or a clear BadInputError."""
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise BadInputError(
            _(
                "--store erwartet eine PostgreSQL-Adresse (postgresql://Benutzer@Rechner/"
                "Datenbank), nicht {url}."
            ).format(url=redacted(url))
        )
    return "postgresql+psycopg:" + url.split(":", 1)[1]


def _failed(url: str, error: DBAPIError) -> LotseError:
    reason = str(error.orig or error).strip()
    if isinstance(error, OperationalError):
        return LotseError(
            _("Der gemeinsame Speicher {url} ist nicht erreichbar: {reason}").format(
                url=redacted(url), reason=reason
            )
        )
    return LotseError(
        _("Fehler im gemeinsamen Speicher {url}: {reason}").format(url=redacted(url), reason=reason)
    )


class PostgresStore:
    """A connection pool to the shared database; :meth:`transaction` gives the store."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(check_url(url), pool_pre_ping=True)
        except (ArgumentError, NoSuchModuleError, ValueError) as error:
            raise BadInputError(
                _("--store: die Adresse {url} ist ungültig ({reason}).").format(
                    url=redacted(url), reason=error
                )
            ) from None
        self._ready = False

    def _prepare(self) -> None:
        """Make the tables and the view on first use; refuse a newer layout."""
        if self._ready:
            return
        with self.engine.begin() as conn:
            # One coordinator at a time creates the schema (others wait on the lock).
            conn.execute(text("SELECT pg_advisory_xact_lock(4215201301)"))
            metadata.create_all(conn)
            version = conn.execute(select(schema.c.version)).scalar()
            if version is None:
                conn.execute(schema.insert().values(version=SCHEMA_VERSION))
            elif version > SCHEMA_VERSION:
                raise BadInputError(
                    _(
                        "Der gemeinsame Speicher {url} stammt aus einer neueren Lotse-Version "
                        "(Schema {version}). Bitte aktualisieren Sie Lotse."
                    ).format(url=redacted(self.url), version=version)
                )
            conn.execute(text(_view_sql()))
        self._ready = True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqlPackageStore]:
        """The store on one transaction: committed when the block ends, else rolled back."""
        try:
            self._prepare()
            with self.engine.begin() as conn:
                yield SqlPackageStore(conn, packages, pins, verify=True, name=redacted(self.url))
        except DBAPIError as error:
            raise _failed(self.url, error) from error

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
