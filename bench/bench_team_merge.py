"""Benchmark of a Land's year of statistics packages (issue 13): merging at scale.

Makes 5,000 signed statistics packages (50 municipalities × 25 navigators × 4 quarters of
2026; one in ten sealed to the team lead's card), each as a navigator's vault writes it:
the package format and Ed25519 signature of ``lotse.stats.packages``, the navigator's name,
site (the municipality) and service line, and synthetic figures (every total and
breakdown of statistics.md, day-count distributions for the medians). The navigators'
keys are made here rather than in 1,250 vaults: what is measured is the team lead's side.

Then, for the team lead's vault store and for a PostgreSQL store (a throwaway cluster
started on a free loopback port, as the tests do), it times:

* reading and checking all 5,000 files (JSON, signature; sealed ones opened with the
  team lead's key),
* receiving them quarter by quarter with the merged JSON report of each quarter (one
  transaction each, as ``lotse package merge``),
* the merged published PDF of a quarter (1,250 packages, listed on its last pages),
* the delivery matrix of a quarter,

and prints the peak memory of the process (``ru_maxrss``) after each step.

    .venv/bin/python bench/bench_team_merge.py [--municipalities 50] [--navigators 25]
        [--no-postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lotse.cards.keys import SIGNING_KEY_SETTING, b64, signing_key
from lotse.cards.sealed import PURPOSE_PACKAGE, seal
from lotse.crypto import kdf, sealing
from lotse.db.models import Secret
from lotse.stats.figures import empty_figures
from lotse.stats.keys import COUNT_KEYS, MEDIAN_KEYS
from lotse.stats.packages import PACKAGE_FORMAT, canonical, package_bytes, read_package_file
from lotse.stats.period import Period, parse_period
from lotse.usecases import Profile, VaultAPI
from lotse.vault import create_vault

PASSPHRASE = "Bench-Teamleitung-2026-lang-genug"
QUARTERS = [parse_period(f"2026-Q{q}") for q in (1, 2, 3, 4)]
LINES = ("birth_clinic", "practice", "kita_family_centre", "family_office", "outreach")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def say(step: str, seconds: float) -> None:
    print(f"{step:<58} {seconds:8.2f} s   peak {peak_mib():7.0f} MiB", flush=True)


@contextlib.contextmanager
def timed(step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    say(step, time.perf_counter() - start)


def figures(rng: random.Random) -> dict[str, Any]:
    """Synthetic figures of one navigator's quarter (consistent shape, random counts)."""
    f = empty_figures()
    for key in COUNT_KEYS:
        f.totals[key] = rng.randint(0, 120)
    for cells in f.breakdowns.values():
        for code in cells:
            cells[code] = rng.randint(0, 12)
    for key in MEDIAN_KEYS:
        f.distributions[key] = {rng.randint(0, 200): rng.randint(1, 3) for _ in range(6)}
    f.take_medians()
    return f.to_dict()


def make_packages(
    folder: Path, lead_api: VaultAPI, municipalities: int, navigators: int
) -> list[Path]:
    """The package files of every navigator and quarter; every tenth one sealed."""
    rng = random.Random(13)
    lead_card = lead_api.team.own_card()
    paths: list[Path] = []
    # Sealing needs a sender vault; one stands in for every sender, with her signing key.
    sender = create_vault(folder / "sender", PASSPHRASE, kdf.TEST_PARAMS)
    try:
        for m in range(municipalities):
            for n in range(navigators):
                key = sealing.new_signing_key()
                vault_id = str(uuid.UUID(int=rng.getrandbits(128)))
                about = {
                    "navigator_name": f"Lotsin {m:02d}-{n:02d}",
                    "organisation": f"Träger {m:02d}",
                    "site": f"Kommune {m:02d}",
                    "service_line": LINES[n % len(LINES)],
                    "service_line_other": "",
                }
                for q in QUARTERS:
                    package: dict[str, Any] = {
                        "format": PACKAGE_FORMAT,
                        "vault": vault_id,
                        "period": {
                            "label": q.label,
                            "start": q.start.isoformat(),
                            "end": q.end.isoformat(),
                        },
                        "created": f"{q.end.isoformat()}T12:00:00.000000",
                        "navigator": about,
                        "figures": figures(rng),
                        "public_key": b64(key.public_key().public_bytes_raw()),
                    }
                    package["signature"] = b64(key.sign(canonical(package)))
                    data = package_bytes(package)
                    path = folder / f"{q.label}-{m:02d}-{n:02d}.json"
                    if len(paths) % 10 == 9:
                        with sender.transaction() as session:
                            # The stand-in signs as this navigator's vault: her key.
                            signing_key(session)
                            row = session.get(Secret, SIGNING_KEY_SETTING)
                            row.value = b64(key.private_bytes_raw())
                            data = seal(data, lead_card, session, vault_id, PURPOSE_PACKAGE)
                    path.write_bytes(data)
                    paths.append(path)
    finally:
        sender.close()
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback (as tests/team/conftest.py starts it)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise SystemExit("no PostgreSQL server (Debian package postgresql); use --no-postgres")
    bindir = found[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="lotse-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = folder / "data"
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "lotse", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "log"),
            "-w",
            "-o",
            f"-k {folder} -p {port} -h 127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://lotse@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def run_store(api: VaultAPI, found: list[Any], out: Path, store: str | None, name: str) -> None:
    by_quarter: dict[Period, list[Any]] = {q: [] for q in QUARTERS}
    for package in found:
        by_quarter[next(q for q in QUARTERS if q.start == package.period.start)].append(package)
    total = 0.0
    for q, packages in by_quarter.items():
        start = time.perf_counter()
        result = api.team.merge(packages, q, "json", out / f"{name}-{q.label}.json", store=store)
        seconds = time.perf_counter() - start
        total += seconds
        assert result.added == len(packages) and result.packages == len(packages)
        say(f"{name}: receive {len(packages)} + merged JSON report {q.label}", seconds)
    say(f"{name}: all {len(found)} packages received and merged", total)
    report = json.loads((out / f"{name}-2026-Q3.json").read_text("utf-8"))
    assert len(report["packages"]) == len(by_quarter[QUARTERS[2]])
    with timed(f"{name}: merged published PDF 2026-Q3 (from the store)"):
        api.team.write_report(QUARTERS[2], "pdf", out / f"{name}-Q3.pdf", True, store)
    with timed(f"{name}: delivery matrix 2026-Q3"):
        rows = api.team.delivery(QUARTERS[2], store=store)
    assert len(rows) == len(by_quarter[QUARTERS[2]])
    with timed(f"{name}: list all held packages"):
        assert len(api.team.held(store=store)) == len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--municipalities", type=int, default=50)
    parser.add_argument("--navigators", type=int, default=25)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lotse-bench-team-") as tmp:
        folder = Path(tmp)
        (folder / "packages").mkdir()
        api = VaultAPI.create(folder / "lead", PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile("Teamleitung", "Land", ""))
        try:
            n = args.municipalities * args.navigators * len(QUARTERS)
            with timed(f"make {n:,} signed packages (synthetic, 1 in 10 sealed)"):
                paths = make_packages(
                    folder / "packages", api, args.municipalities, args.navigators
                )
            size = sum(p.stat().st_size for p in paths) / 2**20
            print(f"{len(paths)} package files, {size:.1f} MiB", flush=True)
            with timed(f"read and check {len(paths)} files (JSON, signatures)"):
                found = [read_package_file(p, p.name) for p in paths]
            with timed("open the sealed ones with the team lead's key"):
                packages = api.team.open_packages(found)
            run_store(api, packages, folder, None, "vault")
            if not args.no_postgres:
                with postgres() as url:
                    run_store(api, packages, folder, url, "postgresql")
        finally:
            api.close()


if __name__ == "__main__":
    main()
