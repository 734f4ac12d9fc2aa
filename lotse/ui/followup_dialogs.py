"""Small dialogs for follow-ups: a contact, a referral, a referral's new status, a reminder.

Each one stores through the use-case API, off the UI thread (:class:`~lotse.ui.ops.VaultOp`);
the dialog closes when the vault has stored it. A problem with the input is shown inside
the dialog, which stays open, and nothing is stored. A dialog that edits an entry is given
the entry's values, read before it opens.

Each dialog names the family (and the entry) it acts on, in its title and in a line at
the top. What is typed is kept as a draft in the vault (:mod:`lotse.ui.drafts`): the lock
closes the dialog without losing it, Esc on a changed dialog asks first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
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

from lotse.catalogues import (
    CONTACT_KINDS,
    REFERRAL_MODES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
)
from lotse.domain.fields import MINUTES
from lotse.i18n import _
from lotse.ui.drafts import DraftKeeper, KeepsDraft
from lotse.ui.ops import VaultOp
from lotse.ui.saving import SavesInPlace
from lotse.ui.widgets import CheckGrid, CodeCombo, DateEdit, add_row, chain_tab_order
from lotse.usecases import ContactInput, ReferralInput, ReminderInput, VaultAPI

#: What a dialog stores: one use case, given the API on the vault thread.
Store = Callable[[VaultAPI], Any]


class _FormDialog(SavesInPlace, KeepsDraft, QDialog):
    """A form with a problems line and Save/Cancel; subclasses fill ``form`` and ``store``.

    ``subject`` names what the dialog acts on (the family's code and name, the entry);
    ``kind``, ``family_id`` and ``ref_id`` file its draft, ``draft_id`` and ``state``
    open it again on a draft kept at a lock.
    """

    def __init__(
        self,
        api: VaultAPI,
        title: str,
        parent: QWidget | None,
        subject: str = "",
        kind: str = "",
        family_id: int | None = None,
        ref_id: int | None = None,
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self._draft = (kind, family_id, ref_id, draft_id, state)
        self.setWindowTitle(f"{title} – {subject}" if subject else title)
        self.subject = QLabel(f"<b>{_escape(subject)}</b>")
        self.subject.setObjectName("dialog_subject")
        self.subject.setTextFormat(Qt.TextFormat.RichText)
        self.subject.setVisible(bool(subject))
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
        layout.addWidget(self.subject)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def store(self) -> Store:
        """The use case that stores the values the form holds now."""
        raise NotImplementedError

    def save(self) -> None:
        """Store off the UI thread; close when stored, or show why not and stay open."""
        if self.is_saving():
            return  # one save at a time: a second Enter must not store twice
        self._start_saving()
        VaultOp(self, self.store()).success(self._stored).failure(self._refused).run()

    def _stored(self, _result: object) -> None:
        self._saved()
        self.stored()
        self.accept()

    def draft_state(self) -> dict[str, Any]:
        """The dialog's fields as plain values (what a draft keeps)."""
        raise NotImplementedError

    def apply_state(self, state: dict[str, Any]) -> None:
        """Fill the dialog from a draft."""
        raise NotImplementedError

    def finish(self, order: list[QWidget]) -> None:
        """Tab order, first focus, and keeping the draft from now on."""
        chain_tab_order([*order, self.save_button, self.cancel_button])
        kind, family_id, ref_id, draft_id, state = self._draft
        self.keeper = DraftKeeper(
            self, self.api, kind, self.draft_state, family_id, ref_id, draft_id
        )
        if state:
            self.apply_state(state)
        self.keeper.start(restored=bool(state))
        order[0].setFocus()


class ContactDialog(_FormDialog):
    """A new contact, or the contact ``contact_id`` with its stored values ``initial``."""

    def __init__(
        self,
        api: VaultAPI,
        family_id: int,
        contact_id: int | None = None,
        initial: ContactInput | None = None,
        parent: QWidget | None = None,
        *,
        subject: str = "",
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        title = _("Kontakt bearbeiten") if contact_id else _("Kontakt erfassen")
        super().__init__(
            api, title, parent, subject, "contact", family_id, contact_id, draft_id, state
        )
        self.family_id, self.contact_id = family_id, contact_id
        self.date = add_row(self.form, _("&Datum"), DateEdit())
        self.kind = add_row(self.form, _("&Art"), CodeCombo(CONTACT_KINDS))
        self.kind.set_code("counselling")
        self.minutes = add_row(self.form, _("Dauer"), QSpinBox())
        self.minutes.setRange(MINUTES.low, MINUTES.high)
        self.minutes.setValue(30)
        self.minutes.setSuffix(_(" Min."))
        self.setting = add_row(self.form, _("&Ort"), CodeCombo(SETTINGS, _("– nicht angegeben –")))
        self.topics = add_row(self.form, _("The&men"), CheckGrid(TOPICS, columns=3))
        self.notes = add_row(self.form, _("Notiz"), QLineEdit())
        if initial is not None:
            data = initial
            self.date.set_date(data.date)
            self.kind.set_code(data.kind)
            self.minutes.setValue(data.minutes or 0)
            self.setting.set_code(data.setting)
            self.topics.set_codes(data.topics)
            self.notes.setText(data.notes or "")
        self.finish(
            [self.date, self.kind, self.minutes, self.setting, *self.topics.widgets(), self.notes]
        )

    def draft_state(self) -> dict[str, Any]:
        return {
            "date": self.date.date_value().isoformat(),
            "kind": self.kind.code(),
            "minutes": self.minutes.value(),
            "setting": self.setting.code(),
            "topics": self.topics.codes(),
            "notes": self.notes.text(),
        }

    def apply_state(self, state: dict[str, Any]) -> None:
        _set_date(self.date, state.get("date"))
        self.kind.set_code(state.get("kind") or "counselling")
        if isinstance(state.get("minutes"), int):
            self.minutes.setValue(state["minutes"])
        self.setting.set_code(state.get("setting"))
        self.topics.set_codes(_codes(state.get("topics")))
        self.notes.setText(_text(state.get("notes")))

    def store(self) -> Store:
        data = ContactInput(
            date=self.date.date_value(),
            kind=self.kind.code() or "",
            minutes=self.minutes.value(),
            setting=self.setting.code(),
            topics=self.topics.codes(),
            notes=self.notes.text(),
        )
        family_id, contact_id = self.family_id, self.contact_id
        if contact_id is None:
            return lambda api: api.followups.add_contact(family_id, data)
        return lambda api: api.followups.update_contact(contact_id, data)


class ReferralDialog(_FormDialog):
    """A new referral, or correcting one (its status then changes only by StatusDialog)."""

    def __init__(
        self,
        api: VaultAPI,
        family_id: int,
        referral_id: int | None = None,
        initial: ReferralInput | None = None,
        parent: QWidget | None = None,
        *,
        subject: str = "",
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        title = _("Vermittlung bearbeiten") if referral_id else _("Vermittlung erfassen")
        super().__init__(
            api, title, parent, subject, "referral", family_id, referral_id, draft_id, state
        )
        self.family_id, self.referral_id = family_id, referral_id
        self.date = add_row(self.form, _("&Datum"), DateEdit())
        self.target = add_row(self.form, _("&Vermittelt an"), CodeCombo(REFERRAL_TARGETS))
        # How the family was put in touch (information, contact made, accompanied …).
        self.mode = add_row(
            self.form,
            _("&Art der Vermittlung"),
            CodeCombo(REFERRAL_MODES, _("– nicht angegeben –")),
        )
        self.status = add_row(self.form, _("&Stand"), CodeCombo(REFERRAL_STATUSES))
        self.notes = add_row(self.form, _("Notiz"), QLineEdit())
        if initial is not None:
            self.date.set_date(initial.date)
            self.target.set_code(initial.target)
            self.mode.set_code(initial.mode)
            self.status.set_code(initial.status)
            self.notes.setText(initial.notes or "")
        if referral_id is not None:
            self.status.setEnabled(False)
            self.status.setToolTip(_("Den Stand ändern Sie mit „Stand ändern“."))
        self.finish([self.date, self.target, self.mode, self.status, self.notes])

    def draft_state(self) -> dict[str, Any]:
        return {
            "date": self.date.date_value().isoformat(),
            "target": self.target.code(),
            "mode": self.mode.code(),
            "status": self.status.code(),
            "notes": self.notes.text(),
        }

    def apply_state(self, state: dict[str, Any]) -> None:
        _set_date(self.date, state.get("date"))
        self.target.set_code(state.get("target"))
        self.mode.set_code(state.get("mode"))
        self.status.set_code(state.get("status"))
        self.notes.setText(_text(state.get("notes")))

    def store(self) -> Store:
        data = ReferralInput(
            date=self.date.date_value(),
            target=self.target.code() or "",
            status=self.status.code() or "",
            mode=self.mode.code(),
            notes=self.notes.text(),
        )
        family_id, referral_id = self.family_id, self.referral_id
        if referral_id is None:
            return lambda api: api.followups.add_referral(family_id, data)
        return lambda api: api.followups.update_referral(referral_id, data)


class StatusDialog(_FormDialog):
    """A referral's new status with the date it changed."""

    def __init__(
        self,
        api: VaultAPI,
        referral_id: int,
        current: str,
        parent: QWidget | None = None,
        *,
        subject: str = "",
        family_id: int | None = None,
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            api,
            _("Stand der Vermittlung ändern"),
            parent,
            subject,
            "status",
            family_id,
            referral_id,
            draft_id,
            state,
        )
        self.referral_id = referral_id
        self.status = add_row(self.form, _("&Neuer Stand"), CodeCombo(REFERRAL_STATUSES))
        self.status.set_code(current)
        self.date = add_row(self.form, _("&Datum"), DateEdit())
        self.finish([self.status, self.date])

    def draft_state(self) -> dict[str, Any]:
        return {"status": self.status.code(), "date": self.date.date_value().isoformat()}

    def apply_state(self, state: dict[str, Any]) -> None:
        self.status.set_code(state.get("status"))
        _set_date(self.date, state.get("date"))

    def store(self) -> Store:
        referral_id, status, date = (
            self.referral_id,
            self.status.code() or "",
            self.date.date_value(),
        )
        return lambda api: api.followups.change_referral_status(referral_id, status, date)


class ReminderDialog(_FormDialog):
    def __init__(
        self,
        api: VaultAPI,
        family_id: int,
        reminder_id: int | None = None,
        initial: ReminderInput | None = None,
        parent: QWidget | None = None,
        *,
        subject: str = "",
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            api,
            _("Wiedervorlage"),
            parent,
            subject,
            "reminder",
            family_id,
            reminder_id,
            draft_id,
            state,
        )
        self.family_id, self.reminder_id = family_id, reminder_id
        default = initial or ReminderInput(dt.date.today() + dt.timedelta(days=7))
        # Editing a done reminder keeps it done (marking it is the detail's "Erledigt").
        self._done = default.done
        self.due = add_row(self.form, _("&Fällig am"), DateEdit(default.due))
        self.text = add_row(self.form, _("&Worum geht es?"), QLineEdit(default.text))
        self.text.setMinimumWidth(320)
        self.finish([self.due, self.text])

    def draft_state(self) -> dict[str, Any]:
        return {"due": self.due.date_value().isoformat(), "text": self.text.text()}

    def apply_state(self, state: dict[str, Any]) -> None:
        _set_date(self.due, state.get("due"))
        self.text.setText(_text(state.get("text")))

    def store(self) -> Store:
        data = ReminderInput(self.due.date_value(), self.text.text(), self._done)
        family_id, reminder_id = self.family_id, self.reminder_id
        if reminder_id is None:
            return lambda api: api.followups.add_reminder(family_id, data)
        return lambda api: api.followups.update_reminder(reminder_id, data)


def _set_date(edit: DateEdit, value: object) -> None:
    with contextlib.suppress(ValueError):
        edit.set_date(dt.date.fromisoformat(str(value)))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _codes(value: object) -> list[str]:
    return [c for c in value if isinstance(c, str)] if isinstance(value, list) else []


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
