"""The "Heute" list: reminders due by today and referrals waiting too long for an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lotse.db.models import Family, Referral, Reminder

#: A referral still "suggested" or "arranged" this many days after its last status change
#: is waiting for an answer (the issue's 14 days).
WAITING_DAYS = 14
OPEN_STATUSES = ("suggested", "arranged")


@dataclass(frozen=True)
class DueReminder:
    reminder_id: int
    family_id: int
    code: str
    name: str
    due: dt.date
    text: str


@dataclass(frozen=True)
class WaitingReferral:
    referral_id: int
    family_id: int
    code: str
    name: str
    date: dt.date
    target: str
    status: str
    since: dt.date

    def days_waiting(self, today: dt.date) -> int:
        return (today - self.since).days


def due_reminders(session: Session, today: dt.date) -> list[DueReminder]:
    """Open reminders due today or earlier, oldest first."""
    query = (
        select(Reminder.id, Family.id, Family.code, Family.person_name, Reminder.due, Reminder.text)
        .join(Family, Family.id == Reminder.family_id)
        .where(Reminder.done.is_(None), Reminder.due <= today)
        .order_by(Reminder.due, Family.code)
    )
    return [DueReminder(r, f, c, n or "", d, t) for r, f, c, n, d, t in session.execute(query)]


def waiting_referrals(session: Session, today: dt.date) -> list[WaitingReferral]:
    """Referrals of open families with no answer for more than :data:`WAITING_DAYS` days."""
    since = func.coalesce(Referral.status_date, Referral.date)
    limit = today - dt.timedelta(days=WAITING_DAYS)
    query = (
        select(
            Referral.id,
            Family.id,
            Family.code,
            Family.person_name,
            Referral.date,
            Referral.target,
            Referral.status,
            since,
        )
        .join(Family, Family.id == Referral.family_id)
        .where(Referral.status.in_(OPEN_STATUSES), since < limit, Family.closed.is_(None))
        .order_by(since, Family.code)
    )
    return [
        WaitingReferral(r, f, c, n or "", d, t, s, dt.date.fromisoformat(str(w)))
        for r, f, c, n, d, t, s, w in session.execute(query)
    ]
