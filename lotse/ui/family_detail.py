"""One family: household, consent, and one timeline of everything, newest first."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lotse.casework import families, followups
from lotse.casework.timeline import Entry, Kind, family_timeline
from lotse.catalogues import ACCESS_ROUTES, CONSENT_SCOPES
from lotse.db.models import Referral, Reminder
from lotse.errors import LotseError
from lotse.i18n import N_, _, ngettext
from lotse.options import districts
from lotse.ui.followup_dialogs import ContactDialog, ReferralDialog, ReminderDialog, StatusDialog
from lotse.ui.list_model import PAYLOAD_ROLE, ListTableModel, Row
from lotse.ui.widgets import confirm, german_date, show_error
from lotse.vault import Vault

TIMELINE_HEADERS = (N_("Datum"), N_("Art"), N_("Eintrag"), N_("Einzelheiten"))
_KIND_LABELS = {
    Kind.CONTACT: N_("Kontakt"),
    Kind.REFERRAL: N_("Vermittlung"),
    Kind.STATUS: N_("Stand"),
    Kind.REMINDER: N_("Wiedervorlage"),
}


def _age(birth: dt.date, today: dt.date) -> str:
    if birth > today:
        return _("erwartet am {date}").format(date=german_date(birth))
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if years == 0:
        months = (today.year - birth.year) * 12 + today.month - birth.month
        months -= today.day < birth.day
        return _("{n} Monate (geb. {date})").format(n=months, date=german_date(birth))
    return _("{n} J. (geb. {date})").format(n=years, date=german_date(birth))


class FamilyDetail(QWidget):
    """Shows one family; emits :attr:`changed` after anything was stored or deleted."""

    changed = Signal()
    edit_requested = Signal(int)
    deleted = Signal(int)

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.family_id: int | None = None
        self.title = QLabel()
        self.title.setObjectName("family_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = ListTableModel(TIMELINE_HEADERS, self)
        self.timeline = QTableView()
        self.timeline.setObjectName("timeline")
        self.timeline.setAccessibleName(_("Verlauf"))
        self.timeline.setModel(self.model)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.verticalHeader().hide()
        # Entries wrap onto more lines rather than being cut off; a family has few.
        self.timeline.setWordWrap(True)
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.timeline.selectionModel().selectionChanged.connect(self._update_buttons)
        self.timeline.doubleClicked.connect(lambda _i: self.edit_entry())

        def button(text: str, slot, name: str) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            return b

        self.add_contact_button = button(_("Kontakt"), self.add_contact, "add_contact")
        self.add_referral_button = button(_("Vermittlung"), self.add_referral, "add_referral")
        self.add_reminder_button = button(_("Wiedervorlage"), self.add_reminder, "add_reminder")
        self.status_button = button(_("Stand ändern"), self.change_status, "change_status")
        self.done_button = button(_("Erledigt"), self.reminder_done, "reminder_done")
        # Short labels: the row says what they act on, and the detail pane stays narrow
        # enough for the families list beside it at 1366 pixels.
        self.edit_entry_button = button(_("Bearbeiten"), self.edit_entry, "edit_entry")
        self.delete_entry_button = button(_("Löschen"), self.delete_entry, "delete_entry")
        self.edit_family_button = button(_("Bearbeiten"), self.edit_family, "edit_family")
        self.delete_family_button = button(_("Löschen"), self.delete_family, "delete_family")
        self.edit_entry_button.setAccessibleName(_("Eintrag bearbeiten"))
        self.delete_entry_button.setAccessibleName(_("Eintrag löschen"))
        self.edit_family_button.setAccessibleName(_("Familie bearbeiten"))
        self.delete_family_button.setAccessibleName(_("Familie löschen"))
        self.add_contact_button.setToolTip(_("Einen weiteren Kontakt erfassen"))

        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.edit_family_button)
        title_row.addWidget(self.delete_family_button)
        new_row = QHBoxLayout()
        new_row.addWidget(QLabel(_("Neu:")))
        for b in (self.add_contact_button, self.add_referral_button, self.add_reminder_button):
            new_row.addWidget(b)
        new_row.addStretch(1)
        entry_row = QHBoxLayout()
        entry_row.addWidget(QLabel(_("Ausgewählter Eintrag:")))
        for b in (
            self.status_button,
            self.done_button,
            self.edit_entry_button,
            self.delete_entry_button,
        ):
            entry_row.addWidget(b)
        entry_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.summary)
        layout.addLayout(new_row)
        layout.addWidget(self.timeline, 1)
        layout.addLayout(entry_row)
        self.clear()

    # -- showing ------------------------------------------------------------------------------

    def clear(self) -> None:
        self.family_id = None
        self.title.setText(_("Keine Familie ausgewählt"))
        self.summary.setText(
            _("Wählen Sie links eine Familie aus oder erfassen Sie einen Erstkontakt (Strg+N).")
        )
        self.model.clear()
        for b in self._all_buttons():
            b.setEnabled(False)

    def _all_buttons(self) -> list[QPushButton]:
        return [
            self.add_contact_button,
            self.add_referral_button,
            self.add_reminder_button,
            self.status_button,
            self.done_button,
            self.edit_entry_button,
            self.delete_entry_button,
            self.edit_family_button,
            self.delete_family_button,
        ]

    def show_family(self, family_id: int) -> None:
        today = dt.date.today()
        try:
            with self.vault.session() as session:
                family = families.get_family(session, family_id)
                entries = family_timeline(session, family_id)
                children = [c.birth_date for c in family.children]
                self._render_summary(family, children, today)
        except LotseError:
            self.clear()
            return
        self.family_id = family_id
        self.model.set_rows([self._row(e) for e in entries])
        self.timeline.resizeRowsToContents()
        for b in (
            self.add_contact_button,
            self.add_referral_button,
            self.add_reminder_button,
            self.edit_family_button,
            self.delete_family_button,
        ):
            b.setEnabled(True)
        self._update_buttons()

    def _render_summary(self, family, children: list[dt.date], today: dt.date) -> None:
        name = family.person_name or _("ohne Namen")
        state = (
            _("abgeschlossen am {date}").format(date=german_date(family.closed))
            if family.closed
            else _("offen")
        )
        self.title.setText(f"<h2>{family.code} · {_escape(name)}</h2>")
        lines = []
        if family.person_phone or family.person_address:
            lines.append(" · ".join(x for x in (family.person_phone, family.person_address) if x))
        household = ngettext("{n} erwachsene Person", "{n} Erwachsene", family.adults).format(
            n=family.adults
        )
        if children:
            household += "; " + _("Kinder: {list}").format(
                list=", ".join(_age(c, today) for c in children)
            )
        else:
            household += "; " + _("keine Kinder erfasst")
        lines.append(household)
        where = []
        if family.district:
            where.append(_("Sozialraum: {v}").format(v=districts().label(family.district)))
        if family.access_route:
            where.append(_("Zugang: {v}").format(v=ACCESS_ROUTES.label(family.access_route)))
        if family.sgb2 is not None:
            where.append(_("SGB II: {v}").format(v=_("ja") if family.sgb2 else _("nein")))
        if family.languages:
            langs = ", ".join(family.languages)
            if family.interpreter:
                langs += " " + _("(mit Dolmetschung)")
            where.append(_("Sprachen: {v}").format(v=langs))
        if where:
            lines.append(" · ".join(where))
        if family.consent_date:
            consent = _("Einwilligung vom {date}: {scope}").format(
                date=german_date(family.consent_date),
                scope=", ".join(CONSENT_SCOPES.label(s) for s in family.consent_scope or []),
            )
            if family.consent_withdrawn:
                consent += " " + _("(widerrufen am {date})").format(
                    date=german_date(family.consent_withdrawn)
                )
        else:
            consent = _("Keine Einwilligung erfasst")
        lines.append(consent + " · " + _("Begleitung: {state}").format(state=state))
        if family.notes:
            lines.append(family.notes)
        self.summary.setText("\n".join(lines))

    def _row(self, entry: Entry) -> Row:
        return Row(
            (german_date(entry.date), _(_KIND_LABELS[entry.kind]), entry.title, entry.details),
            payload=entry,
            tooltip=entry.details,
        )

    def selected_entry(self) -> Entry | None:
        rows = self.timeline.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.data(rows[0], PAYLOAD_ROLE)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        kind = entry.kind if entry else None
        self.status_button.setEnabled(kind in (Kind.REFERRAL, Kind.STATUS))
        self.done_button.setEnabled(kind is Kind.REMINDER)
        self.edit_entry_button.setEnabled(kind in (Kind.CONTACT, Kind.REFERRAL, Kind.REMINDER))
        self.delete_entry_button.setEnabled(kind in (Kind.CONTACT, Kind.REFERRAL, Kind.REMINDER))

    def select_row(self, row: int) -> None:
        self.timeline.selectRow(row)

    # -- actions ------------------------------------------------------------------------------

    def _after(self, accepted: bool) -> None:
        if accepted and self.family_id is not None:
            self.show_family(self.family_id)
            self.changed.emit()

    def add_contact(self) -> None:
        if self.family_id is not None:
            self._after(bool(ContactDialog(self.vault, self.family_id, parent=self).exec()))

    def add_referral(self) -> None:
        if self.family_id is not None:
            self._after(bool(ReferralDialog(self.vault, self.family_id, parent=self).exec()))

    def add_reminder(self) -> None:
        if self.family_id is not None:
            self._after(bool(ReminderDialog(self.vault, self.family_id, parent=self).exec()))

    def change_status(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.kind not in (Kind.REFERRAL, Kind.STATUS):
            return
        with self.vault.session() as session:
            referral = session.get(Referral, entry.ref_id)
            current = referral.status if referral else "suggested"
        self._after(bool(StatusDialog(self.vault, entry.ref_id, current, parent=self).exec()))

    def reminder_done(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.kind is not Kind.REMINDER:
            return
        with self.vault.session() as session:
            reminder = session.get(Reminder, entry.ref_id)
            done = reminder.done if reminder else None
        followups.set_reminder_done(self.vault, entry.ref_id, None if done else dt.date.today())
        self._after(True)

    def edit_entry(self) -> None:
        entry = self.selected_entry()
        if entry is None or self.family_id is None:
            return
        if entry.kind is Kind.CONTACT:
            dialog = ContactDialog(self.vault, self.family_id, entry.ref_id, parent=self)
        elif entry.kind is Kind.REMINDER:
            with self.vault.session() as session:
                reminder = session.get(Reminder, entry.ref_id)
                if reminder is None:
                    return
                initial = followups.ReminderInput(reminder.due, reminder.text)
            dialog = ReminderDialog(self.vault, self.family_id, entry.ref_id, initial, self)
        elif entry.kind is Kind.REFERRAL:
            dialog = ReferralDialog(self.vault, self.family_id, entry.ref_id, parent=self)
        elif entry.kind is Kind.STATUS:
            self.change_status()
            return
        else:
            return
        self._after(bool(dialog.exec()))

    def delete_entry(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        questions = {
            Kind.CONTACT: _("Diesen Kontakt vom {date} mit seinen Themen löschen?"),
            Kind.REFERRAL: _(
                "Diese Vermittlung vom {date} mit ihrem ganzen Verlauf (alle Stände) löschen?"
            ),
            Kind.REMINDER: _("Diese Wiedervorlage (fällig am {date}) löschen?"),
        }
        if entry.kind not in questions:
            return
        if not confirm(
            self, _("Löschen"), questions[entry.kind].format(date=german_date(entry.date))
        ):
            return
        delete = {
            Kind.CONTACT: followups.delete_contact,
            Kind.REFERRAL: followups.delete_referral,
            Kind.REMINDER: followups.delete_reminder,
        }[entry.kind]
        try:
            delete(self.vault, entry.ref_id)
        except LotseError as error:
            show_error(self, _("Löschen"), error.message)
        self._after(True)

    def edit_family(self) -> None:
        if self.family_id is not None:
            self.edit_requested.emit(self.family_id)

    def delete_family(self) -> None:
        if self.family_id is None:
            return
        family_id = self.family_id
        question = families.deletion_summary(self.vault, family_id)
        if not confirm(self, _("Familie löschen"), question):
            return
        families.delete_family(self.vault, family_id)
        self.clear()
        self.deleted.emit(family_id)
        self.changed.emit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
