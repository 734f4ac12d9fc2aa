"""The "Heute" view: reminders due today or earlier, referrals waiting more than 14 days,
and the forms left open at a lock (drafts; shown only while there are any).

Both lists are read off the UI thread (:class:`~lotse.ui.ops.VaultOp`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.casework.today import WAITING_DAYS
from lotse.catalogues import REFERRAL_STATUSES, REFERRAL_TARGETS
from lotse.i18n import N_, _, ngettext
from lotse.ui.backup_dialog import BackupReminder
from lotse.ui.list_model import PAYLOAD_ROLE, ListTableModel, Row
from lotse.ui.ops import VaultOp
from lotse.ui.today_dataprotection import DataProtectionToday
from lotse.ui.widgets import compact_rows, german_date, heading
from lotse.usecases import TodayLists, VaultAPI
from lotse.usecases.drafts import DraftInfo

REMINDER_HEADERS = (N_("Fällig am"), N_("Code"), N_("Name"), N_("Wiedervorlage"))
REFERRAL_HEADERS = (
    N_("Seit"),
    N_("Tage"),
    N_("Code"),
    N_("Name"),
    N_("Vermittelt an"),
    N_("Stand"),
)
DRAFT_HEADERS = (N_("Zuletzt"), N_("Entwurf"))


def _table(model: ListTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    compact_rows(view)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class TodayView(QWidget):
    """Emits :attr:`open_family` with a family id when a line is activated."""

    open_family = Signal(int)
    #: emitted each time the lists have been read again
    reloaded = Signal()
    #: emitted with a draft's id when its line is activated (the window reopens its form)
    open_draft = Signal(str)

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.greeting = QLabel()
        # Shown only when the last backup is older than backup_reminder_days.
        self.backup_reminder = BackupReminder(api, self)
        # "Einwilligung fehlt" and the retention period, each only when it has something.
        self.data_protection = DataProtectionToday(api, self)
        self.data_protection.open_family.connect(self.open_family)
        self.reminders = ListTableModel(REMINDER_HEADERS, self)
        self.referrals = ListTableModel(REFERRAL_HEADERS, self)
        self.reminder_view = _table(self.reminders, "today_reminders")
        self.reminder_view.setAccessibleName(_("Fällige Wiedervorlagen"))
        self.referral_view = _table(self.referrals, "today_referrals")
        self.referral_view.setAccessibleName(_("Vermittlungen ohne Rückmeldung"))
        self.reminder_title = heading(_("Fällige Wiedervorlagen"))
        self.referral_title = heading(
            _("Vermittlungen ohne Rückmeldung seit mehr als {n} Tagen").format(n=WAITING_DAYS)
        )
        hint = QLabel(_("Doppelklick oder Enter öffnet die Familie."))
        self.drafts = ListTableModel(DRAFT_HEADERS, self)
        self.draft_view = _table(self.drafts, "today_drafts")
        self.draft_view.setAccessibleName(_("Offene Entwürfe"))
        self.draft_view.activated.connect(self._draft_activated)
        self.draft_title = heading(_("Offene Entwürfe (Doppelklick oder Enter öffnet)"))
        self.draft_view.setMaximumHeight(self.draft_view.fontMetrics().height() * 7)
        self.draft_title.hide()
        self.draft_view.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.greeting)
        layout.addWidget(self.draft_title)
        layout.addWidget(self.draft_view)
        layout.addWidget(self.backup_reminder)
        layout.addWidget(self.data_protection)
        layout.addWidget(self.reminder_title)
        layout.addWidget(self.reminder_view, 1)
        layout.addWidget(self.referral_title)
        layout.addWidget(self.referral_view, 1)
        layout.addWidget(hint)
        for view in (self.reminder_view, self.referral_view):
            view.activated.connect(self._activated)

    def show_drafts(self, drafts: list[DraftInfo]) -> None:
        """List the forms left open (the window reads them; none: the list goes)."""
        from lotse.ui.draft_restore import describe, saved_at

        self.drafts.set_rows([Row((saved_at(d), describe(d)), d.id) for d in drafts])
        self.draft_title.setVisible(bool(drafts))
        self.draft_view.setVisible(bool(drafts))

    def _draft_activated(self, index) -> None:
        draft_id = index.model().data(index, PAYLOAD_ROLE)
        if draft_id is not None:
            self.open_draft.emit(str(draft_id))

    def _activated(self, index) -> None:
        family_id = index.model().data(index, PAYLOAD_ROLE)
        if family_id is not None:
            self.open_family.emit(int(family_id))

    def reload(self) -> None:
        """Read both lists for today (off the UI thread), then show them."""
        today = dt.date.today()
        VaultOp(self, lambda api: api.today.lists(today)).success(self._show).run()
        self.backup_reminder.reload()
        self.data_protection.reload()

    def _show(self, lists: TodayLists) -> None:
        today, reminders, referrals = lists.today, lists.reminders, lists.referrals
        self.reminders.set_rows(
            [Row((german_date(r.due), r.code, r.name, r.text), r.family_id) for r in reminders]
        )
        self.referrals.set_rows(
            [
                Row(
                    (
                        german_date(r.since),
                        str(r.days_waiting(today)),
                        r.code,
                        r.name,
                        REFERRAL_TARGETS.label(r.target),
                        REFERRAL_STATUSES.label(r.status),
                    ),
                    r.family_id,
                )
                for r in referrals
            ]
        )
        due = ngettext(
            "{n} fällige Wiedervorlage", "{n} fällige Wiedervorlagen", len(reminders)
        ).format(n=len(reminders))
        waiting = ngettext(
            "{n} wartende Vermittlung", "{n} wartende Vermittlungen", len(referrals)
        ).format(n=len(referrals))
        self.greeting.setText(
            _("Heute ist {date}: {due}, {waiting}.").format(
                date=german_date(today), due=due, waiting=waiting
            )
        )
        self.reloaded.emit()

    def clear(self) -> None:
        self.show_drafts([])
        self.reminders.clear()
        self.referrals.clear()
        self.greeting.clear()
        self.backup_reminder.clear()
        self.data_protection.clear()
