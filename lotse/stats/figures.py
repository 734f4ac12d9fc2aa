"""The one place that counts: every total and breakdown of statistics.md for a period.

All counting happens in SQL (aggregate queries through SQLAlchemy); Python only spreads
the few aggregated values into the breakdowns. Most statements return one row, counting
every catalogue code with ``CASE`` (see :func:`_tally`), and date columns are compared
as text (see :func:`as_text`): both measured several times faster in an encrypted vault
(bench/bench_report.py).

With a whole city's records (100,000 families, issue 15) what costs is reaching rows, not
counting them: a row found through an index and then looked up in its table costs about
ten times a row of a scan, and every page SQLCipher's cache has dropped is decrypted
again. So the contacts of a period are scanned (:func:`in_period_scanned`), the few
received families are listed once per statement rather than looked up for each record
(:func:`own`), and what two figures share is read once in one statement, as a
materialised CTE (:func:`_materialised`, :func:`_one_row`).

The two medians (``median_days_to_first_contact``, ``median_support_days``) cannot be
added up across navigators, so they are carried as day-count distributions: SQL groups
the families by their day count (``{days: families}``, :attr:`Figures.distributions`),
and :func:`median_days` takes the median from such a distribution, the only place that
does. Packages and closed periods store the distributions; merging adds them and takes
the median again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from lotse import settings
from lotse.catalogues import (
    ACCESS_ROUTES,
    AGE_BANDS,
    BURDEN_FACTORS,
    CLOSURE_REASONS,
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
    ScreeningFactor,
)
from lotse.stats.keys import (
    ADDED_IN_V2,
    BREAKDOWN_KEYS,
    COUNT_KEYS,
    MEDIAN_KEYS,
    NO_FACTOR,
    NO_TOPIC,
    TOTAL_KEYS,
    UNKNOWN,
    breakdown_codes,
)
from lotse.stats.period import Period

#: Format of the figures stored for closed periods and in statistics packages. Version 2
#: added the casework figures and the ``distributions`` of the medians; version 1 is read
#: with those as 0 and empty (:meth:`Figures.from_dict`).
STORED_VERSION = 2

#: A total: a count, or a median in days (``None`` when no family went into it).
Total = int | float | None
#: Families by their number of days (the form a median is carried in).
Distribution = dict[int, int]

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


def round_half_away(value: Decimal | float, places: int = 1) -> float:
    """``value`` rounded to ``places`` decimals, a half away from zero (2.25 → 2.3,
    −2.25 → −2.3), not to even as Python's ``round`` does."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def median_days(distribution: Mapping[int, int]) -> float | None:
    """The median of a day-count distribution (statistics.md): the middle value of the
    sorted day counts, or the mean of the two middle values, rounded to one decimal half
    away from zero; ``None`` when no family went into it."""
    n = sum(distribution.values())
    if n <= 0:
        return None
    # 0-based positions of the two middle values in the sorted day counts (equal if n is odd)
    low_at, high_at = (n - 1) // 2, n // 2
    low = high = None
    seen = 0
    for days in sorted(distribution):
        seen += distribution[days]
        if low is None and seen > low_at:
            low = days
        if seen > high_at:
            high = days
            break
    assert low is not None and high is not None
    return round_half_away((Decimal(low) + Decimal(high)) / 2)


def _count(value: Any) -> int:
    """A stored count: a whole number (a float or true would be a damaged store)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a count: {value!r}")
    return value


@dataclass
class Figures:
    """Exact (unsuppressed) figures: ``totals[key]``, ``breakdowns[key][code]`` and, for
    each median, ``distributions[key][days]`` (how many families had that day count).

    The median totals are always :func:`median_days` of their distribution.
    """

    totals: dict[str, Total] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)
    distributions: dict[str, Distribution] = field(default_factory=dict)
    #: Keys an older stored form lacked and that read as 0 or empty (not compared).
    absent: frozenset[str] = field(default=frozenset(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (stored for closed periods, carried in packages)."""
        return {
            "version": STORED_VERSION,
            "totals": dict(self.totals),
            "breakdowns": {k: dict(v) for k, v in self.breakdowns.items()},
            "distributions": {
                k: {str(days): n for days, n in sorted(v.items())}
                for k, v in self.distributions.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        """Figures from their stored form, also of an older Lotse.

        A version 1 form (before the casework figures) lacks those: they read as 0,
        breakdowns with every code at 0, and medians of no family (``None``); the keys
        are listed in :attr:`absent` so reports can say so. Medians are taken from the
        stored distributions, never from a stored median. A count that is not a whole
        number raises ``ValueError``.
        """
        stored_totals: dict[str, Any] = data["totals"]
        stored_cells: dict[str, Any] = data["breakdowns"]
        stored_days: dict[str, Any] = data.get("distributions") or {}
        absent = {
            key
            for key in ADDED_IN_V2
            if key not in stored_totals and key not in stored_cells and key not in stored_days
        }
        totals: dict[str, Total] = {key: _count(stored_totals.get(key, 0)) for key in COUNT_KEYS}
        # Counts of a newer Lotse are kept (and added up when merging).
        totals |= {k: _count(v) for k, v in stored_totals.items() if k not in TOTAL_KEYS}
        breakdowns = {k: {c: _count(n) for c, n in v.items()} for k, v in stored_cells.items()}
        codes = None
        for key in ADDED_IN_V2 & set(BREAKDOWN_KEYS):
            if key not in breakdowns:
                codes = codes or breakdown_codes()
                breakdowns[key] = dict.fromkeys(codes[key], 0)
        if "referrals_by_mode" in absent:
            # Those referrals were counted, their mode was not known: under "unknown", so
            # the breakdown still adds up to its total.
            breakdowns["referrals_by_mode"][UNKNOWN] = int(totals.get("referrals") or 0)
        figures = cls(
            totals=totals,
            breakdowns={
                k: breakdowns[k] for k in (*BREAKDOWN_KEYS, *breakdowns) if k in breakdowns
            },
            distributions={
                key: {int(days): _count(n) for days, n in stored_days.get(key, {}).items()}
                for key in MEDIAN_KEYS
            },
            absent=frozenset(absent),
        )
        figures.take_medians()
        return figures

    def take_medians(self) -> None:
        """Set the median totals from the distributions, in the order of the totals."""
        medians = {key: median_days(self.distributions.get(key, {})) for key in MEDIAN_KEYS}
        ordered = [k for k in TOTAL_KEYS if k in self.totals or k in medians]
        merged = {**self.totals, **medians}
        self.totals = {k: merged[k] for k in (*ordered, *merged) if k in merged}

    def families_in(self, median: str) -> int:
        """How many families went into median ``median``."""
        return sum(self.distributions.get(median, {}).values())

    def add(self, other: Figures) -> None:
        """Add ``other`` key by key (merging packages): counts and cells are summed, the
        distributions added and the medians taken again from them."""
        for key, n in other.totals.items():
            if key not in MEDIAN_KEYS:
                self.totals[key] = int(self.totals.get(key) or 0) + int(n or 0)
        for key, cells in other.breakdowns.items():
            mine = self.breakdowns.setdefault(key, {})
            for code, n in cells.items():
                mine[code] = mine.get(code, 0) + n
        for key, days in other.distributions.items():
            mine_days = self.distributions.setdefault(key, {})
            for d, n in days.items():
                mine_days[d] = mine_days.get(d, 0) + n
            self.distributions[key] = dict(sorted(mine_days.items()))
        self.absent = self.absent | other.absent
        self.take_medians()

    def arrival_share(self) -> float | None:
        """``arrived / (arrived + not_arrived)`` over the period's referrals, or None."""
        status = self.breakdowns.get("referrals_by_status", {})
        arrived, not_arrived = status.get("arrived", 0), status.get("not_arrived", 0)
        if arrived + not_arrived == 0:
            return None
        return arrived / (arrived + not_arrived)


def empty_figures(districts: Catalogue | None = None) -> Figures:
    """All counts 0, every catalogue code present, medians of no family (``None``)."""
    figures = Figures(
        totals=dict.fromkeys(COUNT_KEYS, 0),
        breakdowns={k: dict.fromkeys(codes, 0) for k, codes in breakdown_codes(districts).items()},
        distributions={key: {} for key in MEDIAN_KEYS},
    )
    figures.take_medians()
    return figures


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


def in_period_scanned(column: Any, period: Period) -> Any:
    """``column`` (a date) within ``period``, compared as text, which reads the whole table.

    For the contacts of a period that is cheaper than the ``(date, kind)`` index: each
    row the index finds is then looked up in the table (for its family and minutes), in
    no useful order, and those lookups cost about ten times a row of the scan; with two
    years of contacts the scan was about a third faster for a quarter, more for a year.
    """
    return as_text(column).between(
        literal(period.start.isoformat(), String), literal(period.end.isoformat(), String)
    )


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


#: A family handed over to this vault, looked up beside the family a query counts.
_Received = aliased(Family, name="received")


def own(family_id: Any, date: Any) -> Any:
    """Whether a record of family ``family_id`` dated ``date`` is this vault's own work.

    A family handed over from another service (issue 14) arrives with its ``origin``;
    what is dated on or before ``origin.date`` (its contacts, referrals and screening) is
    the sender's work, which the sender's vault counts (the rule of
    :func:`lotse.domain.origin.is_senders`, in SQL). Leaving it out here means a team
    merge of both vaults' packages counts each contact once.

    The received families are listed once per statement (an in-memory list SQLite builds
    from one scan of ``family``), so only records of those few look their family up:
    looking up every record's family made each statement about twice as slow.
    """
    received = select(_Received.id).where(_Received.origin_date.is_not(None))
    return ~and_(
        family_id.in_(received),
        exists().where(
            _Received.id == family_id,
            _Received.origin_date.is_not(None),
            _Received.origin_date >= date,
        ),
    )


def own_family(date: Any) -> Any:
    """:func:`own` for a date on the family row itself (its screening): that row's
    ``origin_date`` is at hand, so no list of the received families is needed."""
    return ~and_(Family.origin_date.is_not(None), Family.origin_date >= date)


def _materialised(query: Select[Any], name: str) -> Any:
    """``query`` as a CTE that SQLite computes once per statement into a temporary table.

    Otherwise SQLite may copy it into each place that uses it: a CTE used twice would be
    computed twice, and a correlated subquery in a column would run once for each
    mention of that column (in the condition and in the grouping, for the medians).
    """
    return query.cte(name).prefix_with("MATERIALIZED")


def _one_row(session: Session, *parts: Any) -> list[Any]:
    """The values of one-row subqueries side by side, run as one statement (so a
    materialised CTE they share is read once)."""
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())  # one row each: nothing to join on
    return list(session.execute(select(*parts).select_from(joined)).one())


#: What a part of the one statement over the period's contacts gives: its one-row
#: subqueries, and what spreads their values into the figures.
_Part = tuple[list[Any], Callable[[list[Any]], None]]


def _count_period_contacts(
    session: Session, period: Period, figures: Figures, districts: Catalogue
) -> None:
    """Contacts by kind and topic, families reached and their children: one statement
    over the period's own contacts, read once (a scan of the contacts and of the
    received families for each figure would read most of the vault again)."""
    contacts = _materialised(
        select(Contact.id, Contact.family_id, Contact.kind, Contact.minutes).where(
            in_period_scanned(Contact.date, period), own(Contact.family_id, Contact.date)
        ),
        "period_contacts",
    )
    parts = [
        _contact_part(session, contacts, figures),
        _family_part(session, contacts, period, figures, districts),
    ]
    row = _one_row(session, *(query for queries, _take in parts for query in queries))
    at = 0
    for queries, take in parts:
        width = sum(len(query.c) for query in queries)
        take(row[at : at + width])
        at += width


def _contact_part(session: Session, contacts: Any, figures: Figures) -> _Part:
    """Counselling contacts by kind with their minutes, no-shows, and topics."""
    totals, breakdowns = figures.totals, figures.breakdowns
    kinds = (*COUNSELLING_KINDS, "no_show")
    columns: list[Any] = []
    for kind in kinds:
        columns.append(func.count(case((contacts.c.kind == kind, 1))))
        columns.append(
            func.coalesce(func.sum(case((contacts.c.kind == kind, contacts.c.minutes))), 0)
        )
    by_kind = select(*columns).subquery()

    # A contact counts once under each of its topics, under "none" without any.
    topics = TOPICS.codes
    by_topic = (
        select(*_tally(ContactTopic.topic, topics))
        .select_from(contacts)
        .outerjoin(ContactTopic, ContactTopic.contact_id == contacts.c.id)
        .where(contacts.c.kind.in_(COUNSELLING_KINDS))
    )

    def take(row: list[Any]) -> None:
        for i, kind in enumerate(kinds):
            count, minutes = row[2 * i], row[2 * i + 1]
            if kind == "no_show":
                totals["no_shows"] = count
            else:
                totals["counselling_contacts"] += count
                totals["counselling_minutes"] += minutes
                _add(breakdowns["contacts_by_kind"], kind, count)
        _spread(
            breakdowns["contacts_by_topic"],
            topics,
            list(row[2 * len(kinds) :]),
            NO_TOPIC,
            _grouped_outside(session, ContactTopic.topic, topics, by_topic),
        )

    return [by_kind, by_topic.subquery()], take


def _family_part(
    session: Session, contacts: Any, period: Period, figures: Figures, districts: Catalogue
) -> _Part:
    """Families reached (one row for every family figure) and their children."""
    totals, breakdowns = figures.totals, figures.breakdowns
    start, end = period.start, period.end
    is_reached = select(contacts.c.family_id).where(contacts.c.kind.in_(COUNSELLING_KINDS))

    # "New": no counselling contact of this vault's own before the period.
    counselled_before = exists().where(
        Contact.family_id == Family.id,
        Contact.kind.in_(COUNSELLING_KINDS),
        Contact.date < start,  # a range of ix_contact_family_date_kind
        own(Contact.family_id, Contact.date),
    )
    district_codes, route_codes = districts.codes, ACCESS_ROUTES.codes
    families = (
        select(
            func.count(),
            func.coalesce(func.sum(Family.adults), 0),
            func.coalesce(func.sum(case((counselled_before, 0), else_=1)), 0),
            *_tally(Family.district, district_codes),
            *_tally(Family.access_route, route_codes),
            func.count(case((Family.sgb2.is_(True), 1))),
            func.count(case((Family.sgb2.is_(False), 1))),
        )
        .where(Family.id.in_(is_reached))
        .subquery()
    )

    # Children by age in whole years on P.end; later births are expected children.
    children = (
        select(*(func.count(case((cond, 1))) for cond in _band_conditions(end)))
        .where(Child.family_id.in_(is_reached))
        .subquery()
    )
    band_codes = (*AGE_BANDS.codes, _EXPECTED)

    def take(row: list[Any]) -> None:
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
            outside = _grouped_outside(session, column, codes, base)
            _spread(breakdowns[key], codes, values, UNKNOWN, outside)
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

    return [families, children], take


def _distribution(session: Session, days: Any, condition: Any) -> Distribution:
    """Families by day count: the rows where ``condition`` holds, grouped in SQL by
    ``days`` (an integer expression over one subquery with a row per family)."""
    rows = session.execute(
        select(days.label("days"), func.count()).where(condition).group_by("days")
    )
    return {int(d): int(n) for d, n in sorted(rows)}


def _day_difference(later: Any, earlier: Any) -> Any:
    """Whole days from ``earlier`` to ``later`` (both ISO dates), in SQL."""
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _count_screenings(session: Session, period: Period, figures: Figures) -> None:
    """Screenings in the period, the positive ones, those reached afterwards; factors."""
    totals = figures.totals
    in_period = and_(
        Family.screening_date.between(period.start, period.end),
        own_family(Family.screening_date),
    )
    threshold = int(settings.get(session, "screening_threshold"))
    factors = (
        select(func.count())
        .where(ScreeningFactor.family_id == Family.id)
        .correlate(Family)
        .scalar_subquery()
    )
    # records.md: positive with t factors or more, or concern, or the parents' request
    # (lotse.catalogues.screening_positive is the same rule for one screening).
    positive = or_(
        Family.screening_staff_concern.is_(True),
        Family.screening_own_request.is_(True),
        factors >= threshold,
    )
    reached = exists().where(
        Contact.family_id == Family.id,
        Contact.kind.in_(COUNSELLING_KINDS),
        Contact.date >= Family.screening_date,
    )
    count, positives, reached_after = session.execute(
        select(
            func.count(),
            func.count(case((positive, 1))),
            func.count(case((and_(positive, reached), 1))),
        ).where(in_period)
    ).one()
    totals["screenings"] = count
    totals["screenings_positive"] = positives
    totals["screenings_positive_reached"] = reached_after

    # A screening counts once under each of its factors, under "none" without any.
    codes = BURDEN_FACTORS.codes
    stmt = (
        select(*_tally(ScreeningFactor.factor, codes))
        .select_from(Family)
        .outerjoin(ScreeningFactor, ScreeningFactor.family_id == Family.id)
        .where(in_period)
    )
    _spread(
        figures.breakdowns["screening_factors"],
        codes,
        list(session.execute(stmt).one()),
        NO_FACTOR,
        _grouped_outside(session, ScreeningFactor.factor, codes, stmt),
    )


def _count_closures(session: Session, period: Period, figures: Figures) -> None:
    """Families closed in the period, by reason, and how long their support lasted."""
    closed_in = Family.closed.between(period.start, period.end)
    codes = CLOSURE_REASONS.codes
    row = session.execute(
        select(func.count(), *_tally(Family.closure_reason, codes)).where(closed_in)
    ).one()
    figures.totals["families_closed"] = row[0]
    _spread(
        figures.breakdowns["closures_by_reason"],
        codes,
        list(row[1:]),
        UNKNOWN,
        _grouped_outside(session, Family.closure_reason, codes, select(Family.id).where(closed_in)),
    )

    # closed − earliest counselling contact ever, over those with one on or before closed.
    first = (
        select(func.min(Contact.date))
        .where(Contact.family_id == Family.id, Contact.kind.in_(COUNSELLING_KINDS))
        .correlate(Family)
        .scalar_subquery()
    )
    inner = _materialised(
        select(Family.closed.label("closed"), first.label("first")).where(closed_in), "spans"
    )
    figures.distributions["median_support_days"] = _distribution(
        session,
        _day_difference(inner.c.closed, inner.c.first),
        inner.c.first <= inner.c.closed,
    )


def _days_to_first_contact(session: Session, period: Period, figures: Figures) -> None:
    """Over the period's new families with an identified date on or before their first
    counselling contact: days from being identified to that contact.

    "New" and "first contact" are this vault's own, as for ``new_families``: for a family
    handed over to it, the sender's contacts (:func:`own`) are the sender's to count."""
    start, end = period.start, period.end
    counselling = Contact.kind.in_(COUNSELLING_KINDS)
    reached = select(Contact.family_id).where(
        in_period_scanned(Contact.date, period), counselling, own(Contact.family_id, Contact.date)
    )
    counselled_before = exists().where(
        Contact.family_id == Family.id,
        counselling,
        Contact.date < start,  # a range of ix_contact_family_date_kind
        own_family(Contact.date),  # the family row is at hand
    )
    # A new family's earliest counselling contact ever lies in the period.
    first = (
        select(func.min(Contact.date))
        .where(
            Contact.family_id == Family.id,
            counselling,
            Contact.date.between(start, end),
            own_family(Contact.date),
        )
        .correlate(Family)
        .scalar_subquery()
    )
    inner = _materialised(
        select(Family.identified.label("identified"), first.label("first")).where(
            Family.identified.is_not(None), Family.id.in_(reached), ~counselled_before
        ),
        "spans",
    )
    figures.distributions["median_days_to_first_contact"] = _distribution(
        session,
        _day_difference(inner.c.first, inner.c.identified),
        inner.c.identified <= inner.c.first,
    )


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
    _count_period_contacts(session, period, figures, districts)

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

    # Referrals by target, current status and mode.
    rows = session.execute(
        select(Referral.target, Referral.status, Referral.mode, func.count())
        .where(Referral.date.between(start, end), own(Referral.family_id, Referral.date))
        .group_by(Referral.target, Referral.status, Referral.mode)
    )
    for target, status, mode, count in rows:
        totals["referrals"] += count
        if status == "arrived":
            totals["referrals_arrived"] += count
        _add(breakdowns["referrals_by_target"], target, count)
        _add(breakdowns["referrals_by_status"], status, count)
        _add(breakdowns["referrals_by_mode"], mode, count)

    _count_screenings(session, period, figures)
    _count_closures(session, period, figures)
    _days_to_first_contact(session, period, figures)
    figures.take_medians()
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
