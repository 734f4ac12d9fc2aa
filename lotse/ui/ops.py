"""Vault work off the UI thread: one way for every view, dialog and menu command.

As Anki's ``CollectionOp``/``QueryOp``::

    VaultOp(self, lambda api: api.today.lists(today)).success(self._show).run()

``fn`` receives the :class:`~lotse.usecases.VaultAPI` and runs on the vault thread, one
use case after the other in the order they were started, so results arrive in that order
too. The callbacks run on the UI thread. ``parent`` gives the API (its ``api``
attribute, unless ``api`` is passed) and owns the callbacks: when it has been deleted, or
the vault has been closed (the window locked) before the result is back, the result is
dropped and nothing is called.

Without :meth:`VaultOp.failure`, a :class:`~lotse.errors.LotseError` (or a database or
disk failure, as :func:`~lotse.usecases.as_lotse_error` words it: a full disk, say) is
shown with its message in a dialog over ``parent``; any other error is a bug, reported through
``sys.excepthook`` and shown as "Unerwarteter Fehler". With :meth:`VaultOp.with_progress`
``fn`` is called as ``fn(api, progress)`` and ``progress(done, total)`` may be called from
the worker; the callback gets it on the UI thread.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui import workers
from lotse.usecases import VaultAPI, as_lotse_error

T = TypeVar("T")

#: Operations started whose result has not been handled yet (see :func:`busy`).
_pending = 0


class HasVaultAPI(Protocol):
    api: VaultAPI


def busy() -> bool:
    """Whether an operation is running or its result is still on its way (for tests)."""
    return _pending > 0


def _alive(obj: QObject) -> bool:
    return shiboken6.isValid(obj)


def show_failure(parent: QWidget | None, error: BaseException) -> None:
    """The default failure handler: the message of an error the user can act on."""
    # A full or failing disk the use case did not map itself is one the user can act on.
    error = as_lotse_error(error) or error
    if isinstance(error, LotseError):
        message, details = error.message, error.details
    else:
        sys.excepthook(type(error), error, error.__traceback__)
        message = _("Unerwarteter Fehler: {error}").format(error=error)
        details = []
    box = QMessageBox(QMessageBox.Icon.Warning, "Lotse", message, parent=parent)
    if details:
        box.setInformativeText("\n".join(details[:30]))
        if len(details) > 30:
            box.setDetailedText("\n".join(details))
    box.exec()


class VaultOp(Generic[T]):
    """One use case run on the vault thread; build it, add callbacks, then :meth:`run`."""

    def __init__(
        self,
        parent: QObject,
        fn: Callable[..., T],
        *,
        api: VaultAPI | None = None,
    ) -> None:
        self._parent = parent
        self._api: VaultAPI = api if api is not None else parent.api  # type: ignore[attr-defined]
        self._fn = fn
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[int, int], None] | None = None

    def success(self, callback: Callable[[T], None]) -> VaultOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> VaultOp[T]:
        self._on_failure = callback
        return self

    def with_progress(self, callback: Callable[[int, int], None]) -> VaultOp[T]:
        """Call ``fn(api, progress)``; ``callback(done, total)`` gets its reports."""
        self._on_progress = callback
        return self

    def _deliverable(self) -> bool:
        return not self._api.closed and _alive(self._parent)

    def run(self) -> None:
        """Start the work (nothing happens once the vault is closed)."""
        global _pending
        if not self._deliverable():
            return
        api, fn = self._api, self._fn
        reports = self._on_progress is not None

        def work(progress: Callable[[int, int], None]) -> Any:
            return fn(api, progress) if reports else fn(api)

        _pending += 1
        workers.start_on_vault_thread(
            work, self._finished, self._failed, self._progressed if reports else None
        )

    def _finished(self, result: Any) -> None:
        global _pending
        _pending -= 1
        if self._deliverable() and self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: BaseException) -> None:
        global _pending
        _pending -= 1
        if not self._deliverable():
            return
        if self._on_failure is not None:
            self._on_failure(error)
        else:
            parent = self._parent if isinstance(self._parent, QWidget) else None
            show_failure(parent, error)

    def _progressed(self, done: int, total: int) -> None:
        if self._deliverable() and self._on_progress is not None:
            self._on_progress(done, total)
