"""Crash torture: kill a process that writes to a vault, at random moments, and check.

Each cycle starts a child (:mod:`tests.torture.workload`) on the same real vault folder,
kills it with SIGKILL after a random time, reopens the vault (real files, real Argon2id
with the cheap test parameters) and checks it against the ledger (:mod:`tests.torture.check`):

- *lost*: a change the child had acknowledged is not in the vault;
- *half-written*: the change that was cut off is partly there, the vault holds more than
  was ever written, or records point to nothing (a referral without its status history, a
  family without its first contact, a closed period without its log entry, part of an
  import);
- *unopenable*: the vault refuses to open with the passphrase it must have (a false
  rollback alarm would show here).

A cycle that finds a problem copies the vault folder and the ledger to ``failures/`` and
starts over with a new vault. ``python -m tests.torture.run --cycles 1000`` prints the
figures (``make torture``); the ``torture`` tests run a few cycles.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lotse import policy
from lotse.crypto import kdf
from lotse.errors import LotseError, WrongPassphraseError
from lotse.vault import Vault, create_vault, open_vault
from tests.torture import workload
from tests.torture.check import HalfWritten, Model, snapshot

#: Crash cycles (and rounds of the disk tests) in ``make test``; ``make torture`` sets
#: LOTSE_TORTURE_CYCLES (1,000) and runs every variant.
BRIEF_CYCLES = 20


def cycles() -> int:
    return int(os.environ.get("LOTSE_TORTURE_CYCLES", BRIEF_CYCLES))


def long_run() -> bool:
    """Whether this is ``make torture`` (more cycles than the brief run of ``make test``)."""
    return cycles() > BRIEF_CYCLES


#: Longest a child runs after it opened the vault before it is killed (seconds); the
#: moment is uniform below it.
MAX_LIFE = 0.8
#: The share of children killed at a random moment while they still open the vault.
WHILE_OPENING = 0.15


@dataclass
class Figures:
    cycles: int = 0
    acknowledged: int = 0
    cut_off_applied: int = 0
    cut_off_absent: int = 0
    killed_while_opening: int = 0
    lost: int = 0
    half_written: int = 0
    unopenable: int = 0
    child_errors: int = 0
    vaults: int = 1
    seconds: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.half_written or self.unopenable or self.child_errors)

    def line(self) -> str:
        return (
            f"cycles {self.cycles}, acknowledged commits {self.acknowledged}, "
            f"lost {self.lost}, half-written {self.half_written}, "
            f"unopenable {self.unopenable}, child errors {self.child_errors}, "
            f"time {self.seconds:.0f} s (cut off: {self.cut_off_applied} complete, "
            f"{self.cut_off_absent} absent; killed while opening {self.killed_while_opening}; "
            f"vaults {self.vaults})"
        )


class Torture:
    """The parent: one vault folder, its ledger and the model of what it must hold."""

    def __init__(self, workdir: Path, seed: int) -> None:
        self.workdir = workdir
        self.rng = random.Random(seed)
        self.figures = Figures()
        # Children fork from a server that has imported Lotse once (see workload's doc).
        self.ctx = workload.forkserver()
        self._new_vault()

    def _new_vault(self) -> None:
        n = self.figures.vaults
        self.folder = self.workdir / f"vault-{n}"
        self.backups = self.workdir / f"backups-{n}"
        self.ledger = self.workdir / f"ledger-{n}.jsonl"
        self.backups.mkdir(parents=True)
        self.ledger.touch()
        create_vault(self.folder, workload.PASSPHRASES[0], kdf.TEST_PARAMS).close()
        self.model = Model()
        self._offset = 0

    def _fail(self, cycle: int, what: str, detail: str) -> None:
        """Keep the evidence, then go on with a new vault."""
        keep = self.workdir / "failures" / f"cycle-{cycle}-{what}"
        keep.mkdir(parents=True)
        shutil.copytree(self.folder, keep / "vault")
        shutil.copy2(self.ledger, keep / "ledger.jsonl")
        (keep / "problem.txt").write_text(detail + "\n")
        self.figures.failures.append(f"cycle {cycle} {what}: {detail[:2000]} (kept in {keep})")
        self.figures.vaults += 1
        self._new_vault()

    def _read_ledger(self) -> list[dict[str, Any]]:
        """New complete lines; a line cut by the kill is removed (it was never written)."""
        with self.ledger.open("rb+") as fh:
            fh.seek(self._offset)
            data = fh.read()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                fh.truncate(self._offset + end)
        self._offset += end
        return [json.loads(line) for line in data[:end].splitlines()]

    def _wait_until_open(self, child: Any) -> None:
        """Until the child says it opened the vault (or died, or 10 s passed)."""
        deadline = time.monotonic() + 10
        while child.is_alive() and time.monotonic() < deadline:
            with self.ledger.open("rb") as fh:
                fh.seek(self._offset)
                if b'"opened"' in fh.read():
                    return
            time.sleep(0.005)

    def _open(self, cut_off: dict[str, Any] | None) -> tuple[Vault, str]:
        candidates = [self.model.passphrase]
        if cut_off and cut_off["kind"] in ("passphrase", "rotate_key"):
            candidates.append(cut_off["new"])
        for passphrase in candidates:
            try:
                return open_vault(self.folder, passphrase), passphrase
            except WrongPassphraseError:
                if passphrase == candidates[-1]:
                    raise
        raise AssertionError("unreachable")

    def cycle(self, n: int) -> None:
        f = self.figures
        child = self.ctx.Process(
            target=workload.run,
            args=(
                str(self.folder),
                str(self.ledger),
                str(self.backups),
                self.model.passphrase,
                self.rng.getrandbits(32),
                n,
            ),
        )
        child.start()
        if self.rng.random() < WHILE_OPENING:
            child.join(self.rng.uniform(0, 0.5))
        else:
            self._wait_until_open(child)
            child.join(self.rng.uniform(0, MAX_LIFE))
        child.kill()
        child.join()
        f.cycles += 1

        intents: dict[str, dict[str, Any]] = {}
        cut_off: dict[str, Any] | None = None
        opened = False
        for entry in self._read_ledger():
            if entry["t"] == "opened":
                opened = True
            elif entry["t"] == "intent":
                intents[entry["op"]] = cut_off = entry
            elif entry["t"] == "ack":
                kind = intents[entry["op"]]["kind"]
                self.model.apply(intents[entry["op"]])
                f.acknowledged += 1
                f.kinds[kind] = f.kinds.get(kind, 0) + 1
                cut_off = None
            elif entry["t"] == "error":
                f.child_errors += 1
                self._fail(n, "child-error", entry["trace"])
                return
        if not opened:
            f.killed_while_opening += 1

        try:
            vault, passphrase = self._open(cut_off)
        except LotseError as error:
            f.unopenable += 1
            self._fail(n, "unopenable", f"{type(error).__name__}: {error.message}\n{cut_off}")
            return
        try:
            snap = snapshot(vault)
            if cut_off is not None:
                try:
                    applied = self.model.resolve(cut_off, snap, passphrase)
                except HalfWritten as error:
                    f.half_written += 1
                    self._fail(n, "half-written", str(error))
                    return
                if applied:
                    self.model.apply(cut_off)
                    f.cut_off_applied += 1
                else:
                    f.cut_off_absent += 1
                workload.Ledger(self.ledger).write(t="resolve", op=cut_off["op"], applied=applied)
                self._offset = self.ledger.stat().st_size
            if passphrase != self.model.passphrase:
                raise AssertionError("opened with another passphrase than the model's")
            lost, extra = self.model.compare(snap)
            extra += self.model.check_backups(self.backups)
        finally:
            vault.close()
        if lost:
            f.lost += len(lost)
            self._fail(n, "lost", "\n".join(lost + extra))
        elif extra:
            f.half_written += len(extra)
            self._fail(n, "half-written", "\n".join(extra))


def torture(cycles: int, workdir: Path, seed: int = 1) -> Figures:
    os.environ["LOTSE_POLICY"] = ""
    policy.reset_for_tests()
    started = time.monotonic()
    run = Torture(workdir, seed)
    for n in range(1, cycles + 1):
        run.cycle(n)
    run.figures.seconds = time.monotonic() - started
    return run.figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("build/torture"))
    args = parser.parse_args(argv)
    if args.workdir.exists():
        shutil.rmtree(args.workdir)
    args.workdir.mkdir(parents=True)
    figures = torture(args.cycles, args.workdir, args.seed)
    print(figures.line())
    print(
        "acknowledged by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(figures.kinds.items()))
    )
    for failure in figures.failures:
        print(failure)
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
