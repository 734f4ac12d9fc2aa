"""Validated records of a ``lotse.records/2`` (or ``/1``) file, as plain typed values.

The reader produces these, the importer stores them, the exporter and the demo generator
write them. They are the interchange shape, independent of the database schema: each is
its domain class (:mod:`lotse.domain.entities`, which defines the fields and their rules)
plus the ids that tie lines together inside a file and the line it came from.

:func:`layout` gives a record type's keys in a records line of a format version, in
order, derived from the fields; the reader checks against it and the writer writes in it.
What version 2 added (records.md) is listed here, so a version 1 file is read by the
rules it was written by.
"""

# spec() returns a dataclasses.field() with the definition as metadata, which ruff cannot see.
# ruff: noqa: RUF009

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field

from lotse.catalogues import CONSENT_SCOPES
from lotse.domain.entities import (
    ConsentData,
    ContactData,
    FamilyData,
    GroupOfferData,
    GroupSessionData,
    ReferralData,
    ReminderData,
)
from lotse.domain.fields import Before, Field, Kind, fields_of, spec
from lotse.i18n import N_

#: The format the writer writes.
FORMAT = "lotse.records/2"
#: Every format the reader reads, by its header, with its version.
FORMATS: dict[str, int] = {"lotse.records/1": 1, FORMAT: 2}
VERSION = FORMATS[FORMAT]

#: Top-level keys of each line type that version 2 added (a version 1 line has none).
ADDED_IN_V2: dict[str, frozenset[str]] = {
    "family": frozenset({"identified", "screening", "closure_reason", "consents", "origin"}),
    "referral": frozenset({"mode", "history"}),
}
#: Line types that version 2 added.
TYPES_ADDED_IN_V2 = frozenset({"reminder"})


def family_ref(external_ref: str | None, code: str) -> str:
    """The id a family carries in records files: its external reference, else its code."""
    return external_ref or code


# The ids come first, so ``ContactRecord(family, date, kind, …)`` reads like the line.
@dataclass
class _Id:
    id: str


@dataclass
class _FamilyRef:
    family: str


@dataclass
class _OfferRef:
    offer: str


@dataclass
class FamilyRecord(FamilyData, _Id):
    line: int = 0


@dataclass
class ConsentV1:
    """The single consent object of a version 1 family line; the reader turns it into one
    :class:`~lotse.domain.entities.ConsentData` per scope code (records.md)."""

    date: dt.date | None = spec(
        Kind.DATE, N_("Datum der Einwilligung"), default=None, key="consent.date", required=True
    )
    scope: list[str] = spec(
        Kind.CODES, N_("Einwilligung"), key="consent.scope", required=True, catalogue=CONSENT_SCOPES
    )
    withdrawn: dt.date | None = spec(
        Kind.DATE,
        N_("Widerruf der Einwilligung"),
        default=None,
        key="consent.withdrawn",
        not_before=Before("date", N_("die Einwilligung wurde vor ihrem Datum widerrufen")),
    )

    def consents(self) -> list[ConsentData]:
        if self.date is None:
            return []
        return [ConsentData(code, self.date, withdrawn=self.withdrawn) for code in self.scope]


@dataclass
class ContactRecord(ContactData, _FamilyRef):
    line: int = 0


@dataclass
class ReferralRecord(ReferralData, _FamilyRef):
    line: int = 0


@dataclass
class ReminderRecord(ReminderData, _FamilyRef):
    line: int = 0


@dataclass
class GroupOfferRecord(GroupOfferData, _Id):
    line: int = 0


@dataclass
class GroupSessionRecord(GroupSessionData, _OfferRef):
    line: int = 0


Record = (
    FamilyRecord
    | ContactRecord
    | ReferralRecord
    | ReminderRecord
    | GroupOfferRecord
    | GroupSessionRecord
)

#: Each line type and its record class, in the order a file lists the types.
RECORD_TYPES: dict[str, type[Record]] = {
    "family": FamilyRecord,
    "contact": ContactRecord,
    "referral": ReferralRecord,
    "reminder": ReminderRecord,
    "group_offer": GroupOfferRecord,
    "group_session": GroupSessionRecord,
}
TYPE_NAMES: dict[type, str] = {cls: name for name, cls in RECORD_TYPES.items()}


def types_of(version: int) -> tuple[str, ...]:
    """The line types a file of format ``version`` may hold."""
    return tuple(t for t in RECORD_TYPES if version >= 2 or t not in TYPES_ADDED_IN_V2)


@dataclass(frozen=True)
class Key:
    """One top-level key of a records line: a field, or an object holding several."""

    name: str
    #: The field (a plain key) or the object's fields, in order.
    fields: tuple[Field, ...]
    is_object: bool = False

    @property
    def required(self) -> bool:
        # An object is optional as a whole; "required" of its fields applies inside it.
        return not self.is_object and self.fields[0].required


def refs_of(cls: type) -> tuple[str, ...]:
    """The id keys of a record type (``id``, ``family``, ``offer``): always required."""
    domain = {f.name for f in fields_of(cls)}
    return tuple(
        a.name for a in dataclasses.fields(cls) if a.name not in domain and a.name != "line"
    )


@functools.cache
def layout(cls: type, version: int = VERSION) -> tuple[Key, ...]:
    """The value keys of a record type's line in format ``version``, in order (ids not
    included). Any other class with fields (a history step, a consent) has its keys too.

    A field keyed ``person.name`` makes an object ``person``, placed where its first
    field is declared.
    """
    added = ADDED_IN_V2.get(TYPE_NAMES.get(cls, ""), frozenset()) if version < 2 else frozenset()
    keys: list[Key] = []
    objects: dict[str, list[Field]] = {}
    for f in fields_of(cls):
        if f.path[0] in added:
            continue
        if len(f.path) == 1:
            keys.append(Key(f.key, (f,)))
            continue
        if f.path[0] not in objects:
            objects[f.path[0]] = []
            keys.append(Key(f.path[0], ()))
        objects[f.path[0]].append(f)
    return tuple(
        Key(k.name, tuple(objects[k.name]), True) if k.name in objects else k for k in keys
    )


@dataclass
class Records:
    """Everything one records file holds, in file order per type."""

    families: list[FamilyRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    referrals: list[ReferralRecord] = field(default_factory=list)
    reminders: list[ReminderRecord] = field(default_factory=list)
    group_offers: list[GroupOfferRecord] = field(default_factory=list)
    group_sessions: list[GroupSessionRecord] = field(default_factory=list)

    def count(self) -> int:
        return (
            len(self.families)
            + len(self.contacts)
            + len(self.referrals)
            + len(self.reminders)
            + len(self.group_offers)
            + len(self.group_sessions)
        )
