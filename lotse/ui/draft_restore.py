"""The main window's side of drafts: the banner, reopening a draft, Ctrl+L everywhere.

After unlocking, :class:`DraftBanner` offers the newest form left open at the lock
("Entwurf wiederherstellen"); "Heute" lists all of them. :func:`reopen` opens a draft's
form again as it was. :class:`LockKeys` makes Ctrl+L lock the window also while a modal
form or question is open (the window's own shortcut does not reach through a modal
dialog).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from lotse.i18n import _, ngettext
from lotse.ui.widgets import german_date
from lotse.usecases.drafts import DraftInfo


def describe(draft: DraftInfo) -> str:
    """What a draft is, as the banner and "Heute" name it: "Kontakt – F-2026-0001 · Anna"."""
    texts = {
        "first_contact": _("Neuer Erstkontakt"),
        "family": _("Familie bearbeiten"),
        "contact": _("Kontakt"),
        "referral": _("Vermittlung"),
        "status": _("Stand der Vermittlung"),
        "reminder": _("Wiedervorlage"),
    }
    subject = " · ".join(p for p in (draft.family_code or "", draft.name) if p)
    what = texts.get(draft.kind, draft.kind)
    return f"{what} – {subject}" if subject else what


def saved_at(draft: DraftInfo) -> str:
    """When the draft was last saved, in local time ("02.03.2026 14:05")."""
    import datetime as dt

    local = draft.updated.replace(tzinfo=dt.UTC).astimezone()
    return f"{german_date(local.date())} {local:%H:%M}"


class DraftBanner(QFrame):
    """A line over the tabs while forms were left open: restore, discard, or later."""

    restore_requested = Signal(str)
    discard_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draft_banner")
        self.setStyleSheet(
            "#draft_banner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px; }"
        )
        self.text = QLabel()
        self.text.setObjectName("draft_banner_text")
        self.text.setWordWrap(True)
        self.restore_button = QPushButton(_("Entwurf &wiederherstellen"))
        self.restore_button.setObjectName("restore_draft")
        self.discard_button = QPushButton(_("Entwurf verwerfen"))
        self.discard_button.setObjectName("discard_draft")
        self.later_button = QPushButton(_("Später"))
        line = QHBoxLayout(self)
        line.setContentsMargins(8, 4, 8, 4)
        line.addWidget(self.text, 1)
        for button in (self.restore_button, self.discard_button, self.later_button):
            line.addWidget(button)
        self.restore_button.clicked.connect(lambda: self._emit(self.restore_requested))
        self.discard_button.clicked.connect(lambda: self._emit(self.discard_requested))
        self.later_button.clicked.connect(self.hide)
        self._newest: DraftInfo | None = None
        self.hide()

    def _emit(self, signal: Signal) -> None:
        if self._newest is not None:
            signal.emit(self._newest.id)  # type: ignore[attr-defined]

    def show_drafts(self, drafts: list[DraftInfo] | tuple[DraftInfo, ...]) -> None:
        """Offer the newest of ``drafts`` (none: the banner goes)."""
        if not drafts:
            self._newest = None
            self.hide()
            return
        self._newest = drafts[0]
        text = _("Nicht gespeicherter Entwurf: {what} (zuletzt {time}).").format(
            what=describe(drafts[0]), time=saved_at(drafts[0])
        )
        if len(drafts) > 1:
            more = len(drafts) - 1
            text += " " + ngettext(
                "{n} weiterer Entwurf steht unter „Heute“.",
                "{n} weitere Entwürfe stehen unter „Heute“.",
                more,
            ).format(n=more)
        self.text.setText(text)
        self.show()


class LockKeys(QObject):
    """Ctrl+L locks while a modal dialog of the window is open (an application filter)."""

    def __init__(self, lock: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._lock = lock
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_L
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and QApplication.activeModalWidget() is not None
        ):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                # After this event: the lock closes the dialog the key went to.
                QTimer.singleShot(0, self._lock)
            return True
        return False
