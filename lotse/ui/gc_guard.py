"""Python's cyclic garbage collection on the window's (main) thread only.

CPython collects reference cycles on whichever thread happens to allocate when a threshold
is crossed. When that is the vault thread (:mod:`lotse.ui.workers`) and the garbage holds
a Qt object — a closed dialog or window caught in a reference cycle — its C++ destructor
runs off the GUI thread and the process crashes (seen in CI: a segmentation fault,
"Garbage-collecting" on the vault thread while it read the consent list). So automatic
collection is switched off while the window runs, and the main thread collects on a timer
with CPython's own thresholds: the pattern of pyqtgraph's ``GarbageCollector``.
Reference counting, which frees almost everything, is untouched.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the main thread looks whether a collection is due. A look that finds the
#: counts below the thresholds costs nothing measurable.
INTERVAL_MS = 200


class MainThreadCollector(QObject):
    """Collects cycles on the thread it lives on (the GUI thread) when CPython would."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds (as CPython does)."""
        counts = gc.get_count()
        if counts[0] <= self.thresholds[0]:
            return
        generation = 0
        while generation < 2 and counts[generation + 1] > self.thresholds[generation + 1]:
            generation += 1
        gc.collect(generation)


_collector: MainThreadCollector | None = None


def install(app: QObject) -> MainThreadCollector:
    """Move cyclic collection to ``app``'s thread for the rest of the process (once)."""
    global _collector
    if _collector is None:
        _collector = MainThreadCollector(app)
    return _collector


def installed() -> MainThreadCollector | None:
    return _collector
