"""Import and export of records files from the menu, off the UI thread with a progress bar.

An import is all or nothing: when the file has problems, nothing is stored and every
problem is listed, one per line, in a dialog the navigator can read and copy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from lotse.errors import LotseError
from lotse.i18n import _
from lotse.records.exporter import export_records
from lotse.records.importer import ImportSummary, store_records
from lotse.records.reader import read_records
from lotse.ui import workers
from lotse.vault import Vault


class ProblemsDialog(QDialog):
    """Every problem of a rejected file, readable and copyable."""

    def __init__(self, message: str, details: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import_problems")
        self.setWindowTitle(_("Einlesen abgelehnt"))
        head = QLabel(message)
        head.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(details))
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("Liste der Fehler"))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)


def _progress_dialog(parent: QWidget, text: str) -> QProgressDialog:
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setObjectName("records_progress")
    dialog.setWindowTitle("Lotse")
    dialog.setCancelButton(None)  # all or nothing: a store cannot stop half-way
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.show()
    return dialog


def import_file(
    parent: QWidget, vault: Vault, path: Path, done: Callable[[bool], None]
) -> workers.Job:
    """Read, check and store ``path``; ``done(True)`` after something was stored."""
    dialog = _progress_dialog(parent, _("Lese {file} ein …").format(file=path.name))

    def work(progress: Callable[[int, int], None]) -> ImportSummary:
        records = read_records(path, path.name)
        return store_records(vault, records, path.name, progress)

    def on_progress(n: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(n)

    def finished(summary: ImportSummary) -> None:
        dialog.close()
        QMessageBox.information(
            parent,
            _("Einlesen"),
            _("Eingelesen: {summary}.").format(summary=summary.describe()),
        )
        done(True)

    def failed(error: BaseException) -> None:
        dialog.close()
        if isinstance(error, LotseError):
            ProblemsDialog(error.message, error.details, parent).exec()
        else:
            QMessageBox.warning(
                parent, _("Einlesen"), _("Unerwarteter Fehler: {error}").format(error=error)
            )
        done(False)

    return workers.start(work, finished, failed, on_progress)


def export_file(
    parent: QWidget, vault: Vault, path: Path, done: Callable[[bool], None]
) -> workers.Job:
    dialog = _progress_dialog(parent, _("Schreibe {file} …").format(file=path.name))

    def finished(count: int) -> None:
        dialog.close()
        QMessageBox.information(
            parent,
            _("Exportieren"),
            _("{n} Datensätze geschrieben nach {file}.").format(n=count, file=path)
            + "\n\n"
            + _("Achtung: die Datei enthält personenbezogene Daten unverschlüsselt."),
        )
        done(True)

    def failed(error: BaseException) -> None:
        dialog.close()
        message = error.message if isinstance(error, LotseError) else str(error)
        QMessageBox.warning(parent, _("Exportieren"), message)
        done(False)

    return workers.start(lambda _p: export_records(vault, path), finished, failed)


def ask_import(parent: QWidget, vault: Vault, done: Callable[[bool], None]) -> None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Datensätze einlesen"), str(Path.home()), _file_filter()
    )
    if name:
        import_file(parent, vault, Path(name), done)


def ask_export(parent: QWidget, vault: Vault, done: Callable[[bool], None]) -> None:
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Datensätze exportieren"),
        str(Path.home() / "lotse-export.jsonl"),
        _file_filter(),
    )
    if name:
        export_file(parent, vault, Path(name), done)


def _file_filter() -> str:
    return _("Lotse-Datensätze (*.jsonl)") + ";;" + _("Alle Dateien (*)")
