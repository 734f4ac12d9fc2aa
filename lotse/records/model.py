"""Validated records of a ``lotse.records/1`` file, as plain typed values.

The reader produces these, the importer stores them, the exporter and the demo generator
write them. They are the interchange shape, independent of the database schema: each is
its domain class (:mod:`lotse.domain.entities`, which defines the fields and their rules)
plus the ids that tie lines together inside a file and the line it came from.

:func:`layout` gives a record type's keys in a records line, in order, derived from the
fields; the reader checks against it and the writer writes in it.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

from lotse.domain.entities import (
    ContactData,
    FamilyData,
    GroupOfferData,
    GroupSessionData,
    ReferralData,
)
from lotse.domain.fields import Field, fields_of

FORMAT = "lotse.records/1"


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
class ContactRecord(ContactData, _FamilyRef):
    line: int = 0


@dataclass
class ReferralRecord(ReferralData, _FamilyRef):
    line: int = 0


@dataclass
class GroupOfferRecord(GroupOfferData, _Id):
    line: int = 0


@dataclass
class GroupSessionRecord(GroupSessionData, _OfferRef):
    line: int = 0


Record = FamilyRecord | ContactRecord | ReferralRecord | GroupOfferRecord | GroupSessionRecord

#: Each line type and its record class, in the order a file lists the types.
RECORD_TYPES: dict[str, type[Record]] = {
    "family": FamilyRecord,
    "contact": ContactRecord,
    "referral": ReferralRecord,
    "group_offer": GroupOfferRecord,
    "group_session": GroupSessionRecord,
}


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
def layout(cls: type) -> tuple[Key, ...]:
    """The value keys of a record type's line, in order (ids not included).

    A field keyed ``person.name`` makes an object ``person``, placed where its first
    field is declared.
    """
    keys: list[Key] = []
    objects: dict[str, list[Field]] = {}
    for f in fields_of(cls):
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
    group_offers: list[GroupOfferRecord] = field(default_factory=list)
    group_sessions: list[GroupSessionRecord] = field(default_factory=list)

    def count(self) -> int:
        return (
            len(self.families)
            + len(self.contacts)
            + len(self.referrals)
            + len(self.group_offers)
            + len(self.group_sessions)
        )
