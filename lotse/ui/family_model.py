"""The table model behind the families list: filtered and sorted rows of the vault."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from lotse.casework.listing import SORT_KEYS, FamilyRow, Filter, apply_filter
from lotse.catalogues import Catalogue
from lotse.i18n import N_, _
from lotse.ui.catalogues import districts
from lotse.ui.widgets import german_date

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Code")),
    ("name", N_("Name")),
    ("phone", N_("Telefon")),
    ("district", N_("Sozialraum")),
    ("last_contact", N_("Letzter Kontakt")),
    ("next_due", N_("Wiedervorlage")),
    ("status", N_("Status")),
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class FamilyTableModel(QAbstractTableModel):
    """All families of the vault, shown through a search text and filters."""

    def __init__(self, parent: Any = None, district_catalogue: Catalogue | None = None) -> None:
        super().__init__(parent)
        # Looked up once: the label of a district is asked for on every paint.
        self._districts = district_catalogue if district_catalogue is not None else districts()
        self._all: list[FamilyRow] = []
        self._shown: list[FamilyRow] = []
        self._filter = Filter()
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.today = dt.date.today()

    # -- content ---------------------------------------------------------------------------

    def set_rows(self, rows: list[FamilyRow]) -> None:
        self.beginResetModel()
        self._all = rows
        self._sort_all()
        self._shown = apply_filter(self._all, self._filter, self.today)
        self.endResetModel()

    def set_filter(self, flt: Filter) -> None:
        old = self._filter
        # Typing on narrows the search: only the rows shown now can still match.
        narrowing = flt.text.startswith(old.text) and (
            flt.status,
            flt.district,
            flt.due_only,
            flt.reason,
        ) == (old.status, old.district, old.due_only, old.reason)
        self.beginResetModel()
        self._filter = flt
        self._shown = apply_filter(self._shown if narrowing else self._all, flt, self.today)
        self.endResetModel()

    def current_filter(self) -> Filter:
        return self._filter

    def all_rows(self) -> list[FamilyRow]:
        return self._all

    def clear(self) -> None:
        self.beginResetModel()
        self._all, self._shown = [], []
        self.endResetModel()

    def row_at(self, row: int) -> FamilyRow:
        return self._shown[row]

    def row_of(self, family_id: int) -> int:
        for i, r in enumerate(self._shown):
            if r.id == family_id:
                return i
        return -1

    def total(self) -> int:
        return len(self._all)

    def _sort_all(self) -> None:
        key = SORT_KEYS[COLUMNS[self._sort_column][0]]
        self._all.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        row = self._shown[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,  # the whole text where a narrow column cuts it
        ):
            return self._text(row, key)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and key == "next_due" and row.is_due(self.today):
            from PySide6.QtGui import QColor

            return QColor("#b3261e")
        return None

    def _text(self, row: FamilyRow, key: str) -> str:
        if key == "code":
            return row.code
        if key == "name":
            return row.name
        if key == "phone":
            return row.phone
        if key == "district":
            return self._districts.label(row.district) if row.district else ""
        if key == "last_contact":
            return german_date(row.last_contact)
        if key == "next_due":
            return german_date(row.next_due)
        return _("abgeschlossen") if row.closed else _("offen")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._shown):
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        # A reset, not a layout change: no persistent index has to be carried over.
        self.beginResetModel()
        self._sort_column, self._sort_order = column, order
        self._sort_all()
        self._shown = apply_filter(self._all, self._filter, self.today)
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._shown:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._shown) - 1, len(COLUMNS) - 1)
            )
