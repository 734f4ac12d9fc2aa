"""Long work (unlocking, the demo fill, every use case of the vault) off the UI thread.

A :class:`Job` runs a plain function on Qt's global thread pool and reports back only
through signals, which Qt delivers on the UI thread; the function never touches widgets.
Work on an open vault goes through :class:`lotse.ui.ops.VaultOp`, which runs it on the
one vault thread (:func:`start_on_vault_thread`), one use case after the other.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """Runs ``fn(progress)``; ``progress(done, total)`` may be called from the worker."""

    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self.setAutoDelete(False)  # the caller keeps it (and its signals) alive

    def schedule(self) -> None:
        """Start it on Qt's global thread pool."""
        QThreadPool.globalInstance().start(self)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except BaseException as exc:  # reported to the UI thread, never lost in the pool
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


_running: set[Job] = set()


def start(
    fn: Callable[[Callable[[int, int], None]], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> Job:
    """Run ``fn(progress)`` on the thread pool; the callbacks arrive on the UI thread."""
    return _launch(Job(fn), on_finished, on_failed, on_progress)


def _launch(
    job: Job,
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> Job:
    _running.add(job)  # keeps the job (and its signals) alive until it reports back

    def finished(result: Any) -> None:
        _running.discard(job)
        on_finished(result)

    def failed(exc: BaseException) -> None:
        _running.discard(job)
        on_failed(exc)

    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    if on_progress is not None:
        job.signals.progress.connect(on_progress)
    # Only now, with every signal connected: a quick job must not report to nobody.
    job.schedule()
    return job


def wait_all(msecs: int = 30000) -> bool:
    """Wait for running jobs, on the pool and on the vault thread (before a vault closes)."""
    deadline = time.monotonic() + msecs / 1000
    done = QThreadPool.globalInstance().waitForDone(msecs)
    try:
        # The vault thread runs its jobs in order: once this one ran, all before it did.
        _vault_thread.submit(lambda: None).result(max(deadline - time.monotonic(), 0.0))
    except concurrent.futures.TimeoutError:
        return False
    return done


#: The one thread that opens and closes vaults. The vault's file lock belongs to the thread
#: that took it (filelock is thread-local), so it must be released on that same thread.
_vault_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lotse-vault")


class _VaultJob(Job):
    def schedule(self) -> None:
        # Queued here, on the thread that starts it: jobs run on the vault thread in the
        # order they were started, and report back to the UI thread in that order too.
        _vault_thread.submit(self.run)


def start_on_vault_thread(
    fn: Callable[[Callable[[int, int], None]], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> Job:
    """Like :func:`start`, but ``fn`` runs on the vault thread, after any job before it.

    Opening and closing vaults run there (a vault's file lock belongs to the thread that
    took it), and so does every use case of an open vault (:class:`lotse.ui.ops.VaultOp`).
    """
    return _launch(_VaultJob(fn), on_finished, on_failed, on_progress)


def close_on_vault_thread(close: Callable[[], None]) -> None:
    """Run ``close`` on the vault thread and wait for it (it takes milliseconds)."""
    _vault_thread.submit(close).result()
