"""Read-only table models over a list of prepared rows.

:class:`RowsTableModel` is the shared base of the window's row tables (timeline, "Heute"
lists, group offers, statistics): it holds the rows and the headers and answers
``rowCount``, ``columnCount`` and ``headerData``; subclasses add ``data``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from lotse.i18n import _

Index = QModelIndex | QPersistentModelIndex
PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1
RowT = TypeVar("RowT")


@dataclass
class Row:
    cells: tuple[str, ...]
    payload: Any = None
    tooltip: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: Shown greyed (e.g. history that is read-only here).
    muted: bool = False


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    """A flat, read-only table over ``self._rows``.

    The horizontal headers are German msgids (``HEADERS``, or ``headers`` given to the
    constructor), translated on display; the vertical header is the row number.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None, *, headers: tuple[str, ...] | None = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = self.HEADERS if headers is None else headers
        self._rows: list[RowT] = []

    def set_rows(self, rows: Iterable[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return _(self._headers[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None


class ListTableModel(RowsTableModel[Row]):
    """Shows ``Row`` objects; headers are German msgids translated on display."""

    def __init__(self, headers: tuple[str, ...], parent: Any = None) -> None:
        super().__init__(parent, headers=headers)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if 0 <= index.column() < len(row.cells):
                return row.cells[index.column()]
            return ""
        if role == Qt.ItemDataRole.ToolTipRole and row.tooltip:
            return row.tooltip
        if role == Qt.ItemDataRole.ForegroundRole and row.muted:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == PAYLOAD_ROLE:
            return row.payload
        return None
