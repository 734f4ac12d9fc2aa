"""A full or failing disk reaches the window and the command line as the disk message."""

from __future__ import annotations

import pytest
import sqlcipher3
from sqlalchemy.exc import OperationalError

from lotse.errors import EXIT_FAILURE, LotseError, disk_full
from lotse.usecases import as_lotse_error
from lotse.usecases.errors import mapped_errors
from lotse.vault import Vault


def test_sqlite_reporting_a_full_disk_is_the_disk_message() -> None:
    """SQLite's own "database or disk is full" (a real one: the page limit reached)."""
    conn = sqlcipher3.connect(":memory:")
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlcipher3.OperationalError) as raised:
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    conn.close()
    wrapped = OperationalError("INSERT", {}, raised.value)
    for error in (raised.value, wrapped):  # raw (a backup's copy) and through SQLAlchemy
        mapped = as_lotse_error(error)
        assert mapped is not None
        assert (mapped.message, mapped.exit_code) == (disk_full().message, EXIT_FAILURE)


def test_an_os_error_in_a_use_case_becomes_the_disk_message(vault: Vault) -> None:
    with (
        pytest.raises(LotseError) as error,
        mapped_errors(vault.folder),
        open("/dev/full", "wb", buffering=0) as full,  # the kernel's always-full device
    ):
        full.write(b"Lotse")
    assert error.value.message == disk_full().message
