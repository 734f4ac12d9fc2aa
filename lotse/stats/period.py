"""Reporting periods: the inclusive date ranges statistics are made for (statistics.md).

The forms are a quarter (``2026-Q3``), a year (``2026``), a month (``2026-08``) and an
explicit range (``2026-07-15..2026-08-31``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from lotse.domain.fields import DATE_MIN
from lotse.errors import BadInputError
from lotse.i18n import _

# re.ASCII: \d would also accept full-width and other Unicode digits.
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])", re.ASCII)
_YEAR = re.compile(r"(\d{4})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", re.ASCII)
_EARLIEST_YEAR = DATE_MIN.year


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar dates ``[start, end]`` with its label."""

    label: str
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _bad_form(text: str) -> BadInputError:
    return BadInputError(
        _(
            "Unbekannte Zeitraum-Angabe: „{text}“. Erlaubt sind ein Quartal (2026-Q3), ein "
            "Jahr (2026), ein Monat (2026-08) oder ein Bereich (2026-07-15..2026-08-31)."
        ).format(text=text)
    )


def _year(text: str, whole: str) -> int:
    year = int(text)
    if year < _EARLIEST_YEAR:
        raise _bad_form(whole)
    return year


def _day(text: str, whole: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadInputError(
            _("„{day}“ in „{text}“ ist kein gültiges Datum.").format(day=text, text=whole)
        ) from None
    if day.year < _EARLIEST_YEAR:
        raise _bad_form(whole)
    return day


def quarter(year: int, number: int) -> Period:
    """Quarter ``number`` (1–4) of ``year``."""
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return Period(
        f"{year}-Q{number}",
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def parse_period(text: str) -> Period:
    """The period ``text`` names; :class:`BadInputError` with a German message otherwise."""
    whole = text
    text = text.strip()
    if m := _QUARTER.fullmatch(text):
        return quarter(_year(m[1], whole), int(m[2]))
    if m := _YEAR.fullmatch(text):
        year = _year(m[1], whole)
        return Period(text, date(year, 1, 1), date(year, 12, 31))
    if m := _MONTH.fullmatch(text):
        year, month = _year(m[1], whole), int(m[2])
        if not 1 <= month <= 12:
            raise BadInputError(
                _("„{text}“: einen Monat {month} gibt es nicht.").format(text=whole, month=m[2])
            )
        return Period(
            text, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        )
    if m := _RANGE.fullmatch(text):
        start, end = _day(m[1], whole), _day(m[2], whole)
        if end < start:
            raise BadInputError(
                _("Im Zeitraum „{text}“ liegt das Ende vor dem Anfang.").format(text=whole)
            )
        return Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
    raise _bad_form(whole)


def quarter_of(day: date) -> Period:
    """The quarter ``day`` lies in."""
    return quarter(day.year, (day.month - 1) // 3 + 1)


def previous_quarter(today: date) -> Period:
    """The last quarter that has ended before ``today`` (what a team lead reports next)."""
    return quarter_of(quarter_of(today).start - timedelta(days=1))
