"""A full disk and failing writes: a clear message, nothing lost, nothing half-written.

- A real full disk: a small tmpfs in a private mount namespace (``unshare``; as root, or
  in a user namespace), filled to the last byte, under every write path of the use cases
  and the command line (tests/torture/full_disk.py).
- Injected I/O errors: the command line's write paths under libfiu (``fiu-run``, Debian's
  fiu-utils; tools/system-deps.sh installs it), with EIO or ENOSPC at random on SQLite's
  writes and on every fsync.
- The window: a disk error a use case lets through is shown with its message.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.errors import disk_full
from lotse.ui import ops
from lotse.usecases import VaultAPI
from lotse.vault import Vault, create_vault
from tests.torture.check import snapshot
from tests.torture.run import long_run

pytestmark = pytest.mark.torture

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "Passphrase-fuer-Fehler-2026"


def _namespace() -> list[str]:
    """``unshare`` for a private mount namespace this user may mount a tmpfs in."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare (util-linux): no private mount namespace for a small tmpfs")
    command = [unshare, "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        command[1:1] = ["--user", "--map-root-user"]
    probe = subprocess.run([*command, "mount", "-t", "tmpfs", "tmpfs", "/mnt"], check=False)
    if probe.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here (no root, no user namespaces)")
    return command


ONLY_IN_MAKE_TORTURE = pytest.mark.skipif(not long_run(), reason="runs in make torture")


# With a grown write-ahead log, commits go through first, then the header cannot follow
# them: the harder case, so make test runs that one.
@pytest.mark.parametrize(
    "grown_wal",
    [pytest.param(False, marks=ONLY_IN_MAKE_TORTURE), True],
    ids=["plain", "grown-wal"],
)
def test_every_write_path_on_a_full_disk(tmp_path: Path, grown_wal: bool) -> None:
    mount, work = tmp_path / "disk", tmp_path / "work"
    mount.mkdir()
    work.mkdir()
    script = 'mount -t tmpfs -o size=8m tmpfs "$0" && exec "$@"'
    run = subprocess.run(
        [*_namespace(), "sh", "-c", script, str(mount), sys.executable, "-m"]
        + ["tests.torture.full_disk", str(mount), str(work)]
        + (["--grown-wal"] if grown_wal else []),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    refused = sum(n for r in report["tries"].values() for k, n in r.items() if "Datenträger" in k)
    stored = sum(r.get("ok", 0) for r in report["tries"].values())
    print(
        f"\nfull disk ({'grown WAL' if grown_wal else 'plain'}): {stored} changes stored, "
        f"{refused} refused with the disk message, {len(report['retried'])} kinds retried "
        f"with room again, command line {report['commands']['exit codes (full, then with room)']}"
    )
    assert report["problems"] == []
    # Every write path was refused at least once (the disk really was full) …
    for kind, results in report["tries"].items():
        assert any("Datenträger" in result for result in results), (kind, results)
    if grown_wal:
        # … and with room in the write-ahead log, some commits went through first, so the
        # header had to be refused to follow them (the vault still opened: no false alarm).
        assert sum(results.get("ok", 0) for results in report["tries"].values()) > 0


FAULTS = {
    "EIO": errno.EIO,
    "ENOSPC": errno.ENOSPC,
}


def _fiu_run() -> str:
    fiu = shutil.which("fiu-run")
    if fiu is None:
        pytest.fail("fiu-run is missing: run sh tools/system-deps.sh (Debian's fiu-utils)")
    return fiu


def _vault_with_records(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "vault"
    create_vault(folder, PASSPHRASE, kdf.TEST_PARAMS).close()
    other = VaultAPI(create_vault(tmp_path / "other", PASSPHRASE, kdf.TEST_PARAMS))
    with other:
        other.records.store(generate_records(12, seed=555))
        records = tmp_path / "records.jsonl"
        other.records.export(records)
    return folder, records


@pytest.mark.parametrize("fault", ["EIO", pytest.param("ENOSPC", marks=ONLY_IN_MAKE_TORTURE)])
def test_command_line_writes_under_injected_io_errors(tmp_path: Path, fault: str) -> None:
    fiu = _fiu_run()
    folder, records = _vault_with_records(tmp_path)
    commands = {
        "import": ["import", str(records)],
        "demo": ["demo", "--families", "3", "--seed", "11"],
        "period close": ["period", "close", "2001-Q1"],
        "backup": ["backup", str(tmp_path / "vault.lotse-backup")],
    }
    env = {**os.environ, "LOTSE_POLICY": "", "LOTSE_PASSPHRASE": PASSPHRASE}
    failinfo = FAULTS[fault]
    # SQLite writes pages with pwrite; the header, the backup and SQLite all fsync. Rare
    # enough that a command often gets past the unlock (which writes too) to its own work.
    inject = [
        "-c",
        f"enable_random name=posix/io/rw/pwrite,probability=0.003,failinfo={failinfo}",
        "-c",
        f"enable_random name=posix/io/sync/fsync,probability=0.04,failinfo={failinfo}",
    ]
    outcomes: dict[str, list[int]] = {}
    rounds = 10 if long_run() else 2

    def seen_both() -> bool:
        codes = {code for runs in outcomes.values() for code in runs}
        return 1 in codes and bool(codes & {0, 2})

    for round_ in range(30):
        if round_ >= rounds and seen_both():
            break
        for name, args in commands.items():
            done = subprocess.run(
                [fiu, "-x", *inject, sys.executable, "-m", "lotse", "--vault", str(folder), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            outcomes.setdefault(name, []).append(done.returncode)
            assert "Traceback" not in done.stderr, done.stderr
            assert "Unerwarteter Fehler" not in done.stderr, done.stderr
            # 2: the change had gone through before (an import, a period closed once).
            assert done.returncode in (0, 1, 2), (round_, name, done.stderr)
            if done.returncode == 1:
                assert "Datenträger" in done.stderr, done.stderr
            # Without the faults the vault opens, whole: no half-written records.
            with VaultAPI.open(folder, PASSPHRASE) as api:
                found = snapshot(api._access.vault)
            assert found.problems == []
            assert found.imports.get(555, {}).get("families", 0) in (0, 12)
            assert found.imports.get(11, {}).get("families", 0) in (0, 3)
    failed = sum(code == 1 for codes in outcomes.values() for code in codes)
    print(f"\ninjected {fault}: exit codes per command {outcomes}")
    assert failed > 0, outcomes  # the faults did hit
    assert seen_both(), outcomes  # … and commands got through them too
    # Once the disk works again, every command works (or says it was done already).
    for name, args in commands.items():
        done = subprocess.run(
            [sys.executable, "-m", "lotse", "--vault", str(folder), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode in (0, 2), (name, done.stderr)


def test_the_window_shows_a_disk_error_a_use_case_let_through(vault: Vault, qtbot: QtBot) -> None:
    """VaultOp's default failure path: the disk message, not "Unerwarteter Fehler"."""
    api = VaultAPI(vault)
    host = QWidget()
    host.api = api  # type: ignore[attr-defined]
    qtbot.addWidget(host)
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.close()
        else:
            QTimer.singleShot(20, read_and_close)

    def write_to_a_full_disk(_api: VaultAPI) -> None:
        with open("/dev/full", "wb", buffering=0) as full:  # the kernel's full disk
            full.write(b"Lotse")

    QTimer.singleShot(20, read_and_close)
    ops.VaultOp(host, write_to_a_full_disk).run()
    qtbot.waitUntil(lambda: bool(shown) and not ops.busy(), timeout=10000)
    assert shown == [disk_full().message]
    api.close()
