"""Import and export of records files from the menu, off the UI thread with a progress bar.

An import is all or nothing: when the file has problems, nothing is stored and every
problem is listed, one per line, in a dialog the navigator can read and copy. Both run
as use cases (:class:`~lotse.usecases.records.RecordsAPI`) through
:class:`~lotse.ui.ops.VaultOp`; ``parent`` gives the API.
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
from lotse.ui.ops import VaultOp
from lotse.usecases import ImportSummary, VaultAPI


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


def import_file(parent: QWidget, path: Path, done: Callable[[bool], None]) -> None:
    """Read, check and store ``path``; ``done(True)`` after something was stored."""
    dialog = _progress_dialog(parent, _("Lese {file} ein …").format(file=path.name))

    def work(api: VaultAPI, progress: Callable[[int, int], None]) -> ImportSummary:
        return api.records.import_file(path, path.name, progress)

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

    VaultOp(parent, work).with_progress(on_progress).success(finished).failure(failed).run()


def export_file(parent: QWidget, path: Path, done: Callable[[bool], None]) -> None:
    """Write every record to ``path``; ``done(True)`` once written."""
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

    VaultOp(parent, lambda api: api.records.export(path)).success(finished).failure(failed).run()


def ask_import(parent: QWidget, done: Callable[[bool], None]) -> None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Datensätze einlesen"), str(Path.home()), _file_filter()
    )
    if name:
        import_file(parent, Path(name), done)


def ask_export(parent: QWidget, done: Callable[[bool], None]) -> None:
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Datensätze exportieren"),
        str(Path.home() / "lotse-export.jsonl"),
        _file_filter(),
    )
    if name:
        export_file(parent, Path(name), done)


def _file_filter() -> str:
    return _("Lotse-Datensätze (*.jsonl)") + ";;" + _("Alle Dateien (*)")
