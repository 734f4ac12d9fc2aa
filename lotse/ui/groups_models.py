"""Table models for the group offers view: the offers and the sessions of one offer.

Both are read-only models over plain rows from :mod:`lotse.casework.groups`; the view
reloads them after every change. ``SORT_ROLE`` gives each cell a value that sorts right
(dates as dates, counts as numbers) for a ``QSortFilterProxyModel``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from lotse.casework.groups import OfferRow, SessionRow, format_date
from lotse.catalogues import GROUP_CATEGORIES
from lotse.i18n import N_
from lotse.ui.catalogues import districts
from lotse.ui.list_model import RowsTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The id of the row's offer or session, for the view's actions.
ID_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def relabel(model: QAbstractTableModel) -> None:
    """Tell views that every header and cell text may have changed (a language switch)."""
    columns = model.columnCount()
    model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
    if model.rowCount() > 0:
        model.dataChanged.emit(model.index(0, 0), model.index(model.rowCount() - 1, columns - 1))


class OfferTableModel(RowsTableModel[OfferRow]):
    """Group offers: title, category, district, number of sessions, last session."""

    HEADERS = (
        N_("Titel"),
        N_("Angebotsart"),
        N_("Sozialraum"),
        N_("Termine"),
        N_("Letzter Termin"),
    )

    def relabel(self) -> None:
        """Catalogue labels and headers changed language: redraw every cell."""
        relabel(self)

    def row_of(self, offer_id: int) -> int:
        """The row showing ``offer_id``, or -1."""
        for n, row in enumerate(self._rows):
            if row.id == offer_id:
                return n
        return -1

    def offer(self, row: int) -> OfferRow:
        return self._rows[row]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(row, column)
        if role == SORT_ROLE:
            if column == 3:
                return row.sessions
            if column == 4:
                return row.last_session.isoformat() if row.last_session else ""
            return (self._display(row, column) or "").casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return _ALIGN_RIGHT
        return None

    @staticmethod
    def _display(row: OfferRow, column: int) -> str:
        if column == 0:
            return row.title
        if column == 1:
            return GROUP_CATEGORIES.label(row.category) if row.category else ""
        if column == 2:
            return districts().label(row.district) if row.district else ""
        if column == 3:
            return str(row.sessions)
        if column == 4:
            return format_date(row.last_session) if row.last_session else ""
        return ""


class SessionTableModel(RowsTableModel[SessionRow]):
    """The sessions of one group offer: date, minutes, adults, children."""

    HEADERS = (
        N_("Datum"),
        N_("Minuten"),
        N_("Erwachsene"),
        N_("Kinder"),
    )

    def relabel(self) -> None:
        relabel(self)

    def session_row(self, row: int) -> SessionRow:
        return self._rows[row]

    def row_of(self, session_id: int) -> int:
        for n, row in enumerate(self._rows):
            if row.id == session_id:
                return n
        return -1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return format_date(row.date)
            values = (row.minutes, row.adults, row.children)
            value = values[column - 1] if 1 <= column <= 3 else None
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            if column == 0:
                return row.date.isoformat()
            values = (row.minutes, row.adults, row.children)
            value = values[column - 1] if 1 <= column <= 3 else None
            return -1 if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return _ALIGN_RIGHT
        return None
