"""Every write path on a disk that is full: a clear message, nothing lost, a retry works.

Run by test_disk_errors.py in a private mount namespace (``unshare``) whose small tmpfs is
gone when the process ends::

    python -m tests.torture.full_disk MOUNT_POINT WORK_DIR [--grown-wal]

The vault and its backups are on the tmpfs at MOUNT_POINT, the ledger in WORK_DIR. After
some changes the tmpfs is filled to the last byte, then every write path of the torture
child (:mod:`tests.torture.workload`) is tried a few times over: each must succeed or
fail with a message the user can act on. Then the filler goes, the vault must open with
every change that succeeded and none that failed (:mod:`tests.torture.check`), and each
change that failed must succeed when tried again. Last, the command line's write paths
(import, demo, period close, backup, passphrase) on the full disk: exit 1 with the
message, no traceback; and each works once there is room. ``--grown-wal`` first grows the
write-ahead log and checkpoints it, so that SQLite finds room for commits in it while no
other file can grow: the header then cannot follow the commits.

Prints one JSON object: what each try gave, and the problems found (empty: all well).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from lotse import policy
from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.errors import LotseError
from lotse.records.exporter import export_records
from lotse.records.importer import store_records
from lotse.usecases import VaultAPI, as_lotse_error
from lotse.vault import create_vault, open_vault
from tests.torture.check import Model, snapshot
from tests.torture.workload import PASSPHRASES, WEIGHTS, Child, Ledger

#: Words every disk message has (German, the tests' language).
DISK_WORDS = ("Datenträger",)


def _fill(path: Path) -> None:
    """Write ``path`` until the file system has no byte left."""
    with path.open("wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError:
                pass


def _try(child: Child, kind: str, rng: random.Random, op: str, serial: int) -> str:
    """One change: "ok", "not possible" or the message the user would see."""
    if not child.possible(kind):
        return "not possible"
    try:
        getattr(child, "do_" + kind)(rng, op, serial)
    except LotseError as error:
        return "use case: " + error.message
    except Exception as error:
        # The command line and the window map what a use case let through the same way.
        mapped = as_lotse_error(error)
        if mapped is None:
            return "UNEXPECTED: " + "".join(traceback.format_exception(error))
        return "mapped: " + mapped.message
    return "ok"


def run(mount: Path, work: Path, grown_wal: bool) -> dict[str, Any]:
    os.environ["LOTSE_POLICY"] = ""
    policy.reset_for_tests()
    folder, backups, ledger_path = mount / "vault", mount / "backups", work / "ledger.jsonl"
    backups.mkdir()
    rng = random.Random(7)
    ledger = Ledger(ledger_path)
    vault = create_vault(folder, PASSPHRASES[0], kdf.TEST_PARAMS)
    child = Child(vault, ledger, backups, PASSPHRASES[0])
    serial = 0
    for kind in ("first_contact", "first_contact", "offer", "referral", "reminder", "draft") * 3:
        serial += 1
        getattr(child, "do_" + kind)(rng, f"0.{serial}", serial)
    if grown_wal:
        for _n in range(30):
            serial += 1
            child.do_import(rng, f"0.{serial}", serial)
        with vault.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    _fill(mount / "filler")

    tries: dict[str, list[str]] = {}
    failed: list[str] = []
    for round_ in range(1, 4):
        for kind in WEIGHTS:
            serial += 1
            op = f"{round_}.{serial}"
            result = _try(child, kind, rng, op, serial)
            tries.setdefault(kind, []).append(result)
            if result not in ("ok", "not possible"):
                failed.append(kind)
    try:
        vault.close()
        closed = "ok"
    except Exception as error:
        closed = "".join(traceback.format_exception(error))
    (mount / "filler").unlink()

    problems: list[str] = []
    if closed != "ok":
        problems.append("close: " + closed)
    for kind, results in tries.items():
        for result in results:
            if result.startswith("UNEXPECTED"):
                problems.append(f"{kind}: {result}")
            elif result not in ("ok", "not possible") and not any(
                word in result for word in DISK_WORDS
            ):
                problems.append(f"{kind}: not a disk message: {result}")

    # Reopen: every change that succeeded is there, none that failed.
    model = Model()
    intents: dict[str, dict[str, Any]] = {}
    for line in ledger_path.read_text().splitlines():
        entry = json.loads(line)
        if entry["t"] == "intent":
            intents[entry["op"]] = entry
        elif entry["t"] == "ack":
            model.apply(intents[entry["op"]])
    try:
        vault = open_vault(folder, model.passphrase)
    except LotseError as error:
        problems.append(f"does not open after the disk had room again: {error.message}")
        return {"tries": tries, "problems": problems}
    lost, extra = model.compare(snapshot(vault))
    problems += [f"lost: {x}" for x in lost] + [
        f"half-written or failed but stored: {x}" for x in extra
    ]
    problems += model.check_backups(backups)

    # Each change that failed works now.
    child = Child(vault, ledger, backups, model.passphrase)
    retried: dict[str, str] = {}
    for kind in dict.fromkeys(failed):
        serial += 1
        retried[kind] = _try(child, kind, rng, f"9.{serial}", serial)
        if retried[kind] != "ok":
            problems.append(f"retry of {kind}: {retried[kind]}")
    vault.close()
    commands = _commands(mount, work, folder, child.passphrase)
    problems += commands.pop("problems")
    return {
        "tries": {kind: dict(Counter(results)) for kind, results in tries.items()},
        "retried": retried,
        "commands": commands,
        "problems": problems,
    }


def _commands(mount: Path, work: Path, folder: Path, passphrase: str) -> dict[str, Any]:
    """The command line's write paths on the full disk: exit 1, the message, no traceback;
    with room again each works."""
    records = work / "records.jsonl"
    other = create_vault(work / "other", PASSPHRASES[0], kdf.TEST_PARAMS)
    try:
        store_records(other, generate_records(4, seed=424242))
        export_records(other, records)
    finally:
        other.close()
    other_passphrase = PASSPHRASES[1] if passphrase == PASSPHRASES[0] else PASSPHRASES[0]
    commands = {
        "import": ["import", str(records)],
        "demo": ["demo", "--families", "3", "--seed", "77"],
        "period close": ["period", "close", "2001-Q1"],
        "backup": ["backup", str(mount / "backups" / "cli.lotse-backup")],
        "passphrase": ["passphrase"],
    }
    env = {
        **os.environ,
        "LOTSE_POLICY": "",
        "LOTSE_PASSPHRASE": passphrase,
        "LOTSE_NEW_PASSPHRASE": other_passphrase,
    }
    problems: list[str] = []
    results: dict[str, list[int]] = {}

    def lotse(name: str, full: bool) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "lotse", "--vault", str(folder), *commands[name]],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        results.setdefault(name, []).append(done.returncode)
        if "Traceback" in done.stderr:
            problems.append(f"lotse {name}: a traceback: {done.stderr}")
        if full and (done.returncode != 1 or not any(w in done.stderr for w in DISK_WORDS)):
            problems.append(f"lotse {name} on a full disk: {done.returncode} {done.stderr!r}")
        if not full and done.returncode != 0:
            problems.append(f"lotse {name} with room: {done.returncode} {done.stderr!r}")

    _fill(mount / "filler")
    for name in commands:
        lotse(name, full=True)
    (mount / "filler").unlink()
    for name in commands:
        lotse(name, full=False)
    try:
        with VaultAPI.open(folder, other_passphrase) as api:
            if not [p for p in api.statistics.closed_periods() if p.period.label == "2001-Q1"]:
                problems.append("lotse period close with room: the period is not closed")
    except LotseError as error:
        problems.append(f"after the commands: {error.message}")
    return {"exit codes (full, then with room)": results, "problems": problems}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mount", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--grown-wal", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.mount, args.work, args.grown_wal)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
