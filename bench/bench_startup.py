"""Print how long a process takes to show the unlock window, against a bare PySide6 window.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--families 2000]

Two kinds of process, started alternately in the same run, each timed from its start to
its exit (it exits as soon as its window is first exposed, i.e. drawn), both from
compiled bytecode as an installed Lotse:

- bare: a QApplication and an empty QWidget, nothing else;
- Lotse: ``lotse --vault FOLDER`` through the program's entry point (lotse.entry), on a
  vault that exists, so the unlock window opens.

Target (issue 15): the Lotse process within 1.5 times the bare one (medians). Then, in
this process: the unlock itself (VaultAPI.open: Argon2id with the real parameters,
64 MiB, t=3, p=4, SQLCipher's integrity check, the header) with the storage stack
already loaded, as the window has it once the passphrase is typed; target ≤ 1.0 s.

Qt's platform is the one in QT_QPA_PLATFORM (offscreen when unset); for a real display
run it under X (e.g. ``xvfb-run -a .venv/bin/python bench/bench_startup.py`` with
QT_QPA_PLATFORM=xcb).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PASSPHRASE = "benchmark passphrase 2026"

#: Exits at the first expose of ``NAME`` (any window if empty); QApplication made first so
#: the filter sees every window (Lotse's ensure_app keeps that one).
PROBE = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    NAME = {name!r}
    app = QApplication(sys.argv[:1])

    class Probe(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Expose and obj.isWindowType():
                names = [w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()]
                if not NAME or NAME in names:
                    sys.stdout.flush()
                    os._exit(0)
            return False

    probe = Probe()
    app.installEventFilter(probe)
    """
)

BARE = PROBE.format(name="") + textwrap.dedent(
    """
    from PySide6.QtWidgets import QWidget
    window = QWidget()
    window.resize(480, 300)
    window.show()
    app.exec()
    """
)

LOTSE = PROBE.format(name="unlock_window") + textwrap.dedent(
    """
    from lotse.entry import main
    main(["--vault", sys.argv[1]])
    """
)


def _time_process(code: str, *args: str, pycache: Path) -> float:
    env = {**os.environ, "LOTSE_POLICY": "", "PYTHONPYCACHEPREFIX": str(pycache)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed Lotse starts from compiled bytecode; so do these (written by the first
    # run into PYCACHE, even where the environment says not to write any).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, timeout=60)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--families", type=int, default=2000)
    args = parser.parse_args()
    os.environ["LOTSE_POLICY"] = ""
    from lotse.crypto import kdf
    from lotse.demo import generate_records
    from lotse.usecases import VaultAPI

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "vault"
        with VaultAPI.create(folder, PASSPHRASE, params=kdf.KdfParams()) as api:
            api.records.store(generate_records(args.families, 1, dt.date(2026, 11, 21)))
        pycache = Path(tmp) / "pycache"
        _time_process(BARE, pycache=pycache)  # warm the file cache, write the bytecode
        _time_process(LOTSE, str(folder), pycache=pycache)
        bare, lotse = [], []
        for _ in range(args.runs):
            bare.append(_time_process(BARE, pycache=pycache))
            lotse.append(_time_process(LOTSE, str(folder), pycache=pycache))
        bare_median, lotse_median = statistics.median(bare), statistics.median(lotse)
        print(f"Qt platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
        runs = f"of {args.runs}, alternately"
        print(f"bare PySide6 window process (show, quit): median {bare_median:.3f} s {runs}")
        print(f"Lotse unlock window process:              median {lotse_median:.3f} s {runs}")
        print(f"ratio: {lotse_median / bare_median:.2f}   (target ≤ 1.5)")

        unlocks = []
        for _ in range(5):
            start = time.perf_counter()
            VaultAPI.open(folder, PASSPHRASE).close()
            unlocks.append(time.perf_counter() - start)
        salt = kdf.new_salt()
        start = time.perf_counter()
        kdf.derive_key(PASSPHRASE, salt, kdf.KdfParams())
        argon = time.perf_counter() - start
        print(
            f"unlock (VaultAPI.open, {args.families} families, storage stack loaded): "
            f"median {statistics.median(unlocks):.3f} s, max {max(unlocks):.3f} s of 5 "
            f"(target ≤ 1.0 s); Argon2id alone (64 MiB, t=3, p=4): {argon:.3f} s"
        )


if __name__ == "__main__":
    main()
