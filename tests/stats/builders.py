"""Small hand-made record sets for the statistics tests, stored in a real vault."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from lotse.db.models import (
    Child,
    Contact,
    ContactTopic,
    Family,
    GroupOffer,
    GroupSession,
    Referral,
)
from lotse.vault import Vault


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class Builder:
    """Adds families, contacts, referrals and group offers in one transaction."""

    session: Session
    families: dict[str, Family] = field(default_factory=dict)

    def family(
        self,
        name: str,
        adults: int = 1,
        children: tuple[str, ...] = (),
        district: str | None = None,
        access_route: str | None = None,
        sgb2: bool | None = None,
    ) -> Family:
        family = Family(
            code=f"T-{name}",
            district=district,
            access_route=access_route,
            sgb2=sgb2,
            adults=adults,
            children=[Child(position=i, birth_date=d(b)) for i, b in enumerate(children)],
        )
        self.session.add(family)
        self.families[name] = family
        return family

    def contact(
        self,
        family: str,
        date: str,
        kind: str = "counselling",
        minutes: int | None = None,
        topics: tuple[str, ...] = (),
    ) -> Contact:
        contact = Contact(
            family=self.families[family],
            date=d(date),
            kind=kind,
            minutes=minutes,
            topics=[ContactTopic(position=i, topic=t) for i, t in enumerate(topics)],
        )
        self.session.add(contact)
        return contact

    def referral(self, family: str, date: str, target: str, status: str) -> Referral:
        referral = Referral(
            family=self.families[family], date=d(date), target=target, status=status
        )
        self.session.add(referral)
        return referral

    def group(self, title: str, *sessions: tuple[str, int, int]) -> GroupOffer:
        offer = GroupOffer(
            title=title,
            sessions=[GroupSession(date=d(day), adults=a, children=c) for day, a, c in sessions],
        )
        self.session.add(offer)
        return offer


def fill(vault: Vault, build: object) -> None:
    """Run ``build(builder)`` inside one committed transaction of ``vault``."""
    with vault.transaction() as session:
        build(Builder(session))  # type: ignore[operator]


def reference_records(b: Builder) -> None:
    """The hand-made case of test_stats_figures (period 2026-Q3 = 07-01..09-30).

    Every boundary of issue 3 is in it: contacts on the first and last day, a birthday on
    the last day, a child born the day after, a family reached only by a no-show, a group
    offer whose sessions all lie outside, a contact with no topic.
    """
    # A: reached; not new (a counselling contact on 06-30); a birthday on the last day.
    b.family(
        "A",
        adults=2,
        children=("2025-09-30", "2020-07-01", "2026-10-01"),
        district="ost",
        access_route="kita",
        sgb2=True,
    )
    b.contact("A", "2026-06-30", "phone", 20, ("debt",))
    b.contact("A", "2026-07-01", "counselling", 30, ("finances", "housing"))
    b.contact("A", "2026-09-30", "home_visit", None, ())
    b.contact("A", "2026-10-01", "counselling", 60, ("health",))
    b.referral("A", "2026-07-10", "early_help", "arrived")
    b.referral("A", "2026-08-10", "jobcenter", "not_arrived")
    # B: new, nothing optional known; a child born on the last day (age 0).
    b.family("B", adults=1, children=("2026-09-30",))
    b.contact("B", "2026-08-15", "first_contact", 45, ("health",))
    b.referral("B", "2026-09-30", "early_help", "arranged")
    # C: reached only by a no-show in the period, so not reached at all.
    b.family("C", adults=3, children=("2019-01-01",), district="ost", sgb2=False)
    b.contact("C", "2026-05-01", "counselling", 50, ("housing",))
    b.contact("C", "2026-08-01", "no_show")
    b.referral("C", "2026-06-30", "early_help", "arrived")
    # D: new (its earlier no-show is not counselling); 18th birthday on the last day and
    # one the day after.
    b.family(
        "D",
        adults=2,
        children=("2008-09-30", "2008-10-01"),
        district="sterkrade_nord",
        access_route="birth_clinic",
        sgb2=False,
    )
    b.contact("D", "2026-06-01", "no_show")
    b.contact("D", "2026-09-15", "accompaniment", 20, ("finances",))
    # Group offers: G1 with two sessions in the period (first and last day), G2 with none.
    b.group(
        "G1", ("2026-06-30", 9, 9), ("2026-07-01", 5, 7), ("2026-09-30", 3, 2), ("2026-10-01", 4, 4)
    )
    b.group("G2", ("2026-06-30", 6, 6), ("2026-10-01", 6, 6))
