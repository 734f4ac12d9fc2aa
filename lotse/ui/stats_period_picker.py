"""Picking a reporting period: a quarter (the default: the current one), a year, a month
or a free range.

The picker builds the period's text form (``2026-Q3``, ``2026``, ``2026-08``,
``2026-07-15..2026-08-31``) and lets :func:`lotse.stats.period.parse_period` make the
:class:`~lotse.stats.period.Period`, so the window and the CLI accept the same periods
with the same messages. The arrow buttons step to the previous or next quarter, year or
month.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)

from lotse.domain.fields import DATE_MAX
from lotse.errors import BadInputError
from lotse.i18n import N_, _
from lotse.stats.period import Period, parse_period, quarter_of
from lotse.ui.widgets import DateEdit

QUARTER, YEAR, MONTH, RANGE = "quarter", "year", "month", "range"
KINDS: tuple[tuple[str, str], ...] = (
    (QUARTER, N_("Quartal")),
    (YEAR, N_("Jahr")),
    (MONTH, N_("Monat")),
    (RANGE, N_("Zeitraum von … bis")),
)
QUARTER_NAMES = (
    N_("1. Quartal (Jan.–März)"),
    N_("2. Quartal (Apr.–Juni)"),
    N_("3. Quartal (Juli–Sep.)"),
    N_("4. Quartal (Okt.–Dez.)"),
)
MONTH_NAMES = (
    N_("Januar"),
    N_("Februar"),
    N_("März"),
    N_("April"),
    N_("Mai"),
    N_("Juni"),
    N_("Juli"),
    N_("August"),
    N_("September"),
    N_("Oktober"),
    N_("November"),
    N_("Dezember"),
)


def format_period(period: Period) -> str:
    """The period's dates as a person reads them: ``01.07.2026 – 30.09.2026``."""
    return f"{period.start:%d.%m.%Y} – {period.end:%d.%m.%Y}"


class PeriodPicker(QWidget):
    """Emits ``period_changed`` with each new valid period; shows why a range is invalid."""

    period_changed = Signal(object)

    def __init__(self, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = today or dt.date.today()
        # The quarter running now: right after data entry its figures are what one wants
        # to see (the last one's are a step back with the arrow).
        default = quarter_of(today)
        self._period: Period = default
        self._updating = False

        self.kind_combo = QComboBox(self)
        for code, _label in KINDS:
            self.kind_combo.addItem("", code)
        self.previous_button = QToolButton(self)
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, DATE_MAX.year)
        self.year_spin.setValue(default.start.year)
        self.quarter_combo = QComboBox(self)
        for _name in QUARTER_NAMES:
            self.quarter_combo.addItem("")
        self.quarter_combo.setCurrentIndex((default.start.month - 1) // 3)
        self.month_combo = QComboBox(self)
        for _name in MONTH_NAMES:
            self.month_combo.addItem("")
        self.month_combo.setCurrentIndex(default.start.month - 1)
        self.from_edit = DateEdit(default.start, self)
        self.to_label = QLabel(self)
        self.to_edit = DateEdit(default.end, self)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.kind_combo,
            self.previous_button,
            self.year_spin,
            self.quarter_combo,
            self.month_combo,
            self.from_edit,
            self.to_label,
            self.to_edit,
            self.next_button,
            self.error_label,
        ):
            layout.addWidget(widget)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.year_spin.valueChanged.connect(self._changed)
        self.quarter_combo.currentIndexChanged.connect(self._changed)
        self.month_combo.currentIndexChanged.connect(self._changed)
        self.from_edit.dateChanged.connect(self._changed)
        self.to_edit.dateChanged.connect(self._changed)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.retranslate()
        self._show_fields()

    def retranslate(self) -> None:
        for i, (_code, label) in enumerate(KINDS):
            self.kind_combo.setItemText(i, _(label))
        for i, name in enumerate(QUARTER_NAMES):
            self.quarter_combo.setItemText(i, _(name))
        for i, name in enumerate(MONTH_NAMES):
            self.month_combo.setItemText(i, _(name))
        self.to_label.setText(_("bis"))
        self.kind_combo.setAccessibleName(_("Art des Zeitraums"))
        self.year_spin.setAccessibleName(_("Jahr"))
        self.quarter_combo.setAccessibleName(_("Quartal"))
        self.month_combo.setAccessibleName(_("Monat"))
        self.from_edit.setAccessibleName(_("Erster Tag"))
        self.to_edit.setAccessibleName(_("Letzter Tag"))
        self.previous_button.setAccessibleName(_("Vorheriger Zeitraum"))
        self.previous_button.setToolTip(_("Vorheriger Zeitraum"))
        self.next_button.setAccessibleName(_("Nächster Zeitraum"))
        self.next_button.setToolTip(_("Nächster Zeitraum"))

    # --- reading -------------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def period(self) -> Period:
        """The last valid period chosen."""
        return self._period

    def period_text(self) -> str:
        """The period's text form from the fields (may be invalid for a range)."""
        kind = self.kind()
        year = self.year_spin.value()
        if kind == QUARTER:
            return f"{year}-Q{self.quarter_combo.currentIndex() + 1}"
        if kind == YEAR:
            return f"{year}"
        if kind == MONTH:
            return f"{year}-{self.month_combo.currentIndex() + 1:02d}"
        return f"{self.from_edit.date_value().isoformat()}..{self.to_edit.date_value().isoformat()}"

    # --- changing ------------------------------------------------------------------------

    def set_period_text(self, text: str) -> None:
        """Show the period ``text`` names (any form parse_period accepts)."""
        period = parse_period(text)
        self._updating = True
        try:
            text = text.strip()
            if "Q" in text.upper():
                kind = QUARTER
            elif ".." in text:
                kind = RANGE
            elif "-" in text:
                kind = MONTH
            else:
                kind = YEAR
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            self.year_spin.setValue(period.start.year)
            self.quarter_combo.setCurrentIndex((period.start.month - 1) // 3)
            self.month_combo.setCurrentIndex(period.start.month - 1)
            self.from_edit.set_date(period.start)
            self.to_edit.set_date(period.end)
        finally:
            self._updating = False
        self._show_fields()
        self._changed()

    def step(self, direction: int) -> None:
        """Move to the previous (-1) or next (+1) quarter, year or month."""
        kind = self.kind()
        self._updating = True
        try:
            if kind == QUARTER:
                index = self.year_spin.value() * 4 + self.quarter_combo.currentIndex() + direction
                self.year_spin.setValue(index // 4)
                self.quarter_combo.setCurrentIndex(index % 4)
            elif kind == MONTH:
                index = self.year_spin.value() * 12 + self.month_combo.currentIndex() + direction
                self.year_spin.setValue(index // 12)
                self.month_combo.setCurrentIndex(index % 12)
            elif kind == YEAR:
                self.year_spin.setValue(self.year_spin.value() + direction)
        finally:
            self._updating = False
        self._changed()

    def _kind_changed(self) -> None:
        if self._updating:
            return
        # Carry the current period over: its first day decides year, quarter and month.
        start, end = self._period.start, self._period.end
        self._updating = True
        try:
            self.year_spin.setValue(start.year)
            self.quarter_combo.setCurrentIndex((start.month - 1) // 3)
            self.month_combo.setCurrentIndex(start.month - 1)
            self.from_edit.set_date(start)
            self.to_edit.set_date(end)
        finally:
            self._updating = False
        self._show_fields()
        self._changed()

    def _show_fields(self) -> None:
        kind = self.kind()
        stepping = kind != RANGE
        self.year_spin.setVisible(stepping)
        self.previous_button.setVisible(stepping)
        self.next_button.setVisible(stepping)
        self.quarter_combo.setVisible(kind == QUARTER)
        self.month_combo.setVisible(kind == MONTH)
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(kind == RANGE)

    def _changed(self) -> None:
        if self._updating:
            return
        try:
            period = parse_period(self.period_text())
        except BadInputError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            return
        self.error_label.clear()
        self.error_label.hide()
        if period != self._period:
            self._period = period
            self.period_changed.emit(period)
