"""Output files: atomic, private, never inside a vault folder, no stale plaintext left.

Input files: only regular files up to a limit; the records import refuses anything else at
once (FIFO, device, socket, folder, huge file), checked through the real ``lotse`` process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from lotse import i18n
from lotse.errors import BadInputError
from lotse.fileio import RECORDS_FILE_LIMIT, atomic_write, read_input_file
from tests.conftest import PASSPHRASE


def test_written_atomically_and_private(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write(target, ["a", b"b"])
    assert target.read_text() == "ab"
    assert target.stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failure_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def chunks():
        yield "new"
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, chunks())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_stale_temporaries_of_a_killed_write_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".out.txt.abc123.tmp"
    stale.write_text("Name, Telefon …")
    atomic_write(tmp_path / "out.txt", ["x"])
    assert not stale.exists()


def test_never_into_a_vault_folder(vault, vault_dir: Path) -> None:
    header = (vault_dir / "lotse-vault.json").read_bytes()
    for name in ("lotse-vault.json", "lotse.db", "export.jsonl"):
        with pytest.raises(BadInputError, match="Tresor-Ordner"):
            atomic_write(vault_dir / name, ["plain"])
    assert (vault_dir / "lotse-vault.json").read_bytes() == header
    assert not (vault_dir / "export.jsonl").exists()


def test_unwritable_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="kann nicht geschrieben werden"):
        atomic_write(tmp_path / "missing" / "out.txt", ["x"])
    if os.name == "posix":
        with pytest.raises(BadInputError, match="Ordner, keine Datei"):
            atomic_write(tmp_path, ["x"])


# -- reading input files ----------------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and sockets")


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"0123456789")
    assert read_input_file(path, 10) == b"0123456789"


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"01234567890")
    with pytest.raises(
        BadInputError, match=r"zu groß \(11 Bytes\); Lotse liest höchstens 10 Bytes"
    ):
        read_input_file(path, 10, "in.jsonl")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_that_reads_longer_than_stat_says_is_cut_at_the_limit() -> None:
    # /proc files report size 0 but have content: like a file that grows while being read.
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    assert read_input_file(status, 1 << 20).startswith(b"Name:")
    with pytest.raises(BadInputError, match="zu groß"):
        read_input_file(status, 10)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="ist ein Ordner, keine Datei"):
        read_input_file(tmp_path, RECORDS_FILE_LIMIT)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"Die Datei fehlt\.jsonl gibt es nicht"):
        read_input_file(tmp_path / "fehlt.jsonl", RECORDS_FILE_LIMIT, "fehlt.jsonl")


@posix_only
def test_a_device_is_refused_in_the_users_language() -> None:
    with pytest.raises(BadInputError, match="keine gewöhnliche Datei, sondern ein Gerät"):
        read_input_file("/dev/zero", RECORDS_FILE_LIMIT)
    i18n.set_language("en")
    with pytest.raises(BadInputError, match="is not a regular file but a device"):
        read_input_file("/dev/zero", RECORDS_FILE_LIMIT)


# -- the records import refuses such files at once, as a real process ------------------------


def _import(path: Path | str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LOTSE_VAULT": str(tmp_path / "vault"),
        "LOTSE_PASSPHRASE": PASSPHRASE,
        "LOTSE_LANG": "de",
    }
    # The timeout only guards against a hang (a FIFO used to block forever).
    return subprocess.run(
        [sys.executable, "-m", "lotse", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@posix_only
def test_import_of_dev_zero_is_refused(tmp_path: Path) -> None:
    done = _import("/dev/zero", tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "/dev/zero ist keine gewöhnliche Datei, sondern ein Gerät. "
        "Lotse liest nur gewöhnliche Dateien."
    )
    assert not (tmp_path / "vault").exists()


@posix_only
def test_import_of_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    done = _import(fifo, tmp_path)
    assert done.returncode == 2
    assert "sondern eine benannte Pipe (FIFO)" in done.stderr


@posix_only
def test_import_of_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"  # short: a socket path has a length limit
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        done = _import(path, tmp_path)
    assert done.returncode == 2
    assert "sondern ein Socket" in done.stderr


def test_import_of_a_folder_is_refused(tmp_path: Path) -> None:
    done = _import(tmp_path, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"{tmp_path} ist ein Ordner, keine Datei."


def test_import_of_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as fh:
        fh.truncate(RECORDS_FILE_LIMIT + 1)  # sparse: takes no disk space
    done = _import(big, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"{big} ist zu groß (513 MiB); Lotse liest höchstens 512 MiB.")
    assert not (tmp_path / "vault").exists()
