"""Small building blocks every form uses: labelled inputs, German dates, code pickers."""

from __future__ import annotations

import datetime as dt
import itertools
import time

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QLabel,
    QMessageBox,
    QTableView,
    QWidget,
)

from lotse.catalogues import Catalogue
from lotse.domain.fields import DATE_MAX, DATE_MIN
from lotse.i18n import _

DATE_FORMAT = "dd.MM.yyyy"


def german_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DateEdit(QDateEdit):
    """A date field in German format with a calendar pop-up."""

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDate(to_qdate(DATE_MIN))
        self.setMaximumDate(to_qdate(DATE_MAX))
        self.set_date(value or dt.date.today())

    def date_value(self) -> dt.date:
        return to_date(self.date())

    def set_date(self, value: dt.date) -> None:
        self.setDate(to_qdate(value))


class CodeCombo(QComboBox):
    """A choice from a catalogue, optionally with an empty "not stated" entry first."""

    def __init__(
        self, catalogue: Catalogue, empty: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if empty is not None:
            self.addItem(empty, None)
        for code in catalogue.codes:
            self.addItem(catalogue.label(code), code)

    def code(self) -> str | None:
        return self.currentData()

    def set_code(self, code: str | None) -> None:
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))


#: Letters typed within this many seconds form one search in a check-box grid.
TYPE_TO_FIND_S = 1.0


class CheckGrid(QWidget):
    """One check box per catalogue code, in columns."""

    def __init__(self, catalogue: Catalogue, columns: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for i, code in enumerate(catalogue.codes):
            box = QCheckBox(catalogue.label(code), self)
            box.setAccessibleName(catalogue.label(code))
            layout.addWidget(box, i // columns, i % columns)
            self.boxes[code] = box
            box.installEventFilter(self)
        # Type-to-find: letters typed on a box move to the box whose label starts so.
        self._typed = ""
        self._typed_at = 0.0

    def codes(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_codes(self, codes: list[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in codes)

    def widgets(self) -> list[QWidget]:
        return list(self.boxes.values())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.ShiftModifier,
            )
            # Space toggles the box; only letters and digits search.
            if plain and len(text) == 1 and text.isalnum():
                return self.find(text, watched)
        return super().eventFilter(watched, event)

    def find(self, text: str, current: QObject | None = None) -> bool:
        """Move the focus to the next box whose label starts with what was typed lately."""
        now = time.monotonic()
        if now - self._typed_at > TYPE_TO_FIND_S:
            self._typed = ""
        self._typed_at = now
        self._typed += text.casefold()
        boxes = list(self.boxes.values())
        start = boxes.index(current) if current in boxes else 0  # type: ignore[arg-type]
        # A new search starts after the current box (typing "K" again goes to the next K).
        ring = boxes[start + 1 :] + boxes[: start + 1]
        if len(self._typed) > 1:
            ring = boxes[start:] + boxes[:start]
        for box in ring:
            if box.text().replace("&", "").casefold().startswith(self._typed):
                box.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return False


def add_row(form: QFormLayout, label: str, widget: QWidget) -> QWidget:
    """Add ``widget`` with ``label`` as its visible label, buddy and accessible name."""
    text = QLabel(label)
    text.setBuddy(widget)
    widget.setAccessibleName(label.replace("&", ""))
    form.addRow(text, widget)
    return widget


def chain_tab_order(widgets: list[QWidget]) -> None:
    """Tab moves through ``widgets`` in the order the form shows them."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def confirm(parent: QWidget, title: str, question: str) -> bool:
    """Ask before something that cannot be undone; "No" is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, parent=parent)
    yes = box.addButton(_("Löschen"), QMessageBox.ButtonRole.DestructiveRole)
    no = box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


def show_error(parent: QWidget, title: str, message: str, details: list[str] | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    if details:
        box.setInformativeText("\n".join(details[:30]))
        if len(details) > 30:
            box.setDetailedText("\n".join(details))
    box.exec()


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def compact_rows(view: QTableView) -> None:
    """Rows one text line high (Qt's default leaves much empty space)."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
