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

from sqlalchemy.orm import Session

from lotse.options import districts


@dataclass(frozen=True, slots=True)
class FamilyRow:
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


def _haystack(code: str, name: str, phone: str, district_label: str) -> str:
    return " ".join((code, name, phone, phone_digits(phone), district_label)).casefold()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_rows(session: Session) -> list[FamilyRow]:
    """Every family as a list row, in code order.

    Three plain queries merged here: a join over the aggregates costs SQLite ten times
    more, and SQLAlchemy's row processing would double the time for 20,000 rows.
    """
    conn = session.connection()
    last_contact = dict(
        conn.exec_driver_sql(
            "SELECT family_id, max(date) FROM contact GROUP BY family_id"
        ).fetchall()
    )
    next_due = dict(
        conn.exec_driver_sql(
            "SELECT family_id, min(due) FROM reminder WHERE done IS NULL GROUP BY family_id"
        ).fetchall()
    )
    families = conn.exec_driver_sql(
        "SELECT id, code, person_name, person_phone, district, closed, closure_reason "
        "FROM family ORDER BY code"
    ).fetchall()
    catalogue = districts(session)
    labels: dict[str | None, str] = {None: ""}
    rows = []
    for fid, code, name, phone, district, closed, reason in families:
        if district not in labels:
            labels[district] = catalogue.label(district)
        name, phone = name or "", phone or ""
        rows.append(
            FamilyRow(
                fid,
                code,
                name,
                phone,
                district,
                _date(closed),
                _date(last_contact.get(fid)),
                _date(next_due.get(fid)),
                _haystack(code, name, phone, labels[district]),
                reason,
            )
        )
    return rows


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
        if not words:
            return list(rows)
        if len(words) == 1:
            word = words[0]
            return [row for row in rows if word in row.haystack]
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
