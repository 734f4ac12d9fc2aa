"""Speed of the navigator's window with 20,000 demo families.

Targets (issue 4): the families list opens in ≤ 0.3 s, search updates in ≤ 30 ms per
keystroke, and a fresh ``lotse`` process shows the unlock window in ≤ 0.8 s.

Run: ``.venv/bin/python bench/bench_ui.py [--families N]`` (offscreen, no display needed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LOTSE_LANG", "de")

PASSPHRASE = "Bench-Passphrase-2026"
QUERIES = ("Schäfer", "0208 0", "F-2025-01", "Kaya Ost", "Osterfeld")


def make_vault(folder: Path, families: int) -> None:
    from lotse.crypto import kdf
    from lotse.demo import generate_records
    from lotse.usecases import VaultAPI

    with VaultAPI.create(folder, PASSPHRASE, params=kdf.TEST_PARAMS) as api:
        api.records.store(generate_records(families, seed=7), "bench")


def bench_list_and_search(folder: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from lotse.ui import ops, workers
    from lotse.ui.families_view import FamiliesView
    from lotse.ui.qt_app import ensure_app
    from lotse.usecases import VaultAPI

    def settle() -> None:
        while ops.busy():
            QApplication.processEvents()
            time.sleep(0.001)

    app = ensure_app()
    api = VaultAPI.open(folder, PASSPHRASE)
    try:
        view = FamiliesView(api)
        view.resize(1366, 720)
        view.show()
        settle()
        opens = []
        for _ in range(5):
            # Read on the vault thread, shown on the UI thread: until the rows are painted.
            t0 = time.perf_counter()
            view.reload()
            settle()
            view.repaint()
            QApplication.processEvents()
            opens.append(time.perf_counter() - t0)
        keystrokes = []
        for query in QUERIES:
            for n in range(1, len(query) + 1):
                t0 = time.perf_counter()
                view.search.setText(query[:n])  # what one keystroke does
                view.table.viewport().repaint()
                QApplication.processEvents()
                keystrokes.append(time.perf_counter() - t0)
            view.search.clear()
        rows = view.model.total()
        view.close()
    finally:
        workers.wait_all()
        api.close()
    del app
    return {
        "rows": rows,
        "list_open_median_s": statistics.median(opens),
        "list_open_max_s": max(opens),
        "keystroke_median_ms": statistics.median(keystrokes) * 1000,
        "keystroke_max_ms": max(keystrokes) * 1000,
    }


_CHILD = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import lotse.ui.app as app_module
    shown = app_module.LotseApp.show_unlock
    def show_and_quit(self, ready=True):
        shown(self, ready)
        def done():
            print("SHOWN", flush=True)
            QApplication.quit()
        QTimer.singleShot(0, done)
    app_module.LotseApp.show_unlock = show_and_quit
    from lotse.entry import main
    sys.exit(main(["--vault", sys.argv[1]]))
    """
)


def bench_cold_start(folder: Path, runs: int = 5) -> dict[str, float]:
    """Wall time from starting ``python -c`` to the unlock window shown (painted once).

    The child patches nothing but a quit-after-show hook; it imports exactly what
    ``lotse`` imports. The first run warms the OS file cache and is not counted.
    """
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("SHOWN"):
                elapsed = time.perf_counter() - t0
                break
        else:
            raise SystemExit("the child never showed the unlock window")
        proc.wait()
        if i:
            times.append(elapsed)
    return {"cold_start_median_s": statistics.median(times), "cold_start_max_s": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lotse-bench-ui-") as tmp:
        folder = Path(tmp) / "vault"
        t0 = time.perf_counter()
        make_vault(folder, args.families)
        print(f"set-up: {args.families} demo families stored in {time.perf_counter() - t0:.1f} s")
        figures = bench_list_and_search(folder)
        figures.update(bench_cold_start(folder))
    print(f"families in list:         {figures['rows']}")
    print(
        f"list opens:               {figures['list_open_median_s']:.3f} s median, "
        f"{figures['list_open_max_s']:.3f} s max   (target ≤ 0.3 s)"
    )
    print(
        f"search per keystroke:     {figures['keystroke_median_ms']:.1f} ms median, "
        f"{figures['keystroke_max_ms']:.1f} ms max   (target ≤ 30 ms)"
    )
    print(
        f"cold start to unlock:     {figures['cold_start_median_s']:.3f} s median, "
        f"{figures['cold_start_max_s']:.3f} s max   (target ≤ 0.8 s)"
    )


if __name__ == "__main__":
    main()
