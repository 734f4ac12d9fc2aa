"""Keeping an open form as a draft in the vault while it is typed (issue 9).

A form that keeps drafts gives :class:`DraftKeeper` a function returning its fields as
plain JSON values. The keeper compares them with what it saved last, a moment after each
change (debounced), and saves a changed form through the use cases
(:class:`~lotse.ui.ops.VaultOp`): only into the encrypted vault, never a file. The
window's lock calls :meth:`DraftKeeper.flush` before it closes the forms, so the last
keystrokes are kept too; a stored form calls :meth:`DraftKeeper.discard`.

:func:`ask_discard` is the question Esc asks on a changed form.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from lotse.i18n import _
from lotse.ui.ops import VaultOp
from lotse.usecases import VaultAPI

#: How often the form is looked at for changes (the debounce of saving).
SAVE_INTERVAL_MS = 700

State = dict[str, Any]


class DraftKeeper(QObject):
    """Saves ``state()`` of ``form`` as the draft ``draft_id`` whenever it changed."""

    def __init__(
        self,
        form: QWidget,
        api: VaultAPI,
        kind: str,
        state: Callable[[], State],
        family_id: int | None = None,
        ref_id: int | None = None,
        draft_id: str | None = None,
    ) -> None:
        super().__init__(form)
        self.api = api
        self.kind = kind
        self.family_id = family_id
        self.ref_id = ref_id
        #: A restored form keeps the draft it came from (it is saved over, then discarded).
        self.draft_id = draft_id or str(uuid.uuid4())
        self._state = state
        self._initial: State | None = None
        self._saved: State | None = None
        #: Whether a draft may be in the vault (one was saved or restored).
        self._kept = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(SAVE_INTERVAL_MS)
        self._timer.timeout.connect(self.flush)

    def start(self, restored: bool = False) -> None:
        """Take the form as it is now as its unchanged state and watch it from now on.

        A ``restored`` form counts as changed (its draft holds what was typed) and its
        draft is already stored.
        """
        now = self._state()
        self._initial = {} if restored else now
        self._saved = now if restored else None
        self._kept = restored
        self._timer.start()

    def changed(self) -> bool:
        """Whether the form holds anything other than what it opened with."""
        return self._initial is not None and self._state() != self._initial

    def flush(self) -> None:
        """Save the form now if it changed since the last save (queued on the vault thread)."""
        if self._stopped or self._initial is None:
            return
        state = self._state()
        if state == self._saved or (self._saved is None and state == self._initial):
            return
        self._saved = state
        self._kept = True
        draft_id, kind, family_id, ref_id = self.draft_id, self.kind, self.family_id, self.ref_id
        # A failure to keep a draft must not interrupt typing with a dialog: the form is
        # still there, and the next change tries again.
        VaultOp(
            self,
            lambda api: api.drafts.save(draft_id, kind, state, family_id, ref_id),
            api=self.api,
        ).failure(self._not_saved).run()

    def _not_saved(self, _error: BaseException) -> None:
        self._saved = None

    def stop(self) -> None:
        """Save nothing more (the form is closing)."""
        self._stopped = True
        self._timer.stop()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def discard(self) -> None:
        """Forget the draft: the form was stored or its content thrown away."""
        self.stop()
        if not self._kept:
            return  # nothing was ever kept
        self._kept = False
        draft_id = self.draft_id
        VaultOp(self, lambda api: api.drafts.discard(draft_id), api=self.api).failure(
            lambda _error: None
        ).run()


def ask_discard(parent: QWidget) -> bool:
    """Esc on a changed form: throw the input away? "Weiter bearbeiten" is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Eingaben verwerfen?"),
        _("Das Formular enthält Eingaben, die noch nicht gespeichert sind. Verwerfen?"),
        parent=parent,
    )
    discard = box.addButton(_("Verwerfen"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Weiter bearbeiten"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class KeepsDraft:
    """What a form that keeps a draft does on Esc, on the lock and once stored.

    Mixed into a :class:`~PySide6.QtWidgets.QDialog` that sets ``self.keeper``; Esc (and
    the window's close button) on a changed form asks before throwing the input away.
    """

    keeper: DraftKeeper
    _closing_for_lock = False
    #: Set while a person's Esc or the window's close button is being handled: only then
    #: is the question asked (a close by the program, e.g. at shutdown, must never block).
    _by_person = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._by_person = event.key() == Qt.Key.Key_Escape
        try:
            QDialog.keyPressEvent(self, event)  # type: ignore[arg-type]
        finally:
            self._by_person = False

    def closeEvent(self, event: QCloseEvent) -> None:
        self._by_person = event.spontaneous()
        try:
            QDialog.closeEvent(self, event)  # type: ignore[arg-type]
        finally:
            self._by_person = False

    def close_for_lock(self) -> None:
        """Keep what was typed (saved before the vault closes), then close without asking."""
        self.keeper.flush()
        self.keeper.stop()
        self._closing_for_lock = True
        QDialog.reject(self)  # type: ignore[arg-type]

    def reject(self) -> None:
        if self._closing_for_lock:
            QDialog.reject(self)  # type: ignore[arg-type]
            return
        # A stopped keeper belongs to a form that is already going (stored, locked, or
        # closed by its owner): asking then would only block that close.
        asking = self._by_person and self.keeper.changed() and not self.keeper.stopped
        if asking and not ask_discard(self):  # type: ignore[arg-type]
            return
        if self._closing_for_lock:  # the lock came while the question was open
            return
        self.keeper.discard()
        QDialog.reject(self)  # type: ignore[arg-type]

    def stored(self) -> None:
        """The form's content is in the vault now: its draft goes."""
        self.keeper.discard()
