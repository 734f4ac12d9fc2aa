"""Rollback detection on real vault files: older database, older header, WAL cut back."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.crypto import kdf, keywrap
from lotse.db.models import Family
from lotse.errors import VaultDamagedError
from lotse.vault import create_vault, open_vault, state
from lotse.vault import header as hdr
from lotse.vault.state import VaultRollbackError
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE
from tests.vault.test_vault import _rewrite_with_checksum


def _add(vault, start: int, count: int = 1) -> None:
    """``count`` families, each in its own write transaction (one commit each)."""
    for i in range(start, start + count):
        with vault.transaction() as s:
            s.add(Family(code=f"F-2026-{i:04d}", adults=1))


def _codes(folder: Path) -> list[str]:
    with open_vault(folder, PASSPHRASE) as v, v.session() as s:
        return list(s.scalars(select(Family.code).order_by(Family.code)))


def _header_state(folder: Path) -> dict:
    return json.loads((folder / hdr.HEADER_NAME).read_text())["state"]


def test_header_and_database_count_the_same_writes_after_close(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add(v, 0, 5)
    with v.engine.connect() as conn:
        db = state.read_db_state(conn.connection.driver_connection)
    v.close()
    assert db is not None and db.generation == 1
    assert _header_state(vault_dir) == {
        "generation": 1,
        "writes": db.writes,
        "clean": True,
        # The audit log's latest link (the vault's creation is logged) is kept too.
        "audit_head": db.audit_head,
    }
    assert db.audit_head is not None


def test_reading_does_not_count_as_a_write(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    with open_vault(vault_dir, PASSPHRASE) as v:
        # The unlock itself is a write (the audit log records it); the header has it.
        before = _header_state(vault_dir)["writes"]
        with v.session() as s:
            s.scalars(select(Family)).all()
            s.commit()
    assert _header_state(vault_dir)["writes"] == before


def test_older_database_copy_is_refused(vault_dir: Path, tmp_path: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add(v, 0, 20)
    v.close()
    shutil.copy2(vault_dir / DB_NAME, tmp_path / "old.db")
    with open_vault(vault_dir, PASSPHRASE) as v:
        _add(v, 20, 3)
    shutil.copy2(tmp_path / "old.db", vault_dir / DB_NAME)
    with pytest.raises(VaultRollbackError) as err:
        open_vault(vault_dir, PASSPHRASE)
    assert err.value.exit_code == 4
    assert "Die Datenbank (lotse.db)" in err.value.message
    assert "älter als der Tresor-Kopf" in err.value.message
    assert "lotse restore" in err.value.message


def test_older_header_copy_is_refused(vault_dir: Path, tmp_path: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add(v, 0, 2)
    v.close()
    shutil.copy2(vault_dir / hdr.HEADER_NAME, tmp_path / "old.json")
    with open_vault(vault_dir, PASSPHRASE) as v:
        _add(v, 2)
    shutil.copy2(tmp_path / "old.json", vault_dir / hdr.HEADER_NAME)
    with pytest.raises(VaultRollbackError) as err:
        open_vault(vault_dir, PASSPHRASE)
    assert err.value.exit_code == 4
    assert "Tresor-Kopf (lotse-vault.json)" in err.value.message
    assert "ist älter als die Datenbank" in err.value.message
    # Nothing was changed by the refusal: the right header opens as before.
    assert _header_state(vault_dir)["clean"] is True


def test_header_behind_by_more_than_the_lag_limit_is_refused_even_after_a_crash(
    vault_dir: Path, tmp_path: Path
) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    stale = (vault_dir / hdr.HEADER_NAME).read_bytes()  # written while open: clean false
    assert json.loads(stale)["state"]["clean"] is False
    _add(v, 0, state.HEADER_LAG_LIMIT + 2)
    v.close()
    (vault_dir / hdr.HEADER_NAME).write_bytes(stale)
    with pytest.raises(VaultRollbackError, match="ist älter als die Datenbank"):
        open_vault(vault_dir, PASSPHRASE)


def _crash_after(vault_dir: Path, body: str) -> None:
    """Run ``body`` with ``v`` an open vault in a process that dies without closing it."""
    code = "\n".join(
        [
            "import os",
            "from pathlib import Path",
            "from lotse.crypto import kdf",
            "from lotse.db.models import Family",
            "from lotse.vault import open_vault",
            f"v = open_vault(Path({str(vault_dir)!r}), {PASSPHRASE!r})",
            "def add(i):",
            "    with v.transaction() as s:",
            "        s.add(Family(code=f'F-2026-{i:04d}', adults=1))",
            body,
            "os._exit(0)",
        ]
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_crash_before_the_header_caught_up_opens_with_every_commit(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE, kdf.TEST_PARAMS).close()
    # Quick commits: the header is rewritten at most every HEADER_INTERVAL seconds.
    _crash_after(vault_dir, "for i in range(5): add(i)")
    header = _header_state(vault_dir)
    assert header["clean"] is False
    assert _codes(vault_dir) == [f"F-2026-{i:04d}" for i in range(5)]
    assert _header_state(vault_dir)["clean"] is True


def _cut_last_commit(wal: Path) -> None:
    """Cut the write-ahead log back to the commit before its last one (as a crash could)."""
    data = wal.read_bytes()
    (page_size,) = struct.unpack(">I", data[8:12])
    frame = 24 + page_size
    commit_ends = []
    offset = 32
    while offset + frame <= len(data):
        (db_pages,) = struct.unpack(">I", data[offset + 4 : offset + 8])
        if db_pages:  # a commit frame holds the database size after the commit
            commit_ends.append(offset + frame)
        offset += frame
    assert len(commit_ends) >= 2
    wal.write_bytes(data[: commit_ends[-2]])


def test_wal_cut_back_by_one_commit_is_refused(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE, kdf.TEST_PARAMS).close()
    _crash_after(vault_dir, "for i in range(3): add(i)\nv.sync_header()")
    wal = vault_dir / (DB_NAME + "-wal")
    assert wal.stat().st_size > 0
    _cut_last_commit(wal)
    (vault_dir / (DB_NAME + "-shm")).unlink(missing_ok=True)
    with pytest.raises(VaultRollbackError) as err:
        open_vault(vault_dir, PASSPHRASE)
    assert "lotse.db-wal" in err.value.message


def test_the_same_crash_without_the_cut_opens(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE, kdf.TEST_PARAMS).close()
    _crash_after(vault_dir, "for i in range(3): add(i)\nv.sync_header()")
    assert _codes(vault_dir) == ["F-2026-0000", "F-2026-0001", "F-2026-0002"]


def test_header_follows_writes_after_the_interval(vault_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(state, "HEADER_INTERVAL", 0.0)
    v = create_vault(vault_dir, PASSPHRASE)
    _add(v, 0, 3)
    with v.engine.connect() as conn:
        db = state.read_db_state(conn.connection.driver_connection)
    assert db is not None
    assert _header_state(vault_dir)["writes"] == db.writes
    v.close()


def test_database_without_state_table_under_a_header_with_state_is_refused(
    vault_dir: Path,
) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    with v.engine.begin() as conn:  # as a copy from before migration 0003 would be
        conn.exec_driver_sql("DROP TABLE vault_state")
    v.close()
    with pytest.raises(VaultRollbackError, match="früheren Lotse-Version"):
        open_vault(vault_dir, PASSPHRASE)


def test_format_1_header_opens_and_gets_a_state(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add(v, 0)
    data_key = v._data_key
    v.close()
    old = hdr.read_header(vault_dir)
    old.version, old.state, old.pending_key_slots = 1, None, []
    old.mac = keywrap.mac(keywrap.header_mac_key(data_key), hdr._canonical(old._body()))
    (vault_dir / hdr.HEADER_NAME).write_bytes(old.to_bytes())
    assert json.loads((vault_dir / hdr.HEADER_NAME).read_text())["format"] == "lotse.vault/1"
    assert _codes(vault_dir) == ["F-2026-0000"]
    upgraded = json.loads((vault_dir / hdr.HEADER_NAME).read_text())
    assert upgraded["format"] == "lotse.vault/2"
    assert upgraded["state"]["clean"] is True


def test_header_state_is_covered_by_the_mac(vault_dir: Path) -> None:
    """Lowering the header's counters (to hide a rollback) breaks the MAC: damage."""
    create_vault(vault_dir, PASSPHRASE).close()
    path = vault_dir / hdr.HEADER_NAME
    data = json.loads(path.read_text())
    data["state"]["writes"] = 0
    _rewrite_with_checksum(path, data)
    with pytest.raises(VaultDamagedError) as err:
        open_vault(vault_dir, PASSPHRASE)
    assert type(err.value) is VaultDamagedError
