"""Benchmark of the statistics and group offers views (issue 4): does the window stay fluid?

Fills a fresh vault (cheap Argon2id parameters) with synthetic families (default 20,000
with about 15 contacts each) and measures, offscreen:

* building the group offers view with all its offers, and reloading it,
* building the statistics view (UI thread only: the figures are computed by a worker),
* the time until the figures are shown, and the longest gap in the UI event loop meanwhile,
* exporting JSON, CSV, XLSX and PDF through the view's worker, with the longest gap.

A gap in the event loop is how long the window would not react; a worker that holds
Python's GIL for long (reportlab) shows up here.

    .venv/bin/python bench/bench_statistics_view.py [--families 20000] [--contacts 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.ui import ops, workers
from lotse.usecases import VaultAPI


def _pump_while(app: QApplication, busy: Callable[[], bool]) -> tuple[float, float]:
    """Run the event loop while ``busy()``; (total seconds, longest gap between turns)."""
    start = last = time.perf_counter()
    longest = 0.0
    while busy():
        app.processEvents()
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
        time.sleep(0.002)
    return time.perf_counter() - start, longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--contacts", type=float, default=15.0)
    args = parser.parse_args()

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    api = VaultAPI.create(folder / "vault", "Lotse-Bench-Passphrase-2026", params=kdf.TEST_PARAMS)
    records = generate_records(
        args.families, seed=1, today=dt.date.today(), mean_contacts=args.contacts
    )
    started = time.perf_counter()
    api.records.store(records)
    print(
        f"vault: {len(records.families)} families, {len(records.contacts)} contacts, "
        f"{len(records.group_offers)} group offers, {len(records.group_sessions)} sessions "
        f"(stored in {time.perf_counter() - started:.1f} s)"
    )

    from lotse.ui.group_offers_view import GroupOffersView
    from lotse.ui.statistics_view import StatisticsView

    # The offers and their sessions are read on the vault thread: until they are shown.
    started = time.perf_counter()
    groups = GroupOffersView(api)
    built = time.perf_counter() - started
    total, gap = _pump_while(app, ops.busy)
    print(
        f"group offers view built (UI thread): {built:.3f} s, loaded after "
        f"{built + total:.3f} s, longest UI gap {gap:.3f} s"
    )
    started = time.perf_counter()
    groups.refresh()
    total, gap = _pump_while(app, ops.busy)
    print(
        f"group offers view refresh:           {time.perf_counter() - started:.3f} s, "
        f"longest UI gap {gap:.3f} s"
    )

    started = time.perf_counter()
    view = StatisticsView(api)
    print(f"statistics view built (UI thread):  {time.perf_counter() - started:.3f} s")
    total, gap = _pump_while(app, view.is_busy)
    print(f"figures of {view.period().label} shown after {total:.3f} s, longest UI gap {gap:.3f} s")

    out_dir = Path(tempfile.mkdtemp(prefix="lotse-bench-out-"))
    for fmt in ("json", "csv", "xlsx", "pdf"):
        view.start_export(fmt, out_dir / f"report.{fmt}")
        total, gap = _pump_while(app, view.is_exporting)
        print(f"export {fmt:4}: {total:.3f} s, longest UI gap {gap:.3f} s")

    workers.wait_all()
    api.close()


if __name__ == "__main__":
    main()
