"""The audit log in the window: every entry, filtered by action and day, and its check.

:class:`AuditModel` is a read-only table over the entries the use case returns
(:meth:`lotse.usecases.audit.AuditAPI.entries`); :class:`AuditDialog` ("Datei →
Protokoll …") adds the filter (an action, a first and a last day) and "Prüfen", which
checks every link of the chain and says what was found (as ``lotse audit verify``). The
log names families by code only; nothing here shows more.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.i18n import N_, _, ngettext
from lotse.ui.ops import VaultOp
from lotse.ui.widgets import DateEdit, compact_rows
from lotse.usecases import VaultAPI
from lotse.usecases.audit import AuditCheck, LogEntry, describe, label

Index = QModelIndex | QPersistentModelIndex
HEADERS = (N_("Nr."), N_("Zeit"), N_("Aktion"), N_("Einzelheiten"))


def local_time(moment: dt.datetime) -> str:
    """A moment of the log (kept in UTC) as the machine's local time."""
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%d.%m.%Y %H:%M:%S")


def details_text(details: dict[str, Any]) -> str:
    """The details as ``key: value`` pairs (lists of codes joined)."""
    parts = []
    for key, value in sorted(details.items()):
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value[:20])
            if len(value) > 20:
                shown += " " + _("… und {n} weitere").format(n=len(value) - 20)
            value = shown
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {value}")
    return " · ".join(parts)


class AuditModel(QAbstractTableModel):
    """The entries, oldest first; :data:`ENTRY_ROLE` gives the entry of a row."""

    ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[LogEntry] = []

    def set_entries(self, entries: list[LogEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return _(HEADERS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._entries):
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return str(entry.id)
            if column == 1:
                return local_time(entry.at)
            if column == 2:
                return _(label(entry.action))
            if column == 3:
                return details_text(entry.details)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 3):
            return f"{entry.action}\n{details_text(entry.details)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ENTRY_ROLE:
            return entry
        return None


class _DateFilter(QWidget):
    """A day that applies only while its box is ticked."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(text)
        self.date = DateEdit()
        self.date.setEnabled(False)
        self.date.setAccessibleName(text)
        self.box.toggled.connect(self.date.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.date)

    def value(self) -> dt.date | None:
        return self.date.date_value() if self.box.isChecked() else None


class AuditDialog(QDialog):
    """The audit log with its filter and its check."""

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("audit_dialog")
        self.setWindowTitle(_("Protokoll des Tresors"))
        self.model = AuditModel(self)
        self.view = QTableView()
        self.view.setObjectName("audit_table")
        self.view.setAccessibleName(_("Einträge des Protokolls"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        compact_rows(self.view)
        header = self.view.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.action.setAccessibleName(_("Aktion"))
        self.action.addItem(_("Alle Aktionen"), None)
        self.since = _DateFilter(_("ab"))
        self.until = _DateFilter(_("bis"))
        self.since.date.set_date(dt.date.today() - dt.timedelta(days=30))
        self.count = QLabel()
        self.count.setObjectName("audit_count")
        self.check_button = QPushButton(_("Protokoll prüfen"))
        self.check_button.setObjectName("audit_verify")
        self.check_button.setToolTip(
            _("Prüft, dass kein Eintrag verändert, entfernt oder eingeschoben wurde")
        )
        self.check_button.clicked.connect(self.verify)
        self.result = QLabel()
        self.result.setObjectName("audit_result")
        self.result.setWordWrap(True)
        self.result.hide()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Aktion:")))
        filters.addWidget(self.action)
        filters.addWidget(self.since)
        filters.addWidget(self.until)
        filters.addStretch(1)
        filters.addWidget(self.check_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        note = QLabel(
            _(
                "Das Protokoll nennt Familien nur mit ihrem Code. Jeder Eintrag ist mit dem "
                "vorigen verkettet: Veränderungen fallen bei der Prüfung auf."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.result)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(buttons)
        layout.addWidget(note)
        layout.addLayout(bottom)
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        for date_filter in (self.since, self.until):
            date_filter.box.toggled.connect(lambda _on: self.reload())
            date_filter.date.dateChanged.connect(lambda _d: self.reload())
        self.resize(980, 560)
        VaultOp(self, lambda api: api.audit.actions()).success(self._show_actions).run()
        self.reload()

    def _show_actions(self, actions: list[str]) -> None:
        chosen = self.action.currentData()
        self.action.blockSignals(True)
        for action in actions:
            self.action.addItem(_(label(action)), action)
        self.action.setCurrentIndex(max(self.action.findData(chosen), 0))
        self.action.blockSignals(False)

    def reload(self) -> None:
        """Read the entries the filter asks for (off the UI thread)."""
        action = self.action.currentData()
        actions = [action] if action else None
        since, until = self.since.value(), self.until.value()
        VaultOp(self, lambda api: api.audit.entries(actions, since, until)).success(
            self._show
        ).run()

    def _show(self, entries: list[LogEntry]) -> None:
        self.model.set_entries(entries)
        self.view.scrollToBottom()
        self.count.setText(
            ngettext("{n} Eintrag", "{n} Einträge", len(entries)).format(n=len(entries))
        )

    def verify(self) -> None:
        self.check_button.setEnabled(False)
        VaultOp(self, lambda api: api.audit.verify()).success(self._verified).run()

    def _verified(self, check: AuditCheck) -> None:
        self.check_button.setEnabled(True)
        if check.intact:
            text = ngettext(
                "Geprüft: das Protokoll ist unverändert ({n} Eintrag).",
                "Geprüft: das Protokoll ist unverändert ({n} Einträge).",
                check.entries,
            ).format(n=check.entries)
            self.result.setStyleSheet("color: #1b5e20;")
        else:
            lines = [describe(f) for f in check.findings]
            text = _("Das Protokoll des Tresors wurde verändert:") + "\n" + "\n".join(lines)
            self.result.setStyleSheet("color: #b3261e;")
        self.result.setText(text)
        self.result.show()
