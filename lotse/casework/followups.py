"""Follow-ups of a family: contacts, referrals with their status history, reminders.

Every function works in the caller's session and never commits: the use case
(:mod:`lotse.usecases`) opens one transaction around it, so a refused input or a failure
leaves the vault as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.casework import consent
from lotse.casework.validation import Problems, check
from lotse.db.models import Contact, ContactTopic, Family, Referral, ReferralStatusChange, Reminder
from lotse.domain.entities import ContactData, ReferralData, ReminderData, StatusStep
from lotse.domain.fields import field_of
from lotse.domain.mapping import apply, columns, from_row, normalised
from lotse.domain.origin import is_senders
from lotse.errors import BadInputError
from lotse.i18n import _


class ContactInput(ContactData):
    """A contact as the form holds it (fields: :class:`ContactData`)."""


class ReferralInput(ReferralData):
    """A referral as the form holds it (fields: :class:`ReferralData`)."""


class ReminderInput(ReminderData):
    """A reminder as the form holds it (fields: :class:`ReminderData`)."""


def check_contact(data: ContactInput, problems: Problems) -> None:
    check(data, problems)


def check_referral(data: ReferralInput, problems: Problems) -> None:
    check(data, problems)


def _require(session: Session, model: type, pk: int) -> object:
    row = session.get(model, pk)
    if row is None:
        raise BadInputError(_("Dieser Eintrag ist nicht mehr vorhanden."))
    return row


def _refuse_senders(session: Session, family_id: int, *dates: dt.date) -> None:
    """Refuse to write into a handed-over family's history (issue 14): what is dated on
    or before the handover is the sender's and stays as the sender wrote it."""
    family = session.get(Family, family_id)
    if family is None or not any(is_senders(family.origin_date, d) for d in dates):
        return
    assert family.origin_date is not None
    raise BadInputError(
        _(
            "Bis zur Übergabe am {date} hat {service} die Familie begleitet: Einträge bis "
            "zu diesem Tag sind dessen Verlauf und bleiben, wie sie sind. Eigene Einträge "
            "sind ab dem {next} möglich."
        ).format(
            date=family.origin_date.strftime("%d.%m.%Y"),
            service=family.origin_service or _("der abgebende Dienst"),
            next=(family.origin_date + dt.timedelta(days=1)).strftime("%d.%m.%Y"),
        )
    )


def new_contact(family_id: int, data: ContactInput) -> Contact:
    data = normalised(data)
    contact = Contact(family_id=family_id, **columns(data))
    contact.topics = [ContactTopic(position=i, topic=t) for i, t in enumerate(data.topics)]
    return contact


def new_referral(session: Session, family_id: int, data: ReferralInput) -> Referral:
    """A new referral with its history: the one given (checked to end in its status), or
    its status from the day it was made (unless the input says since when)."""
    data = normalised(data)
    since = data.status_date or data.date
    referral = Referral(family_id=family_id, **(columns(data) | {"status_date": since}))
    session.add(referral)
    session.flush()
    steps = data.history or [StatusStep(data.status, since)]
    session.add_all(
        ReferralStatusChange(referral_id=referral.id, status=step.status, date=step.date)
        for step in steps
    )
    return referral


# -- contacts ---------------------------------------------------------------------------------


def add_contact(session: Session, family_id: int, data: ContactInput) -> int:
    problems = Problems()
    check_contact(data, problems)
    _require(session, Family, family_id)
    consent.check_record(problems, session, family_id, data)
    problems.raise_if_any()
    _refuse_senders(session, family_id, data.date)
    contact = new_contact(family_id, data)
    session.add(contact)
    session.flush()
    return contact.id


def contact_input(session: Session, contact_id: int) -> ContactInput:
    row = _require(session, Contact, contact_id)
    assert isinstance(row, Contact)
    return from_row(ContactInput, row)


def update_contact(session: Session, contact_id: int, data: ContactInput) -> None:
    problems = Problems()
    check_contact(data, problems)
    row = _require(session, Contact, contact_id)
    assert isinstance(row, Contact)
    _refuse_senders(session, row.family_id, row.date, data.date)
    consent.check_record(problems, session, row.family_id, data, from_row(ContactInput, row))
    problems.raise_if_any()
    data = normalised(data)
    apply(row, data)
    row.topics.clear()
    session.flush()  # the old topics go before the new ones (unique per contact)
    row.topics.extend(ContactTopic(position=i, topic=t) for i, t in enumerate(data.topics))


def delete_contact(session: Session, contact_id: int) -> None:
    row = _require(session, Contact, contact_id)
    assert isinstance(row, Contact)
    _refuse_senders(session, row.family_id, row.date)
    session.delete(row)


# -- referrals --------------------------------------------------------------------------------


def add_referral(session: Session, family_id: int, data: ReferralInput) -> int:
    problems = Problems()
    check_referral(data, problems)
    _require(session, Family, family_id)
    consent.check_record(problems, session, family_id, data)
    problems.raise_if_any()
    _refuse_senders(session, family_id, data.date)
    return new_referral(session, family_id, data).id


def referral_input(session: Session, referral_id: int) -> ReferralInput:
    row = _require(session, Referral, referral_id)
    assert isinstance(row, Referral)
    history = [StatusStep(c.status, c.date) for c in status_history(session, referral_id)]
    return from_row(ReferralInput, row, history=history)


def update_referral(session: Session, referral_id: int, data: ReferralInput) -> None:
    """Correct a referral's date, target, mode or notes (its status moves only by a
    change; a history in ``data`` is not used)."""
    problems = Problems()
    check_referral(data, problems)
    row = _require(session, Referral, referral_id)
    assert isinstance(row, Referral)
    _refuse_senders(session, row.family_id, row.date, data.date)
    stored = from_row(ReferralInput, row, history=[])
    consent.check_record(problems, session, row.family_id, data, stored)
    problems.raise_if_any()
    changes = list(
        session.scalars(
            select(ReferralStatusChange)
            .where(ReferralStatusChange.referral_id == referral_id)
            .order_by(ReferralStatusChange.date, ReferralStatusChange.id)
        )
    )
    # The first change made with the referral moves with its date; later ones stay.
    initial = changes[0] if changes and changes[0].date == row.date else None
    later = [c for c in changes if c is not initial]
    if later and later[0].date < data.date:
        raise BadInputError(
            _("Die Vermittlung kann nicht nach ihrem ersten Stand ({date}) liegen.").format(
                date=later[0].date.strftime("%d.%m.%Y")
            )
        )
    if initial is not None:
        initial.date = data.date
    tidy = normalised(data)
    row.date, row.target, row.mode, row.notes = data.date, data.target, tidy.mode, tidy.notes
    # The current status holds since the latest change (which may have moved with the date).
    latest = max((c.date for c in changes), default=None)
    if latest is not None:
        row.status_date = latest
    elif row.status_date is not None and row.status_date < data.date:
        row.status_date = data.date


def change_referral_status(session: Session, referral_id: int, status: str, date: dt.date) -> None:
    """Move a referral on; the change is kept in its history."""
    problems = Problems()
    problems.value(field_of(ReferralData, "status"), status)
    problems.date(_("Datum"), date)
    problems.raise_if_any()
    row = _require(session, Referral, referral_id)
    assert isinstance(row, Referral)
    _refuse_senders(session, row.family_id, row.date)
    if date < row.date:
        raise BadInputError(
            _("Der neue Stand kann nicht vor der Vermittlung ({date}) liegen.").format(
                date=row.date.strftime("%d.%m.%Y")
            )
        )
    # The history stays in order, its last step the current status (records.md).
    latest = max((c.date for c in status_history(session, referral_id)), default=None)
    if latest is not None and date < latest:
        raise BadInputError(
            _("Der neue Stand kann nicht vor dem letzten Stand ({date}) liegen.").format(
                date=latest.strftime("%d.%m.%Y")
            )
        )
    row.status = status
    row.status_date = date
    session.add(ReferralStatusChange(referral_id=row.id, status=status, date=date))


@dataclass(frozen=True)
class StatusChange:
    """One step in a referral's history."""

    id: int
    status: str
    date: dt.date


def status_history(session: Session, referral_id: int) -> list[StatusChange]:
    """A referral's status changes, oldest first."""
    rows = session.scalars(
        select(ReferralStatusChange)
        .where(ReferralStatusChange.referral_id == referral_id)
        .order_by(ReferralStatusChange.date, ReferralStatusChange.id)
    )
    return [StatusChange(row.id, row.status, row.date) for row in rows]


def delete_referral(session: Session, referral_id: int) -> None:
    row = _require(session, Referral, referral_id)
    assert isinstance(row, Referral)
    _refuse_senders(session, row.family_id, row.date)
    session.delete(row)


# -- reminders --------------------------------------------------------------------------------


def _check_reminder(
    session: Session, family_id: int, data: ReminderInput, stored: ReminderInput | None = None
) -> None:
    problems = Problems()
    check(data, problems)
    # A family without documentation consent has reminders without text (see consent.py).
    documented = consent.check_record(problems, session, family_id, data, stored)
    if documented and not data.text.strip():
        problems.add(_("Wiedervorlage: bitte kurz angeben, worum es geht."))
    problems.raise_if_any()


def add_reminder(session: Session, family_id: int, data: ReminderInput) -> int:
    _require(session, Family, family_id)
    _check_reminder(session, family_id, data)
    row = Reminder(family_id=family_id, **columns(normalised(data)))
    session.add(row)
    session.flush()
    return row.id


def reminder_input(session: Session, reminder_id: int) -> ReminderInput:
    row = _require(session, Reminder, reminder_id)
    assert isinstance(row, Reminder)
    return from_row(ReminderInput, row)


def update_reminder(session: Session, reminder_id: int, data: ReminderInput) -> None:
    row = _require(session, Reminder, reminder_id)
    assert isinstance(row, Reminder)
    _check_reminder(session, row.family_id, data, from_row(ReminderInput, row))
    apply(row, normalised(data))


def set_reminder_done(session: Session, reminder_id: int, done: dt.date | None) -> None:
    row = _require(session, Reminder, reminder_id)
    assert isinstance(row, Reminder)
    row.done = done


def toggle_reminder_done(session: Session, reminder_id: int, today: dt.date) -> dt.date | None:
    """Mark an open reminder done today, or a done one open again; returns the new state."""
    row = _require(session, Reminder, reminder_id)
    assert isinstance(row, Reminder)
    row.done = None if row.done else today
    return row.done


def delete_reminder(session: Session, reminder_id: int) -> None:
    session.delete(_require(session, Reminder, reminder_id))
