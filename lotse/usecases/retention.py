"""Retention: families whose accompaniment ended more than ``retention_months`` ago go.

The period is the option ``retention_months`` (:mod:`lotse.options`; 0, the built-in
value, means no automatic erasure). A family is *due* on the first day its case was closed
more than that many months before (closed 31 January, 6 months: due on 1 August) and is
then erased with every record of it (:func:`lotse.usecases.erasure.erase_family`); closed
periods keep their figures.

- Locked by the machine policy: the organisation decided, so due families are erased at
  the first unlock on or after their day (:meth:`RetentionAPI.apply_locked`, which the
  use-case API runs when it opens a vault), all in one transaction; "Heute" announces
  them :data:`ANNOUNCE_DAYS` days ahead.
- Otherwise (a default of the policy, or the vault's own setting): "Heute" lists the due
  families and the navigator confirms (:meth:`RetentionAPI.run`), as ``lotse retention
  run`` does; ``--dry-run`` only lists them.

Every run is logged (``retention_run``, with the codes), each family as well
(``family_erased`` with reason ``retention``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse import options
from lotse.db.models import Family
from lotse.usecases.access import VaultAccess
from lotse.usecases.erasure import Erased, erase_family
from lotse.vault import audit

#: Days ahead "Heute" names families that a locked retention will erase.
ANNOUNCE_DAYS = 30
OPTION = "retention_months"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later; the end of a shorter month where the day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(closed: dt.date, months: int) -> dt.date:
    """The first day a case closed on ``closed`` was closed more than ``months`` ago."""
    return add_months(closed, months) + dt.timedelta(days=1)


@dataclass(frozen=True)
class DueFamily:
    family_id: int
    code: str
    closed: dt.date
    #: The day it is (or was) due for erasure.
    due: dt.date


@dataclass(frozen=True)
class RetentionState:
    """What "Heute" shows about retention."""

    months: int
    #: Whether the machine policy locks the period (erased at unlock, no question asked).
    locked: bool
    #: Families due now.
    due: tuple[DueFamily, ...]
    #: Families due within :data:`ANNOUNCE_DAYS` days.
    upcoming: tuple[DueFamily, ...]


@dataclass(frozen=True)
class RetentionRun:
    months: int
    #: The families due (with ``dry_run``: that would be erased).
    due: tuple[DueFamily, ...]
    #: What was erased (empty with ``dry_run``).
    erased: tuple[Erased, ...]
    dry_run: bool


def _families(session: Session, months: int, until: dt.date) -> list[DueFamily]:
    """Closed families due on or before ``until``, oldest case first."""
    if months <= 0:
        return []
    # Every family closed by this day is due by ``until`` (months ≥ 1: no more than that).
    latest = add_months(until, -months)
    rows = session.execute(
        select(Family.id, Family.code, Family.closed)
        .where(Family.closed.is_not(None), Family.closed <= latest)
        .order_by(Family.closed, Family.code)
    )
    found = [DueFamily(fid, code, closed, due_on(closed, months)) for fid, code, closed in rows]
    return [f for f in found if f.due <= until]


class RetentionAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def state(self, today: dt.date) -> RetentionState:
        """The period in force, the families due and those due within 30 days."""
        with self._access.read() as session:
            months = int(options.get(session, OPTION))
            ahead = _families(session, months, today + dt.timedelta(days=ANNOUNCE_DAYS))
        due = tuple(f for f in ahead if f.due <= today)
        upcoming = tuple(f for f in ahead if f.due > today)
        return RetentionState(months, options.is_locked(OPTION), due, upcoming)

    def run(self, today: dt.date, dry_run: bool = False) -> RetentionRun:
        """Erase every family due today, all in one transaction (``dry_run``: list them)."""
        with self._access.write() as session:
            months = int(options.get(session, OPTION))
            due = tuple(_families(session, months, today))
            if dry_run or not due:
                return RetentionRun(months, due, (), dry_run)
            erased = tuple(
                erase_family(session, self._access.vault, family.family_id, "retention")
                for family in due
            )
            audit.append(
                session,
                "retention_run",
                months=months,
                locked=options.is_locked(OPTION),
                families=[e.code for e in erased],
            )
            return RetentionRun(months, due, erased, False)

    def apply_locked(self, today: dt.date | None = None) -> RetentionRun | None:
        """At unlock: erase what is due when the policy locks the period (else nothing)."""
        if not options.is_locked(OPTION):
            return None
        return self.run(today or dt.date.today())
