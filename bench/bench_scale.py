"""The window with a whole city's families: list, search, quarterly report, memory.

    .venv/bin/python bench/bench_scale.py [--families 20000,100000] [--keep build/bench-scale]

For each size a vault is filled with demo families (lotse.demo, as ``lotse demo
--families N`` does; kept in ``--keep`` for the next run, cheap Argon2id parameters: the
KDF is not what is measured). Then one process per size plays the window, under
``/usr/bin/time -v`` for its peak resident memory: unlock, the main window shown (it
reads its settings, then the families list, the "Heute" lists and the current
quarter's figures on the vault thread), the families list read again and shown (5 times:
when the first screenful is on screen, and when all rows are in), one family's row read
again as after a save (5 times), search typed keystroke by keystroke, and the quarterly
report of the last full quarter written as PDF and as JSON (what "Statistik" → Bericht does).

Targets (issue 15): 100,000 families: list ≤ 0.3 s, search ≤ 30 ms a keystroke, report
≤ 2 s, peak memory ≤ 300 MB; 20,000 families: peak memory ≤ 200 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PASSPHRASE = "Bench-Passphrase-2026"
QUERIES = ("Schäfer", "0208 0", "F-2025-01", "Kaya Ost", "Osterfeld")
TIME = "/usr/bin/time"


def _rss_mb() -> tuple[float, float]:
    """(resident now, peak so far) of this process, MB."""
    status = Path("/proc/self/status").read_text()
    now = int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status)[1])  # type: ignore[index]
    return now / 1024, peak / 1024


def make_vault(folder: Path, families: int) -> float:
    from lotse.crypto import kdf
    from lotse.demo import generate_records
    from lotse.usecases import VaultAPI

    start = time.perf_counter()
    with VaultAPI.create(folder, PASSPHRASE, params=kdf.TEST_PARAMS) as api:
        api.records.store(generate_records(families, seed=7), "bench")
    return time.perf_counter() - start


def window(folder: Path) -> dict[str, Any]:
    """The child: the window on the vault in ``folder``; returns the figures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lotse.stats.period import previous_quarter
    from lotse.ui import ops, workers
    from lotse.ui.app import build_main_window
    from lotse.ui.qt_app import ensure_app
    from lotse.usecases import VaultAPI

    def settle() -> None:
        while ops.busy():
            QApplication.processEvents()
            time.sleep(0.001)

    figures: dict[str, Any] = {}
    app = ensure_app()
    start = time.perf_counter()
    api = VaultAPI.open(folder, PASSPHRASE)
    figures["unlock_s"] = time.perf_counter() - start
    figures["rss_after_unlock_mb"] = _rss_mb()[0]
    try:
        start = time.perf_counter()
        # As lotse.ui.app opens it: the window's settings first, then the window.
        main = build_main_window(api, api.settings.window())
        main.resize(1366, 768)
        main.show()
        settle()
        figures["main_window_s"] = time.perf_counter() - start
        view = main.families  # type: ignore[attr-defined]
        main.tabs.setCurrentWidget(view)  # type: ignore[attr-defined]
        settle()
        figures["rss_main_window_mb"] = _rss_mb()[0]
        # The list read again as after an import: the first screenful is shown while the
        # rest is read page by page (lotse.ui.families_view); both moments are measured.
        firsts, opens = [], []
        for _ in range(5):
            start = time.perf_counter()
            view.reload()
            while view.model.rowCount() == 0 and ops.busy():
                QApplication.processEvents()
                time.sleep(0.0005)
            view.table.viewport().repaint()
            firsts.append(time.perf_counter() - start)
            settle()
            view.repaint()
            QApplication.processEvents()
            opens.append(time.perf_counter() - start)
        figures["rows"] = view.model.total()
        figures["list_first_s"] = statistics.median(firsts)
        figures["list_first_max_s"] = max(firsts)
        figures["list_open_s"] = statistics.median(opens)
        figures["list_open_max_s"] = max(opens)
        # A family saved (the form, the detail pane): its row only is read again.
        family_id = view.model.row_at(view.model.rowCount() // 2).id
        view.select_family(family_id)
        settle()
        saves = []
        for _ in range(5):
            start = time.perf_counter()
            view.refresh_family(family_id)
            settle()
            view.table.viewport().repaint()
            saves.append(time.perf_counter() - start)
        figures["row_refresh_s"] = statistics.median(saves)
        figures["rss_list_mb"] = _rss_mb()[0]
        keystrokes = []
        for query in QUERIES:
            for n in range(1, len(query) + 1):
                start = time.perf_counter()
                view.search.setText(query[:n])  # what one keystroke does
                view.table.viewport().repaint()
                QApplication.processEvents()
                keystrokes.append(time.perf_counter() - start)
            view.search.clear()
            QApplication.processEvents()
        figures["keystroke_ms"] = statistics.median(keystrokes) * 1000
        figures["keystroke_max_ms"] = max(keystrokes) * 1000
        figures["rss_after_search_mb"] = _rss_mb()[0]
        quarter = previous_quarter(dt.date.today())
        out = folder.parent / "report"
        for fmt in ("pdf", "json"):
            start = time.perf_counter()
            api.statistics.write_report(quarter, fmt, out.with_suffix("." + fmt))
            figures[f"report_{fmt}_s"] = time.perf_counter() - start
        figures["quarter"] = quarter.label
        figures["rss_end_mb"], figures["rss_peak_self_mb"] = _rss_mb()
        main.close()
    finally:
        workers.wait_all()
        api.close()
    del app
    return figures


def run_child(folder: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(folder)]
    has_time = Path(TIME).is_file()
    if has_time:
        command = [TIME, "-v", *command]
    env = {**os.environ, "LOTSE_POLICY": "", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    figures["peak_rss_mb"] = int(peak[1]) / 1024 if peak else None
    return figures


def report(n: int, f: dict[str, Any]) -> None:
    limit = 300 if n > 20_000 else 200
    peak = f["peak_rss_mb"]
    peak_text = f"{peak:.0f} MB" if peak is not None else "n/a (no /usr/bin/time)"
    print(f"--- {n:,} families ({f['rows']:,} in the list)")
    print(f"  unlock:                 {f['unlock_s']:.2f} s (cheap KDF)")
    print(f"  main window shown:      {f['main_window_s']:.2f} s")
    print(
        f"  families list opens:    first screenful {f['list_first_s']:.3f} s median, "
        f"{f['list_first_max_s']:.3f} s max   (target ≤ 0.3 s)"
    )
    print(
        f"  ... all rows in:        {f['list_open_s']:.3f} s median, "
        f"{f['list_open_max_s']:.3f} s max"
    )
    print(f"  one family saved:       its row again in {f['row_refresh_s'] * 1000:.0f} ms median")
    print(
        f"  search per keystroke:   {f['keystroke_ms']:.1f} ms median, "
        f"{f['keystroke_max_ms']:.1f} ms max   (target ≤ 30 ms)"
    )
    print(
        f"  quarterly report {f['quarter']}: PDF {f['report_pdf_s']:.2f} s, "
        f"JSON {f['report_json_s']:.2f} s   (target ≤ 2 s)"
    )
    print(
        f"  resident memory:        peak {peak_text} (/usr/bin/time -v)   (target ≤ {limit} MB); "
        f"after unlock {f['rss_after_unlock_mb']:.0f}, main window "
        f"{f['rss_main_window_mb']:.0f}, list read 5× {f['rss_list_mb']:.0f}, "
        f"after search {f['rss_after_search_mb']:.0f}, "
        f"end {f['rss_end_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", default="20000,100000")
    parser.add_argument("--keep", type=Path, default=Path("build/bench-scale"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["LOTSE_POLICY"] = ""
    if args.child:
        print(json.dumps(window(args.child)))
        return
    if not Path(TIME).is_file():
        print(f"{TIME} is missing (Debian package time, tools/system-deps.sh): no peak memory")
    for n in (int(x) for x in args.families.split(",")):
        folder = args.keep / f"vault-{n}" / "vault"
        if not (folder / "lotse.db").is_file():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.parent.mkdir(parents=True)
            print(f"set-up: {n:,} demo families stored in {make_vault(folder, n):.0f} s")
        report(n, run_child(folder))


if __name__ == "__main__":
    main()
