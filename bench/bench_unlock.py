"""Print the unlock time of a vault with the real Argon2id parameters (target: ≤ 1.0 s).

    .venv/bin/python bench/bench_unlock.py [--families 2000] [--runs 5]

Unlock = read the header, derive the key (Argon2id 64 MiB, t=3, p=4), unwrap the data
key, check the header MAC, open SQLCipher and run its integrity check over every page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.records.importer import store_records
from lotse.vault import create_vault, open_vault

PASSPHRASE = "benchmark passphrase 2026"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "vault"
        vault = create_vault(folder, PASSPHRASE, kdf.KdfParams())
        store_records(vault, generate_records(args.families, 1, dt.date(2026, 11, 21)))
        vault.close()
        size_mb = (folder / "lotse.db").stat().st_size / 1e6
        salt, params = kdf.new_salt(), kdf.KdfParams()
        start = time.perf_counter()
        kdf.derive_key(PASSPHRASE, salt, params)
        kdf_time = time.perf_counter() - start
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            open_vault(folder, PASSPHRASE).close()
            times.append(time.perf_counter() - start)
        print(f"database: {size_mb:.1f} MB ({args.families} demo families)")
        print(f"Argon2id alone (64 MiB, t=3, p=4): {kdf_time:.3f} s")
        print(
            f"unlock: median {statistics.median(times):.3f} s, max {max(times):.3f} s "
            f"over {args.runs} runs   (target ≤ 1.0 s)"
        )


if __name__ == "__main__":
    main()
