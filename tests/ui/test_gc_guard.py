"""Cycles are collected on the window's thread, never on a vault thread (lotse.ui.gc_guard)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from pytestqt.qtbot import QtBot

from lotse.ui import gc_guard
from lotse.ui.qt_app import ensure_app


class _Cycle:
    """Garbage in a reference cycle, as a closed dialog held by its own slot would be."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.current_thread().name)


def _allocate_on_a_vault_thread(kept: list[object]) -> None:
    def work() -> None:
        # Containers that stay alive (rows read, say) push the count past CPython's
        # threshold: without the guard this thread would collect, here and now.
        kept.extend([] for _ in range(5 * gc.get_threshold()[0]))

    thread = threading.Thread(target=work, name="vault-thread")
    thread.start()
    thread.join()


def test_cycles_made_garbage_are_collected_by_the_main_thread_only(qtbot: QtBot) -> None:
    ensure_app()
    collector = gc_guard.installed()
    assert collector is not None
    assert not gc.isenabled()
    gc.collect()
    _Cycle.freed_on.clear()
    _Cycle()  # garbage at once: only the cyclic collector can free it
    kept: list[object] = []
    _allocate_on_a_vault_thread(kept)
    assert _Cycle.freed_on == []
    # The timer finds the counts past the thresholds and collects here.
    qtbot.waitUntil(lambda: bool(_Cycle.freed_on), timeout=5000)
    assert _Cycle.freed_on == [threading.main_thread().name]
