"""One family: household, consents, and one timeline of everything, newest first.

The family is read off the UI thread; every change goes through a dialog or a use case
run by :class:`~lotse.ui.ops.VaultOp`, after which the family is read again.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
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

from lotse.catalogues import ACCESS_ROUTES
from lotse.errors import BadInputError, LotseError
from lotse.i18n import N_, _, ngettext
from lotse.ui.case_summary import case_lines, case_state
from lotse.ui.catalogues import districts
from lotse.ui.close_case_dialog import CloseCaseDialog
from lotse.ui.consent_widget import ConsentPanel
from lotse.ui.followup_dialogs import ContactDialog, ReferralDialog, ReminderDialog, StatusDialog
from lotse.ui.handover_dialogs import HandoverDialog
from lotse.ui.list_model import PAYLOAD_ROLE, ListTableModel, Row
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.widgets import confirm, german_date, show_error
from lotse.usecases import (
    ContactInput,
    Entry,
    FamilyDetails,
    FamilyPage,
    Kind,
    ReferralInput,
    ReminderInput,
    VaultAPI,
)

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
        return ngettext("{n} Monat (geb. {date})", "{n} Monate (geb. {date})", months).format(
            n=months, date=german_date(birth)
        )
    return _("{n} J. (geb. {date})").format(n=years, date=german_date(birth))


class FamilyDetail(QWidget):
    """Shows one family; emits :attr:`changed` after anything was stored or deleted."""

    changed = Signal()
    edit_requested = Signal(int)
    deleted = Signal(int)

    #: emitted after a family has been read and shown
    shown = Signal(int)

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        #: the family shown (the buttons act on it)
        self.family_id: int | None = None
        #: the family asked for last (shown once it has been read)
        self._wanted: int | None = None
        #: how the dialogs name the family shown: code and name
        self.subject = ""
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
        # Closing asks for the date and reason; a closed family can be opened again.
        self.close_case_button = button(_("Abschließen …"), self.close_case, "close_case")
        self._closed = False
        self.handover_button = button(_("Übergeben …"), self.hand_over, "hand_over")
        self.edit_entry_button.setAccessibleName(_("Eintrag bearbeiten"))
        self.delete_entry_button.setAccessibleName(_("Eintrag löschen"))
        self.edit_family_button.setAccessibleName(_("Familie bearbeiten"))
        self.delete_family_button.setAccessibleName(_("Familie löschen"))
        self.add_contact_button.setToolTip(_("Einen weiteren Kontakt erfassen"))

        # The family's own actions sit under its title, not beside it, so a long name does
        # not make the pane (and the window) wider than a 1280 px screen.
        self.title.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.addWidget(self.handover_button)
        title_row.addWidget(self.close_case_button)
        title_row.addWidget(self.edit_family_button)
        title_row.addWidget(self.delete_family_button)
        new_row = QHBoxLayout()
        new_row.addWidget(QLabel(_("Neu:")))
        for b in (self.add_contact_button, self.add_referral_button, self.add_reminder_button):
            new_row.addWidget(b)
        new_row.addStretch(1)
        # The label sits above its buttons so the pane stays narrow enough for the list's
        # columns beside it on a 1280 px screen.
        entry_label = QLabel(_("Ausgewählter Eintrag:"))
        entry_row = QHBoxLayout()
        for b in (
            self.status_button,
            self.done_button,
            self.edit_entry_button,
            self.delete_entry_button,
        ):
            entry_row.addWidget(b)
        entry_row.addStretch(1)

        self.consent_panel = ConsentPanel(api, self)
        self.consent_panel.changed.connect(lambda: self._after(True))
        title_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(title_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.consent_panel)
        layout.addLayout(new_row)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(entry_label)
        layout.addLayout(entry_row)
        self.clear()

    # -- showing ------------------------------------------------------------------------------

    def clear(self) -> None:
        self.family_id = None
        self._wanted = None
        self.subject = ""
        self.title.setText(_("Keine Familie ausgewählt"))
        self.summary.setText(
            _("Wählen Sie links eine Familie aus oder erfassen Sie einen Erstkontakt (Strg+N).")
        )
        self.model.clear()
        self.consent_panel.clear()
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
            self.close_case_button,
            self.handover_button,
        ]

    def wanted_id(self) -> int | None:
        """The family shown, or the one being read to be shown."""
        return self._wanted if self._wanted is not None else self.family_id

    def show_family(self, family_id: int) -> None:
        """Read the family and its timeline (off the UI thread), then show them."""
        self._wanted = family_id
        VaultOp(self, lambda api: api.families.page(family_id)).success(self._show_page).failure(
            lambda error: self._not_shown(family_id, error)
        ).run()

    def _not_shown(self, family_id: int, error: BaseException) -> None:
        if self._wanted == family_id:  # e.g. a family deleted meanwhile: nothing to show
            self.clear()
        if not isinstance(error, BadInputError):  # more than "gone": say so
            show_failure(self, error)

    def _show_page(self, page: FamilyPage) -> None:
        family_id = page.family.id
        if self._wanted != family_id:
            return  # another family was asked for meanwhile, or the view was cleared
        self._wanted = None
        self._render_summary(page.family, dt.date.today())
        self.family_id = family_id
        self._closed = page.family.data.closed is not None
        self.close_case_button.setText(_("Wieder öffnen …") if self._closed else _("Abschließen …"))
        self.close_case_button.setAccessibleName(
            _("Begleitung wieder öffnen") if self._closed else _("Begleitung abschließen")
        )
        name = page.family.data.person_name
        self.subject = page.family.code + (f" · {name}" if name else "")
        self.model.set_rows([self._row(e) for e in page.timeline])
        self.timeline.resizeRowsToContents()
        for b in (
            self.add_contact_button,
            self.add_referral_button,
            self.add_reminder_button,
            self.edit_family_button,
            self.delete_family_button,
            self.close_case_button,
            self.handover_button,
        ):
            b.setEnabled(True)
        self._update_buttons()
        self.shown.emit(family_id)

    def _render_summary(self, details: FamilyDetails, today: dt.date) -> None:
        family = details.data
        children = family.children
        name = family.person_name or _("ohne Namen")
        state = case_state(family)
        self.title.setText(f"<h2>{details.code} · {_escape(name)}</h2>")
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
        lines += case_lines(family)
        lines.append(_("Begleitung: {state}").format(state=state))
        # The consents, with withdrawal and access report, are the consent panel's.
        self.consent_panel.show_family(details.id, details.code, family.consents)
        if family.notes:
            lines.append(family.notes)
        self.summary.setText("\n".join(lines))

    def _row(self, entry: Entry) -> Row:
        kind = _(_KIND_LABELS[entry.kind])
        tooltip = entry.details
        if entry.sender:
            # The sender's history of a handed-over family: shown, greyed, not changed here.
            kind = _("{kind} (übernommen)").format(kind=kind)
            note = _("Von {service} übernommen; bleibt, wie es übergeben wurde.").format(
                service=entry.sender
            )
            tooltip = f"{note}\n{tooltip}" if tooltip else note
        return Row(
            (german_date(entry.date), kind, entry.title, entry.details),
            payload=entry,
            tooltip=tooltip,
            muted=bool(entry.sender),
        )

    def selected_entry(self) -> Entry | None:
        rows = self.timeline.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.data(rows[0], PAYLOAD_ROLE)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        kind = entry.kind if entry else None
        own = entry is not None and entry.editable
        self.status_button.setEnabled(own and kind in (Kind.REFERRAL, Kind.STATUS))
        self.done_button.setEnabled(kind is Kind.REMINDER)
        changeable = own and kind in (Kind.CONTACT, Kind.REFERRAL, Kind.REMINDER)
        self.edit_entry_button.setEnabled(changeable)
        self.delete_entry_button.setEnabled(changeable)

    def select_row(self, row: int) -> None:
        self.timeline.selectRow(row)

    # -- actions ------------------------------------------------------------------------------

    def _after(self, accepted: bool) -> None:
        if accepted and self.family_id is not None:
            self.show_family(self.family_id)
            self.changed.emit()

    def add_contact(self) -> None:
        if self.family_id is not None:
            dialog = ContactDialog(self.api, self.family_id, parent=self, subject=self.subject)
            self._after(bool(dialog.exec()))

    def add_referral(self) -> None:
        if self.family_id is not None:
            dialog = ReferralDialog(self.api, self.family_id, parent=self, subject=self.subject)
            self._after(bool(dialog.exec()))

    def add_reminder(self) -> None:
        if self.family_id is not None:
            dialog = ReminderDialog(self.api, self.family_id, parent=self, subject=self.subject)
            self._after(bool(dialog.exec()))

    def _entry_subject(self, entry: Entry) -> str:
        """The family and the entry a dialog acts on: "F-2026-0001 · Anna – Hebamme, 02.03.2026"."""
        return f"{self.subject} – {entry.title} ({german_date(entry.date)})"

    def change_status(self) -> None:
        """Read the referral's status, then ask for the new one."""
        entry = self.selected_entry()
        if entry is None or not entry.editable or entry.kind not in (Kind.REFERRAL, Kind.STATUS):
            return
        referral_id, subject, family_id = entry.ref_id, self._entry_subject(entry), self.family_id

        def ask(referral: ReferralInput) -> None:
            dialog = StatusDialog(
                self.api,
                referral_id,
                referral.status,
                parent=self,
                subject=subject,
                family_id=family_id,
            )
            self._after(bool(dialog.exec()))

        VaultOp(self, lambda api: api.followups.referral(referral_id)).success(ask).run()

    def reminder_done(self) -> None:
        """Mark the reminder done today (or open again if it was done)."""
        entry = self.selected_entry()
        if entry is None or entry.kind is not Kind.REMINDER:
            return
        reminder_id, today = entry.ref_id, dt.date.today()
        VaultOp(self, lambda api: api.followups.toggle_reminder_done(reminder_id, today)).success(
            lambda _done: self._after(True)
        ).run()

    def edit_entry(self) -> None:
        """Read the selected entry, then open its dialog."""
        entry = self.selected_entry()
        if entry is None or not entry.editable or self.family_id is None:
            return  # the sender's history stays as handed over (its tooltip says so)
        family_id, ref_id, subject = self.family_id, entry.ref_id, self._entry_subject(entry)
        if entry.kind is Kind.CONTACT:

            def edit_contact(data: ContactInput) -> None:
                dialog = ContactDialog(
                    self.api, family_id, ref_id, data, parent=self, subject=subject
                )
                self._after(bool(dialog.exec()))

            VaultOp(self, lambda api: api.followups.contact(ref_id)).success(edit_contact).run()
        elif entry.kind is Kind.REMINDER:

            def edit_reminder(data: ReminderInput) -> None:
                dialog = ReminderDialog(
                    self.api, family_id, ref_id, data, parent=self, subject=subject
                )
                self._after(bool(dialog.exec()))

            VaultOp(self, lambda api: api.followups.reminder(ref_id)).success(edit_reminder).run()
        elif entry.kind is Kind.REFERRAL:

            def edit_referral(data: ReferralInput) -> None:
                dialog = ReferralDialog(
                    self.api, family_id, ref_id, data, parent=self, subject=subject
                )
                self._after(bool(dialog.exec()))

            VaultOp(self, lambda api: api.followups.referral(ref_id)).success(edit_referral).run()
        elif entry.kind is Kind.STATUS:
            self.change_status()

    def delete_entry(self) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.editable:
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
        question = questions[entry.kind].format(date=german_date(entry.date))
        # The question names the family and the entry, so it is clear what goes.
        if not confirm(self, _("Löschen") + " – " + self.subject, f"{self.subject}\n{question}"):
            return
        ref_id, kind = entry.ref_id, entry.kind

        def delete(api: VaultAPI) -> None:
            {
                Kind.CONTACT: api.followups.delete_contact,
                Kind.REFERRAL: api.followups.delete_referral,
                Kind.REMINDER: api.followups.delete_reminder,
            }[kind](ref_id)

        def failed(error: BaseException) -> None:
            message = error.message if isinstance(error, LotseError) else str(error)
            show_error(self, _("Löschen"), message)
            self._after(True)

        VaultOp(self, delete).success(lambda _none: self._after(True)).failure(failed).run()

    def close_case(self) -> None:
        """Close the accompaniment (asking date and reason), or open a closed one again."""
        if self.family_id is None:
            return
        family_id = self.family_id
        if not self._closed:
            dialog = CloseCaseDialog(self.api, family_id, self.subject, parent=self)
            self._after(bool(dialog.exec()))
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Begleitung wieder öffnen"),
            _(
                "Die Begleitung von {family} wieder öffnen? Datum und Grund des Abschlusses "
                "werden dabei gelöscht."
            ).format(family=self.subject),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        yes = box.addButton(_("Wieder öffnen"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        if box.clickedButton() is yes:
            VaultOp(self, lambda api: api.families.reopen(family_id)).success(
                lambda _none: self._after(True)
            ).run()

    def hand_over(self) -> None:
        """Hand the family over to another service (issue 14)."""
        if self.family_id is not None:
            family_id = self.family_id
            VaultOp(self, lambda api: api.families.get(family_id)).success(self._hand_over).run()

    def _hand_over(self, details: FamilyDetails) -> None:
        dialog = HandoverDialog(self.api, details.code, details.code, parent=self)
        self._after(bool(dialog.exec()))

    def edit_family(self) -> None:
        if self.family_id is not None:
            self.edit_requested.emit(self.family_id)

    def delete_family(self) -> None:
        """Say what goes with the family, ask, then delete it."""
        if self.family_id is None:
            return
        family_id = self.family_id

        def ask(question: str) -> None:
            if not confirm(self, _("Familie löschen"), question):
                return
            VaultOp(self, lambda api: api.families.delete(family_id)).success(
                lambda _none: self._deleted(family_id)
            ).run()

        VaultOp(self, lambda api: api.families.deletion_summary(family_id)).success(ask).run()

    def _deleted(self, family_id: int) -> None:
        self.clear()
        self.deleted.emit(family_id)
        self.changed.emit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
