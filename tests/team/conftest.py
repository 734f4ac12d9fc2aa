"""A real PostgreSQL server for the shared-store tests: a throwaway cluster on loopback.

Started once per test session from Debian's ``postgresql`` package (``make test`` installs
it, tools/system-deps.sh): ``initdb`` into a temporary folder (as the ``postgres`` user
when the tests run as root, since initdb refuses root), ``pg_ctl start`` on a free port of
127.0.0.1 with its socket in that folder, stopped and removed afterwards. Each test gets
a database of its own.

Without PostgreSQL the tests that need it are skipped with the reason, except on CI
(``CI=true``), where that is a failure: the shared store must be tested there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

_ON_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def _bindir() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _unavailable(reason: str) -> None:
    if _ON_CI:
        pytest.fail(f"PostgreSQL is needed on CI for the shared store: {reason}")
    pytest.skip(f"no PostgreSQL server to test the shared store against: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a throwaway PostgreSQL cluster (user ``lotse``, trust on loopback)."""
    bindir = _bindir()
    if bindir is None:
        _unavailable("initdb not found (Debian package postgresql)")
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="lotse-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses root; the cluster belongs to the postgres user.
        if shutil.which("runuser") is None:
            _unavailable("running as root without runuser")
        shutil.chown(folder, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, log = folder / "data", folder / "server.log"
    port = _free_port()

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*as_postgres, *cmd], capture_output=True, text=True, timeout=120, check=False
        )

    done = run(str(bindir / "initdb"), "-D", str(data), "-U", "lotse", "-A", "trust", "--no-sync")
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"initdb failed: {done.stderr.strip()}")
    options = f"-k {folder} -p {port} -h 127.0.0.1 -c fsync=off"
    done = run(
        str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"
    )
    if done.returncode != 0:
        text = log.read_text(errors="replace") if log.exists() else done.stderr
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"the server did not start: {text.strip()[-500:]}")
    try:
        yield f"postgresql://lotse@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the test server for one test; dropped afterwards."""
    import psycopg

    name = f"lotse_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with (
        psycopg.connect(postgres_server, autocommit=True) as conn,
        contextlib.suppress(psycopg.Error),
    ):
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
