"""Output files: atomic, private, never inside a vault folder, no stale plaintext left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lotse.errors import BadInputError
from lotse.fileio import atomic_write


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
