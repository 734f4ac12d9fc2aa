"""What keeping the vault state costs, and how far the header lags behind (crash window).

    .venv/bin/python bench/bench_vault_state.py [--commits 300]

Prints the time of one header write (JSON, HMAC, fsync, rename, folder fsync), the time
per small write transaction with the counter, and for a burst of back-to-back commits and
for commits a user would make (one every 0.5 s, one every 2.5 s): how many header writes
they caused and how many commits the header was behind at worst, which is what a crash at
that moment leaves unverifiable (a WAL cut back within that lag is not noticed; the data
itself is durable).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lotse.crypto import kdf
from lotse.db.models import Family
from lotse.vault import create_vault, state
from lotse.vault import header as hdr

PASSPHRASE = "benchmark passphrase 2026"


def _run(vault, commits: int, pause: float, start: int) -> tuple[float, int, int]:
    """(seconds per commit, header writes, worst lag in commits)."""
    written = 0
    real = hdr.write_header

    def counting(folder: Path, header: hdr.Header) -> None:
        nonlocal written
        written += 1
        real(folder, header)

    vault.sync_header()  # start level
    hdr.write_header = counting  # type: ignore[assignment]
    worst = 0
    took = 0.0
    try:
        for i in range(start, start + commits):
            began = time.perf_counter()
            with vault.transaction() as s:
                s.add(Family(code=f"F-2026-{i:05d}", adults=1))
            took += time.perf_counter() - began
            with vault.engine.connect() as conn:
                db = state.read_db_state(conn.connection.driver_connection)
            assert db is not None and vault.header.state is not None
            worst = max(worst, db.writes - vault.header.state.writes)
            if pause:
                time.sleep(pause)
    finally:
        hdr.write_header = real  # type: ignore[assignment]
    return took / commits, written, worst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault = create_vault(Path(tmp) / "v", PASSPHRASE, kdf.TEST_PARAMS)
        times = []
        for _ in range(50):
            began = time.perf_counter()
            vault.sync_header()
            times.append(time.perf_counter() - began)
        print(f"header write:            {statistics.median(times) * 1000:6.2f} ms (median of 50)")
        per, written, worst = _run(vault, args.commits, 0.0, 0)
        print(
            f"burst of {args.commits} commits:    {per * 1000:6.2f} ms per commit, "
            f"{written} header writes, header at worst {worst} commits behind "
            f"(limit {state.HEADER_LAG_LIMIT})"
        )
        per, written, worst = _run(vault, 12, 0.5, args.commits)
        print(
            f"12 commits, 0.5 s apart:  {per * 1000:6.2f} ms per commit, "
            f"{written} header writes, header at worst {worst} commits behind "
            f"(interval {state.HEADER_INTERVAL:.0f} s)"
        )
        per, written, worst = _run(vault, 4, 2.5, args.commits + 12)
        print(
            f"4 commits, 2.5 s apart:   {per * 1000:6.2f} ms per commit, "
            f"{written} header writes, header at worst {worst} commits behind"
        )
        vault.close()


if __name__ == "__main__":
    main()
