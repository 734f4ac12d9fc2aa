"""The families list: one query for all rows, then search, filters and sorting in memory.

A navigator's vault holds at most some tens of thousands of families, so the rows are read
once (about 0.1 s for 20,000) and every keystroke of search-as-you-type only scans
prepared lower-case strings in memory, well under the 30 ms a keystroke may take.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from lotse.options import districts


class FamilyRow(NamedTuple):
    """One family as the list shows it; immutable.

    A named tuple (no instance dict, like a slots class) because a whole city's list holds
    100,000 of them: it is built five times faster than a frozen dataclass and is as small.
    """

    id: int
    code: str
    name: str
    phone: str
    district: str | None
    closed: dt.date | None
    last_contact: dt.date | None
    next_due: dt.date | None
    haystack: str = ""
    #: Why the accompaniment ended (a code of ``catalogues.CLOSURE_REASONS``), if closed.
    closure_reason: str | None = None

    def is_due(self, today: dt.date) -> bool:
        return self.next_due is not None and self.next_due <= today


_NON_DIGIT = re.compile(r"\D")


def phone_digits(phone: str | None) -> str:
    """A phone number as digits only, with +49/0049 turned into the national 0."""
    digits = _NON_DIGIT.sub("", phone or "")
    if (phone or "").strip().startswith("+49"):
        digits = "0" + digits[2:]
    elif digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits


class _Days(dict[str | None, dt.date | None]):
    """ISO dates parsed once each: a list has a few thousand distinct days for 100,000
    rows, so the rows share their date objects (less time, less memory)."""

    def __missing__(self, text: str | None) -> dt.date | None:
        day = self[text] = dt.date.fromisoformat(text) if text else None
        return day


#: A family's list columns with its last contact and next open Wiedervorlage. Each date is
#: one seek in an index holding it (migration 0010): for 100,000 families this costs SQLite
#: less than grouping the contacts and reminders, and leaves nothing to merge here.
_ROWS = (
    "SELECT id, code, person_name, person_phone, district, closed, closure_reason,"
    " (SELECT max(date) FROM contact WHERE family_id = family.id),"
    " (SELECT min(due) FROM reminder WHERE done IS NULL AND family_id = family.id)"
    " FROM family"
)


class _RowBuilder:
    """Turns the raw columns of families into rows, sharing what repeats between them."""

    def __init__(self, session: Session) -> None:
        self._catalogue = districts(session)
        # district code -> (the one shared code string, its label as searched)
        self._districts: dict[str | None, tuple[str | None, str]] = {None: (None, "")}
        self._reasons: dict[str | None, str | None] = {None: None}
        self.days = _Days()

    def _district(self, code: str | None) -> tuple[str | None, str]:
        found = self._districts[code] = (code, self._catalogue.label(code).casefold())
        return found

    def rows(self, families: Iterable[tuple[Any, ...]]) -> list[FamilyRow]:
        # Hot loop (100,000 rows): names bound locally, the tuple made without _make.
        days, reasons, known, district_of = (
            self.days,
            self._reasons,
            self._districts,
            self._district,
        )
        new, cls = tuple.__new__, FamilyRow
        digits_of = phone_digits
        rows: list[FamilyRow] = []
        append = rows.append
        for fid, code, name, phone, district, closed, reason, contact, due in families:
            name = name or ""
            if phone:
                # Most numbers are digits and blanks: no pattern needed for their digits,
                # and every word found in them as typed is found in the digits alone.
                searched = phone.replace(" ", "")
                if not searched.isdigit() or searched.startswith("0049"):
                    searched = f"{phone} {digits_of(phone)}"
            else:
                phone = searched = ""
            district, label = known.get(district) or district_of(district)
            if reason not in reasons:
                reasons[reason] = reason
            append(
                new(
                    cls,
                    (
                        fid,
                        code,
                        name,
                        phone,
                        district,
                        days[closed],
                        days[contact],
                        days[due],
                        f"{code} {name} {searched} ".casefold() + label,
                        reasons[reason],
                    ),
                )
            )
        return rows


#: Raw rows fetched at a time: fewer of them alive at once keep the peak memory down.
_FETCH = 5_000


def load_page(
    session: Session, after: str | None = None, limit: int = -1, descending: bool = False
) -> list[FamilyRow]:
    """Up to ``limit`` rows (-1: all) in code order, those after the code ``after``
    (``descending``: the reverse order, those before it).

    Pages follow each other through the code index, each in milliseconds per thousand
    rows, so the window can show a screenful at once and read the rest page by page
    while other work for the vault gets its turn in between.
    """
    builder = _RowBuilder(session)
    where, order = (" WHERE code < ?", " DESC") if descending else (" WHERE code > ?", "")
    sql = _ROWS + (where if after is not None else "") + f" ORDER BY code{order} LIMIT ?"
    # The DB-API cursor, not SQLAlchemy's result: its row objects cost a tenth of the time.
    cursor = session.connection().connection.cursor()
    rows: list[FamilyRow] = []
    try:
        cursor.execute(sql, (after, limit) if after is not None else (limit,))
        while found := cursor.fetchmany(_FETCH):
            rows += builder.rows(found)
    finally:
        cursor.close()
    return rows


def load_rows(session: Session) -> list[FamilyRow]:
    """Every family as a list row, in code order.

    One plain query: SQLAlchemy's row processing would double the time for 100,000 rows.
    """
    return load_page(session)


def load_row(session: Session, family_id: int) -> FamilyRow | None:
    """One family as a list row (after it changed), or None if it is gone."""
    found = session.connection().exec_driver_sql(_ROWS + " WHERE id = ?", (family_id,))
    rows = _RowBuilder(session).rows(found)
    return rows[0] if rows else None


def load_people(session: Session) -> list[FamilyRow]:
    """Every family's code, name and phone, as rows without dates, district or haystack:
    what a duplicate check compares, read in a fraction of the list's time."""
    cursor = session.connection().connection.cursor()
    try:
        found = cursor.execute(
            "SELECT id, code, person_name, person_phone FROM family ORDER BY code"
        ).fetchall()
    finally:
        cursor.close()
    new, cls = tuple.__new__, FamilyRow
    return [
        new(cls, (fid, code, name or "", phone or "", None, None, None, None, "", None))
        for fid, code, name, phone in found
    ]


class Status(Enum):
    ALL = "all"
    OPEN = "open"
    CLOSED = "closed"


#: The reason filter's choice for closed families without a reason (older data).
NO_REASON = "unknown"


@dataclass
class Filter:
    text: str = ""
    status: Status = Status.ALL
    district: str | None = None
    due_only: bool = False
    #: Only families closed for this reason (a code, or :data:`NO_REASON`).
    reason: str | None = None


def matcher(flt: Filter, today: dt.date) -> Callable[[FamilyRow], bool]:
    """A predicate for rows that pass the search text and every filter."""
    words = flt.text.casefold().split()
    status, district, due_only, reason = flt.status, flt.district, flt.due_only, flt.reason

    def ok(row: FamilyRow) -> bool:
        if status is Status.OPEN and row.closed is not None:
            return False
        if status is Status.CLOSED and row.closed is None:
            return False
        if district is not None and row.district != district:
            return False
        if reason is not None and (
            row.closed is None or (row.closure_reason or NO_REASON) != reason
        ):
            return False
        if due_only and not row.is_due(today):
            return False
        hay = row.haystack
        return all(w in hay for w in words)

    return ok


def apply_filter(rows: Iterable[FamilyRow], flt: Filter, today: dt.date) -> list[FamilyRow]:
    words = flt.text.casefold().split()
    if flt == Filter(text=flt.text):  # search text only: the common case, kept tight
        # One tight pass per word over what the words before it left: each a few ms for
        # 100,000 rows, where one predicate testing all words took ten times as long.
        found = list(rows)
        for word in words:
            found = [row for row in found if word in row.haystack]
        return found
    ok = matcher(flt, today)
    return [row for row in rows if ok(row)]


#: Sort keys of the list columns; missing dates sort first.
SORT_KEYS: dict[str, Callable[[FamilyRow], object]] = {
    "code": lambda r: r.code,
    "name": lambda r: r.name.casefold(),
    "phone": lambda r: r.phone,
    "district": lambda r: r.district or "",
    "last_contact": lambda r: r.last_contact or dt.date.min,
    "next_due": lambda r: r.next_due or dt.date.max,
    "status": lambda r: r.closed or dt.date.min,
}
