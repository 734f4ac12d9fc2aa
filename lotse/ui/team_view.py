"""The team lead's workspace ("Team" tab), her contact card and the address book.

The tab is shown when the vault holds received packages or the profile says team lead,
and whenever she opens package files (Datei → Statistik-Pakete öffnen …, or by dropping
them on the window). For the chosen period it shows:

- the delivery matrix: every navigator she knows (address book, earlier packages) with
  site and service line, delivered (with the date received), missing, or conflicting
  (a correction she has not confirmed, or a package that was refused);
- the merged figures, with the statistics view's cards, tables and chart, exported as
  PDF internal or for publication;
- the figures per site and per service line;
- the received packages (remove one) and the pinned signing keys with fingerprints.

Opening packages asks before a correction replaces an older package. Everything is done
by the team use cases (:class:`~lotse.usecases.team.TeamAPI`) off the UI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lotse.cards.card import service_line_label
from lotse.errors import LotseError
from lotse.i18n import N_, _
from lotse.report.model import ReportData, data_from_figures
from lotse.report.textfmt import format_int, format_share
from lotse.stats.keys import TOTALS, total_label
from lotse.stats.period import Period
from lotse.ui.list_model import ListTableModel, Row, RowsTableModel
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.statistics_view import HEADLINE, headline_cards
from lotse.ui.stats_models import TotalsTableModel
from lotse.ui.stats_period_picker import PeriodPicker, format_period
from lotse.usecases import TeamFigures, VaultAPI
from lotse.usecases.team import (
    ContactCard,
    DeliveryRow,
    Loaded,
    MergedExport,
    Package,
    PinnedKeyInfo,
    ReceivedPackage,
    ReceivePlan,
    StoredCard,
    load_card,
)

AnyIndex = QModelIndex | QPersistentModelIndex
PACKAGE_FILTER = N_("Statistik-Pakete (*.json *.lotse);;Alle Dateien (*)")
CARD_FILTER = N_("Kontaktkarten (*.card *.json);;Alle Dateien (*)")
STATUS_LABELS = {
    "delivered": N_("geliefert"),
    "missing": N_("fehlt"),
    "conflicting": N_("Konflikt"),
}
STATUS_COLOURS = {"delivered": "#e6f0e6", "missing": "#fbeaea", "conflicting": "#fff3cd"}
#: The totals the tables per site and per service line show.
GROUP_TOTALS = (
    "families_reached",
    "new_families",
    "children_reached",
    "counselling_contacts",
    "group_sessions",
    "referrals",
)
ERROR_STYLE = "color: #b00020;"


def _when(moment: dt.datetime | None) -> str:
    """A stored time (naive UTC) as the user's local date and time."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%d.%m.%Y %H:%M")


class DeliveryModel(RowsTableModel[DeliveryRow]):
    """Who delivered for the period: navigator, site, service line, status, received."""

    HEADERS = (
        N_("Lotsin/Lotse"),
        N_("Standort"),
        N_("Arbeitsbereich"),
        N_("Stand"),
        N_("Erhalten am"),
    )

    def row_at(self, row: int) -> DeliveryRow:
        return self._rows[row]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        cells = (
            row.navigator,
            row.site,
            service_line_label(row.service_line),
            _(STATUS_LABELS[row.status]),
            _when(row.received_at),
        )
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cells[index.column()] if 0 <= index.column() < len(cells) else None
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 3:
            return QBrush(QColor(STATUS_COLOURS[row.status]))
        if role == Qt.ItemDataRole.ToolTipRole and row.created is not None:
            return _("Erstellt am {when}").format(when=_when(row.created))
        return None


def _table(parent: QWidget, model: Any) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class TeamView(QWidget):
    """The team lead's tab over the received packages of one period."""

    def __init__(
        self, api: VaultAPI, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.setAcceptDrops(True)
        self._figures: TeamFigures | None = None
        self._report: ReportData | None = None
        #: Vaults whose package waits for a decision (shown as conflicting), by period.
        self._pending: dict[tuple[dt.date, dt.date], set[str]] = {}
        self._generation = 0
        self._busy = False
        self.last_export: Path | None = None
        self._build(today)
        self.retranslate()

    # -- building ------------------------------------------------------------------------
    def _build(self, today: dt.date | None) -> None:
        self.picker = PeriodPicker(today, self)
        self.picker.period_changed.connect(lambda _p: self.refresh())
        self.period_label = QLabel(self)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.ask_open)
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addSpacing(12)
        top.addWidget(self.period_label)
        top.addStretch(1)
        top.addWidget(self.open_button)

        self.cards, cards = headline_cards(self)

        self.delivery_model = DeliveryModel(self)
        self.delivery_table = _table(self, self.delivery_model)
        self.totals_model = TotalsTableModel(self)
        self.totals_table = _table(self, self.totals_model)
        self.totals_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.group_choice = QComboBox(self)
        self.group_choice.addItem("", "site")
        self.group_choice.addItem("", "service_line")
        self.group_choice.currentIndexChanged.connect(lambda _i: self._show_groups())
        self.groups_model = ListTableModel(
            (N_("Gruppe"), *(dict(TOTALS)[k] for k in GROUP_TOTALS)), self
        )
        self.groups_table = _table(self, self.groups_model)
        groups = QWidget(self)
        groups_layout = QVBoxLayout(groups)
        groups_layout.addWidget(self.group_choice)
        groups_layout.addWidget(self.groups_table, 1)
        self.packages_model = ListTableModel(
            (
                N_("Nr."),
                N_("Lotsin/Lotse"),
                N_("Standort"),
                N_("Arbeitsbereich"),
                N_("Zeitraum"),
                N_("Erstellt"),
                N_("Erhalten"),
            ),
            self,
        )
        self.packages_table = _table(self, self.packages_model)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.ask_remove)
        packages = QWidget(self)
        packages_layout = QVBoxLayout(packages)
        packages_layout.addWidget(self.packages_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        packages_layout.addLayout(row)
        self.keys_model = ListTableModel(
            (N_("Tresor"), N_("Lotsin/Lotse"), N_("Fingerabdruck"), N_("Festgehalten am")), self
        )
        self.keys_table = _table(self, self.keys_model)

        self.sections = QTabWidget(self)
        self.sections.setObjectName("team_sections")
        self.sections.addTab(self.delivery_table, "")
        self.sections.addTab(self.totals_table, "")
        self.sections.addTab(groups, "")
        self.sections.addTab(packages, "")
        self.sections.addTab(self.keys_table, "")

        self.footnote_label = QLabel(self)
        self.footnote_label.setWordWrap(True)
        self.footnote_label.setStyleSheet("color: #52606d;")
        self.export_label = QLabel(self)
        self.pdf_button = QPushButton("PDF", self)
        self.pdf_button.clicked.connect(self.ask_export)
        self.publish_box = QCheckBox(self)
        self.publish_box.toggled.connect(lambda _on: self._show())
        # Multi-level: the merged figures as this vault's package for the level above.
        self.merged_button = QPushButton(self)
        self.merged_button.clicked.connect(self.ask_export_merged)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_label)
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.publish_box)
        bottom.addSpacing(12)
        bottom.addWidget(self.merged_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.status_label, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(self.sections, 1)
        layout.addWidget(self.footnote_label)
        layout.addLayout(bottom)

    def retranslate(self) -> None:
        self.picker.retranslate()
        self.open_button.setText(_("Pakete ö&ffnen …"))
        self.open_button.setToolTip(
            _("Statistik-Pakete der Lotsinnen und Lotsen öffnen (oder hierher ziehen)")
        )
        for i, text in enumerate(
            (
                _("Lieferungen"),
                _("Zusammengeführte Zahlen"),
                _("Nach Standort und Arbeitsbereich"),
                _("Empfangene Pakete"),
                _("Signaturschlüssel"),
            )
        ):
            self.sections.setTabText(i, text)
        self.group_choice.setItemText(0, _("nach Standort"))
        self.group_choice.setItemText(1, _("nach Arbeitsbereich"))
        self.remove_button.setText(_("Paket &entfernen …"))
        self.export_label.setText(_("Zusammengeführten Bericht exportieren:"))
        self.pdf_button.setAccessibleName(_("Als {format} exportieren").format(format="PDF"))
        self.publish_box.setText(_("für &Veröffentlichung"))
        self.merged_button.setText(_("&Gesamtpaket für die nächste Ebene …"))
        self.merged_button.setToolTip(
            _(
                "Die zusammengeführten Zahlen als Paket dieses Tresors an die nächste Ebene "
                "senden (z. B. Kommune → Land), mit der Liste der enthaltenen Pakete"
            )
        )
        self.delivery_table.setAccessibleName(_("Lieferungen"))
        self._show()

    # -- data -----------------------------------------------------------------------------
    def period(self) -> Period:
        return self.picker.period()

    def report(self) -> ReportData | None:
        return self._report

    def is_busy(self) -> bool:
        return self._busy

    def _pending_for(self, period: Period) -> set[str]:
        return self._pending.get((period.start, period.end), set())

    def refresh(self) -> None:
        """Read the period's merged figures, deliveries, packages and keys again."""
        self._generation += 1
        generation = self._generation
        period = self.period()
        pending = set(self._pending_for(period))
        self._busy = True

        def read(api: VaultAPI) -> tuple[Any, ...]:
            return (
                api.team.figures(period),
                api.team.delivery(period, pending),
                api.team.held(),
                api.team.pinned_keys(),
                api.team.cards(),
            )

        def finished(result: tuple[Any, ...]) -> None:
            if generation != self._generation:
                return
            self._busy = False
            figures, delivery, held, keys, cards = result
            self._figures = figures
            self.delivery_model.set_rows(delivery)
            self._show_packages(held)
            self._show_keys(keys, cards, held)
            self._show()

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._busy = False
            self._error(error)

        VaultOp(self, read).success(finished).failure(failed).run()

    def clear(self) -> None:
        """Drop everything shown (the window is being locked)."""
        self._generation += 1
        self._busy = False
        self._figures = None
        self._pending.clear()
        for model in (self.delivery_model, self.packages_model, self.keys_model):
            model.clear()
        self.status_label.clear()
        self._show()

    def _error(self, error: BaseException) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(
            error.message
            if isinstance(error, LotseError)
            else _("Fehler: {error}").format(error=error)
        )

    def _notice(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    # -- showing --------------------------------------------------------------------------
    def _show(self) -> None:
        figures = self._figures
        self._report = None
        if figures is not None:
            self._report = data_from_figures(
                figures.figures,
                figures.period,
                self.publish_box.isChecked(),
                figures.threshold,
                figures.organisation,
                notes=[_("Zusammengeführt aus {n} Paketen.").format(n=len(figures.sources))],
            )
        data = self._report
        self.period_label.setText(format_period(data.period if data else self.period()))
        for card, key in zip(self.cards, HEADLINE, strict=True):
            label = total_label(key) if key else _("Anteil angekommener Vermittlungen")
            if data is None:
                card.set("–", label)
            elif key is None:
                card.set(format_share(data.arrival_share), label)
            else:
                card.set(format_int(data.figures.totals.get(key, 0)), label)
        self.totals_model.set_report(data)
        self._show_groups()
        notes = data.footnotes() if data is not None else []
        self.footnote_label.setText("  ".join(notes))
        self.pdf_button.setEnabled(data is not None)
        self.merged_button.setEnabled(figures is not None and bool(figures.sources))

    def _show_groups(self) -> None:
        figures = self._figures
        if figures is None:
            self.groups_model.clear()
            return
        by_site = self.group_choice.currentData() == "site"
        groups = figures.by_site if by_site else figures.by_service_line
        rows = []
        for group, f in groups.items():
            name = group if by_site else service_line_label(group)
            cells = (
                name or _("ohne Angabe"),
                *(format_int(f.totals.get(k, 0)) for k in GROUP_TOTALS),
            )
            rows.append(Row(tuple(cells), payload=group))
        self.groups_model.set_rows(rows)

    def _show_packages(self, held: Sequence[ReceivedPackage]) -> None:
        self.packages_model.set_rows(
            Row(
                (
                    str(p.id),
                    p.title,
                    p.site,
                    service_line_label(p.service_line),
                    p.period.label,
                    _when(p.created),
                    _when(p.received_at),
                ),
                payload=p,
            )
            for p in held
        )

    def _show_keys(
        self,
        keys: Sequence[PinnedKeyInfo],
        cards: Sequence[StoredCard],
        held: Sequence[ReceivedPackage],
    ) -> None:
        names = {p.vault: p.title for p in held}
        names |= {c.card.vault: c.card.title for c in cards}
        self.keys_model.set_rows(
            Row(
                (k.vault[:8], names.get(k.vault, ""), k.fingerprint, _when(k.pinned_at)),
                payload=k,
            )
            for k in keys
        )

    # -- opening packages -----------------------------------------------------------------
    def ask_open(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Statistik-Pakete öffnen"), "", _(PACKAGE_FILTER)
        )
        if names:
            self.open_files([Path(n) for n in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_files(paths)

    def open_files(
        self, paths: Sequence[Path], confirm: Callable[[ReceivePlan], bool] | None = None
    ) -> None:
        """Read, plan and receive package files; ``confirm`` asks before corrections."""
        self._busy = True
        self._notice(_("Pakete werden geöffnet …"))
        VaultOp(self, lambda api: api.team.load(list(paths))).success(
            lambda loaded: self._loaded(loaded, confirm or self._confirm_corrections)
        ).failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._error(error)
        show_failure(self, error)

    def _loaded(self, loaded: Loaded, confirm: Callable[[ReceivePlan], bool]) -> None:
        problems = list(loaded.problems)
        by_period: dict[tuple[dt.date, dt.date], list[Package]] = {}
        for p in loaded.packages:
            by_period.setdefault((p.period.start, p.period.end), []).append(p)
        if not by_period:
            self._finish(0, problems)
            return
        # Show the period of the packages opened (the latest, if several).
        latest = max(by_period)
        self.picker.set_period_text(by_period[latest][0].period.label)
        groups = list(by_period.values())
        self._receive_next(groups, confirm, problems, 0)

    def _receive_next(
        self,
        groups: list[list[Package]],
        confirm: Callable[[ReceivePlan], bool],
        problems: list[str],
        received: int,
    ) -> None:
        if not groups:
            self._finish(received, problems)
            return
        packages, rest = groups[0], groups[1:]
        period = packages[0].period

        def planned(plan: ReceivePlan) -> None:
            pending = self._pending.setdefault((period.start, period.end), set())
            replace = bool(plan.corrections) and confirm(plan)
            take = [
                e.package
                for e in plan.entries
                if e.status in ("new", "again") or (e.status == "correction" and replace)
            ]
            for e in plan.entries:
                if e.status in ("conflict", "older", "key") or (
                    e.status == "correction" and not replace
                ):
                    pending.add(e.package.vault)
                elif e.status in ("new", "again", "correction"):
                    pending.discard(e.package.vault)
            problems.extend(plan.problems)
            if not take:
                self._receive_next(rest, confirm, problems, received)
                return
            VaultOp(self, lambda api: api.team.receive(take, period, replace=replace)).success(
                lambda _summary: self._receive_next(rest, confirm, problems, received + len(take))
            ).failure(self._failed).run()

        VaultOp(self, lambda api: api.team.plan(packages, period, replace=True)).success(
            planned
        ).failure(self._failed).run()

    def _confirm_corrections(self, plan: ReceivePlan) -> bool:
        lines = [
            _("{who}: erstellt {new}, ersetzt das Paket vom {old}").format(
                who=e.package.about("navigator_name") or e.package.vault[:8],
                new=_when(e.package.created),
                old=_when(e.held.created if e.held else None),
            )
            for e in plan.corrections
        ]
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Korrektur übernehmen?"),
            _(
                "Für {period} liegen schon Pakete mit anderen Zahlen vor. Die neuen sind "
                "Korrekturen (später erstellt). Sollen sie die älteren ersetzen? Beides wird "
                "im Protokoll vermerkt."
            ).format(period=plan.period.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setInformativeText("\n".join(lines))
        box.button(QMessageBox.StandardButton.Yes).setText(_("&Ersetzen"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Nicht ersetzen"))
        return box.exec() == QMessageBox.StandardButton.Yes

    def _finish(self, received: int, problems: list[str]) -> None:
        self._busy = False
        self.refresh()
        if problems:
            self._error(
                _("{n} Pakete übernommen; {m} abgewiesen.").format(n=received, m=len(problems))
            )
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Lotse",
                _("Nicht alle Pakete wurden übernommen:"),
                parent=self,
            )
            box.setInformativeText("\n\n".join(problems[:20]))
            box.open()
            self.problem_box = box
        else:
            self._notice(_("{n} Pakete übernommen.").format(n=received))

    # -- removing and exporting -----------------------------------------------------------
    def ask_remove(self) -> None:
        index = self.packages_table.currentIndex()
        if not index.isValid():
            return
        package: ReceivedPackage = self.packages_model.row_at(index.row()).payload
        answer = QMessageBox.question(
            self,
            _("Paket entfernen?"),
            _("Das Paket von {who} für {period} entfernen? Das wird im Protokoll vermerkt.").format(
                who=package.title, period=package.period.label
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(package.id)

    def remove(self, package_id: int) -> None:
        def done(removed: ReceivedPackage) -> None:
            self._notice(_("Paket von {who} entfernt.").format(who=removed.title))
            self.refresh()

        VaultOp(self, lambda api: api.team.remove(package_id)).success(done).failure(
            self._failed
        ).run()

    def ask_export(self) -> None:
        publish = self.publish_box.isChecked()
        suffix = "veroeffentlichung" if publish else "intern"
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Zusammengeführten Bericht speichern"),
            f"Team-{self.period().label}-{suffix}.pdf",
            "PDF (*.pdf)",
        )
        if name:
            self.export(Path(name), publish)

    def export(self, path: Path, publish: bool) -> None:
        period = self.period()
        self._busy = True

        def done(_result: None) -> None:
            self._busy = False
            self.last_export = path
            self._notice(_("Bericht gespeichert: {file}").format(file=path))

        VaultOp(self, lambda api: api.team.write_report(period, "pdf", path, publish)).success(
            done
        ).failure(self._failed).run()

    def ask_export_merged(self) -> None:
        """Ask for the recipient (a card of the address book, or none) and the file."""
        VaultOp(self, lambda api: api.team.cards()).success(self._ask_merged_target).failure(
            self._failed
        ).run()

    def _ask_merged_target(self, cards: list[StoredCard]) -> None:
        to: ContactCard | None = None
        if cards:
            plain = _("Nicht verschlüsselt")
            titles = [f"{c.card.title} ({c.card.site})" for c in cards]
            choice, ok = QInputDialog.getItem(
                self,
                _("Gesamtpaket für die nächste Ebene"),
                _("Verschlüsselt für:"),
                [*titles, plain],
                0,
                False,
            )
            if not ok:
                return
            if choice != plain:
                to = cards[titles.index(choice)].card
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Gesamtpaket speichern"),
            f"Gesamtpaket-{self.period().label}.lotse",
            _(PACKAGE_FILTER),
        )
        if name:
            self.export_merged(Path(name), to)

    def export_merged(self, path: Path, to: ContactCard | None = None) -> None:
        """Write the merged package of the shown period to ``path`` (sealed to ``to``)."""
        period = self.period()
        self._busy = True

        def done(result: MergedExport) -> None:
            self._busy = False
            self.last_export = path
            self._notice(
                _(
                    "Gesamtpaket gespeichert: {file} ({packages} Pakete, {navigators} "
                    "Lotsinnen und Lotsen)."
                ).format(file=path, packages=result.packages, navigators=result.navigators)
            )

        VaultOp(self, lambda api: api.team.export_merged_package(period, path, to)).success(
            done
        ).failure(self._failed).run()


# -- contact card and address book ----------------------------------------------------------


class OwnCardDialog(QDialog):
    """Datei → Meine Kontaktkarte: the vault's card with its fingerprint; save it."""

    def __init__(self, api: VaultAPI, card: ContactCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.card = card
        self.saved: Path | None = None
        self.setWindowTitle(_("Meine Kontaktkarte"))
        form = QFormLayout()
        for label, value in (
            (_("Name"), card.name),
            (_("Organisation"), card.organisation),
            (_("Standort"), card.site),
            (_("Arbeitsbereich"), card.service_line_label),
            (_("Dienst"), card.service),
        ):
            form.addRow(label, QLabel(value or "–", self))
        self.fingerprint = QLabel(card.display_fingerprint, self)
        font = QFont("DejaVu Sans Mono")
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.fingerprint.setFont(font)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Fingerabdruck"), self.fingerprint)
        hint = QLabel(
            _(
                "Geben Sie die Karte der Teamleitung (per E-Mail oder Ablage). Lesen Sie ihr "
                "den Fingerabdruck am Telefon vor: stimmt er, ist die Karte echt."
            ),
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = buttons.addButton(
            _("Karte &speichern …"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.clicked.connect(self.ask_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def ask_save(self) -> None:
        default = f"{self.card.name or 'Lotse'}.card".replace(" ", "-")
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Kontaktkarte speichern"), default, _(CARD_FILTER)
        )
        if name:
            self.save(Path(name))

    def save(self, path: Path) -> None:
        def done(_card: ContactCard) -> None:
            self.saved = path

        VaultOp(self, lambda api: api.team.export_card(path), api=self.api).success(done).run()


class AddressBookDialog(QDialog):
    """The received contact cards: add one from a file, remove one."""

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setWindowTitle(_("Adressbuch"))
        self.model = ListTableModel(
            (N_("Name"), N_("Standort"), N_("Arbeitsbereich"), N_("Dienst"), N_("Fingerabdruck")),
            self,
        )
        self.table = _table(self, self.model)
        add = QPushButton(_("Karte &hinzufügen …"), self)
        add.clicked.connect(self.ask_add)
        remove = QPushButton(_("&Entfernen"), self)
        remove.clicked.connect(self.remove_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.resize(820, 360)
        self.reload()

    def reload(self) -> None:
        VaultOp(self, lambda api: api.team.cards(), api=self.api).success(self._show).run()

    def _show(self, cards: list[StoredCard]) -> None:
        self.model.set_rows(
            Row(
                (
                    c.card.title,
                    c.card.site,
                    c.card.service_line_label,
                    c.card.service,
                    c.card.display_fingerprint,
                ),
                payload=c,
            )
            for c in cards
        )

    def ask_add(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Kontaktkarte hinzufügen"), "", _(CARD_FILTER)
        )
        if name:
            self.add(Path(name))

    def add(self, path: Path) -> None:
        def read_and_add(api: VaultAPI) -> bool:
            return api.team.add_card(load_card(path))

        VaultOp(self, read_and_add, api=self.api).success(lambda _u: self.reload()).run()

    def remove_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        stored: StoredCard = self.model.row_at(index.row()).payload
        VaultOp(self, lambda api: api.team.remove_card(stored.id), api=self.api).success(
            lambda _c: self.reload()
        ).run()


# -- registration in the main window --------------------------------------------------------


def install(window: Any) -> TeamView:
    """Make the team view of ``window`` (a MainWindow); its tab appears when wanted."""
    view = TeamView(window.api, window)
    view.setObjectName("team_view")

    def decide(show: bool) -> None:
        if show:
            show_tab(window, view)

    VaultOp(window, lambda api: api.team.wanted()).success(decide).run()
    return view


def show_tab(window: Any, view: TeamView, select: bool = False) -> None:
    tabs: QTabWidget = window.tabs
    if tabs.indexOf(view) < 0:
        tabs.addTab(view, _("Team"))
        view.refresh()
    if select:
        tabs.setCurrentWidget(view)


def add_file_actions(window: Any, menu: QMenu) -> None:
    """Datei → Statistik-Pakete öffnen, Meine Kontaktkarte, Adressbuch."""
    menu.addSeparator()
    menu.addAction(window._action(_("Statistik-&Pakete öffnen …"), lambda: open_packages(window)))
    menu.addAction(window._action(_("Meine &Kontaktkarte …"), lambda: own_card(window)))
    menu.addAction(window._action(_("&Adressbuch …"), lambda: address_book(window)))


def open_packages(window: Any) -> None:
    view: TeamView = window.team
    show_tab(window, view, select=True)
    view.ask_open()


def own_card(window: Any) -> None:
    VaultOp(window, lambda api: api.team.own_card()).success(
        lambda card: OwnCardDialog(window.api, card, window).exec()
    ).run()


def address_book(window: Any) -> None:
    AddressBookDialog(window.api, window).exec()
