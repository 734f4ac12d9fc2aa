"""The unlock window: passphrase in, vault out; each wrong try makes the next one wait longer.

Argon2id takes about half a second by design, so unlocking runs off the UI thread, on the
vault thread where the vault's lock then belongs (:mod:`lotse.ui.workers`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lotse.errors import LotseError, WrongPassphraseError
from lotse.i18n import _
from lotse.ui import workers
from lotse.ui.policy_notice import PolicyNotice
from lotse.ui.qt_app import app_icon
from lotse.usecases import VaultAPI

#: Waiting time after the first wrong passphrase; it doubles with every further one.
BASE_DELAY_MS = 1000
MAX_DELAY_MS = 30000


class UnlockWindow(QWidget):
    """Emits :attr:`unlocked` with the open vault's :class:`~lotse.usecases.VaultAPI`."""

    unlocked = Signal(object)

    def __init__(self, folder: Path, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.failures = 0
        self.base_delay_ms = BASE_DELAY_MS
        self._remaining_ms = 0
        self._busy = False
        self.setObjectName("unlock_window")
        self.setWindowTitle(_("Lotse entsperren"))
        icon: QIcon = app_icon()
        logo = QLabel()
        logo.setPixmap(icon.pixmap(64, 64))
        title = QLabel("<h2>Lotse</h2>")
        self.subtitle = QLabel(_("Ihr Tresor ist gesperrt."))
        head = QHBoxLayout()
        head.addWidget(logo)
        titles = QVBoxLayout()
        titles.addWidget(title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)

        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.returnPressed.connect(self.try_unlock)
        form = QFormLayout()
        label = QLabel(_("&Passphrase"))
        label.setBuddy(self.passphrase)
        form.addRow(label, self.passphrase)
        folder_label = QLabel(str(self.folder))
        folder_label.setWordWrap(True)
        folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(QLabel(_("Tresor")), folder_label)

        self.message = QLabel()
        self.message.setObjectName("unlock_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.hint = QLabel(hint)
        self.hint.setObjectName("unlock_hint")
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.setVisible(bool(hint))
        self.progress = QProgressBar()
        self.progress.hide()

        self.button = QPushButton(_("Entsperren"))
        self.button.setObjectName("unlock_button")
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.button)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        # A bad machine policy is never silently ignored: which lines, and what applies.
        self.policy_notice = PolicyNotice(self)
        layout.addWidget(self.policy_notice)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(480, 300)

        self._countdown = QTimer(self)
        self._countdown.setInterval(100)
        self._countdown.timeout.connect(self._tick)
        self.passphrase.setFocus()

    def set_ready(self, ready: bool) -> None:
        """Disable input while something (the demo fill) prepares the vault."""
        self.passphrase.setEnabled(ready)
        self.button.setEnabled(ready)
        if ready:
            self.passphrase.setFocus()

    def try_unlock(self) -> None:
        if self._busy or self._remaining_ms > 0 or not self.button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.message.setText(_("Bitte geben Sie Ihre Passphrase ein."))
            return
        self._busy = True
        self.button.setEnabled(False)
        self.passphrase.setEnabled(False)
        self.message.setStyleSheet("color: palette(text);")
        self.message.setText(_("Entsperre …"))
        folder = self.folder
        workers.start_on_vault_thread(
            lambda _progress: VaultAPI.open(folder, passphrase), self._opened, self._failed
        )

    def _opened(self, api: VaultAPI) -> None:
        self._busy = False
        self.failures = 0
        self.passphrase.clear()
        self.message.clear()
        self.passphrase.setEnabled(True)
        self.button.setEnabled(True)
        self.unlocked.emit(api)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.message.setStyleSheet("color: #b3261e;")
        self.passphrase.setEnabled(True)
        self.passphrase.selectAll()
        if isinstance(error, WrongPassphraseError):
            self.failures += 1
            delay = min(self.base_delay_ms * 2 ** (self.failures - 1), MAX_DELAY_MS)
            self._remaining_ms = delay
            self._wrong_text = error.message
            self._tick(advance=False)
            self._countdown.start()
            return
        self.button.setEnabled(True)
        if isinstance(error, LotseError):
            self.message.setText(error.message)
        else:
            self.message.setText(
                _("Unerwarteter Fehler beim Entsperren: {error}").format(error=error)
            )
        self.passphrase.setFocus()

    def _tick(self, advance: bool = True) -> None:
        if advance:
            self._remaining_ms -= self._countdown.interval()
        if self._remaining_ms <= 0:
            self._remaining_ms = 0
            self._countdown.stop()
            self.button.setEnabled(True)
            self.message.setText(self._wrong_text + " " + _("Bitte versuchen Sie es erneut."))
            self.passphrase.setFocus()
            return
        self.button.setEnabled(False)
        seconds = (self._remaining_ms + 999) // 1000
        self.message.setText(
            self._wrong_text
            + " "
            + _("Nächster Versuch in {n} s (Fehlversuche: {f}).").format(n=seconds, f=self.failures)
        )

    def is_waiting(self) -> bool:
        return self._remaining_ms > 0
