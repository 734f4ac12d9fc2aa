"""The unlock window: passphrase in, vault out; each wrong try makes the next one wait longer.

Argon2id takes about half a second by design, so unlocking runs off the UI thread, on the
vault thread where the vault's lock then belongs (:mod:`lotse.ui.workers`).

A vault refused as damaged, tampered with or rolled back (exit 4 on the command line)
shows what was found and what to do, and offers "Sicherung wiederherstellen …" here,
where the vault is closed (:class:`~lotse.ui.backup_dialog.RestoreDialog`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

from lotse.errors import LotseError, VaultDamagedError, WrongPassphraseError
from lotse.i18n import _
from lotse.ui import workers
from lotse.ui.policy_notice import PolicyNotice
from lotse.ui.qt_app import app_icon
from lotse.ui.window_fit import fit_height

if TYPE_CHECKING:
    from lotse.usecases import VaultAPI

#: Waiting time after the first wrong passphrase; it doubles with every further one.
BASE_DELAY_MS = 1000
MAX_DELAY_MS = 30000
#: How wide the window grows to show why a vault was refused (fits a 1280×800 screen).
REFUSAL_WIDTH = 640


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
        # IT may need the exact words (the numbers a rollback message names).
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        self.restore_button = QPushButton(_("Sicherung &wiederherstellen …"))
        self.restore_button.setObjectName("restore_backup")
        self.restore_button.clicked.connect(self.restore_backup)
        self.restore_button.hide()  # offered once the vault was refused as damaged
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
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

        def unlock(_progress: object) -> VaultAPI:
            # Imported here (usually done by then: the app preloads it while the
            # passphrase is typed), so the window showed without waiting for it.
            from lotse.usecases import VaultAPI

            return VaultAPI.open(folder, passphrase)

        workers.start_on_vault_thread(unlock, self._opened, self._failed)

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
        if isinstance(error, VaultDamagedError):
            self.message.setText(
                error.message
                + "\n\n"
                + _(
                    "Was Sie tun können: „Sicherung wiederherstellen …“ (unten) legt Ihre "
                    "letzte Sicherung zurück. Haben Sie keine, oder sind Sie unsicher, wenden "
                    "Sie sich an Ihre IT und löschen Sie keine Dateien im Tresor-Ordner."
                )
            )
            self.restore_button.show()
            fit_height(self, REFUSAL_WIDTH)  # all of it readable, without scrolling
        elif isinstance(error, LotseError):
            self.message.setText(error.message)
        else:
            self.message.setText(
                _("Unerwarteter Fehler beim Entsperren: {error}").format(error=error)
            )
        self.passphrase.setFocus()

    def restore_backup(self) -> None:
        """Put a backup back into this (closed) vault's folder; then unlock with its passphrase."""
        if self._busy:
            return
        from lotse.ui.backup_dialog import RestoreDialog

        dialog = RestoreDialog(self.folder, self)
        dialog.restored.connect(self._restored)
        dialog.exec()
        dialog.deleteLater()

    def _restored(self, _result: object) -> None:
        self.restore_button.hide()
        self.passphrase.clear()
        self.message.setStyleSheet("color: palette(text);")
        self.message.setText(
            _("Die Sicherung ist wiederhergestellt. Entsperren Sie mit ihrer Passphrase.")
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
