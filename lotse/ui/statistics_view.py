"""The statistics view: a period's figures as the engine computes them, and report export.

Top: the period picker (default: the current quarter) and a marker when the period
is closed (its figures are the frozen ones). Then the headline figures (the four
Oberhausen reports, families reached and new, referrals and the arrival share), and the
breakdowns, each as a table beside a bar chart. Bottom: export as PDF, CSV, XLSX or JSON,
internal or "für Veröffentlichung" (small numbers suppressed, exactly as the report
writes them; the view then previews the published figures too).

Nothing here counts: the figures come from the statistics use cases
(:class:`~lotse.usecases.statistics.StatisticsAPI`), laid out by
:func:`lotse.report.model.data_from_figures`. Computing the figures, closing or reopening
a period and writing a report all run off the UI thread (:class:`~lotse.ui.ops.VaultOp`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.errors import LotseError
from lotse.i18n import _
from lotse.report.model import ReportData, data_from_figures
from lotse.report.textfmt import format_int, format_share
from lotse.stats.keys import (
    BREAKDOWNS,
    CASEWORK_TITLE,
    CASEWORK_TOTALS,
    MEDIAN_KEYS,
    breakdown_label,
    total_label,
)
from lotse.stats.period import Period
from lotse.ui.ops import VaultOp
from lotse.ui.stats_chart import BarChart
from lotse.ui.stats_models import (
    KEY_ROLE,
    VALUE_ROLE,
    BreakdownTableModel,
    CaseworkTableModel,
    TotalsTableModel,
)
from lotse.ui.stats_period_picker import PeriodPicker, format_period
from lotse.ui.team_send import send_button
from lotse.usecases import PeriodFigures, VaultAPI

#: Report formats in the order of the buttons, with their file name filters.
EXPORT_FORMATS: tuple[tuple[str, str], ...] = (
    ("pdf", "PDF (*.pdf)"),
    ("csv", "CSV (*.csv)"),
    ("xlsx", "Excel (*.xlsx)"),
    ("json", "JSON (*.json)"),
)
#: The headline figures, as on the report's first page; ``None`` is the arrival share.
HEADLINE: tuple[str | None, ...] = (
    "adults_reached",
    "children_reached",
    "counselling_contacts",
    "group_offers",
    "families_reached",
    "new_families",
    "referrals",
    None,
)
TOTALS_ITEM = "totals"
#: The section "Screening und Verlauf" (issue 10): its totals, medians and breakdowns.
CASEWORK_ITEM = "casework"
ERROR_STYLE = "color: #b00020;"
CLOSED_STYLE = (
    "background: #e6f0e6; color: #1e5631; border: 1px solid #8fbf8f; border-radius: 3px;"
    "padding: 2px 6px;"
)


class FigureCard(QFrame):
    """One headline figure: a big number over its label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("figureCard")
        self.setStyleSheet("#figureCard { background: #eef3f7; border: none; border-radius: 4px; }")
        self.number = QLabel("–", self)
        self.number.setStyleSheet("font-size: 20pt; font-weight: bold; color: #1d5f8a;")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(self.label, 1)

    def set(self, number: str, label: str) -> None:
        self.number.setText(number)
        self.label.setText(label)
        self.setAccessibleName(f"{label}: {number}")


def headline_cards(parent: QWidget) -> tuple[list[FigureCard], QGridLayout]:
    """One card per headline figure, side by side in equal widths."""
    cards = [FigureCard(parent) for _key in HEADLINE]
    grid = QGridLayout()
    grid.setSpacing(6)
    for i, card in enumerate(cards):
        grid.addWidget(card, 0, i)
        grid.setColumnStretch(i, 1)
    return cards, grid


class StatisticsView(QWidget):
    """Figures and reports of one period, for the vault the window has unlocked."""

    def __init__(
        self,
        api: VaultAPI,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        compute_now: bool = True,
    ) -> None:
        """``compute_now=False``: the figures are computed when the view is first shown
        (the main window's tab: with a whole city's families they take seconds that the
        families list and "Heute" should not wait for at unlock)."""
        super().__init__(parent)
        self.api = api
        self._computed: PeriodFigures | None = None
        self._report: ReportData | None = None
        # Results of computations started before the latest refresh() or clear() are stale.
        self._generation = 0
        self._computing = False
        self._exporting = False
        self._shown_once = False
        self._closing = False
        self._notice = ""
        self._today = today
        self.last_export: Path | None = None
        self._build(today)
        self.retranslate()
        if compute_now:
            self.refresh()

    # --- building ------------------------------------------------------------------------

    def _build(self, today: dt.date | None) -> None:
        self.picker = PeriodPicker(today, self)
        self.picker.period_changed.connect(lambda _period: self.refresh())
        self.period_label = QLabel(self)
        self.closed_label = QLabel(self)
        self.closed_label.setStyleSheet(CLOSED_STYLE)
        self.closed_label.hide()
        self.mark_label = QLabel(self)
        self.mark_label.setStyleSheet("color: #52606d;")
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addSpacing(12)
        top.addWidget(self.period_label)
        top.addWidget(self.closed_label)
        # Closing freezes the period's figures; reopening drops the frozen ones (logged).
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.ask_close_period)
        self.reopen_button = QPushButton(self)
        self.reopen_button.clicked.connect(self.ask_reopen_period)
        self.reopen_button.hide()
        top.addWidget(self.close_button)
        top.addWidget(self.reopen_button)
        top.addStretch(1)
        top.addWidget(self.mark_label)

        self.cards, cards = headline_cards(self)

        self.section_list = QListWidget(self)
        self.section_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.section_list.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.section_list.setMaximumWidth(400)
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for key in (TOTALS_ITEM, CASEWORK_ITEM, *(k for k, _label in BREAKDOWNS)):
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.section_list.addItem(item)
        self.section_list.currentRowChanged.connect(lambda _row: self._show_section())

        self.totals_model = TotalsTableModel(self)
        self.casework_model = CaseworkTableModel(self)
        self.breakdown_model = BreakdownTableModel(self)
        self.table = QTableView(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setModel(self.totals_model)
        self._size_table_columns()

        self.chart_title = QLabel(self)
        self.chart_title.setStyleSheet("font-weight: bold;")
        self.chart_title.setWordWrap(True)
        self.chart = BarChart(self)
        self.chart_scroll = QScrollArea(self)
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.chart_scroll.setWidget(self.chart)
        chart_box = QWidget(self)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_title)
        chart_layout.addWidget(self.chart_scroll, 1)
        self.chart_box = chart_box

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.section_list)
        splitter.addWidget(self.table)
        splitter.addWidget(chart_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 4)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([260, 420, 620])

        self.footnote_label = QLabel(self)
        self.footnote_label.setStyleSheet("color: #52606d;")
        self.footnote_label.setWordWrap(True)

        self.publish_box = QCheckBox(self)
        self.publish_box.toggled.connect(lambda _on: self._show())
        self.export_label = QLabel(self)
        self.export_buttons: dict[str, QPushButton] = {}
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_label)
        for fmt, _filter in EXPORT_FORMATS:
            button = QPushButton(fmt.upper(), self)
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
            self.export_buttons[fmt] = button
            bottom.addWidget(button)
        bottom.addWidget(self.publish_box)
        # The package of this period, sealed to the team lead's card (issue 13).
        self.send_button = send_button(self, self.period)
        bottom.addWidget(self.send_button)
        bottom.addSpacing(12)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        bottom.addWidget(self.progress)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.status_label, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.footnote_label)
        layout.addLayout(bottom)

        self.section_list.setCurrentRow(0)
        QWidget.setTabOrder(self.picker.next_button, self.close_button)
        QWidget.setTabOrder(self.close_button, self.reopen_button)
        QWidget.setTabOrder(self.reopen_button, self.section_list)
        QWidget.setTabOrder(self.section_list, self.table)
        previous: QWidget = self.table
        for fmt, _filter in EXPORT_FORMATS:
            QWidget.setTabOrder(previous, self.export_buttons[fmt])
            previous = self.export_buttons[fmt]
        QWidget.setTabOrder(previous, self.publish_box)

    def _size_table_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def retranslate(self) -> None:
        """Set every text in the current language (after a language switch)."""
        self.picker.retranslate()
        titles = {TOTALS_ITEM: _("Alle Kennzahlen"), CASEWORK_ITEM: _(CASEWORK_TITLE)}
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            item.setText(titles.get(key) or breakdown_label(key))
        self.section_list.setAccessibleName(_("Auswertung wählen"))
        # Wide enough for the longest title in the current language, never cut off.
        self.section_list.setMinimumWidth(min(self.section_list.sizeHintForColumn(0) + 28, 400))
        self.table.setAccessibleName(_("Zahlen"))
        self.chart.setAccessibleName(_("Balkendiagramm"))
        self.export_label.setText(_("Bericht exportieren:"))
        for fmt, button in self.export_buttons.items():
            button.setAccessibleName(_("Als {format} exportieren").format(format=fmt.upper()))
            button.setToolTip(_("Als {format} exportieren").format(format=fmt.upper()))
        self.publish_box.setText(_("für &Veröffentlichung"))
        self.publish_box.setToolTip(
            _(
                "Kleinstzahlen werden unterdrückt, wie im veröffentlichten Bericht; die "
                "Ansicht zeigt dann auch die veröffentlichten Zahlen."
            )
        )
        self.close_button.setText(_("Zeitraum ab&schließen …"))
        self.close_button.setToolTip(
            _(
                "Die Zahlen dieses Zeitraums als anonyme Summen im Tresor speichern; sie "
                "ändern sich danach nicht mehr."
            )
        )
        self.reopen_button.setText(_("Abschluss aufhe&ben …"))
        self.reopen_button.setToolTip(
            _("Die gespeicherten Zahlen verwerfen; das wird im Protokoll vermerkt.")
        )
        self.closed_label.setText(_("Abgeschlossener Zeitraum"))
        self.closed_label.setToolTip(
            _(
                "Die Zahlen dieses Zeitraums wurden beim Abschluss gespeichert; spätere "
                "Änderungen an den Einträgen ändern sie nicht."
            )
        )
        self._show()

    def showEvent(self, event: QShowEvent) -> None:
        # The records may have changed since the figures were computed: coming back to
        # the tab, and also the first time the tab is shown when the figures computed as
        # the window was built are back already (a family recorded since would be missing).
        if self._shown_once or not self._computing:
            self.refresh()
        self._shown_once = True
        super().showEvent(event)

    # --- computing -----------------------------------------------------------------------

    def period(self) -> Period:
        return self.picker.period()

    def report(self) -> ReportData | None:
        """What the view shows now (None while nothing is computed)."""
        return self._report

    def is_busy(self) -> bool:
        return self._computing

    def refresh(self) -> None:
        """Compute the chosen period's figures again, off the UI thread."""
        self._generation += 1
        generation = self._generation
        period = self.picker.period()
        self._computing = True
        self._update_close_buttons()
        self.status_label.setStyleSheet("")
        self.status_label.setText(
            _("Die Zahlen für {period} werden berechnet …").format(period=period.label)
        )

        def finished(result: PeriodFigures) -> None:
            if generation != self._generation:
                return
            self._computing = False
            self._computed = result
            # What closing or reopening just did stays readable after the new figures.
            self.status_label.setText(self._notice)
            self._notice = ""
            self._show()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._computing = False
            self._computed = None
            self._show()
            self._status_error(
                exc.message
                if isinstance(exc, LotseError)
                else _("Die Zahlen ließen sich nicht berechnen: {error}").format(error=exc)
            )

        VaultOp(self, lambda api: api.statistics.figures(period)).success(finished).failure(
            failed
        ).run()

    def clear(self) -> None:
        """Drop every figure shown (the window is being locked)."""
        self._generation += 1
        self._computing = False
        self._computed = None
        self._report = None
        self._notice = ""
        self.status_label.clear()
        self._show()

    # --- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        computed = self._computed
        if computed is None:
            self._report = None
        else:
            self._report = data_from_figures(
                computed.figures,
                computed.period,
                self.publish_box.isChecked(),
                computed.threshold,
                computed.organisation,
                computed.closed,
            )
        data = self._report
        # The dates of the figures shown (while new ones are computed, still the old ones).
        self.period_label.setText(format_period(data.period if data else self.picker.period()))
        self.closed_label.setVisible(data is not None and data.closed)
        self.mark_label.setText(data.mark if data is not None else "")
        self._show_cards(data)
        self.totals_model.set_report(data)
        self.casework_model.set_report(data)
        self._show_section()
        notes = data.footnotes() if data is not None else []
        self.footnote_label.setText("  ".join(notes))
        self.footnote_label.setVisible(bool(notes))
        for button in self.export_buttons.values():
            button.setEnabled(not self._exporting)
        self._update_close_buttons()

    def _update_close_buttons(self) -> None:
        data = self._report
        closed = data is not None and data.closed
        self.close_button.setVisible(not closed)
        self.reopen_button.setVisible(closed)
        for button in (self.close_button, self.reopen_button):
            button.setEnabled(data is not None and not self._closing and not self._computing)

    def _show_cards(self, data: ReportData | None) -> None:
        for card, key in zip(self.cards, HEADLINE, strict=True):
            label = total_label(key) if key else _("Anteil angekommener Vermittlungen")
            if data is None:
                card.set("–", label)
            elif key is None:
                card.set(format_share(data.arrival_share), label)
            else:
                card.set(format_int(data.figures.totals.get(key, 0)), label)

    def _show_section(self) -> None:
        item = self.section_list.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else TOTALS_ITEM
        if key == TOTALS_ITEM:
            if self.table.model() is not self.totals_model:
                self.table.setModel(self.totals_model)
                self._size_table_columns()
            self.breakdown_model.set_breakdown(None, None)
            # Totals mix units (people, minutes, sessions): no chart, a hint where it would be.
            self.chart_title.setText(
                _("Balkendiagramme zeigen die Aufschlüsselungen; wählen Sie links eine aus.")
            )
            self.chart.set_bars([])
            return
        if key == CASEWORK_ITEM:
            if self.table.model() is not self.casework_model:
                self.table.setModel(self.casework_model)
                self._size_table_columns()
            self.breakdown_model.set_breakdown(None, None)
            # The counts as a funnel: screened, positive, reached; closed. (Medians are
            # days, not counts: the table shows them.)
            self.chart_title.setText(_(CASEWORK_TITLE))
            model = self.casework_model
            self.chart.set_bars(
                [
                    (model.index(row, 0).data(), model.index(row, 1).data(VALUE_ROLE))
                    for row in range(len(CASEWORK_TOTALS))
                    if model.index(row, 0).data(KEY_ROLE) not in MEDIAN_KEYS
                ]
            )
            return
        self.breakdown_model.set_breakdown(self._report, key)
        if self.table.model() is not self.breakdown_model:
            self.table.setModel(self.breakdown_model)
            self._size_table_columns()
        self.chart_title.setText(breakdown_label(key))
        model = self.breakdown_model
        self.chart.set_bars(
            [
                (model.index(row, 0).data(), model.index(row, 1).data(VALUE_ROLE))
                for row in range(model.rowCount())
            ]
        )

    def select_section(self, key: str) -> None:
        """Show the totals (``"totals"``), "Screening und Verlauf" (``"casework"``) or the
        breakdown ``key``."""
        for row in range(self.section_list.count()):
            if self.section_list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.section_list.setCurrentRow(row)
                return
        raise KeyError(key)

    def _status_error(self, message: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(message)

    # --- closing and reopening -----------------------------------------------------------

    def is_closing(self) -> bool:
        return self._closing

    def ask_close_period(self) -> None:
        """Ask, then freeze the shown period's figures as anonymous aggregates."""
        period = self._shown_period()
        if period is None or self._closing:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Zeitraum abschließen"),
            _(
                "Den Zeitraum {period} abschließen?\n\nSeine Zahlen werden dann als anonyme "
                "Summen im Tresor gespeichert und bleiben unverändert, auch wenn Einträge "
                "später geändert oder gelöscht werden. Berichte dieses Zeitraums zeigen die "
                "gespeicherten Zahlen."
            ).format(period=format_period(period)),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        yes = box.addButton(_("Abschließen"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        if box.clickedButton() is not yes:
            return
        today = self._today

        def close(api: VaultAPI) -> str:
            api.statistics.close_period(period, today)
            return _(
                "Zeitraum {period} abgeschlossen: seine Zahlen bleiben nun unverändert."
            ).format(period=period.label)

        self._run_closing(close)

    def ask_reopen_period(self) -> None:
        """Ask (default: no), then drop the shown period's frozen figures; logged."""
        period = self._shown_period()
        if period is None or self._closing:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Abschluss aufheben"),
            _(
                "Den Abschluss von {period} aufheben?\n\nDie gespeicherten Zahlen werden "
                "verworfen; der Zeitraum wird danach wieder aus den aktuellen Einträgen "
                "berechnet, und seine Zahlen können sich ändern. Das Aufheben wird im "
                "Protokoll des Tresors vermerkt."
            ).format(period=format_period(period)),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        yes = box.addButton(_("Abschluss aufheben"), QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.exec()
        if box.clickedButton() is not yes:
            return

        def reopen(api: VaultAPI) -> str:
            reopened = api.statistics.reopen_period(period.label)
            return _("Zeitraum {period} wieder geöffnet (im Protokoll vermerkt).").format(
                period=reopened.label
            )

        self._run_closing(reopen)

    def _shown_period(self) -> Period | None:
        return self._report.period if self._report is not None else None

    def _run_closing(self, change: Any) -> None:
        """Run the use case ``change(api)`` off the UI thread, then refresh."""
        self._closing = True
        self._show()

        def finished(message: str) -> None:
            self._closing = False
            self._notice = message
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._closing = False
            self._show()
            self._status_error(
                exc.message
                if isinstance(exc, LotseError)
                else _("Der Zeitraum ließ sich nicht ändern: {error}").format(error=exc)
            )

        VaultOp(self, change).success(finished).failure(failed).run()

    # --- exporting -----------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        """Ask where to save the report of the chosen period as ``fmt``, then write it."""
        path = self._ask_path(fmt)
        if path is not None:
            self.start_export(fmt, path)

    def default_file_name(self, fmt: str) -> str:
        period = self.picker.period().label.replace("..", "_bis_")
        suffix = "-veroeffentlichung" if self.publish_box.isChecked() else "-intern"
        return f"lotse-statistik-{period}{suffix}.{fmt}"

    def _ask_path(self, fmt: str) -> Path | None:
        name_filter = dict(EXPORT_FORMATS)[fmt]
        folder = self.last_export.parent if self.last_export else Path.home()
        dialog = QFileDialog(
            self, _("Bericht speichern"), str(folder / self.default_file_name(fmt)), name_filter
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(fmt)
        dialog.selectFile(self.default_file_name(fmt))
        if not dialog.exec():
            return None
        files = dialog.selectedFiles()
        return Path(files[0]) if files else None

    def is_exporting(self) -> bool:
        return self._exporting

    def start_export(self, fmt: str, path: Path) -> None:
        """Write the report to ``path`` off the UI thread, with a progress bar."""
        if self._exporting:
            return
        period = self.picker.period()
        publish = self.publish_box.isChecked()
        self._exporting = True
        for button in self.export_buttons.values():
            button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report of progress
        self.progress.show()
        self.status_label.setStyleSheet("")
        self.status_label.setText(
            _("Der Bericht für {period} wird geschrieben …").format(period=period.label)
        )

        def write(api: VaultAPI, progress: Any) -> Path:
            api.statistics.write_report(period, fmt, path, publish, progress)
            return path

        def on_progress(done: int, total: int) -> None:
            if total > 0:
                self.progress.setRange(0, total)
                self.progress.setValue(done)

        def finished(written: Path) -> None:
            self._export_done()
            self.last_export = written
            self.status_label.setText(_("Bericht gespeichert: {path}").format(path=written))

        def failed(exc: BaseException) -> None:
            self._export_done()
            self._status_error(
                exc.message
                if isinstance(exc, LotseError)
                else _("Der Bericht ließ sich nicht schreiben: {error}").format(error=exc)
            )

        VaultOp(self, write).with_progress(on_progress).success(finished).failure(failed).run()

    def _export_done(self) -> None:
        self._exporting = False
        self.progress.hide()
        for button in self.export_buttons.values():
            button.setEnabled(True)
