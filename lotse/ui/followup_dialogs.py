"""Small dialogs for follow-ups: a contact, a referral, a referral's new status, a reminder.

Each one stores through :mod:`lotse.casework.followups`; a problem with the input is shown
inside the dialog, which stays open, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lotse.casework import followups
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
from lotse.catalogues import CONTACT_KINDS, REFERRAL_STATUSES, REFERRAL_TARGETS, SETTINGS, TOPICS
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.widgets import CheckGrid, CodeCombo, DateEdit, add_row, chain_tab_order
from lotse.vault import Vault


class _FormDialog(QDialog):
    """A form with a problems line and Save/Cancel; subclasses fill ``form`` and ``store``."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problems = QLabel()
        self.problems.setObjectName("form_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.problems.hide()
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            _("Speichern"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            _("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def store(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        try:
            self.store()
        except LotseError as error:
            self.problems.setText("\n".join([error.message, *error.details]))
            self.problems.show()
            return
        self.accept()

    def finish(self, order: list[QWidget]) -> None:
        chain_tab_order([*order, self.save_button, self.cancel_button])
        order[0].setFocus()


class ContactDialog(_FormDialog):
    def __init__(
        self, vault: Vault, family_id: int, contact_id: int | None = None, parent=None
    ) -> None:
        super().__init__(_("Kontakt bearbeiten") if contact_id else _("Kontakt erfassen"), parent)
        self.vault, self.family_id, self.contact_id = vault, family_id, contact_id
        self.date = add_row(self.form, _("&Datum"), DateEdit())
        self.kind = add_row(self.form, _("&Art"), CodeCombo(CONTACT_KINDS))
        self.kind.set_code("counselling")
        self.minutes = add_row(self.form, _("Dauer"), QSpinBox())
        self.minutes.setRange(0, 600)
        self.minutes.setValue(30)
        self.minutes.setSuffix(_(" Min."))
        self.setting = add_row(self.form, _("&Ort"), CodeCombo(SETTINGS, _("– nicht angegeben –")))
        self.topics = add_row(self.form, _("Themen"), CheckGrid(TOPICS, columns=3))
        self.notes = add_row(self.form, _("Notiz"), QLineEdit())
        if contact_id is not None:
            data = followups.contact_input(vault, contact_id)
            self.date.set_date(data.date)
            self.kind.set_code(data.kind)
            self.minutes.setValue(data.minutes or 0)
            self.setting.set_code(data.setting)
            self.topics.set_codes(data.topics)
            self.notes.setText(data.notes or "")
        self.finish(
            [self.date, self.kind, self.minutes, self.setting, *self.topics.widgets(), self.notes]
        )

    def store(self) -> None:
        data = ContactInput(
            date=self.date.date_value(),
            kind=self.kind.code() or "",
            minutes=self.minutes.value(),
            setting=self.setting.code(),
            topics=self.topics.codes(),
            notes=self.notes.text(),
        )
        if self.contact_id is None:
            followups.add_contact(self.vault, self.family_id, data)
        else:
            followups.update_contact(self.vault, self.contact_id, data)


class ReferralDialog(_FormDialog):
    """A new referral, or correcting one (its status then changes only by StatusDialog)."""

    def __init__(
        self, vault: Vault, family_id: int, referral_id: int | None = None, parent=None
    ) -> None:
        title = _("Vermittlung bearbeiten") if referral_id else _("Vermittlung erfassen")
        super().__init__(title, parent)
        self.vault, self.family_id, self.referral_id = vault, family_id, referral_id
        self.date = add_row(self.form, _("&Datum"), DateEdit())
        self.target = add_row(self.form, _("&Vermittelt an"), CodeCombo(REFERRAL_TARGETS))
        self.status = add_row(self.form, _("&Stand"), CodeCombo(REFERRAL_STATUSES))
        self.notes = add_row(self.form, _("Notiz"), QLineEdit())
        if referral_id is not None:
            data = followups.referral_input(vault, referral_id)
            self.date.set_date(data.date)
            self.target.set_code(data.target)
            self.status.set_code(data.status)
            self.status.setEnabled(False)
            self.status.setToolTip(_("Den Stand ändern Sie mit „Stand ändern“."))
            self.notes.setText(data.notes or "")
        self.finish([self.date, self.target, self.status, self.notes])

    def store(self) -> None:
        data = ReferralInput(
            date=self.date.date_value(),
            target=self.target.code() or "",
            status=self.status.code() or "",
            notes=self.notes.text(),
        )
        if self.referral_id is None:
            followups.add_referral(self.vault, self.family_id, data)
        else:
            followups.update_referral(self.vault, self.referral_id, data)


class StatusDialog(_FormDialog):
    """A referral's new status with the date it changed."""

    def __init__(self, vault: Vault, referral_id: int, current: str, parent=None) -> None:
        super().__init__(_("Stand der Vermittlung ändern"), parent)
        self.vault, self.referral_id = vault, referral_id
        self.status = add_row(self.form, _("&Neuer Stand"), CodeCombo(REFERRAL_STATUSES))
        self.status.set_code(current)
        self.date = add_row(self.form, _("&Datum"), DateEdit())
        self.finish([self.status, self.date])

    def store(self) -> None:
        followups.change_referral_status(
            self.vault, self.referral_id, self.status.code() or "", self.date.date_value()
        )


class ReminderDialog(_FormDialog):
    def __init__(
        self,
        vault: Vault,
        family_id: int,
        reminder_id: int | None = None,
        initial: ReminderInput | None = None,
        parent=None,
    ) -> None:
        super().__init__(_("Wiedervorlage"), parent)
        self.vault, self.family_id, self.reminder_id = vault, family_id, reminder_id
        default = initial or ReminderInput(dt.date.today() + dt.timedelta(days=7))
        self.due = add_row(self.form, _("&Fällig am"), DateEdit(default.due))
        self.text = add_row(self.form, _("&Worum geht es?"), QLineEdit(default.text))
        self.text.setMinimumWidth(320)
        self.finish([self.due, self.text])

    def store(self) -> None:
        data = ReminderInput(self.due.date_value(), self.text.text())
        if self.reminder_id is None:
            followups.add_reminder(self.vault, self.family_id, data)
        else:
            followups.update_reminder(self.vault, self.reminder_id, data)


Opener = Callable[[], QDialog]
