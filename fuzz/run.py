"""Run every fuzz harness for a time budget and print what each did (``make fuzz``).

Each target runs under libFuzzer (atheris) with a time budget (``-max_total_time``),
bounded memory (``-rss_limit_mb``) and a per-input time limit (``-timeout``, a hang is a
finding), starting from the committed seeds (fuzz/corpus/<target>/) plus what earlier
runs found (build/fuzz/corpus/<target>/). A crashing input is written to
build/fuzz/crashes/<target>/; turn it into a regression test (tests/fuzz_regressions/)
before fixing it. Exit status 1 if any target found something.

Usage: python fuzz/run.py [--seconds 60] [--rss-mb 1024] [--timeout 10] [TARGET ...]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "build" / "fuzz"
TARGETS = ("records", "header", "packages", "policy")
_STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.MULTILINE)
_COVERAGE = re.compile(r"cov: (\d+) ft: (\d+)")


def run(target: str, seconds: int, rss_mb: int, timeout: int) -> tuple[int, dict[str, int]]:
    """Fuzz ``target``; its exit status and libFuzzer's final statistics."""
    corpus, crashes = OUT / "corpus" / target, OUT / "crashes" / target
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    log = OUT / f"{target}.log"
    command = [
        sys.executable,
        str(HERE / f"fuzz_{target}.py"),
        f"-max_total_time={seconds}",
        f"-rss_limit_mb={rss_mb}",
        f"-timeout={timeout}",
        f"-dict={HERE / 'dicts' / f'{target}.dict'}",
        f"-artifact_prefix={crashes}/",
        "-print_final_stats=1",
        str(corpus),
        str(HERE / "corpus" / target),
    ]
    with log.open("w") as fh:
        status = subprocess.run(command, stdout=fh, stderr=subprocess.STDOUT, check=False)
    text = log.read_text(errors="replace")
    stats = {name: int(value) for name, value in _STAT.findall(text)}
    coverage = _COVERAGE.findall(text)
    if coverage:
        stats["cov"], stats["ft"] = map(int, coverage[-1])
    if status.returncode != 0:
        print(f"--- {target}: finding (exit {status.returncode}), log {log}:")
        print("\n".join(text.splitlines()[-40:]))
        if "Test unit written to" not in text:
            # Seen once: atheris's timeout alarm killed the process while it reported a
            # Python exception, before libFuzzer wrote the input. The traceback above says
            # what failed; a rerun from the saved corpus usually finds it again.
            print(f"--- {target}: the input was not saved; rerun to reproduce")
    return status.returncode, stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="time budget per target")
    parser.add_argument("--rss-mb", type=int, default=1024, help="memory limit (MiB)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=", ".join(TARGETS))
    args = parser.parse_args()
    unknown = sorted(set(args.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    failed = []
    rows = []
    for target in args.targets or TARGETS:
        print(f"fuzzing {target} for {args.seconds} s …", flush=True)
        started = time.monotonic()
        status, stats = run(target, args.seconds, args.rss_mb, args.timeout)
        elapsed = time.monotonic() - started
        if status != 0:
            failed.append(target)
        rows.append((target, "FINDING" if status else "clean", elapsed, stats))
    print(
        f"\n{'target':<10} {'result':<8} {'secs':>6} {'execs':>10} {'execs/s':>8} "
        f"{'cov':>5} {'ft':>6} {'corpus':>7} {'peak MiB':>8}"
    )
    for target, result, elapsed, s in rows:
        print(
            f"{target:<10} {result:<8} {elapsed:>6.0f} {s.get('number_of_executed_units', 0):>10} "
            f"{s.get('average_exec_per_sec', 0):>8} {s.get('cov', 0):>5} {s.get('ft', 0):>6} "
            f"{len(list((OUT / 'corpus' / target).iterdir())):>7} {s.get('peak_rss_mb', 0):>8}"
        )
    if failed:
        print(f"\nfindings in: {', '.join(failed)} (inputs in {OUT / 'crashes'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
