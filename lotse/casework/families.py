"""Families: recording a first contact, editing the household, deleting a family.

A new family gets the next pseudonym code ``F-<year>-<nnnn>`` from the same allocator
the importer uses, so codes never collide with imported ones, and never the code of a
deleted family (the allocator's numbers only grow).

Every function works in the caller's session and never commits: the use case
(:mod:`lotse.usecases`) opens one transaction around it, so a refused input or a failure
leaves the vault as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lotse.casework import consent
from lotse.casework.followups import ContactInput, ReferralInput, check_contact, check_referral
from lotse.casework.followups import new_contact as _new_contact
from lotse.casework.followups import new_referral as _new_referral
from lotse.casework.validation import Problems, check
from lotse.db.models import Child, Consent, Contact, Family, Referral, Reminder, ScreeningFactor
from lotse.domain.entities import FamilyData
from lotse.domain.mapping import apply, columns, from_row, normalised
from lotse.errors import BadInputError
from lotse.i18n import _, ngettext
from lotse.records.importer import CodeAllocator


class FamilyInput(FamilyData):
    """What the household part of the form holds (fields: :class:`FamilyData`)."""


def check_family(data: FamilyInput, problems: Problems) -> None:
    check(data, problems)


def _apply(session: Session, family: Family, data: FamilyInput) -> None:
    data = normalised(data)
    apply(family, data)
    family.children = [Child(position=i, birth_date=d) for i, d in enumerate(data.children)]
    factors = data.screening_factors
    if [f.factor for f in family.screening_factors] != factors:
        if family.screening_factors:
            family.screening_factors.clear()
            session.flush()  # the old factors go before the new ones (unique per family)
        family.screening_factors.extend(
            ScreeningFactor(position=i, factor=code) for i, code in enumerate(factors)
        )
    family.consents = [
        Consent(position=i, **columns(consent)) for i, consent in enumerate(data.consents)
    ]


@dataclass(frozen=True)
class Created:
    family_id: int
    code: str


def record_first_contact(
    session: Session,
    family: FamilyInput,
    contact: ContactInput,
    referrals: list[ReferralInput] | None = None,
) -> Created:
    """Store a new family with its first contact (and referrals).

    Personal data only with a valid documentation consent; a referral that passes data
    on only with a referral consent (:mod:`lotse.casework.consent`).
    """
    referrals = referrals or []
    problems = Problems(session)
    check_family(family, problems)
    check_contact(contact, problems)
    for referral in referrals:
        check_referral(referral, problems)
    documented = consent.may_document(family.consents, dt.date.today())
    for data in (family, contact, *referrals):
        consent.check_personal(problems, data, documented)
    for referral in referrals:
        consent.check_referral(problems, family.consents, referral.date, referral.mode)
    problems.raise_if_any()
    codes = CodeAllocator(session)
    row = Family(code=codes.new(contact.date.year))
    codes.save()
    _apply(session, row, family)
    session.add(row)
    session.flush()
    session.add(_new_contact(row.id, contact))
    for referral in referrals:
        _new_referral(session, row.id, referral)
    session.flush()
    return Created(row.id, row.code)


def get_family(session: Session, family_id: int) -> Family:
    row = session.get(Family, family_id)
    if row is None:
        raise BadInputError(_("Diese Familie gibt es nicht mehr."))
    return row


def family_input(row: Family) -> FamilyInput:
    """The form values of a stored family (to edit it)."""
    return from_row(FamilyInput, row)


def update_family(session: Session, family_id: int, data: FamilyInput) -> None:
    """Store the edited household; a withdrawal recorded in ``data`` is logged.

    Without a valid documentation consent only personal data already stored may stay
    (unchanged); a recorded withdrawal cannot be taken back.
    """
    row = get_family(session, family_id)
    stored = family_input(row)
    problems = Problems(session)
    check_family(data, problems)
    consent.check_register(problems, stored.consents, data.consents)
    documented = consent.may_document(data.consents, dt.date.today())
    consent.check_personal(problems, data, documented, stored)
    problems.raise_if_any()
    _apply(session, row, data)
    consent.log_withdrawals(session, row.code, stored.consents, normalised(data).consents)
    session.flush()


def deletion_summary(session: Session, family_id: int) -> str:
    """What deleting the family takes with it, for the confirmation question."""
    row = get_family(session, family_id)
    contacts = session.scalar(
        select(func.count()).select_from(Contact).where(Contact.family_id == family_id)
    )
    referrals = session.scalar(
        select(func.count()).select_from(Referral).where(Referral.family_id == family_id)
    )
    reminders = session.scalar(
        select(func.count()).select_from(Reminder).where(Reminder.family_id == family_id)
    )
    parts = [
        ngettext("{n} Kontakt", "{n} Kontakte", contacts or 0).format(n=contacts),
        ngettext("{n} Vermittlung", "{n} Vermittlungen", referrals or 0).format(n=referrals),
        ngettext("{n} Wiedervorlage", "{n} Wiedervorlagen", reminders or 0).format(n=reminders),
    ]
    return _(
        "Familie {code} löschen? Mit ihr werden gelöscht: {parts}, die Kinder und die "
        "Kontaktdaten. Das lässt sich nicht rückgängig machen."
    ).format(code=row.code, parts=", ".join(parts))


def delete_family(session: Session, family_id: int) -> None:
    """Delete the family and everything recorded about it (reminders go by cascade)."""
    session.delete(get_family(session, family_id))
    session.flush()
