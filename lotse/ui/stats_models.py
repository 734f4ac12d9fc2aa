"""Table models of the statistics view: all totals, and one breakdown at a time.

They show what the statistics engine computed (a :class:`~lotse.report.model.ReportData`,
suppressed or not) and never count anything themselves. Numbers are formatted as the
reports print them (:mod:`lotse.report.textfmt`), so the window, the PDF and the
spreadsheets read the same; a suppressed cell shows the report's sign ``.``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from lotse.i18n import N_, _
from lotse.report.model import ReportData
from lotse.report.textfmt import format_int, format_share, format_total
from lotse.stats.keys import (
    CASEWORK_BREAKDOWNS,
    CASEWORK_TOTALS,
    TOTAL_KEYS,
    breakdown_codes,
    breakdown_label,
    total_label,
)
from lotse.ui.list_model import RowsTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
#: The raw value of a cell (int, float share, or None when suppressed or empty).
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The stable key or code of a row.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ARRIVAL_SHARE = "arrival_share"
#: (key, label, value, shown text) of one row.
StatRow = tuple[str, str, Any, str]


class _TwoColumnModel(RowsTableModel[StatRow]):
    """A read-only table of (key, label, value, shown text) rows with two columns."""

    HEADERS: tuple[str, str] = ("", "")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        key, label, value, shown = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label if index.column() == 0 else shown
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{label}: {shown}"
        if role == VALUE_ROLE:
            return value
        if role == KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return _ALIGN_RIGHT
        return None

    def rows(self) -> list[StatRow]:
        """(key, label, value, shown text) of every row (the chart draws these)."""
        return list(self._rows)


class TotalsTableModel(_TwoColumnModel):
    """Every total of the period, then the share of arrived referrals."""

    HEADERS = (N_("Kennzahl"), N_("Anzahl"))

    def set_report(self, data: ReportData | None) -> None:
        if data is None:
            self.clear()
            return
        totals = data.figures.totals
        # format_total: a median in days (a dash when no family went into it), else a count.
        rows: list[StatRow] = [
            (key, total_label(key), totals.get(key, 0), format_total(data.figures, key))
            for key in TOTAL_KEYS
        ]
        rows.append(
            (
                ARRIVAL_SHARE,
                _("Anteil angekommener Vermittlungen"),
                data.arrival_share,
                format_share(data.arrival_share),
            )
        )
        self.set_rows(rows)


def _breakdown_rows(data: ReportData, key: str, indent: str = "") -> list[StatRow]:
    """A row per code of breakdown ``key`` in catalogue order (with its shown count)."""
    cells = data.figures.breakdowns.get(key, {})
    # Catalogue order; any code the engine added beyond the catalogue comes last.
    order = list(breakdown_codes(data.districts).get(key, ()))
    order += [code for code in cells if code not in order]
    return [
        (code, indent + data.label(key, code), cells[code], format_int(cells[code]))
        for code in order
        if code in cells
    ]


class CaseworkTableModel(_TwoColumnModel):
    """The section "Screening und Verlauf": its totals (medians in days), then each of its
    breakdowns under a heading row (key ``breakdown:<key>``, no value)."""

    HEADERS = (N_("Kennzahl"), N_("Anzahl"))
    HEADING = "breakdown:"

    def set_report(self, data: ReportData | None) -> None:
        if data is None:
            self.clear()
            return
        totals = data.figures.totals
        rows: list[StatRow] = [
            (key, total_label(key), totals.get(key), format_total(data.figures, key))
            for key in CASEWORK_TOTALS
        ]
        for key in CASEWORK_BREAKDOWNS:
            rows.append((self.HEADING + key, breakdown_label(key), None, ""))
            rows += _breakdown_rows(data, key, indent="    ")
        self.set_rows(rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            key = self._rows[index.row()][0]
            if key.startswith(self.HEADING):
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class BreakdownTableModel(_TwoColumnModel):
    """One breakdown: a row per catalogue code with its (possibly suppressed) count."""

    HEADERS = (N_("Merkmal"), N_("Anzahl"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.key: str | None = None

    def set_breakdown(self, data: ReportData | None, key: str | None) -> None:
        self.key = key
        if data is None or key is None:
            self.clear()
            return
        self.set_rows(_breakdown_rows(data, key))
