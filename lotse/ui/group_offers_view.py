"""The group offers view: the offers, and the sessions of the selected one with their head counts.

Left: every group offer (title, category, district, number of sessions, last session) with
"Neues Angebot", "Bearbeiten", "Löschen". Right: the selected offer's sessions, newest
first, and a form to record a session (date, minutes, adults, children) that is used by
keyboard alone: Tab moves through it, Enter saves. Selecting a session and choosing
"Bearbeiten" (or double-clicking it) loads it into the same form.

All reading and writing goes through the use-case API, off the UI thread
(:class:`~lotse.ui.ops.VaultOp`); messages for bad input are shown under the form, and
the input stays so it can be corrected.
"""

from __future__ import annotations

import datetime as dt
import itertools

from PySide6.QtCore import QDate, QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.casework.groups import format_date
from lotse.catalogues import GROUP_CATEGORIES
from lotse.errors import LotseError
from lotse.i18n import _, ngettext
from lotse.ui.catalogues import districts
from lotse.ui.groups_dialogs import ERROR_STYLE, OfferDialog, confirm_deletion
from lotse.ui.groups_models import ID_ROLE, SORT_ROLE, OfferTableModel, SessionTableModel
from lotse.ui.ops import VaultOp, show_failure
from lotse.usecases import OfferRow, SessionRow, VaultAPI

QT_DATE_FORMAT = "dd.MM.yyyy"


def _table(parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setWordWrap(False)
    return table


def _proxy(source: OfferTableModel | SessionTableModel, parent: QObject) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(source)
    proxy.setSortRole(SORT_ROLE)
    return proxy


class _EnterSaves(QObject):
    """Enter or Return in any field of the session form saves it (no dialog default button)."""

    def __init__(self, view: GroupOffersView) -> None:
        super().__init__(view)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._view.save_session_form()
                return True
            if event.key() == Qt.Key.Key_Escape and self._view.editing_session_id is not None:
                self._view.cancel_session_edit()
                return True
        return False


class GroupOffersView(QWidget):
    """Group offers and their sessions, for the vault the window has unlocked."""

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.editing_session_id: int | None = None
        self._saving = False
        # Sessions asked for before the latest request are stale.
        self._sessions_generation = 0
        self._build()
        self._reset_form(keep_date=False)
        self.retranslate()
        self.refresh()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.offer_model = OfferTableModel(self)
        self.offer_proxy = _proxy(self.offer_model, self)
        self.session_model = SessionTableModel(self)
        self.session_proxy = _proxy(self.session_model, self)

        # Offers (left)
        self.offers_heading = QLabel(self)
        self.offers_heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.offer_table = _table(self)
        self.offer_table.setModel(self.offer_proxy)
        self.offer_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.offer_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized once per reload (see refresh), not live: ResizeToContents would read every
        # cell of every row again on each selection, which is slow with hundreds of offers.
        header.setResizeContentsPrecision(300)
        self.offer_table.doubleClicked.connect(lambda _index: self.edit_offer())
        self.offer_table.selectionModel().currentRowChanged.connect(
            lambda _cur, _prev: self._offer_changed()
        )
        self.new_offer_button = QPushButton(self)
        self.new_offer_button.clicked.connect(self.new_offer)
        self.edit_offer_button = QPushButton(self)
        self.edit_offer_button.clicked.connect(self.edit_offer)
        self.delete_offer_button = QPushButton(self)
        self.delete_offer_button.clicked.connect(self.delete_offer)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.offer_table,
            self.delete_offer,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        offer_buttons = QHBoxLayout()
        offer_buttons.addWidget(self.new_offer_button)
        offer_buttons.addWidget(self.edit_offer_button)
        offer_buttons.addWidget(self.delete_offer_button)
        offer_buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.offers_heading)
        left_layout.addWidget(self.offer_table, 1)
        left_layout.addLayout(offer_buttons)

        # Sessions of the selected offer (right)
        self.offer_heading = QLabel(self)
        self.offer_heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.offer_heading.setWordWrap(True)
        self.offer_details = QLabel(self)
        self.offer_details.setWordWrap(True)
        self.session_table = _table(self)
        self.session_table.setModel(self.session_proxy)
        self.session_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        sheader = self.session_table.horizontalHeader()
        for column in range(4):
            sheader.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        sheader.setMinimumSectionSize(70)
        self.session_table.doubleClicked.connect(lambda _index: self.edit_session_row())
        self.session_table.selectionModel().selectionChanged.connect(
            lambda _sel, _desel: self._update_buttons()
        )
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.session_table,
            self.delete_session_row,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.edit_session_button = QPushButton(self)
        self.edit_session_button.clicked.connect(self.edit_session_row)
        self.delete_session_button = QPushButton(self)
        self.delete_session_button.clicked.connect(self.delete_session_row)
        session_buttons = QHBoxLayout()
        session_buttons.addWidget(self.edit_session_button)
        session_buttons.addWidget(self.delete_session_button)
        session_buttons.addStretch(1)

        # The record-session form
        self.session_box = QGroupBox(self)
        self.date_edit = QDateEdit(self.session_box)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(QT_DATE_FORMAT)
        self.minutes_edit = QLineEdit(self.session_box)
        self.adults_edit = QLineEdit(self.session_box)
        self.children_edit = QLineEdit(self.session_box)
        self.date_edit.setMinimumWidth(140)
        self.date_edit.setMaximumWidth(220)
        for edit in (self.minutes_edit, self.adults_edit, self.children_edit):
            edit.setMaxLength(12)
            edit.setMaximumWidth(220)
        self.save_session_button = QPushButton(self.session_box)
        self.save_session_button.clicked.connect(self.save_session_form)
        self.cancel_session_button = QPushButton(self.session_box)
        self.cancel_session_button.clicked.connect(self.cancel_session_edit)
        self.cancel_session_button.hide()
        self.session_error = QLabel(self.session_box)
        self.session_error.setStyleSheet(ERROR_STYLE)
        self.session_error.setWordWrap(True)
        self.session_error.hide()
        self.session_status = QLabel(self.session_box)
        self.session_status.setWordWrap(True)
        self._enter_saves = _EnterSaves(self)
        for field in (self.date_edit, self.minutes_edit, self.adults_edit, self.children_edit):
            field.installEventFilter(self._enter_saves)

        self.form = QFormLayout()
        self.date_label = QLabel(self.session_box)
        self.minutes_label = QLabel(self.session_box)
        self.adults_label = QLabel(self.session_box)
        self.children_label = QLabel(self.session_box)
        for label, field in (
            (self.date_label, self.date_edit),
            (self.minutes_label, self.minutes_edit),
            (self.adults_label, self.adults_edit),
            (self.children_label, self.children_edit),
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.save_session_button)
        form_buttons.addWidget(self.cancel_session_button)
        form_buttons.addStretch(1)
        box_layout = QVBoxLayout(self.session_box)
        box_layout.addLayout(self.form)
        box_layout.addLayout(form_buttons)
        box_layout.addWidget(self.session_error)
        box_layout.addWidget(self.session_status)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.offer_heading)
        right_layout.addWidget(self.offer_details)
        right_layout.addWidget(self.session_table, 1)
        right_layout.addLayout(session_buttons)
        right_layout.addWidget(self.session_box)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        # The offers need room for title, category and district side by side.
        splitter.setSizes([880, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        # Tab order follows the screen: offers, their buttons, sessions, the form.
        order = [
            self.offer_table,
            self.new_offer_button,
            self.edit_offer_button,
            self.delete_offer_button,
            self.session_table,
            self.edit_session_button,
            self.delete_session_button,
            self.date_edit,
            self.minutes_edit,
            self.adults_edit,
            self.children_edit,
            self.save_session_button,
            self.cancel_session_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        """Set every text in the current language (after a language switch)."""
        self.offers_heading.setText(_("Gruppenangebote"))
        self.offer_table.setAccessibleName(_("Gruppenangebote"))
        self.new_offer_button.setText(_("&Neues Angebot …"))
        self.edit_offer_button.setText(_("Angebot &bearbeiten …"))
        self.delete_offer_button.setText(_("Angebot &löschen …"))
        self.session_table.setAccessibleName(_("Termine des Angebots"))
        self.edit_session_button.setText(_("Termin b&earbeiten"))
        self.delete_session_button.setText(_("Termin lös&chen …"))
        self.date_label.setText(_("&Datum:"))
        self.minutes_label.setText(_("Dauer in &Minuten:"))
        self.adults_label.setText(_("&Erwachsene:"))
        self.children_label.setText(_("&Kinder:"))
        self.date_edit.setAccessibleName(_("Datum des Termins"))
        self.minutes_edit.setAccessibleName(_("Dauer in Minuten"))
        self.adults_edit.setAccessibleName(_("Erwachsene (Anzahl)"))
        self.children_edit.setAccessibleName(_("Kinder (Anzahl)"))
        self.minutes_edit.setPlaceholderText(_("z. B. 90 (freiwillig)"))
        self.adults_edit.setPlaceholderText(_("Anzahl"))
        self.children_edit.setPlaceholderText(_("Anzahl"))
        self.cancel_session_button.setText(_("Abbrechen"))
        self._show_form_mode()
        self._show_offer_heading()
        self.offer_model.relabel()
        self.session_model.relabel()

    # --- state ---------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Reload the offers (off the UI thread), keeping the selected offer selected.

        ``select``: the offer to select instead (one just created).
        """
        keep = select if select is not None else self.selected_offer_id()
        VaultOp(self, lambda api: api.groups.offers()).success(
            lambda rows: self._show_offers(rows, keep)
        ).run()

    def _show_offers(self, rows: list[OfferRow], keep: int | None) -> None:
        self.offer_model.set_rows(rows)
        for column in (1, 2, 3, 4):
            self.offer_table.resizeColumnToContents(column)
        if keep is not None and self.offer_model.row_of(keep) >= 0:
            self.select_offer(keep)
        elif rows:
            self.offer_table.selectRow(0)
        self._offer_changed()

    def clear(self) -> None:
        """Drop everything shown (the window is being locked)."""
        self.offer_model.set_rows([])
        self.session_model.set_rows([])
        self.editing_session_id = None
        self._reset_form(keep_date=False)
        self.session_status.clear()
        self._offer_changed()

    def selected_offer_id(self) -> int | None:
        index = self.offer_table.currentIndex()
        if not index.isValid() or not self.offer_table.selectionModel().hasSelection():
            return None
        return self.offer_proxy.data(index, ID_ROLE)

    def selected_offer(self) -> OfferRow | None:
        offer_id = self.selected_offer_id()
        if offer_id is None:
            return None
        row = self.offer_model.row_of(offer_id)
        return self.offer_model.offer(row) if row >= 0 else None

    def select_offer(self, offer_id: int) -> None:
        row = self.offer_model.row_of(offer_id)
        if row < 0:
            return
        index = self.offer_proxy.mapFromSource(self.offer_model.index(row, 0))
        self.offer_table.selectRow(index.row())
        self.offer_table.scrollTo(index)

    def selected_session_row(self) -> SessionRow | None:
        rows = self.session_table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.session_proxy.mapToSource(rows[0])
        return self.session_model.session_row(source.row())

    def _offer_changed(self) -> None:
        offer = self.selected_offer()
        if self.editing_session_id is not None:
            self.cancel_session_edit()
        self._sessions_generation += 1
        if offer is None:
            self.session_model.set_rows([])
        else:
            self._load_sessions(offer.id, self._sessions_generation)
        self.session_error.hide()
        self._show_offer_heading()
        self._update_buttons()

    def _load_sessions(self, offer_id: int, generation: int) -> None:
        def show(rows: list[SessionRow]) -> None:
            if generation == self._sessions_generation:
                self.session_model.set_rows(rows)
                self._update_buttons()

        VaultOp(self, lambda api: api.groups.sessions(offer_id)).success(show).run()

    def _show_offer_heading(self) -> None:
        offer = self.selected_offer()
        if offer is None:
            empty = self.offer_model.rowCount() == 0
            self.offer_heading.setText(_("Kein Angebot gewählt"))
            self.offer_details.setText(
                _("Legen Sie mit „Neues Angebot“ das erste Gruppenangebot an.")
                if empty
                else _("Wählen Sie links ein Gruppenangebot, um seine Termine zu sehen.")
            )
            return
        self.offer_heading.setText(offer.title)
        parts = [
            GROUP_CATEGORIES.label(offer.category) if offer.category else "",
            districts().label(offer.district) if offer.district else "",
            ngettext("{n} Termin", "{n} Termine", offer.sessions).format(n=offer.sessions),
        ]
        self.offer_details.setText(" · ".join(p for p in parts if p))

    def _update_buttons(self) -> None:
        has_offer = self.selected_offer() is not None
        has_session = self.selected_session_row() is not None
        self.edit_offer_button.setEnabled(has_offer)
        self.delete_offer_button.setEnabled(has_offer)
        self.edit_session_button.setEnabled(has_session)
        self.delete_session_button.setEnabled(has_session)
        self.session_box.setEnabled(has_offer)

    def _show_form_mode(self) -> None:
        if self.editing_session_id is None:
            self.session_box.setTitle(_("Termin erfassen"))
            self.save_session_button.setText(_("Termin &speichern"))
            self.cancel_session_button.hide()
        else:
            self.session_box.setTitle(_("Termin bearbeiten"))
            self.save_session_button.setText(_("Änderung &speichern"))
            self.cancel_session_button.show()

    def _reset_form(self, keep_date: bool) -> None:
        if not keep_date:
            self.date_edit.setDate(QDate.currentDate())
        self.minutes_edit.clear()
        self.adults_edit.clear()
        self.children_edit.clear()
        self.session_error.hide()
        self._show_form_mode()

    # --- offers --------------------------------------------------------------------------

    def new_offer(self) -> None:
        dialog = OfferDialog(self.api, None, self)
        if dialog.exec() and dialog.offer_id is not None:
            self.refresh(select=dialog.offer_id)
            self.session_status.setText(_("Gruppenangebot angelegt."))
            self.date_edit.setFocus()

    def edit_offer(self) -> None:
        offer = self.selected_offer()
        if offer is None:
            return
        dialog = OfferDialog(self.api, offer, self)
        if dialog.exec():
            self.refresh()

    def delete_offer(self) -> None:
        """Count the sessions that would go with the offer, ask, then delete it."""
        offer = self.selected_offer()
        if offer is None:
            return
        VaultOp(self, lambda api: api.groups.count_sessions(offer.id)).success(
            lambda n: self._ask_delete_offer(offer, n)
        ).run()

    def _ask_delete_offer(self, offer: OfferRow, n: int) -> None:
        text = _("Das Gruppenangebot „{title}“ löschen?").format(title=offer.title)
        if n:
            text += " " + ngettext(
                "Mit ihm wird {n} erfasster Termin gelöscht.",
                "Mit ihm werden alle {n} erfassten Termine gelöscht.",
                n,
            ).format(n=n)
        text += " " + _("Das lässt sich nicht rückgängig machen.")
        if not confirm_deletion(self, _("Gruppenangebot löschen"), text):
            return

        def deleted(_n: int) -> None:
            self.offer_table.clearSelection()
            self.refresh()

        def failed(error: BaseException) -> None:
            self._say_failure(error)
            deleted(0)

        VaultOp(self, lambda api: api.groups.delete_offer(offer.id)).success(deleted).failure(
            failed
        ).run()

    def _say_failure(self, error: BaseException) -> None:
        if isinstance(error, LotseError):
            self.session_status.setText(error.message)
        else:
            show_failure(self, error)

    # --- sessions ------------------------------------------------------------------------

    def save_session_form(self) -> None:
        """Record the form's session (or save the session being edited), off the UI thread."""
        offer = self.selected_offer()
        if offer is None or self._saving:
            return
        date = self.date_edit.date().toPython()
        assert isinstance(date, dt.date)
        minutes, adults, children = (
            self.minutes_edit.text(),
            self.adults_edit.text(),
            self.children_edit.text(),
        )
        editing = self.editing_session_id
        if editing is None:
            op = VaultOp(
                self,
                lambda api: api.groups.record_session(offer.id, date, minutes, adults, children),
            )
        else:
            op = VaultOp(
                self,
                lambda api: api.groups.update_session(editing, date, minutes, adults, children),
            )
        self._saving = True
        self.save_session_button.setEnabled(False)
        op.success(lambda _r: self._session_saved(date, editing is not None)).failure(
            self._session_refused
        ).run()

    def _session_refused(self, error: BaseException) -> None:
        self._saving = False
        self.save_session_button.setEnabled(True)
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        self.session_error.setText(error.message)
        self.session_error.show()
        self.session_status.clear()

    def is_saving(self) -> bool:
        return self._saving

    def _session_saved(self, date: dt.date, was_edit: bool) -> None:
        self._saving = False
        self.save_session_button.setEnabled(True)
        self.editing_session_id = None
        self.refresh()
        self._reset_form(keep_date=True)
        message = (
            _("Termin vom {date} geändert.") if was_edit else _("Termin vom {date} gespeichert.")
        )
        self.session_status.setText(message.format(date=format_date(date)))
        if was_edit:
            self.session_table.setFocus()
        else:
            self.date_edit.setFocus()

    def edit_session_row(self) -> None:
        """Load the selected session into the form to change it."""
        row = self.selected_session_row()
        if row is None:
            return
        self.editing_session_id = row.id
        self.date_edit.setDate(QDate(row.date.year, row.date.month, row.date.day))
        self.minutes_edit.setText("" if row.minutes is None else str(row.minutes))
        self.adults_edit.setText(str(row.adults))
        self.children_edit.setText(str(row.children))
        self.session_error.hide()
        self.session_status.clear()
        self._show_form_mode()
        self.date_edit.setFocus()

    def cancel_session_edit(self) -> None:
        self.editing_session_id = None
        self._reset_form(keep_date=False)

    def delete_session_row(self) -> None:
        row = self.selected_session_row()
        if row is None:
            return
        text = _(
            "Den Termin vom {date} ({adults} Erwachsene, {children} Kinder) löschen? Das lässt "
            "sich nicht rückgängig machen."
        ).format(date=format_date(row.date), adults=row.adults, children=row.children)
        if not confirm_deletion(self, _("Termin löschen"), text):
            return

        def deleted(_none: object) -> None:
            if self.editing_session_id == row.id:
                self.cancel_session_edit()
            self.refresh()
            self.session_status.setText(
                _("Termin vom {date} gelöscht.").format(date=format_date(row.date))
            )

        def failed(error: BaseException) -> None:
            if self.editing_session_id == row.id:
                self.cancel_session_edit()
            self.refresh()
            self._say_failure(error)

        VaultOp(self, lambda api: api.groups.delete_session(row.id)).success(deleted).failure(
            failed
        ).run()
