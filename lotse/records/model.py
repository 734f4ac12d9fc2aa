"""Validated records of a ``lotse.records/1`` file, as plain typed values.

The reader produces these, the importer stores them, the exporter and the demo generator
write them. They are the interchange shape, independent of the database schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FORMAT = "lotse.records/1"


def family_ref(external_ref: str | None, code: str) -> str:
    """The id a family carries in records files: its external reference, else its code."""
    return external_ref or code


@dataclass
class FamilyRecord:
    id: str
    adults: int
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
    line: int = 0


@dataclass
class ContactRecord:
    family: str
    date: dt.date
    kind: str
    minutes: int | None = None
    setting: str | None = None
    topics: list[str] = field(default_factory=list)
    notes: str | None = None
    line: int = 0


@dataclass
class ReferralRecord:
    family: str
    date: dt.date
    target: str
    status: str
    status_date: dt.date | None = None
    notes: str | None = None
    line: int = 0


@dataclass
class GroupOfferRecord:
    id: str
    title: str
    category: str | None = None
    district: str | None = None
    line: int = 0


@dataclass
class GroupSessionRecord:
    offer: str
    date: dt.date
    adults: int
    children: int
    minutes: int | None = None
    line: int = 0


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
