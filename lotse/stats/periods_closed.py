"""Closing reported periods: their figures are frozen as anonymous aggregates.

A closed period's report keeps its figures whatever happens to the records later
(statistics.md, "Closed periods"). Closing and reopening are written to the vault's log.

What is stored is :meth:`Figures.to_dict`: every total and breakdown, and the medians'
day-count distributions (so a closed period's package still merges its medians). A
period closed by an older Lotse lacks the casework figures; it reads them as 0 and its
report says so (:meth:`Figures.from_dict`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.db.models import ClosedPeriod, utcnow
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.stats.figures import closed_period_row, compute_figures
from lotse.stats.period import Period, parse_period
from lotse.vault import audit


@dataclass(frozen=True)
class ClosedPeriodInfo:
    """A closed period as listed for the user."""

    period: Period
    closed_at: dt.datetime


def close_period(session: Session, period: Period, today: dt.date | None = None) -> ClosedPeriod:
    """Freeze ``period``'s figures now; the period must have ended and not be closed yet."""
    today = today or dt.date.today()
    if period.end >= today:
        raise BadInputError(
            _(
                "Der Zeitraum {period} ist noch nicht zu Ende (bis {end}); abschließen lässt "
                "sich nur ein vergangener Zeitraum."
            ).format(period=period.label, end=period.end.strftime("%d.%m.%Y"))
        )
    if closed_period_row(session, period) is not None:
        raise BadInputError(
            _("Der Zeitraum {period} ist bereits abgeschlossen.").format(period=period.label)
        )
    if session.scalar(select(ClosedPeriod.id).where(ClosedPeriod.label == period.label)):
        raise BadInputError(
            _("Der Zeitraum {period} ist bereits abgeschlossen.").format(period=period.label)
        )
    figures = compute_figures(session, period)
    row = ClosedPeriod(
        label=period.label,
        start=period.start,
        end=period.end,
        figures=figures.to_dict(),
        closed_at=utcnow(),
    )
    session.add(row)
    audit.append(session, "period_closed", period=period.label, start=period.start, end=period.end)
    session.flush()
    return row


def reopen_period(session: Session, label: str) -> Period:
    """Drop the frozen figures of closed period ``label``; written to the log."""
    period = parse_period(label)
    row = closed_period_row(session, period)
    if row is None:
        raise BadInputError(
            _("Der Zeitraum {period} ist nicht abgeschlossen.").format(period=period.label)
        )
    audit.append(
        session,
        "period_reopened",
        period=row.label,
        start=row.start,
        end=row.end,
        closed_at=row.closed_at.isoformat(timespec="seconds"),
    )
    session.delete(row)
    session.flush()
    return Period(row.label, row.start, row.end)


def is_closed(session: Session, period: Period) -> bool:
    return closed_period_row(session, period) is not None


def list_closed(session: Session) -> list[ClosedPeriodInfo]:
    """Every closed period, oldest first."""
    rows = session.scalars(select(ClosedPeriod).order_by(ClosedPeriod.start, ClosedPeriod.end))
    return [ClosedPeriodInfo(Period(r.label, r.start, r.end), r.closed_at) for r in rows]
