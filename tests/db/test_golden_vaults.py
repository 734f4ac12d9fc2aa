"""Every golden vault (a real vault of an earlier schema) opens, migrates and keeps its data.

``tests/data/golden/<revision>/`` holds a vault made once by ``tools/make_golden_vault.py``
from the commit of that schema, with what it held then: ``expected-records.jsonl`` (its
``lotse export``) and ``expected-tables.json`` (every row of every table). A new schema
adds a folder; the old folders stay, so every released schema is opened by every later
Lotse. The vault is always opened from a copy: opening migrates it in place.

How "the same data" is judged after a migration (later schemas may add, never lose):

- Records: the current ``lotse export`` is compared with the stored one line by line per
  record type. Every key the old line has must be in the new line with the same value;
  new keys and new record types (e.g. ``reminder`` lines of ``lotse.records/2``) are
  additions and pass. The one key records.md renames is mapped as it says: a version 1
  ``consent`` object equals one ``consents`` entry per scope code.
- Tables: every stored row must still be there (found by its primary key), with the same
  value in every column the table still has. Added tables, columns and rows pass. A
  row a migration moved elsewhere on purpose is named in :data:`MOVED_ROWS` and looked
  for where it went; a table or column dropped on purpose is named in :data:`DROPPED`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine

from lotse.cli.main import main
from lotse.db import migrate
from lotse.stats.figures import figures_for_period
from lotse.stats.keys import ADDED_IN_V2
from lotse.stats.period import parse_period
from lotse.team.store import merge, vault_store
from lotse.vault import open_vault
from lotse.vault.vault import DB_NAME

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
FOLDERS = sorted(p for p in GOLDEN.iterdir() if p.is_dir())

#: Rows a migration moved on purpose: ``"table[primary key]"`` → (table, primary key) where
#: it is now; it must be found there with the same values in the columns both tables have.
MOVED_ROWS: dict[str, tuple[str, tuple[Any, ...]]] = {
    # 0002_secrets: the signing key left the user-visible settings.
    "setting[statistics_signing_key]": ("secret", ("statistics_signing_key",)),
}
#: Tables (``"table"``) and columns (``"table.column"``) a migration dropped on purpose,
#: with where their data went. Everything not named here or above must stay where it was.
DROPPED: dict[str, str] = {
    # 0009_consent_list: the single consent lives on as one consent row per scope code
    # (0004 copied it; test_golden_vault_consent_becomes_consent_rows checks them).
    "family.consent_date": "consent.date",
    "family.consent_scope": "consent.purpose",
    "family.consent_withdrawn": "consent.withdrawn",
}


def _passphrase(folder: Path) -> str:
    """The throwaway passphrase, as the folder's README states it (so the README stays true)."""
    match = re.search(r"^- Passphrase: `([^`]+)`", (folder / "README.md").read_text(), re.M)
    assert match, f"{folder}/README.md does not state the passphrase"
    return match[1]


@pytest.fixture(params=FOLDERS, ids=[p.name for p in FOLDERS])
def golden(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    """(the stored folder, a private copy of its vault to open)."""
    stored: Path = request.param
    copy = tmp_path / "vault"
    copy.mkdir(mode=0o700)
    for name in ("lotse-vault.json", DB_NAME):
        shutil.copyfile(stored / name, copy / name)
        os.chmod(copy / name, 0o600)
    return stored, copy


def test_there_is_a_golden_vault_of_the_first_schema() -> None:
    assert "0001" in [p.name for p in FOLDERS]


def test_golden_vault_opens_and_migrates_to_head(golden: tuple[Path, Path]) -> None:
    stored, copy = golden
    with open_vault(copy, _passphrase(stored)) as vault, vault.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    if stored.name != migrate.head_revision():
        # An older schema: the file as it was is kept beside the migrated one.
        assert (copy / f"{DB_NAME}.before-{migrate.head_revision()}").is_file()
    with open_vault(copy, _passphrase(stored)) as vault, vault.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()  # and stays there


# --- records -----------------------------------------------------------------------------


def _v1_consent_as_consents(consent: dict[str, Any]) -> list[dict[str, Any]]:
    """records.md: a version 1 ``consent`` reads as one ``consents`` entry per scope code."""
    extra = {"withdrawn": consent["withdrawn"]} if "withdrawn" in consent else {}
    return [{"purpose": code, "date": consent["date"]} | extra for code in consent["scope"]]


def _missing(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What of the old line the new one lacks or has changed (empty: the new one covers it)."""
    problems = []
    for key, value in old.items():
        if key == "consent" and "consent" not in new:
            entries = new.get("consents", [])
            for wanted in _v1_consent_as_consents(value):
                if not any(wanted.items() <= entry.items() for entry in entries):
                    problems.append(f"consents lacks {wanted}")
        elif new.get(key, object()) != value:
            problems.append(f"{key}: {value!r} became {new.get(key, '(missing)')!r}")
    return problems


def _by_type(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        grouped.setdefault(line["type"], []).append(line)
    return grouped


def test_golden_vault_exports_the_records_it_held(
    golden: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored, copy = golden
    out = tmp_path / "export.jsonl"
    monkeypatch.setenv("LOTSE_PASSPHRASE", _passphrase(stored))

    assert main(["export", "--vault", str(copy), str(out)]) == 0

    old_lines = (stored / "expected-records.jsonl").read_text(encoding="utf-8").splitlines()
    new_lines = out.read_text(encoding="utf-8").splitlines()
    old_header, *old = [json.loads(line) for line in old_lines]
    new_header, *new = [json.loads(line) for line in new_lines]
    old_version = int(old_header["format"].removeprefix("lotse.records/"))
    assert int(new_header["format"].removeprefix("lotse.records/")) >= old_version
    new_by_type = _by_type(new)
    for kind, old_of_kind in _by_type(old).items():
        new_of_kind = new_by_type.get(kind, [])
        assert len(new_of_kind) == len(old_of_kind), f"{kind}: the number of lines changed"
        for old_line, new_line in zip(old_of_kind, new_of_kind, strict=True):
            assert _missing(old_line, new_line) == [], f"{kind} line {old_line}"


def test_record_comparison_passes_additions_and_notices_losses() -> None:
    consent = {"date": "2025-01-01", "scope": ["documentation", "statistics"]}
    old = {"type": "family", "id": "a", "adults": 2, "consent": consent}
    documentation = {"purpose": "documentation", "date": "2025-01-01"}
    statistics = {"purpose": "statistics", "date": "2025-01-01"}
    as_v2 = {"type": "family", "id": "a", "adults": 2}
    as_v2["consents"] = [documentation, statistics | {"form_language": "tr"}]

    assert _missing(old, old | {"identified": "2025-01-01"}) == []
    assert _missing(old, as_v2) == []
    assert _missing(old, as_v2 | {"consents": [documentation]}) == [f"consents lacks {statistics}"]
    assert _missing(old, old | {"adults": 3}) == ["adults: 2 became 3"]
    assert _missing(old, {k: v for k, v in old.items() if k != "adults"}) == [
        "adults: 2 became '(missing)'"
    ]


# --- tables ------------------------------------------------------------------------------


class Table:
    """A table as it is now: its primary key columns and its rows by primary key."""

    def __init__(self, conn: Connection, name: str) -> None:
        info = conn.exec_driver_sql(f'PRAGMA table_info("{name}")').fetchall()
        self.key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        result = conn.exec_driver_sql(f'SELECT * FROM "{name}"')
        columns = list(result.keys())
        rows = (dict(zip(columns, row, strict=True)) for row in result)
        self.rows = {tuple(r[c] for c in self.key): r for r in rows}


def _same(old: Any, new: Any) -> bool:
    """Equal as stored, or as JSON (a migration may re-serialise a JSON column)."""
    if old == new:
        return True
    if isinstance(old, str) and isinstance(new, str):
        try:
            return bool(json.loads(old) == json.loads(new))
        except ValueError:
            return False
    return False


def _lost(expected: dict[str, list[dict[str, Any]]], now: dict[str, Table]) -> list[str]:
    """Every stored row, column or table the vault no longer has where it should be."""
    problems: list[str] = []
    for table, rows in expected.items():
        if table in DROPPED:
            continue
        if table not in now:
            problems.append(f"table {table} is gone")
            continue
        for old in rows:
            pk = tuple(old[c] for c in now[table].key)
            label = f"{table}[{', '.join(map(str, pk))}]"
            where, where_pk = MOVED_ROWS.get(label, (table, pk))
            new = now[where].rows.get(where_pk) if where in now else None
            if new is None:
                problems.append(f"row {label} is gone")
                continue
            for column, value in old.items():
                if f"{table}.{column}" in DROPPED:
                    continue
                if column not in new:
                    problems.append(f"column {table}.{column} is gone")
                elif not _same(value, new[column]):
                    problems.append(f"{label}.{column}: {value!r} became {new[column]!r}")
    return sorted(set(problems))


def test_golden_vault_keeps_every_row(golden: tuple[Path, Path]) -> None:
    stored, copy = golden
    expected = json.loads((stored / "expected-tables.json").read_text(encoding="utf-8"))
    with open_vault(copy, _passphrase(stored)) as vault, vault.engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        now = {name: Table(conn, name) for (name,) in names.fetchall()}
    assert _lost(expected, now) == []


def test_row_comparison_notices_what_a_migration_lost(tmp_path: Path) -> None:
    """The check above can fail: a row, a column or a value gone is reported."""
    path = tmp_path / "plain.db"
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
        db.execute("""INSERT INTO t VALUES (1, '{"x": 1}', 'kept'), (2, 'y', 'z')""")
    db.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        now = {"t": Table(conn, "t")}
    engine.dispose()
    assert _lost({"t": [{"id": 1, "a": '{"x":1}', "b": "kept"}]}, now) == []
    assert _lost({"t": [{"id": 3, "a": "y"}]}, now) == ["row t[3] is gone"]
    assert _lost({"t": [{"id": 2, "c": "y"}]}, now) == ["column t.c is gone"]
    assert _lost({"t": [{"id": 2, "a": "w"}]}, now) == ["t[2].a: 'w' became 'y'"]
    assert _lost({"u": []}, now) == ["table u is gone"]


def test_golden_vault_has_rows_in_every_table() -> None:
    """A golden vault that leaves a table empty would not show that table's migration."""
    for folder in FOLDERS:
        expected = json.loads((folder / "expected-tables.json").read_text(encoding="utf-8"))
        assert [table for table, rows in expected.items() if not rows] == [], folder.name


def test_golden_vault_consent_becomes_consent_rows(golden: tuple[Path, Path]) -> None:
    """Migration 0004: a family's single consent is one ``consent`` row per scope code."""
    stored, copy = golden
    expected = json.loads((stored / "expected-tables.json").read_text(encoding="utf-8"))
    if "consent_date" not in expected["family"][0]:
        pytest.skip("a schema that keeps consents in rows already")
    wanted = sorted(
        (family["id"], code, family["consent_date"], family["consent_withdrawn"])
        for family in expected["family"]
        if family.get("consent_date")
        for code in json.loads(family["consent_scope"])
    )
    assert wanted, "the golden vault has no consent to turn into rows"
    with open_vault(copy, _passphrase(stored)) as vault, vault.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT family_id, purpose, date, withdrawn FROM consent"
        ).fetchall()
    assert sorted(tuple(row) for row in rows) == wanted


def test_golden_vault_statistics_of_an_older_lotse_still_read(golden: tuple[Path, Path]) -> None:
    """A closed period and a received package stored before the casework figures read and
    merge: the figures they had are kept, the new ones are 0 and named as absent."""
    stored, copy = golden
    expected = json.loads((stored / "expected-tables.json").read_text(encoding="utf-8"))
    closed = [json.loads(row["figures"]) for row in expected["closed_period"]]
    packages = [json.loads(row["payload"])["figures"] for row in expected["statistics_package"]]
    if all(f.get("version", 1) >= 2 for f in closed + packages):
        pytest.skip("no statistics of an older Lotse in this vault")
    period = parse_period(expected["closed_period"][0]["label"])
    with open_vault(copy, _passphrase(stored)) as vault, vault.session() as session:
        kept = figures_for_period(session, period)
        held = merge(
            vault_store(session), parse_period(expected["statistics_package"][0]["period_label"])
        )
        merged, count = held.figures, len(held.sources)
    for key, value in closed[0]["totals"].items():
        assert kept.totals[key] == value
    assert kept.totals["screenings"] == 0 and kept.totals["median_support_days"] is None
    assert kept.absent == ADDED_IN_V2
    assert count == len(packages)
    for key, value in packages[0]["totals"].items():
        assert merged.totals[key] == value
    assert merged.absent == ADDED_IN_V2
