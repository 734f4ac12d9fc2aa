"""Families: recording a first contact, editing the household, deleting a family.

A new family gets the next pseudonym code ``F-<year>-<nnnn>`` from the same allocator
the importer uses, so codes never collide with imported ones.

Every function works in the caller's session and never commits: the use case
(:mod:`lotse.usecases`) opens one transaction around it, so a refused input or a failure
leaves the vault as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lotse.casework.followups import ContactInput, ReferralInput, check_contact, check_referral
from lotse.casework.followups import new_contact as _new_contact
from lotse.casework.followups import new_referral as _new_referral
from lotse.casework.validation import Problems, check_languages, clean_text
from lotse.catalogues import ACCESS_ROUTES, CONSENT_SCOPES
from lotse.db.models import Child, Contact, Family, Referral, Reminder
from lotse.errors import BadInputError
from lotse.i18n import _, ngettext
from lotse.options import districts
from lotse.records.importer import CodeAllocator


@dataclass
class FamilyInput:
    """What the household part of the form holds."""

    adults: int = 1
    children: list[dt.date] = field(default_factory=list)
    district: str | None = None
    access_route: str | None = None
    sgb2: bool | None = None
    languages: list[str] = field(default_factory=list)
    interpreter: bool | None = None
    person_name: str | None = None
    person_phone: str | None = None
    person_address: str | None = None
    consent_date: dt.date | None = None
    consent_scope: list[str] = field(default_factory=list)
    consent_withdrawn: dt.date | None = None
    closed: dt.date | None = None
    notes: str | None = None


def check_family(data: FamilyInput, problems: Problems) -> None:
    problems.integer(_("Erwachsene"), data.adults, 0, 20)
    for birth_date in data.children:
        problems.date(_("Geburtsdatum eines Kindes"), birth_date)
    if len(data.children) > 20:
        problems.add(_("Höchstens 20 Kinder je Familie."))
    problems.code(_("Sozialraum"), data.district, districts())
    problems.code(_("Zugangsweg"), data.access_route, ACCESS_ROUTES)
    check_languages(problems, _("Sprachen"), data.languages)
    problems.codes(_("Einwilligung"), data.consent_scope, CONSENT_SCOPES)
    if data.consent_scope and data.consent_date is None:
        problems.add(_("Einwilligung: bitte das Datum der Einwilligung angeben."))
    problems.date(_("Datum der Einwilligung"), data.consent_date, required=False)
    problems.date(_("Widerruf der Einwilligung"), data.consent_withdrawn, required=False)
    problems.date(_("Abgeschlossen am"), data.closed, required=False)


def _apply(family: Family, data: FamilyInput) -> None:
    family.adults = data.adults
    family.district = data.district
    family.access_route = data.access_route
    family.sgb2 = data.sgb2
    family.languages = list(data.languages)
    family.interpreter = data.interpreter
    family.person_name = clean_text(data.person_name)
    family.person_phone = clean_text(data.person_phone)
    family.person_address = clean_text(data.person_address)
    family.consent_date = data.consent_date
    family.consent_scope = list(data.consent_scope)
    family.consent_withdrawn = data.consent_withdrawn
    family.closed = data.closed
    family.notes = clean_text(data.notes)
    family.children = [
        Child(position=i, birth_date=d) for i, d in enumerate(sorted(data.children, reverse=True))
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
    """Store a new family with its first contact (and referrals)."""
    referrals = referrals or []
    problems = Problems()
    check_family(family, problems)
    check_contact(contact, problems)
    for referral in referrals:
        check_referral(referral, problems)
    problems.raise_if_any()
    row = Family(code=CodeAllocator(session).new(contact.date.year))
    _apply(row, family)
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
    return FamilyInput(
        adults=row.adults,
        children=[c.birth_date for c in row.children],
        district=row.district,
        access_route=row.access_route,
        sgb2=row.sgb2,
        languages=list(row.languages or []),
        interpreter=row.interpreter,
        person_name=row.person_name,
        person_phone=row.person_phone,
        person_address=row.person_address,
        consent_date=row.consent_date,
        consent_scope=list(row.consent_scope or []),
        consent_withdrawn=row.consent_withdrawn,
        closed=row.closed,
        notes=row.notes,
    )


def update_family(session: Session, family_id: int, data: FamilyInput) -> None:
    problems = Problems()
    check_family(data, problems)
    problems.raise_if_any()
    _apply(get_family(session, family_id), data)
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
