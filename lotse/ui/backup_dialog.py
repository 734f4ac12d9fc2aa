"""Backup in the window: Datei → Sicherung …, the reminder in "Heute", and restoring.

:class:`BackupDialog` writes the open vault into one encrypted file and opens it again to
check it (:meth:`~lotse.usecases.vault_admin.VaultAdminAPI.backup`), off the UI thread
with a busy indicator, and says plainly where the file is and what it opens with.

:class:`BackupReminder` is the line in "Heute" when the last backup is older than
``backup_reminder_days`` (policy or vault, built-in 7), with a button to back up now.

:class:`RestoreDialog` puts a backup back. A vault cannot be restored while it is open,
so the window offers it only where the vault is closed: in the unlock window when the
vault was refused as damaged or rolled back, and in the first-start wizard (a new or
replaced machine). Restoring moves the vault's current files into ``replaced-<time>/`` in
its folder (nothing is deleted), re-erases families erased since the backup, and the
navigator then unlocks with the passphrase the backup was written under.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lotse.errors import LotseError, WrongPassphraseError
from lotse.i18n import _, ngettext
from lotse.ui import workers
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.passphrase_dialog import ERROR_STYLE, GOOD_STYLE, password_field
from lotse.ui.window_fit import fit_height
from lotse.usecases import VaultAPI, vault_admin
from lotse.usecases.vault_admin import BackupInfo, BackupStatus, RestoreResult

#: What backup files are called (the command line's examples use it too).
SUFFIX = ".lotse"


def file_filter() -> str:
    return _("Lotse-Sicherungen (*.lotse)") + ";;" + _("Alle Dateien (*)")


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return _("{n:.1f} MiB").format(n=n / (1024 * 1024))
    return _("{n} KiB").format(n=max(1, n // 1024))


def local_time(when: dt.datetime | str) -> str:
    """A UTC time (or ISO text) as the navigator's local date and time."""
    if isinstance(when, str):
        try:
            when = dt.datetime.fromisoformat(when)
        except ValueError:
            return when
    return when.astimezone().strftime("%d.%m.%Y %H:%M")


def default_backup_path(today: dt.date | None = None) -> Path:
    """Documents (else home) / lotse-sicherung-<date>.lotse: never the vault's folder."""
    today = today or dt.date.today()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    name = _("lotse-sicherung-{date}").format(date=today.isoformat()) + SUFFIX
    return folder / name


def last_backup_text(status: BackupStatus) -> str:
    if status.last is None:
        return _("Von diesem Tresor gibt es noch keine Sicherung.")
    return _("Letzte Sicherung: {when}.").format(when=local_time(status.last))


def _busy_bar(name: str, text: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setObjectName(name)
    bar.setRange(0, 0)  # busy: the file is written, then opened and checked
    bar.setFormat(text)
    bar.setTextVisible(True)
    bar.hide()
    return bar


def _file_row(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class BackupDialog(QDialog):
    """Datei → Sicherung …: choose a file, write the backup there and check it."""

    #: emitted after a backup was written and checked
    backed_up = Signal(object)

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self._saving = False
        self.info: BackupInfo | None = None
        self.setObjectName("backup_dialog")
        self.setWindowTitle(_("Sicherung"))
        intro = QLabel(
            _(
                "Lotse schreibt den ganzen Tresor in eine verschlüsselte Datei und öffnet "
                "sie zur Probe wieder. Sie öffnet sich nur mit der Passphrase, die jetzt "
                "gilt: vergessen Sie sie nicht. Legen Sie die Datei auf einen anderen "
                "Datenträger – USB-Stick oder Netzlaufwerk –, nicht neben den Tresor."
            )
        )
        intro.setWordWrap(True)
        self.last = QLabel()
        self.last.setObjectName("backup_last")
        self.path = QLineEdit(str(default_backup_path()))
        self.path.setObjectName("backup_path")
        self.path.setAccessibleName(_("Datei der Sicherung"))
        self.browse = QPushButton(_("&Durchsuchen …"))
        self.browse.clicked.connect(self.choose_file)
        form = QFormLayout()
        label = QLabel(_("&Datei"))
        label.setBuddy(self.path)
        form.addRow(label, _file_row(self.path, self.browse))
        self.progress = _busy_bar("backup_progress", _("Sicherung wird geschrieben und geprüft …"))
        self.result = QLabel()
        self.result.setObjectName("backup_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Schließen"))
        self.write_button = self.buttons.addButton(
            _("Sicherung &schreiben"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.write_button.setObjectName("backup_write")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.last)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(640, 0)
        VaultOp(self, lambda api: api.vault_admin.backup_status()).success(self._show_status).run()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def _show_status(self, status: BackupStatus) -> None:
        self.last.setText(last_backup_text(status))
        fit_height(self)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Sicherung speichern unter"),
            self.path.text() or str(default_backup_path()),
            file_filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked once, on writing
        )
        if name:
            if not Path(name).suffix:
                name += SUFFIX
            self.path.setText(name)

    def is_saving(self) -> bool:
        return self._saving

    def target(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def write(self) -> None:
        """Write and check the backup on the vault thread (asks before replacing a file)."""
        if self._saving:
            return
        target = self.target()
        if target is None:
            self._say(_("Bitte wählen Sie die Datei für die Sicherung."), ERROR_STYLE)
            return
        if target.is_file() and not self._may_replace(target):
            return
        self._set_saving(True)
        VaultOp(self, lambda api: api.vault_admin.backup(target)).success(self._written).failure(
            self._failed
        ).run()

    def _may_replace(self, target: Path) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Sicherung"),
            _("Die Datei {file} gibt es schon. Durch die neue Sicherung ersetzen?").format(
                file=target
            ),
            parent=self,
        )
        replace = box.addButton(_("Ersetzen"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is replace

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        self.progress.setVisible(on)
        for widget in (self.path, self.browse, self.buttons):
            widget.setEnabled(not on)
        if on:
            self.result.clear()

    def _say(self, text: str, style: str) -> None:
        self.result.setStyleSheet(style)
        self.result.setText(text)
        fit_height(self)

    def _written(self, info: BackupInfo) -> None:
        self._set_saving(False)
        self.info = info
        families = ngettext("{n} Familie", "{n} Familien", info.families).format(n=info.families)
        self._say(
            _(
                "Sicherung geschrieben nach {file} ({size}, {families}) und geprüft: sie "
                "öffnet sich mit Ihrer jetzigen Passphrase. Bewahren Sie sie getrennt vom "
                "Rechner auf."
            ).format(file=info.path, size=size_text(info.size), families=families),
            GOOD_STYLE,
        )
        self.last.setText(
            _("Letzte Sicherung: {when}.").format(when=local_time(dt.datetime.now(dt.UTC)))
        )
        self.write_button.setDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        self.backed_up.emit(info)

    def _failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, LotseError):
            self._say(
                _("Die Sicherung wurde nicht geschrieben. {reason}").format(reason=error.message),
                ERROR_STYLE,
            )
        else:
            show_failure(self, error)

    def reject(self) -> None:
        if self._saving:
            return  # the file is being written and checked: it finishes first
        super().reject()


class BackupReminder(QFrame):
    """The reminder in "Heute"; hidden while the last backup is recent enough."""

    backup_requested = Signal()

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.status: BackupStatus | None = None
        self.setObjectName("backup_reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#backup_reminder { background: #fff4d6; border: 1px solid #e0b94f; "
            "border-radius: 4px; }"
        )
        self.text = QLabel()
        self.text.setObjectName("backup_reminder_text")
        self.text.setWordWrap(True)
        self.button = QPushButton(_("Jetzt &sichern …"))
        self.button.setObjectName("backup_now")
        self.button.clicked.connect(self.backup_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def reload(self) -> None:
        VaultOp(self, lambda api: api.vault_admin.backup_status()).success(self.show_status).run()

    def show_status(self, status: BackupStatus) -> None:
        self.status = status
        if not status.due:
            self.hide()
            return
        days = status.days_since()
        if days is None:
            said = _("Von diesem Tresor gibt es noch keine Sicherung.")
        else:
            said = ngettext(
                "Ihre letzte Sicherung ist {n} Tag alt.",
                "Ihre letzte Sicherung ist {n} Tage alt.",
                days,
            ).format(n=days)
        self.text.setText(
            said
            + " "
            + _(
                "Eine Sicherung auf einem anderen Datenträger schützt die Familiendaten, wenn "
                "dieser Rechner verloren geht oder kaputt ist."
            )
        )
        self.show()

    def clear(self) -> None:
        self.status = None
        self.text.clear()
        self.hide()


class RestoreDialog(QDialog):
    """Restore a backup into ``folder`` (whose vault must be closed); see the module doc."""

    #: emitted with the :class:`RestoreResult` once the backup is back in place
    restored = Signal(object)

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._working = False
        self.outcome: RestoreResult | None = None
        self.setObjectName("restore_dialog")
        self.setWindowTitle(_("Sicherung wiederherstellen"))
        intro = QLabel(
            _(
                "Lotse legt die Sicherung als Tresor in {folder}. Liegt dort schon ein "
                "Tresor, kommen seine Dateien unverändert in einen Unterordner "
                "„replaced-…“; gelöscht wird nichts. Was nach der Sicherung eingegeben "
                "wurde, fehlt danach; Familien, die nach der Sicherung gelöscht wurden, "
                "löscht Lotse wieder. Danach entsperren Sie mit der Passphrase, die galt, "
                "als die Sicherung geschrieben wurde."
            ).format(folder=self.folder)
        )
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("restore_path")
        self.path.setAccessibleName(_("Datei der Sicherung"))
        self.browse = QPushButton(_("&Durchsuchen …"))
        self.browse.clicked.connect(self.choose_file)
        self.passphrase = password_field("restore_passphrase", _("Passphrase der Sicherung"))
        form = QFormLayout()
        file_label = QLabel(_("&Datei"))
        file_label.setBuddy(self.path)
        form.addRow(file_label, _file_row(self.path, self.browse))
        pass_label = QLabel(_("&Passphrase der Sicherung"))
        pass_label.setBuddy(self.passphrase)
        form.addRow(pass_label, self.passphrase)
        self.progress = _busy_bar("restore_progress", _("Sicherung wird wiederhergestellt …"))
        self.message = QLabel()
        self.message.setObjectName("restore_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Abbrechen"))
        self.restore_button = self.buttons.addButton(
            _("&Wiederherstellen"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setObjectName("restore_button")
        self.restore_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(640, 0)

    def choose_file(self) -> None:
        start = self.path.text() or str(default_backup_path().parent)
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Sicherung wählen"), start, file_filter()
        )
        if name:
            self.path.setText(name)

    def is_saving(self) -> bool:
        return self._working

    def start(self) -> None:
        """Restore on the vault thread (where vaults are opened and their locks taken)."""
        if self._working:
            return
        source = Path(self.path.text().strip()).expanduser() if self.path.text().strip() else None
        if source is None:
            self._say(_("Bitte wählen Sie die Datei der Sicherung."), ERROR_STYLE)
            return
        if not self.passphrase.text():
            self._say(_("Bitte geben Sie die Passphrase der Sicherung ein."), ERROR_STYLE)
            self.passphrase.setFocus()
            return
        folder, passphrase = self.folder, self.passphrase.text()
        self._set_working(True)
        workers.start_on_vault_thread(
            lambda _progress: vault_admin.restore(source, folder, passphrase),
            self._restored,
            self._failed,
        )

    def _set_working(self, on: bool) -> None:
        self._working = on
        self.progress.setVisible(on)
        for widget in (self.path, self.browse, self.passphrase, self.buttons):
            widget.setEnabled(not on)
        if on:
            self.message.clear()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def _say(self, text: str, style: str) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)
        fit_height(self)

    def _restored(self, result: RestoreResult) -> None:
        self._set_working(False)
        self.outcome = result
        self.passphrase.clear()
        lines = [
            _("Die Sicherung vom {created} ist wiederhergestellt.").format(
                created=local_time(result.backup_created)
            )
        ]
        if result.moved_aside is not None:
            lines.append(
                _(
                    "Die bisherigen Dateien des Tresors liegen unverändert in {aside}; löschen "
                    "Sie den Ordner, wenn Sie sie nicht mehr brauchen."
                ).format(aside=result.moved_aside)
            )
        if result.erased_again:
            lines.append(
                ngettext(
                    "{n} Familie, die nach der Sicherung gelöscht wurde, ist wieder gelöscht.",
                    "{n} Familien, die nach der Sicherung gelöscht wurden, sind wieder gelöscht.",
                    result.erased_again,
                ).format(n=result.erased_again)
            )
        if result.erased_list_doubtful:
            lines.append(
                _(
                    "Warnung: die Liste der gelöschten Familien (lotse-erased.json) war "
                    "beschädigt oder wurde verändert. Prüfen Sie, ob gelöschte Familien wieder "
                    "da sind, und löschen Sie sie erneut."
                )
            )
        lines.append(_("Entsperren Sie den Tresor mit der Passphrase der Sicherung."))
        self._say("\n".join(lines), GOOD_STYLE)
        self.restore_button.hide()
        self.cancel_button.setText(_("Schließen"))
        self.restored.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._set_working(False)
        if isinstance(error, LotseError):
            self._say(error.message, ERROR_STYLE)
            if isinstance(error, WrongPassphraseError):
                self.passphrase.selectAll()
                self.passphrase.setFocus()
        else:
            show_failure(self, error)

    def reject(self) -> None:
        if self._working:
            return  # a restore cannot stop half-way (it undoes itself only on failure)
        self.passphrase.clear()
        super().reject()
