"""The consent register's rules: what Lotse may store about a family and pass on.

A family's consents (:class:`~lotse.domain.entities.ConsentData`, one per purpose:
``documentation``, ``referral``, ``statistics``, ``transfer``) decide:

- **Personal data** (every field the domain marks ``personal``: the contact person's
  name, phone and address, the notes of the family, its contacts and referrals, a
  reminder's text) is stored only while the family's ``documentation`` consent is valid.
  Without it the family is kept anonymous: its code and the statistical fields only.
  What is already stored (an import, or data from before a withdrawal) may stay
  unchanged; the family is then on the "Einwilligung fehlt" list (:func:`missing`).
- **A referral that passes data on** (mode ``contact_made`` or ``accompanied``: the
  navigator contacts the service about the family) needs a ``referral`` consent valid on
  the referral's date. Telling the family about a service (``information``) does not.
- **A withdrawal** is recorded with its date and logged; it cannot be taken back (the
  family may give a new consent). Withdrawing ``documentation`` offers to erase the
  personal data at once (:func:`erase_personal_data`, logged with counts only).

A consent is valid on a day from its date on, until the day it was withdrawn. The
anonymous statistics count every family whatever its consents: they are activity
figures without personal data (README, "Datenschutz").

Every function works in the caller's session and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from lotse.casework.validation import Problems
from lotse.catalogues import CONSENT_PURPOSES, REFERRAL_MODES
from lotse.db.models import Consent, Contact, Family, Referral, Reminder
from lotse.domain.entities import ConsentData, FamilyData, ReferralData
from lotse.domain.fields import fields_of
from lotse.domain.mapping import from_row, normalised
from lotse.i18n import _
from lotse.vault import audit

#: A consent as the form holds it (the same fields as in the domain).
ConsentInput = ConsentData

#: Referral modes in which the navigator passes the family's data to the service.
PASSING_MODES = ("contact_made", "accompanied")
#: The family's own personal fields (name, phone, address, notes).
FAMILY_PERSONAL = tuple(f.name for f in fields_of(FamilyData) if f.personal)


def is_valid(consent: ConsentData, day: dt.date) -> bool:
    """Whether ``consent`` holds on ``day`` (given by then and not withdrawn by then)."""
    return consent.date <= day and (consent.withdrawn is None or consent.withdrawn > day)


def valid_consent(
    consents: Iterable[ConsentData], purpose: str, day: dt.date
) -> ConsentData | None:
    """The first consent for ``purpose`` that holds on ``day``, or ``None``."""
    return next((c for c in consents if c.purpose == purpose and is_valid(c, day)), None)


def may_document(consents: Iterable[ConsentData], day: dt.date) -> bool:
    """Whether personal data may be stored on ``day`` (a valid documentation consent)."""
    return valid_consent(consents, "documentation", day) is not None


def family_consents(session: Session, family_id: int) -> list[ConsentData]:
    rows = session.scalars(
        select(Consent).where(Consent.family_id == family_id).order_by(Consent.position)
    )
    return [from_row(ConsentData, row) for row in rows]


# -- checks ------------------------------------------------------------------------------------


def _personal(data: object) -> dict[str, str]:
    """The personal values given in ``data`` (tidied), by field name."""
    tidy = normalised(data)
    return {
        f.name: value
        for f in fields_of(type(data))
        if f.personal and isinstance(value := getattr(tidy, f.name), str) and value
    }


def check_personal(
    problems: Problems, data: object, documented: bool, stored: object | None = None
) -> None:
    """Without a documentation consent, no personal data beyond what is ``stored`` already.

    ``stored`` is the record as it is in the vault (for an edit): personal data it
    already holds may stay as it is, so a family imported without consent can still be
    corrected; only new or changed personal data is refused.
    """
    if documented:
        return
    given = _personal(data)
    before = _personal(stored) if stored is not None else {}
    changed = [name for name, value in given.items() if before.get(name) != value]
    if not changed:
        return
    labels = {f.name: _(f.label) for f in fields_of(type(data))}
    problems.add(
        _(
            "Ohne gültige Einwilligung zur Dokumentation speichert Lotse keine persönlichen "
            "Daten der Familie ({fields}). Lassen Sie diese Felder leer (die Familie bleibt "
            "anonym) oder erfassen Sie zuerst die Einwilligung."
        ).format(fields=", ".join(labels[name] for name in changed))
    )


def check_referral(
    problems: Problems, consents: Sequence[ConsentData], date: dt.date, mode: str | None
) -> None:
    """A referral that passes data on needs a referral consent valid on its date."""
    if mode not in PASSING_MODES or valid_consent(consents, "referral", date):
        return
    problems.add(
        _(
            "Vermittlung am {date} ({mode}): dabei gehen Daten der Familie an die andere "
            "Stelle. Das braucht eine Einwilligung zur Vermittlung, die an diesem Tag gilt. "
            "Erfassen Sie die Einwilligung oder wählen Sie „{information}“."
        ).format(
            date=date.strftime("%d.%m.%Y"),
            mode=REFERRAL_MODES.label(mode),
            information=REFERRAL_MODES.label("information"),
        )
    )


def check_record(
    problems: Problems,
    session: Session,
    family_id: int,
    data: object,
    stored: object | None = None,
    today: dt.date | None = None,
) -> bool:
    """Check a contact, referral or reminder of the family against its consents (personal
    data; a referral's mode); returns whether the family may have personal data stored."""
    consents = family_consents(session, family_id)
    documented = may_document(consents, today or dt.date.today())
    check_personal(problems, data, documented, stored)
    if isinstance(data, ReferralData):
        check_referral(problems, consents, data.date, data.mode)
    return documented


def check_register(
    problems: Problems,
    before: Sequence[ConsentData],
    after: Sequence[ConsentData],
) -> None:
    """A recorded withdrawal stays: it is neither removed nor moved by an edit."""
    kept = {_key(c): c.withdrawn for c in after}
    for consent in before:
        if consent.withdrawn is None:
            continue
        if kept.get(_key(consent)) != consent.withdrawn:
            problems.add(
                _(
                    "Der Widerruf der Einwilligung „{purpose}“ vom {date} bleibt erfasst; "
                    "die Familie kann eine neue Einwilligung geben."
                ).format(
                    purpose=CONSENT_PURPOSES.label(consent.purpose),
                    date=consent.withdrawn.strftime("%d.%m.%Y"),
                )
            )


def _key(consent: ConsentData) -> tuple[str, dt.date, str | None]:
    return (consent.purpose, consent.date, (consent.recipient or "").strip() or None)


def log_withdrawals(
    session: Session, code: str, before: Sequence[ConsentData], after: Sequence[ConsentData]
) -> list[ConsentData]:
    """Log each consent ``after`` withdraws that ``before`` did not; returns them."""
    earlier = {_key(c): c.withdrawn for c in before}
    new = [c for c in after if c.withdrawn is not None and earlier.get(_key(c)) is None]
    for consent in new:
        audit.append(
            session,
            "consent_withdrawn",
            family=code,
            purpose=consent.purpose,
            given=consent.date,
            withdrawn=consent.withdrawn,
        )
    return new


# -- erasing personal data ---------------------------------------------------------------------


@dataclass(frozen=True)
class ErasedPersonal:
    """What :func:`erase_personal_data` cleared (counts only)."""

    family: bool
    contacts: int
    referrals: int
    reminders: int

    def any(self) -> bool:
        return self.family or bool(self.contacts or self.referrals or self.reminders)


def _filled(column) -> object:  # type: ignore[no-untyped-def]
    return and_(column.is_not(None), func.trim(column) != "")


def erase_personal_data(session: Session, family_id: int) -> ErasedPersonal:
    """Clear every personal value of the family and its records; log it (code, counts).

    The family keeps its code and statistical fields, so the statistics still count it.
    Drafts of its open forms go too (they may hold what was typed).
    """
    family = session.get(Family, family_id)
    if family is None:
        return ErasedPersonal(False, 0, 0, 0)
    had = any((getattr(family, name) or "").strip() for name in FAMILY_PERSONAL)
    for name in FAMILY_PERSONAL:
        setattr(family, name, None)
    contacts = session.execute(
        update(Contact)
        .where(Contact.family_id == family_id, _filled(Contact.notes))
        .values(notes=None)
    ).rowcount
    referrals = session.execute(
        update(Referral)
        .where(Referral.family_id == family_id, _filled(Referral.notes))
        .values(notes=None)
    ).rowcount
    reminders = session.execute(
        update(Reminder)
        .where(Reminder.family_id == family_id, _filled(Reminder.text))
        .values(text="")
    ).rowcount
    _drop_drafts(session, family_id)
    erased = ErasedPersonal(bool(had), contacts or 0, referrals or 0, reminders or 0)
    audit.append(
        session,
        "personal_data_erased",
        family=family.code,
        person=erased.family,
        contacts=erased.contacts,
        referrals=erased.referrals,
        reminders=erased.reminders,
    )
    session.flush()
    return erased


def _drop_drafts(session: Session, family_id: int) -> None:
    # Drafts (issue 9) keep what an open form held; a family's may hold personal data.
    from lotse.db import models

    draft = getattr(models, "Draft", None)
    if draft is not None:
        session.query(draft).filter(draft.family_id == family_id).delete()


# -- the "Einwilligung fehlt" list ---------------------------------------------------------


@dataclass(frozen=True)
class MissingConsent:
    """A family that holds what its consents do not cover."""

    family_id: int
    code: str
    name: str
    #: Personal data is stored without a valid documentation consent.
    personal: bool
    #: A referral passed data on without a referral consent valid on its date.
    referral: bool


def _documented_on(day: dt.date) -> object:
    return exists().where(
        Consent.family_id == Family.id,
        Consent.purpose == "documentation",
        Consent.date <= day,
        or_(Consent.withdrawn.is_(None), Consent.withdrawn > day),
    )


def _personal_stored() -> object:
    return or_(
        *(_filled(getattr(Family, name)) for name in FAMILY_PERSONAL),
        exists().where(Contact.family_id == Family.id, _filled(Contact.notes)),
        exists().where(Referral.family_id == Family.id, _filled(Referral.notes)),
        exists().where(Reminder.family_id == Family.id, _filled(Reminder.text)),
    )


def _referral_without_consent() -> object:
    covered = exists().where(
        Consent.family_id == Referral.family_id,
        Consent.purpose == "referral",
        Consent.date <= Referral.date,
        or_(Consent.withdrawn.is_(None), Consent.withdrawn > Referral.date),
    )
    return exists().where(
        Referral.family_id == Family.id, Referral.mode.in_(PASSING_MODES), ~covered
    )


def missing(session: Session, today: dt.date) -> list[MissingConsent]:
    """Families holding personal data without a valid documentation consent today, or a
    referral that passed data on without a referral consent; in code order."""
    personal = and_(_personal_stored(), ~_documented_on(today))
    referral = _referral_without_consent()
    query = (
        select(Family.id, Family.code, Family.person_name, personal, referral)
        .where(or_(personal, referral))
        .order_by(Family.code)
    )
    return [
        MissingConsent(fid, code, name or "", bool(p), bool(r))
        for fid, code, name, p, r in session.execute(query)
    ]
