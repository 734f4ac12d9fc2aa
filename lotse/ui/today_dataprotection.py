"""What "Heute" shows about data protection: "Einwilligung fehlt" and the retention period.

- **Einwilligung fehlt**: families that hold personal data without a valid documentation
  consent (an import from a spreadsheet, a withdrawal without erasing) or a referral that
  passed data on without a referral consent (:mod:`lotse.casework.consent`).
- **Aufbewahrungsfrist**: families whose case ended more than ``retention_months`` ago. A
  period the policy locks erases them at unlock, so "Heute" announces the next ones 30
  days ahead; otherwise the due ones are listed and "Jetzt löschen …" erases them after
  asking (:mod:`lotse.usecases.retention`).

Each part is shown only when it has something to say; both are read off the UI thread.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.i18n import N_, _, ngettext
from lotse.ui.list_model import PAYLOAD_ROLE, ListTableModel, Row
from lotse.ui.ops import VaultOp
from lotse.ui.widgets import compact_rows, confirm, german_date, heading
from lotse.usecases import VaultAPI
from lotse.usecases.consent import MissingConsent
from lotse.usecases.retention import RetentionRun, RetentionState

MISSING_HEADERS = (N_("Code"), N_("Name"), N_("Was fehlt"))
RETENTION_HEADERS = (N_("Code"), N_("Abgeschlossen am"), N_("Zu löschen ab"))


def _table(model: ListTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    compact_rows(view)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setMaximumHeight(view.fontMetrics().height() * 8)
    return view


def _what(missing: MissingConsent) -> str:
    parts = []
    if missing.personal:
        parts.append(_("persönliche Daten ohne Einwilligung zur Dokumentation"))
    if missing.referral:
        parts.append(_("Vermittlung mit Datenweitergabe ohne Einwilligung zur Vermittlung"))
    return "; ".join(parts)


class DataProtectionToday(QWidget):
    """The two data-protection lists of "Heute"; :attr:`open_family` on activation."""

    open_family = Signal(int)

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("today_dataprotection")
        self.missing = ListTableModel(MISSING_HEADERS, self)
        self.missing_view = _table(self.missing, "today_missing_consent")
        self.missing_view.setAccessibleName(_("Einwilligung fehlt"))
        self.missing_title = heading(_("Einwilligung fehlt"))
        self.missing_hint = QLabel(
            _(
                "Erfassen Sie die Einwilligung der Familie, oder löschen Sie ihre persönlichen "
                "Daten (Familie öffnen → Bearbeiten)."
            )
        )
        self.missing_hint.setWordWrap(True)
        self.retention = ListTableModel(RETENTION_HEADERS, self)
        self.retention_view = _table(self.retention, "today_retention")
        self.retention_view.setAccessibleName(_("Aufbewahrungsfrist"))
        self.retention_title = heading(_("Aufbewahrungsfrist"))
        self.retention_text = QLabel()
        self.retention_text.setObjectName("retention_text")
        self.retention_text.setWordWrap(True)
        self.erase_button = QPushButton(_("Jetzt löschen …"))
        self.erase_button.setObjectName("retention_erase")
        self.erase_button.clicked.connect(self.erase_due)
        row = QHBoxLayout()
        row.addWidget(self.retention_text, 1)
        row.addWidget(self.erase_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.missing_title, self.missing_hint, self.missing_view):
            layout.addWidget(widget)
        layout.addWidget(self.retention_title)
        layout.addLayout(row)
        layout.addWidget(self.retention_view)
        for view in (self.missing_view, self.retention_view):
            view.activated.connect(self._activated)
        self._state: RetentionState | None = None
        self.clear()

    def _activated(self, index) -> None:
        family_id = index.model().data(index, PAYLOAD_ROLE)
        if family_id is not None:
            self.open_family.emit(int(family_id))

    def reload(self) -> None:
        today = dt.date.today()
        VaultOp(self, lambda api: api.consents.missing(today)).success(self._show_missing).run()
        VaultOp(self, lambda api: api.retention.state(today)).success(self._show_retention).run()

    def _show_missing(self, missing: list[MissingConsent]) -> None:
        self.missing.set_rows([Row((m.code, m.name, _what(m)), m.family_id) for m in missing])
        for widget in (self.missing_title, self.missing_hint, self.missing_view):
            widget.setVisible(bool(missing))

    def _show_retention(self, state: RetentionState) -> None:
        self._state = state
        shown = state.due + state.upcoming
        self.retention.set_rows(
            [Row((f.code, german_date(f.closed), german_date(f.due)), f.family_id) for f in shown]
        )
        months = ngettext(
            "{n} Monat nach Abschluss", "{n} Monate nach Abschluss", state.months
        ).format(n=state.months)
        if state.locked:
            text = _(
                "Vom Administrator festgelegt: {months}. Diese Familien werden beim ersten "
                "Entsperren ab dem genannten Tag mit allen Daten gelöscht."
            ).format(months=months)
        elif state.due:
            text = ngettext(
                "Frist: {months}. {n} Familie ist fällig; sie wird erst gelöscht, wenn Sie es "
                "bestätigen.",
                "Frist: {months}. {n} Familien sind fällig; sie werden erst gelöscht, wenn Sie "
                "es bestätigen.",
                len(state.due),
            ).format(months=months, n=len(state.due))
        else:
            text = _(
                "Frist: {months}. In den nächsten 30 Tagen werden diese Familien fällig."
            ).format(months=months)
        self.retention_text.setText(text)
        self.erase_button.setVisible(bool(state.due) and not state.locked)
        for widget in (self.retention_title, self.retention_text, self.retention_view):
            widget.setVisible(bool(shown))

    def erase_due(self) -> None:
        state = self._state
        if state is None or not state.due:
            return
        question = ngettext(
            "{n} Familie ({codes}) mit allen ihren Daten endgültig löschen? Abgeschlossene "
            "Zeiträume behalten ihre Zahlen.",
            "{n} Familien ({codes}) mit allen ihren Daten endgültig löschen? Abgeschlossene "
            "Zeiträume behalten ihre Zahlen.",
            len(state.due),
        ).format(n=len(state.due), codes=", ".join(f.code for f in state.due))
        if not confirm(self, _("Aufbewahrungsfrist"), question):
            return
        today = dt.date.today()
        VaultOp(self, lambda api: api.retention.run(today)).success(self._erased).run()

    def _erased(self, run: RetentionRun) -> None:
        QMessageBox.information(
            self,
            _("Aufbewahrungsfrist"),
            ngettext(
                "{n} Familie gelöscht; im Protokoll vermerkt.",
                "{n} Familien gelöscht; im Protokoll vermerkt.",
                len(run.erased),
            ).format(n=len(run.erased)),
        )
        self.reload()
        parent = self.window()
        refresh = getattr(parent, "refresh", None)
        if callable(refresh):
            refresh()

    def clear(self) -> None:
        self.missing.clear()
        self.retention.clear()
        self._state = None
        for widget in (
            self.missing_title,
            self.missing_hint,
            self.missing_view,
            self.retention_title,
            self.retention_text,
            self.retention_view,
            self.erase_button,
        ):
            widget.setVisible(False)
