"""The record types Lotse keeps, each field with its rule (records.md has the wording).

Each class here is the one definition of a record type's fields. The form's input
(``FamilyInput`` …, :mod:`lotse.casework`) and the records file's record (``FamilyRecord``
…, :mod:`lotse.records.model`) are subclasses; the database row (:mod:`lotse.db.models`)
has a column of the same name for every field, or a related table for a field with
``item``. Adding a field means one attribute here, its column and a migration; the
records reader and writer, the form checks and the mapper pick it up from here.

Field order is the order of the keys in a records line.
"""

# spec() returns a dataclasses.field() with the definition as metadata, which ruff cannot see.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lotse.catalogues import (
    ACCESS_ROUTES,
    CONSENT_SCOPES,
    CONTACT_KINDS,
    GROUP_CATEGORIES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
)
from lotse.domain.fields import (
    ADULTS,
    CHILDREN,
    HEAD_COUNT,
    MINUTES,
    TITLE_LENGTH,
    Before,
    Kind,
    spec,
)
from lotse.i18n import N_

#: The option key of the organisation's district catalogue (:mod:`lotse.options`).
DISTRICTS = "districts"


@dataclass(kw_only=True)
class FamilyData:
    """A household a navigator accompanies; it needs no name (records.md, ``family``)."""

    district: str | None = spec(Kind.CODE, N_("Sozialraum"), default=None, catalogue=DISTRICTS)
    access_route: str | None = spec(
        Kind.CODE, N_("Zugangsweg"), default=None, catalogue=ACCESS_ROUTES
    )
    #: Receives Bürgergeld (SGB II); ``None``: not known.
    sgb2: bool | None = spec(Kind.BOOLEAN, N_("SGB II"), default=None)
    adults: int = spec(Kind.INTEGER, N_("Erwachsene"), default=1, required=True, range=ADULTS)
    #: Dates of birth; a date after today is an expected date of birth (a pregnancy).
    children: list[dt.date] = spec(
        Kind.BIRTH_DATES,
        N_("Geburtsdatum eines Kindes"),
        required=True,
        count=CHILDREN,
        item="birth_date",
    )
    languages: list[str] = spec(Kind.LANGUAGES, N_("Sprachen"))
    interpreter: bool | None = spec(Kind.BOOLEAN, N_("Dolmetschung nötig"), default=None)
    person_name: str | None = spec(
        Kind.TEXT, N_("Name"), default=None, key="person.name", personal=True
    )
    person_phone: str | None = spec(
        Kind.TEXT, N_("Telefon"), default=None, key="person.phone", personal=True
    )
    person_address: str | None = spec(
        Kind.TEXT, N_("Adresse"), default=None, key="person.address", personal=True
    )
    consent_date: dt.date | None = spec(
        Kind.DATE,
        N_("Datum der Einwilligung"),
        default=None,
        key="consent.date",
        required=True,
        missing=N_("Einwilligung: bitte das Datum der Einwilligung angeben."),
    )
    consent_scope: list[str] = spec(
        Kind.CODES,
        N_("Einwilligung"),
        key="consent.scope",
        required=True,
        catalogue=CONSENT_SCOPES,
    )
    consent_withdrawn: dt.date | None = spec(
        Kind.DATE,
        N_("Widerruf der Einwilligung"),
        default=None,
        key="consent.withdrawn",
        not_before=Before("consent_date", N_("die Einwilligung wurde vor ihrem Datum widerrufen")),
    )
    #: The day the accompaniment ended.
    closed: dt.date | None = spec(Kind.DATE, N_("Abgeschlossen am"), default=None)
    notes: str | None = spec(Kind.TEXT, N_("Notiz"), default=None, personal=True)


@dataclass
class ContactData:
    """One documented encounter with a family (records.md, ``contact``)."""

    date: dt.date = spec(Kind.DATE, N_("Datum des Kontakts"), required=True)
    kind: str = spec(
        Kind.CODE,
        N_("Art des Kontakts"),
        default="first_contact",
        required=True,
        catalogue=CONTACT_KINDS,
    )
    minutes: int | None = spec(Kind.INTEGER, N_("Minuten"), default=None, range=MINUTES)
    setting: str | None = spec(Kind.CODE, N_("Ort"), default=None, catalogue=SETTINGS)
    topics: list[str] = spec(Kind.CODES, N_("Themen"), catalogue=TOPICS, item="topic")
    notes: str | None = spec(Kind.TEXT, N_("Notiz"), default=None, personal=True)


@dataclass
class ReferralData:
    """A family put in touch with another service (records.md, ``referral``)."""

    date: dt.date = spec(Kind.DATE, N_("Datum der Vermittlung"), required=True)
    target: str = spec(Kind.CODE, N_("Vermittelt an"), required=True, catalogue=REFERRAL_TARGETS)
    status: str = spec(
        Kind.CODE, N_("Stand"), default="suggested", required=True, catalogue=REFERRAL_STATUSES
    )
    #: The date of the last status change.
    status_date: dt.date | None = spec(
        Kind.DATE,
        N_("Stand seit"),
        default=None,
        not_before=Before("date", N_('"status_date" liegt vor dem Datum der Vermittlung')),
    )
    notes: str | None = spec(Kind.TEXT, N_("Notiz"), default=None, personal=True)


@dataclass
class ReminderData:
    """A Wiedervorlage: something to do for a family by a due date."""

    due: dt.date = spec(Kind.DATE, N_("Fällig am"), required=True)
    text: str = spec(Kind.TEXT, N_("Wiedervorlage"), default="", personal=True)


@dataclass
class GroupOfferData:
    """A recurring or one-off group activity (records.md, ``group_offer``)."""

    title: str = spec(Kind.TITLE, N_("Titel"), required=True, max_length=TITLE_LENGTH)
    category: str | None = spec(Kind.CODE, N_("Art"), default=None, catalogue=GROUP_CATEGORIES)
    district: str | None = spec(Kind.CODE, N_("Sozialraum"), default=None, catalogue=DISTRICTS)


@dataclass(kw_only=True)
class GroupSessionData:
    """One meeting of a group offer, with anonymous head counts (``group_session``)."""

    date: dt.date = spec(Kind.DATE, N_("Datum"), required=True)
    minutes: int | None = spec(Kind.INTEGER, N_("Dauer in Minuten"), default=None, range=MINUTES)
    adults: int = spec(Kind.INTEGER, N_("Erwachsene"), required=True, range=HEAD_COUNT)
    children: int = spec(Kind.INTEGER, N_("Kinder"), required=True, range=HEAD_COUNT)
