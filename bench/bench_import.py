"""Import 100,000 records into a fresh vault and print the time (target: ≤ 10 s).

    .venv/bin/python bench/bench_import.py [--records 100000] [--real-kdf]

The records come from the demo generator, written as a lotse.records/1 file first; the
timed part is what ``lotse import FILE`` does: read and validate the file, then store it
in one transaction in the SQLCipher database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.records.exporter import export_records
from lotse.records.importer import store_records
from lotse.records.reader import read_records
from lotse.vault import create_vault

PASSPHRASE = "benchmark passphrase 2026"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--real-kdf", action="store_true", help="real Argon2id parameters")
    args = parser.parse_args()
    params = kdf.KdfParams() if args.real_kdf else kdf.TEST_PARAMS

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        # about 6.6 records per family with the default demo mix
        families = max(1, int(args.records / 6.6))
        records = generate_records(families, seed=1, today=dt.date(2026, 11, 21))
        source = create_vault(tmp_path / "source", PASSPHRASE, params)
        store_records(source, records)
        path = tmp_path / "records.jsonl"
        lines = export_records(source, path)
        source.close()
        size_mb = path.stat().st_size / 1e6

        vault = create_vault(tmp_path / "target", PASSPHRASE, params)
        cpu_start = time.process_time()
        start = time.perf_counter()
        parsed = read_records(path)
        parsed_at = time.perf_counter()
        store_records(vault, parsed)
        stored_at = time.perf_counter()
        cpu = time.process_time() - cpu_start
        vault.close()
        closed_at = time.perf_counter()
        print(f"records: {lines} ({size_mb:.1f} MB file)")
        print(f"read + validate: {parsed_at - start:6.2f} s")
        print(f"store:           {stored_at - parsed_at:6.2f} s")
        print(f"close (checkpoint): {closed_at - stored_at:6.2f} s")
        print(f"import total:    {stored_at - start:6.2f} s   (target ≤ 10 s)")
        print(f"import CPU time: {cpu:6.2f} s   (less sensitive to other load on the machine)")


if __name__ == "__main__":
    main()
