"""The families list with search-as-you-type and filters, and the selected family beside it.

The rows are read off the UI thread (:class:`~lotse.ui.ops.VaultOp`); searching and
filtering then work on them in memory. A whole city's list (100,000 families) takes about
a second to read, so :meth:`FamiliesView.reload` shows the first screenful at once and adds
the rest page by page; search, filters and sorting apply to the rows read so far and to
each page as it arrives, and the count says the list is still being read. After a change
to one family only its row is read again (:meth:`FamiliesView.refresh_family`).
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

#: Rows of the first page: more than a screenful, read in milliseconds.
FIRST_PAGE = 500
#: Rows of each further page: each costs the window a layout pass.
PAGE = 20_000


class FamiliesView(QWidget):
    """List on the left, detail on the right; :attr:`changed` after edits in the detail."""

    changed = Signal()
    #: emitted each time the rows (all of them, or a changed family's) have been read again
    reloaded = Signal()

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        #: a family to select once the rows are back
        self._want: int | None = None
        #: counts full reads: pages of a read overtaken by a newer one are dropped
        self._generation = 0
        self._loading = False
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
        self.detail.deleted.connect(self._family_deleted)

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
        """Read all rows again (after an import, say), keeping the search and the selection.

        The old rows go first (one list in memory, not two); the new ones are read page by
        page, a screenful first, and shown as they come. Each page is a vault operation of
        its own, so the "Heute" lists, say, need not wait for a whole city's list.
        """
        self._generation += 1
        current = self._want if self._want is not None else self.detail.family_id
        self._want = current
        self._loading = True
        self.model.today = dt.date.today()
        self.model.clear()
        self._update_count()
        # Read in code order, the list's usual sorting: then each page just goes below.
        header = self.table.horizontalHeader()
        descending = (
            header.sortIndicatorSection() == 0
            and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        )
        self._read_page(self._generation, None, FIRST_PAGE, descending)

    def _read_page(self, generation: int, after: str | None, limit: int, descending: bool) -> None:
        VaultOp(self, lambda api: api.families.rows_page(after, limit, descending)).success(
            lambda rows: self._page_read(generation, rows, limit, descending)
        ).run()

    def _page_read(
        self, generation: int, rows: list[FamilyRow], limit: int, descending: bool
    ) -> None:
        if generation != self._generation:
            return  # a newer read (or a lock) has begun
        self.model.add_rows(rows, descending)
        if len(rows) == limit:
            self._read_page(generation, rows[-1].code, PAGE, descending)
            self._update_count()
            # The family shown before is selected as soon as its row is in, once: a row the
            # user picks while the rest is read stays picked.
            want = self._want
            if want is not None and self.model.row_of(want) >= 0:
                self._want = None
                self._select_row(want)
            return
        self._loading = False
        want, self._want = self._want, None
        self._update_count()
        if want is not None:
            self._select_row(want)
        self.reloaded.emit()

    def refresh_family(self, family_id: int) -> None:
        """Read the row of one family again (after it was stored or changed); every other
        row, the search, the sorting and the selection stay as they are."""
        if self._loading:
            self.reload()  # the read under way may hold the family as it was
            return
        VaultOp(self, lambda api: api.families.row(family_id)).success(
            lambda row: self._show_row(family_id, row)
        ).run()

    def _show_row(self, family_id: int, row: FamilyRow | None) -> None:
        if self._loading and row is not None:
            # A reload began after the row was asked for; its pages, read after it on the
            # one vault thread, hold the family as it is now. (A deleted family's row goes
            # at once: pages read before the deletion may hold it.)
            return
        current = self._want if self._want is not None else self.detail.family_id
        self._want = None
        if row is None:
            self.model.remove_row(family_id)
        else:
            self.model.put_row(row)
        self._update_count()
        if current is not None:
            self._select_row(current)
        self.reloaded.emit()

    def rows(self) -> list[FamilyRow]:
        return self.model.all_rows()

    def clear(self) -> None:
        self._generation += 1  # a read under way is for the vault being locked
        self._loading = False
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
        if shown is not None and self.model.row_of(shown) < 0 and self.model.has(shown):
            # The search filtered the family out: the pane must not keep showing it.
            self.table.clearSelection()
            self.detail.clear()

    def _update_count(self) -> None:
        text = (
            _("{shown} von bisher {total} Familien, weitere werden gelesen …")
            if self._loading
            else _("{shown} von {total} Familien")
        )
        self.count.setText(text.format(shown=self.model.rowCount(), total=self.model.total()))

    def select_family(self, family_id: int) -> None:
        """Show the family; a row still being read (a new family) is selected when it is in."""
        self._want = family_id if self.model.row_of(family_id) < 0 else None
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
        family_id = self.detail.family_id
        if family_id is not None:  # after a deletion it is None: _family_deleted did it
            self.refresh_family(family_id)
        self.changed.emit()

    def _family_deleted(self, family_id: int) -> None:
        self._show_row(family_id, None)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
