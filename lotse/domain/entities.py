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
    BURDEN_FACTORS,
    CLOSURE_REASONS,
    CONSENT_PURPOSES,
    CONTACT_KINDS,
    GROUP_CATEGORIES,
    REFERRAL_MODES,
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
    EndsWith,
    Kind,
    OnlyWith,
    spec,
)
from lotse.i18n import N_

#: The option key of the organisation's district catalogue (:mod:`lotse.options`).
DISTRICTS = "districts"


@dataclass
class ConsentData:
    """One consent a family gave, for one purpose (records.md, ``consents``)."""

    purpose: str = spec(
        Kind.CODE, N_("Zweck der Einwilligung"), required=True, catalogue=CONSENT_PURPOSES
    )
    date: dt.date = spec(Kind.DATE, N_("Datum der Einwilligung"), required=True)
    #: The named service data go to: required for ``transfer``, allowed for ``referral``.
    recipient: str | None = spec(
        Kind.TEXT,
        N_("Empfänger"),
        default=None,
        only_with=OnlyWith(
            "purpose",
            N_('"recipient" gibt es nur bei den Zwecken "referral" und "transfer"'),
            codes=("referral", "transfer"),
            required_for=("transfer",),
            missing=N_('eine Einwilligung zur Weitergabe ("transfer") braucht "recipient"'),
        ),
    )
    withdrawn: dt.date | None = spec(
        Kind.DATE,
        N_("Widerruf der Einwilligung"),
        default=None,
        not_before=Before("date", N_("die Einwilligung wurde vor ihrem Datum widerrufen")),
    )
    #: The language of the consent form used.
    form_language: str | None = spec(Kind.LANGUAGE, N_("Sprache des Formulars"), default=None)


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
    #: The day the service first learned of the family (screening, a notice from clinic
    #: or practice staff, the family's own request).
    identified: dt.date | None = spec(Kind.DATE, N_("Bekannt seit"), default=None)
    #: The screening; a family has one when its date is set.
    screening_date: dt.date | None = spec(
        Kind.DATE,
        N_("Datum des Screenings"),
        default=None,
        key="screening.date",
        required=True,
        missing=N_("Screening: bitte das Datum des Screenings angeben."),
    )
    screening_factors: list[str] = spec(
        Kind.CODES,
        N_("Belastungsfaktoren"),
        key="screening.factors",
        catalogue=BURDEN_FACTORS,
        item="factor",
    )
    screening_staff_concern: bool = spec(
        Kind.BOOLEAN, N_("Sorge des Fachpersonals"), default=False, key="screening.staff_concern"
    )
    screening_own_request: bool = spec(
        Kind.BOOLEAN, N_("Wunsch der Eltern"), default=False, key="screening.own_request"
    )
    #: The consents the family gave, each for one purpose (records.md ``consents``; the
    #: vault's ``consent`` rows). What may be stored and passed on depends on them
    #: (:mod:`lotse.casework.consent`).
    consents: list[ConsentData] = spec(Kind.ITEMS, N_("Einwilligungen"), item_type=ConsentData)
    #: The day the accompaniment ended.
    closed: dt.date | None = spec(Kind.DATE, N_("Abgeschlossen am"), default=None)
    closure_reason: str | None = spec(
        Kind.CODE,
        N_("Grund des Abschlusses"),
        default=None,
        catalogue=CLOSURE_REASONS,
        only_with=OnlyWith("closed", N_('"closure_reason" gibt es nur zusammen mit "closed"')),
    )
    #: The service the family was handed over from, and when.
    origin_service: str | None = spec(
        Kind.TEXT, N_("Übernommen von"), default=None, key="origin.service", required=True
    )
    origin_date: dt.date | None = spec(
        Kind.DATE, N_("Übernommen am"), default=None, key="origin.date", required=True
    )
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
class StatusStep:
    """One step of a referral's status history."""

    status: str = spec(Kind.CODE, N_("Stand"), required=True, catalogue=REFERRAL_STATUSES)
    date: dt.date = spec(Kind.DATE, N_("Datum des Stands"), required=True)


@dataclass
class ReferralData:
    """A family put in touch with another service (records.md, ``referral``).

    ``mode`` comes after ``status_date`` (records.md lists it after ``target``), so
    ``ReferralInput(date, target, status)`` keeps meaning what it meant.
    """

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
    #: How the family was put in touch (information, contact made, accompanied).
    mode: str | None = spec(
        Kind.CODE, N_("Art der Vermittlung"), default=None, catalogue=REFERRAL_MODES
    )
    #: The status changes, oldest first; kept in ``referral_status_change`` (no relationship
    #: of the row: readers pass it, :func:`lotse.domain.mapping.from_row` ``history=``).
    history: list[StatusStep] = spec(
        Kind.ITEMS,
        N_("Verlauf"),
        item_type=StatusStep,
        ends_with=EndsWith(
            "status",
            "status_date",
            "date",
            unordered=N_('"history" muss nach Datum geordnet sein, der älteste Stand zuerst'),
            too_early=N_('ein Stand in "history" liegt vor dem Datum der Vermittlung'),
            last_differs=N_(
                'der letzte Stand in "history" muss "status" und "status_date" der Vermittlung sein'
            ),
        ),
    )
    notes: str | None = spec(Kind.TEXT, N_("Notiz"), default=None, personal=True)


@dataclass
class ReminderData:
    """A Wiedervorlage: something to do for a family by a due date."""

    due: dt.date = spec(Kind.DATE, N_("Fällig am"), required=True)
    text: str = spec(Kind.TEXT, N_("Wiedervorlage"), default="", personal=True)
    #: The day it was done; ``None`` while it is open.
    done: dt.date | None = spec(Kind.DATE, N_("Erledigt am"), default=None)


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
