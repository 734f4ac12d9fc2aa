"""The one place that counts: every total and breakdown of statistics.md for a period.

All counting happens in SQL (aggregate queries through SQLAlchemy); Python only spreads
the few aggregated values into the breakdowns. Most statements return one row, counting
every catalogue code with ``CASE`` (see :func:`_tally`), and date columns are compared
as text (see :func:`as_text`): both measured several times faster in an encrypted vault
(bench/bench_report.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from lotse import settings
from lotse.catalogues import (
    ACCESS_ROUTES,
    AGE_BANDS,
    COUNSELLING_KINDS,
    TOPICS,
    Catalogue,
)
from lotse.db.models import (
    Child,
    ClosedPeriod,
    Contact,
    ContactTopic,
    Family,
    GroupSession,
    Referral,
)
from lotse.stats.keys import BREAKDOWN_KEYS, NO_TOPIC, TOTAL_KEYS, UNKNOWN, breakdown_codes
from lotse.stats.period import Period

#: Format of the figures stored for closed periods and in statistics packages.
STORED_VERSION = 1

# Age bands on P.end as (code, lowest age in whole years), highest first.
_AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("18+", 18),
    ("15-17", 15),
    ("10-14", 10),
    ("6-9", 6),
    ("3-5", 3),
    ("1-2", 1),
    ("0", 0),
)
_EXPECTED = "expected"


@dataclass
class Figures:
    """Exact (unsuppressed) figures: ``totals[key]`` and ``breakdowns[key][code]``."""

    totals: dict[str, int] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (stored for closed periods, carried in packages)."""
        return {
            "version": STORED_VERSION,
            "totals": dict(self.totals),
            "breakdowns": {k: dict(v) for k, v in self.breakdowns.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        return cls(
            totals={k: int(v) for k, v in data["totals"].items()},
            breakdowns={
                k: {c: int(n) for c, n in v.items()} for k, v in data["breakdowns"].items()
            },
        )

    def arrival_share(self) -> float | None:
        """``arrived / (arrived + not_arrived)`` over the period's referrals, or None."""
        status = self.breakdowns.get("referrals_by_status", {})
        arrived, not_arrived = status.get("arrived", 0), status.get("not_arrived", 0)
        if arrived + not_arrived == 0:
            return None
        return arrived / (arrived + not_arrived)


def empty_figures(districts: Catalogue | None = None) -> Figures:
    """All figures 0, every catalogue code present."""
    return Figures(
        totals=dict.fromkeys(TOTAL_KEYS, 0),
        breakdowns={k: dict.fromkeys(codes, 0) for k, codes in breakdown_codes(districts).items()},
    )


def _add(cells: dict[str, int], code: str | None, n: int, missing: str = UNKNOWN) -> None:
    # Codes outside the catalogue (e.g. a district dropped from policy) keep their own cell,
    # appended after the catalogue's: a breakdown still adds up to its total.
    key = missing if code is None else code
    cells[key] = cells.get(key, 0) + n


def as_text(column: Any) -> Any:
    """A date column compared as the ISO text it is stored as.

    A ``DATE`` column has numeric affinity in SQLite, so comparing it with a text value
    makes SQLite try to convert that value on every row; under SQLCipher's memory security
    each try allocates and wipes memory, which made these comparisons about 15 times
    slower. ``CAST(... AS VARCHAR)`` compares the same text without the conversion. Range
    conditions that should use an index keep the plain column.
    """
    return cast(column, String)


def _band_conditions(end: dt.date) -> list[Any]:
    """Per age band (catalogue order), then for expected children, the condition on
    ``birth_date``.

    A child is at least n years old on ``end`` when born on or before the same month and
    day n years earlier. Dates are stored as ISO text, so that bound is compared as text:
    for an ``end`` of 29 February it may be "2027-02-29", which is not a date but still
    sorts exactly where it must.
    """
    born = as_text(Child.birth_date)

    def bound(years: int) -> Any:
        return literal(f"{end.year - years:04d}-{end:%m-%d}", String)

    lows = dict(_AGE_BANDS)  # band code -> lowest age
    conditions: list[Any] = []
    for code in AGE_BANDS.codes:
        low = lows[code]
        older = [b for c, b in lows.items() if b > low]
        upper = bound(low)
        if older:
            conditions.append(and_(born <= upper, born > bound(min(older))))
        else:
            conditions.append(born <= upper)
    conditions.append(born > literal(end.isoformat(), String))
    return conditions


def _tally(column: Any, codes: tuple[str, ...]) -> list[Any]:
    """Per code a count of rows with ``column`` = code; then those without a value, and
    those with a code outside ``codes``.

    Counting with ``CASE`` in one row instead of ``GROUP BY`` needs no sorter: under
    SQLCipher's memory security every sorter allocation is wiped, which made the grouped
    form about twice as slow.
    """
    return [
        *(func.count(case((column == code, 1))) for code in codes),
        func.count(case((column.is_(None), 1))),
        func.count(case((column.not_in(codes), 1))),
    ]


def _spread(
    cells: dict[str, int],
    codes: tuple[str, ...],
    values: list[int],
    missing: str,
    others: Callable[[], list[tuple[str, int]]],
) -> None:
    """Add the counts of a :func:`_tally` to ``cells``; ask ``others`` only if there are any."""
    for code, n in zip(codes, values, strict=False):
        _add(cells, code, n)
    _add(cells, missing, values[len(codes)])
    if values[len(codes) + 1]:
        for code, n in others():
            _add(cells, code, n)


def _grouped_outside(
    session: Session, column: Any, codes: tuple[str, ...], stmt: Select[Any]
) -> Callable[[], list[tuple[str, int]]]:
    """The rare codes outside the catalogue, grouped (only run when there are some)."""

    def run() -> list[tuple[str, int]]:
        query = stmt.with_only_columns(column, func.count()).where(column.not_in(codes))
        return [(code, n) for code, n in session.execute(query.group_by(column))]

    return run


def _count_contacts(session: Session, period: Period, figures: Figures) -> None:
    """Counselling contacts by kind with their minutes, no-shows, and topics."""
    totals, breakdowns = figures.totals, figures.breakdowns
    in_period = Contact.date.between(period.start, period.end)
    counselling = Contact.kind.in_(COUNSELLING_KINDS)
    kinds = (*COUNSELLING_KINDS, "no_show")
    columns: list[Any] = []
    for kind in kinds:
        columns.append(func.count(case((Contact.kind == kind, 1))))
        columns.append(func.coalesce(func.sum(case((Contact.kind == kind, Contact.minutes))), 0))
    row = session.execute(select(*columns).where(in_period)).one()
    for i, kind in enumerate(kinds):
        count, minutes = row[2 * i], row[2 * i + 1]
        if kind == "no_show":
            totals["no_shows"] = count
        else:
            totals["counselling_contacts"] += count
            totals["counselling_minutes"] += minutes
            _add(breakdowns["contacts_by_kind"], kind, count)

    # A contact counts once under each of its topics, under "none" without any.
    topics = TOPICS.codes
    stmt = (
        select(*_tally(ContactTopic.topic, topics))
        .select_from(Contact)
        .outerjoin(ContactTopic, ContactTopic.contact_id == Contact.id)
        .where(in_period, counselling)
    )
    _spread(
        breakdowns["contacts_by_topic"],
        topics,
        list(session.execute(stmt).one()),
        NO_TOPIC,
        _grouped_outside(session, ContactTopic.topic, topics, stmt),
    )


def _count_families(
    session: Session, period: Period, figures: Figures, districts: Catalogue
) -> None:
    """Families reached (one row for every family figure) and their children."""
    totals, breakdowns = figures.totals, figures.breakdowns
    start, end = period.start, period.end
    is_reached = select(Contact.family_id).where(
        Contact.date.between(start, end), Contact.kind.in_(COUNSELLING_KINDS)
    )

    # "New": no counselling contact before the period.
    counselled_before = exists().where(
        Contact.family_id == Family.id,
        Contact.kind.in_(COUNSELLING_KINDS),
        as_text(Contact.date) < literal(start.isoformat(), String),
    )
    district_codes, route_codes = districts.codes, ACCESS_ROUTES.codes
    families = select(
        func.count(),
        func.coalesce(func.sum(Family.adults), 0),
        func.coalesce(func.sum(case((counselled_before, 0), else_=1)), 0),
        *_tally(Family.district, district_codes),
        *_tally(Family.access_route, route_codes),
        func.count(case((Family.sgb2.is_(True), 1))),
        func.count(case((Family.sgb2.is_(False), 1))),
    ).where(Family.id.in_(is_reached))

    # Children by age in whole years on P.end; later births are expected children.
    children = select(*(func.count(case((cond, 1))) for cond in _band_conditions(end))).where(
        Child.family_id.in_(is_reached)
    )
    band_codes = (*AGE_BANDS.codes, _EXPECTED)

    row = [*session.execute(families).one(), *session.execute(children).one()]
    count, adults, new = row[:3]
    totals["families_reached"] += count
    totals["adults_reached"] += adults
    totals["new_families"] += new
    at = 3
    base = select(Family.id).where(Family.id.in_(is_reached))
    for key, column, codes in (
        ("families_by_district", Family.district, district_codes),
        ("families_by_access_route", Family.access_route, route_codes),
    ):
        values = row[at : at + len(codes) + 2]
        _spread(
            breakdowns[key], codes, values, UNKNOWN, _grouped_outside(session, column, codes, base)
        )
        at += len(codes) + 2
    yes, no = row[at], row[at + 1]
    sgb2 = breakdowns["families_by_sgb2"]
    _add(sgb2, "yes", yes)
    _add(sgb2, "no", no)
    _add(sgb2, UNKNOWN, count - yes - no)
    at += 2
    for code, n in zip(band_codes, row[at:], strict=True):
        if code == _EXPECTED:
            totals["expected_children"] += n
        else:
            totals["children_reached"] += n
            _add(breakdowns["children_by_age_band"], code, n)


def compute_figures(
    session: Session, period: Period, districts_catalogue: Catalogue | None = None
) -> Figures:
    """Count every figure of statistics.md over the records as they stand now.

    ``districts_catalogue`` defaults to the organisation's (policy or vault settings).
    """
    districts = districts_catalogue or settings.catalogue(session, "districts")
    figures = empty_figures(districts)
    totals, breakdowns = figures.totals, figures.breakdowns
    start, end = period.start, period.end
    _count_contacts(session, period, figures)
    _count_families(session, period, figures, districts)

    # Group offers, sessions and head counts.
    offers, sessions, adults, children = session.execute(
        select(
            func.count(func.distinct(GroupSession.offer_id)),
            func.count(),
            func.coalesce(func.sum(GroupSession.adults), 0),
            func.coalesce(func.sum(GroupSession.children), 0),
        ).where(GroupSession.date.between(start, end))
    ).one()
    totals["group_offers"] = offers
    totals["group_sessions"] = sessions
    totals["group_participants_adults"] = adults
    totals["group_participants_children"] = children

    # Referrals by target and current status.
    rows = session.execute(
        select(Referral.target, Referral.status, func.count())
        .where(Referral.date.between(start, end))
        .group_by(Referral.target, Referral.status)
    )
    for target, status, count in rows:
        totals["referrals"] += count
        if status == "arrived":
            totals["referrals_arrived"] += count
        _add(breakdowns["referrals_by_target"], target, count)
        _add(breakdowns["referrals_by_status"], status, count)
    return figures


def closed_period_row(session: Session, period: Period) -> ClosedPeriod | None:
    """The closed period with exactly ``period``'s dates, if there is one."""
    return session.scalar(
        select(ClosedPeriod).where(
            and_(ClosedPeriod.start == period.start, ClosedPeriod.end == period.end)
        )
    )


def figures_for_period(session: Session, period: Period) -> Figures:
    """The stored figures of a closed period; for an open period, computed now."""
    row = closed_period_row(session, period)
    if row is not None:
        return Figures.from_dict(row.figures)
    return compute_figures(session, period)


__all__ = [
    "BREAKDOWN_KEYS",
    "TOTAL_KEYS",
    "Figures",
    "compute_figures",
    "empty_figures",
    "figures_for_period",
]
