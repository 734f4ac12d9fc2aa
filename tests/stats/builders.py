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
    ScreeningFactor,
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
        identified: str | None = None,
        closed: str | None = None,
        closure_reason: str | None = None,
    ) -> Family:
        family = Family(
            code=f"T-{name}",
            district=district,
            access_route=access_route,
            sgb2=sgb2,
            adults=adults,
            children=[Child(position=i, birth_date=d(b)) for i, b in enumerate(children)],
            identified=d(identified) if identified else None,
            closed=d(closed) if closed else None,
            closure_reason=closure_reason,
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

    def screening(
        self,
        family: str,
        date: str,
        factors: tuple[str, ...] = (),
        staff_concern: bool = False,
        own_request: bool = False,
    ) -> Family:
        """Give ``family`` a screening on ``date``."""
        row = self.families[family]
        row.screening_date = d(date)
        row.screening_staff_concern = staff_concern
        row.screening_own_request = own_request
        row.screening_factors = [
            ScreeningFactor(position=i, factor=f) for i, f in enumerate(factors)
        ]
        return row

    def referral(
        self, family: str, date: str, target: str, status: str, mode: str | None = None
    ) -> Referral:
        referral = Referral(
            family=self.families[family], date=d(date), target=target, status=status, mode=mode
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


def casework_records(b: Builder) -> None:
    """The hand-made case of the casework figures (period 2026-Q3 = 07-01..09-30; the
    screening threshold is the built-in 2).

    Screenings (S*) on the first and last day and just outside, positive by factors, by
    the staff's concern and by the parents' request; counselling on the screening day,
    after the period, only before, only a no-show after. New families with and without an
    identified date, one identified after its first contact. Closures (C*) on the first
    and last day and the day after, with and without a reason and a contact before.
    """
    # S1: positive by two factors; counselled the same day (reached); identified 6 days
    # before its first counselling contact.
    b.family("S1", identified="2026-06-25")
    b.screening("S1", "2026-07-01", ("young_parent", "financial_strain"))
    b.contact("S1", "2026-07-01", "first_contact")
    # S2: one factor, but the staff are concerned: positive; counselled only before the
    # screening (not reached); no identified date (not in the median).
    b.family("S2")
    b.screening("S2", "2026-08-10", ("financial_strain",), staff_concern=True)
    b.contact("S2", "2026-08-05", "first_contact")
    # S3: no factor, the parents asked: positive; screened on the last day, counselled
    # after the period (reached: the rule has no end date). Not new in Q3.
    b.family("S3", identified="2026-09-30")
    b.screening("S3", "2026-09-30", own_request=True)
    b.contact("S3", "2026-10-02", "first_contact")
    # S4: one factor only: not positive. New, 5 days from identified to first contact.
    b.family("S4", identified="2026-07-15")
    b.screening("S4", "2026-07-15", ("single_parent",))
    b.contact("S4", "2026-07-20", "home_visit")
    # S5: screened the day before the period (not counted); new in Q3, 5 days.
    b.family("S5", identified="2026-06-30")
    b.screening("S5", "2026-06-30", ("addiction", "violence", "other"))
    b.contact("S5", "2026-07-05", "phone")
    # S6: screened the day after the period (not counted).
    b.family("S6")
    b.screening("S6", "2026-10-01", ("violence", "addiction"))
    # S7: three factors, positive; counselled before the screening, then only a no-show:
    # not reached. Identified after its first contact: not in the median.
    b.family("S7", identified="2026-07-10")
    b.screening("S7", "2026-08-01", ("housing_problem", "daily_coping", "mental_strain"))
    b.contact("S7", "2026-07-02", "counselling")
    b.contact("S7", "2026-08-02", "no_show")
    # N1: new in Q3, identified long before: 234 days.
    b.family("N1", identified="2026-01-10")
    b.contact("N1", "2026-09-01", "counselling")
    # O1: counselled before the period: not new, not in the median.
    b.family("O1", identified="2026-03-01")
    b.contact("O1", "2026-04-01", "counselling")
    b.contact("O1", "2026-08-01", "counselling")

    # C1: closed on the first day, completed; first counselled 181 days before.
    b.family("C1", closed="2026-07-01", closure_reason="completed")
    b.contact("C1", "2026-01-01", "first_contact")
    b.contact("C1", "2026-05-01", "counselling")
    # C2: closed on the last day, handed over, first counselled that day: 0 days.
    b.family("C2", closed="2026-09-30", closure_reason="handed_over")
    b.contact("C2", "2026-09-30", "first_contact")
    # C3: closed without a reason (unknown); counselled only after closing: not in the
    # median of support days.
    b.family("C3", closed="2026-08-15")
    b.contact("C3", "2026-08-20", "counselling")
    # C4: closed the day after the period.
    b.family("C4", closed="2026-10-01", closure_reason="moved_away")
    b.contact("C4", "2026-07-01", "counselling")
    # C5: declined after 12 days; an earlier no-show is no counselling contact.
    b.family("C5", closed="2026-08-01", closure_reason="declined")
    b.contact("C5", "2026-07-01", "no_show")
    b.contact("C5", "2026-07-20", "first_contact")

    # Referrals by mode: accompanied, information, unknown in the period; one after it.
    b.referral("S1", "2026-07-02", "family_midwife", "arrived", "accompanied")
    b.referral("S4", "2026-07-21", "early_help", "arranged", "information")
    b.referral("N1", "2026-09-30", "jobcenter", "suggested")
    b.referral("C4", "2026-10-01", "jobcenter", "arrived", "contact_made")
