"""The families list with search-as-you-type and filters, and the selected family beside it.

The rows are read off the UI thread (:class:`~lotse.ui.ops.VaultOp`); searching and
filtering then work on them in memory.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.casework.listing import NO_REASON, Filter, Status
from lotse.catalogues import CLOSURE_REASONS
from lotse.i18n import _
from lotse.ui.catalogues import districts
from lotse.ui.family_detail import FamilyDetail
from lotse.ui.family_model import FamilyTableModel
from lotse.ui.ops import VaultOp
from lotse.ui.widgets import compact_rows
from lotse.usecases import FamilyRow, VaultAPI


class FamiliesView(QWidget):
    """List on the left, detail on the right; :attr:`changed` after edits in the detail."""

    changed = Signal()
    #: emitted each time the rows have been read again
    reloaded = Signal()

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        #: a family to select once the rows are back
        self._want: int | None = None
        self.search = QLineEdit()
        self.search.setObjectName("family_search")
        self.search.setPlaceholderText(_("Suchen: Code, Name, Telefon, Sozialraum (Strg+F)"))
        self.search.setAccessibleName(_("Familien suchen"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName(_("Status-Filter"))
        self.status.addItem(_("alle"), Status.ALL)
        self.status.addItem(_("offen"), Status.OPEN)
        self.status.addItem(_("abgeschlossen"), Status.CLOSED)
        # Why closed families were closed (choosing a reason shows closed families only).
        self.reason = QComboBox()
        self.reason.setObjectName("reason_filter")
        self.reason.setAccessibleName(_("Filter nach Grund des Abschlusses"))
        self.reason.addItem(_("alle Abschlussgründe"), None)
        for code in CLOSURE_REASONS.codes:
            self.reason.addItem(CLOSURE_REASONS.label(code), code)
        self.reason.addItem(_("ohne Grund abgeschlossen"), NO_REASON)
        self.reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason.setMinimumContentsLength(14)
        self.district = QComboBox()
        self.district.setAccessibleName(_("Sozialraum-Filter"))
        self.district.addItem(_("alle Sozialräume"), None)
        catalogue = districts()
        for code in catalogue.codes:
            self.district.addItem(catalogue.label(code), code)
        self.due_only = QCheckBox(_("Wiedervorlage fällig"))
        self.due_only.setAccessibleName(_("nur Familien mit fälliger Wiedervorlage"))
        self.count = QLabel()
        self.count.setObjectName("family_count")

        self.model = FamilyTableModel(self, catalogue)
        self.table = QTableView()
        self.table.setObjectName("family_table")
        self.table.setAccessibleName(_("Familien"))
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_columns()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = FamilyDetail(api)
        self.detail.changed.connect(self._detail_changed)

        # The search gets a row of its own so its hint is readable at 1280 px; the filters
        # may shrink to a few letters of their longest entry instead of widening the window.
        filters = QHBoxLayout()
        for combo in (self.status, self.reason, self.district):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            filters.addWidget(combo, 1)
        filters.addWidget(self.due_only)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search)
        ll.addLayout(filters)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        # The list first: at 1280 px all of its columns fit beside a readable detail pane;
        # a wider window widens both.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([840, 420])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.search.textChanged.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.reason.currentIndexChanged.connect(self.apply_filter)
        self.district.currentIndexChanged.connect(self.apply_filter)
        self.due_only.toggled.connect(self.apply_filter)
        QWidget.setTabOrder(self.search, self.status)
        QWidget.setTabOrder(self.status, self.reason)
        QWidget.setTabOrder(self.reason, self.district)
        QWidget.setTabOrder(self.district, self.due_only)
        QWidget.setTabOrder(self.due_only, self.table)

    def _size_columns(self) -> None:
        """Widths from the font: codes and dates whole, names and districts generous."""
        fm = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        pad = 18

        def fit(*texts: str) -> int:
            return max(fm.horizontalAdvance(t) for t in texts) + pad

        date = "00.00.0000"
        widths = (
            fit("F-2026-0000", _("Code")) + 12,  # room for the sort arrow
            fit("Katharina Hoffmann"),
            fit("0208 0000000"),
            fit("Sterkrade-Mitte"),
            fit(date, _("Letzter Kontakt")),
            fit(date, _("Wiedervorlage")),
            fit(_("abgeschlossen"), _("Status")),
        )
        for column, width in enumerate(widths):
            header.resizeSection(column, width)

    # -- data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the rows again (after a change), keeping the search and the selection."""
        VaultOp(self, lambda api: api.families.rows()).success(self._show_rows).run()

    def _show_rows(self, rows: list[FamilyRow]) -> None:
        current = self._want if self._want is not None else self.detail.family_id
        self._want = None
        self.model.today = dt.date.today()
        self.model.set_rows(rows)
        self._update_count()
        if current is not None:
            self._select_row(current)
        self.reloaded.emit()

    def rows(self) -> list[FamilyRow]:
        return self.model.all_rows()

    def clear(self) -> None:
        self._want = None
        self.search.clear()
        self.model.clear()
        self.detail.clear()
        self.count.clear()

    def apply_filter(self) -> None:
        self.model.set_filter(
            Filter(
                text=self.search.text(),
                status=self.status.currentData(),
                district=self.district.currentData(),
                due_only=self.due_only.isChecked(),
                reason=self.reason.currentData(),
            )
        )
        self._update_count()
        if self.model.rowCount() == 1:
            self.table.selectRow(0)
        shown = self.detail.wanted_id()
        if (
            shown is not None
            and self.model.row_of(shown) < 0
            and any(row.id == shown for row in self.model.all_rows())
        ):
            # The search filtered the family out: the pane must not keep showing it.
            self.table.clearSelection()
            self.detail.clear()

    def _update_count(self) -> None:
        self.count.setText(
            _("{shown} von {total} Familien").format(
                shown=self.model.rowCount(), total=self.model.total()
            )
        )

    def select_family(self, family_id: int) -> None:
        """Show the family; a row still being read (a new family) is selected when it is in."""
        if self.model.row_of(family_id) < 0:
            self._want = family_id
        self._select_row(family_id)
        self.detail.show_family(family_id)

    def show_family_keeping_search(self, family_id: int) -> None:
        """Show the family if the search lets it through (the view kept at a lock)."""
        if self.model.row_of(family_id) >= 0:
            self._select_row(family_id)
            self.detail.show_family(family_id)

    def _select_row(self, family_id: int) -> None:
        row = self.model.row_of(family_id)
        if row < 0 and self.search.text():
            self.search.clear()
            row = self.model.row_of(family_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            family_id = self.model.row_at(current.row()).id
            if family_id != self.detail.wanted_id():
                self.detail.show_family(family_id)

    def _detail_changed(self) -> None:
        self.reload()
        self.changed.emit()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
