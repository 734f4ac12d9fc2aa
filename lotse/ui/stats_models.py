"""Table models of the statistics view: all totals, and one breakdown at a time.

They show what the statistics engine computed (a :class:`~lotse.report.model.ReportData`,
suppressed or not) and never count anything themselves. Numbers are formatted as the
reports print them (:mod:`lotse.report.textfmt`), so the window, the PDF and the
spreadsheets read the same; a suppressed cell shows the report's sign ``.``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from lotse.i18n import N_, _
from lotse.report.model import ReportData
from lotse.report.textfmt import format_int, format_share
from lotse.stats.keys import TOTAL_KEYS, breakdown_codes, code_label, total_label

AnyIndex = QModelIndex | QPersistentModelIndex
#: The raw value of a cell (int, float share, or None when suppressed or empty).
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
#: The stable key or code of a row.
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ARRIVAL_SHARE = "arrival_share"


class _TwoColumnModel(QAbstractTableModel):
    """A read-only table of (key, label, value, shown text) rows with two columns."""

    HEADERS: tuple[str, str] = ("", "")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, Any, str]] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and section in (0, 1):
            return _(self.HEADERS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

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

    def _set(self, rows: list[tuple[str, str, Any, str]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self._set([])

    def rows(self) -> list[tuple[str, str, Any, str]]:
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
        rows: list[tuple[str, str, Any, str]] = [
            (key, total_label(key), totals.get(key, 0), format_int(totals.get(key, 0)))
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
        self._set(rows)


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
        cells = data.figures.breakdowns.get(key, {})
        # Catalogue order; any code the engine added beyond the catalogue comes last.
        order = list(breakdown_codes().get(key, ()))
        order += [code for code in cells if code not in order]
        rows: list[tuple[str, str, Any, str]] = []
        for code in order:
            if code not in cells:
                continue
            value = cells[code]
            rows.append((code, code_label(key, code), value, format_int(value)))
        self._set(rows)
