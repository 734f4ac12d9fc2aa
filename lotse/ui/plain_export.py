"""Exporting records from the window: the safeguards before personal data leaves in plain form.

A records export writes every family's name, phone, address and notes unencrypted. Before
it, the window asks for the passphrase again (whoever sits at an unlocked laptop cannot
take everything with two clicks), suggests a folder that is not synchronised and warns
when the chosen one is (OneDrive, Dropbox, Nextcloud, ownCloud, Google Drive, iCloud: a
file there is uploaded). The export itself is logged by the use case
(:func:`lotse.usecases.audit.log_export`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from lotse.i18n import _
from lotse.ui.ops import VaultOp
from lotse.ui.records_io import export_file
from lotse.usecases import VaultAPI
from lotse.usecases.audit import synced_folder


class PassphraseCheck(QDialog):
    """Asks for the vault's passphrase once more; accepted only with the right one."""

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self._checking = False
        self.setObjectName("passphrase_check")
        self.setWindowTitle(_("Datensätze exportieren"))
        text = QLabel(
            _(
                "Der Export enthält die persönlichen Daten aller Familien unverschlüsselt. "
                "Bitte geben Sie zur Bestätigung die Passphrase des Tresors ein."
            )
        )
        text.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase_check_field")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.problem = QLabel()
        self.problem.setObjectName("passphrase_check_problem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Weiter"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        # A wrapped label reports its height only for a known width.
        self.setMinimumWidth(480)
        self.setMinimumHeight(layout.totalHeightForWidth(480))

    def check(self) -> None:
        passphrase = self.passphrase.text()
        self.ok_button.setEnabled(False)  # the key derivation takes a moment
        self._checking = True
        VaultOp(self, lambda api: api.audit.confirm_passphrase(passphrase)).success(
            self._checked
        ).run()

    def is_saving(self) -> bool:
        """Whether the passphrase is being checked (the dialog closes when it is right)."""
        return self._checking

    def _checked(self, right: bool) -> None:
        self._checking = False
        self.ok_button.setEnabled(True)
        if right:
            self.accept()
            return
        self.problem.setText(_("Die Passphrase ist falsch."))
        self.problem.show()
        self.passphrase.selectAll()
        self.passphrase.setFocus()


def suggested_folder() -> Path:
    """A folder to offer: the first of the usual ones that no sync service uploads."""
    home = Path.home()
    for folder in (home / "Desktop", home / "Schreibtisch", home):
        if folder.is_dir() and synced_folder(folder) is None:
            return folder
    return home


def warn_synced(parent: QWidget, path: Path) -> bool:
    """Whether to write ``path`` after all (asked only for a synchronised folder)."""
    part = synced_folder(path)
    if part is None:
        return True
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Datensätze exportieren"),
        _(
            "Der Ordner „{folder}“ wird mit einem Cloud-Dienst synchronisiert: die "
            "unverschlüsselte Datei würde den Rechner verlassen. Wählen Sie besser einen "
            "Ordner, der nicht synchronisiert wird."
        ).format(folder=part),
        parent=parent,
    )
    box.setObjectName("synced_warning")
    other = box.addButton(_("Anderen Ordner wählen"), QMessageBox.ButtonRole.RejectRole)
    box.addButton(_("Trotzdem hier speichern"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(other)
    box.exec()
    return box.clickedButton() is not other


def ask_plain_export(parent: QWidget, done: Callable[[bool], None]) -> None:
    """Passphrase again, then where (warning for synchronised folders), then export."""
    api: VaultAPI = parent.api  # type: ignore[attr-defined]
    if not PassphraseCheck(api, parent).exec():
        return
    suggestion = suggested_folder() / "lotse-export.jsonl"
    while True:
        name, _filter = QFileDialog.getSaveFileName(
            parent,
            _("Datensätze exportieren"),
            str(suggestion),
            _("Lotse-Datensätze (*.jsonl)") + ";;" + _("Alle Dateien (*)"),
        )
        if not name:
            return
        path = Path(name)
        if warn_synced(parent, path):
            break
        suggestion = suggested_folder() / path.name
    export_file(parent, path, done)
