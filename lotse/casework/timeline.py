"""One timeline of a family: contacts, referrals with their status history, reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.catalogues import (
    CONTACT_KINDS,
    REFERRAL_MODES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
)
from lotse.db.models import Contact, Family, Referral, ReferralStatusChange, Reminder
from lotse.domain.origin import is_senders
from lotse.i18n import _


class Kind(Enum):
    CONTACT = "contact"
    REFERRAL = "referral"
    STATUS = "status"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Entry:
    date: dt.date
    kind: Kind
    #: the id of the contact, referral or reminder (a status change points to its referral)
    ref_id: int
    title: str
    details: str
    order: int = 0  # ties on the same date: later-created first
    #: The service a handed-over family came from, if this entry is its history (issue 14):
    #: shown as such and not changed here. "" for this vault's own work.
    sender: str = ""

    @property
    def editable(self) -> bool:
        return not self.sender


def _date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def family_timeline(session: Session, family_id: int) -> list[Entry]:
    """Everything that happened with the family, newest first."""
    entries: list[Entry] = []
    family = session.get(Family, family_id)
    origin = family.origin_date if family is not None else None
    service = (family.origin_service if family is not None else None) or _("abgebender Dienst")

    def sender(date: dt.date) -> str:
        return service if is_senders(origin, date) else ""

    for c in session.scalars(select(Contact).where(Contact.family_id == family_id)):
        parts = []
        if c.minutes is not None:
            parts.append(_("{n} Min.").format(n=c.minutes))
        if c.setting:
            parts.append(SETTINGS.label(c.setting))
        if c.topics:
            parts.append(", ".join(TOPICS.label(t.topic) for t in c.topics))
        if c.notes:
            parts.append(c.notes)
        entries.append(
            Entry(
                c.date,
                Kind.CONTACT,
                c.id,
                CONTACT_KINDS.label(c.kind),
                " · ".join(parts),
                c.id,
                sender(c.date),
            )
        )
    referrals = list(session.scalars(select(Referral).where(Referral.family_id == family_id)))
    targets = {r.id: REFERRAL_TARGETS.label(r.target) for r in referrals}
    for r in referrals:
        details = _("Stand: {status}").format(status=REFERRAL_STATUSES.label(r.status))
        if r.mode:
            details += " · " + REFERRAL_MODES.label(r.mode)
        if r.notes:
            details += " · " + r.notes
        entries.append(
            Entry(
                r.date,
                Kind.REFERRAL,
                r.id,
                _("Vermittlung an {target}").format(target=targets[r.id]),
                details,
                r.id,
                sender(r.date),
            )
        )
    if referrals:
        changes = session.scalars(
            select(ReferralStatusChange).where(ReferralStatusChange.referral_id.in_(list(targets)))
        )
        by_referral = {r.id: r for r in referrals}
        for ch in changes:
            referral = by_referral[ch.referral_id]
            if ch.date == referral.date and ch.status == "suggested":
                continue  # the referral's own line already says it was made
            entries.append(
                Entry(
                    ch.date,
                    Kind.STATUS,
                    ch.referral_id,
                    _("Vermittlung an {target}: {status}").format(
                        target=targets[ch.referral_id], status=REFERRAL_STATUSES.label(ch.status)
                    ),
                    _("Stand geändert am {date}").format(date=_date(ch.date)),
                    ch.id,
                    sender(by_referral[ch.referral_id].date),
                )
            )
    for m in session.scalars(select(Reminder).where(Reminder.family_id == family_id)):
        state = (
            _("erledigt am {date}").format(date=_date(m.done))
            if m.done
            else _("offen, fällig am {date}").format(date=_date(m.due))
        )
        entries.append(
            Entry(
                m.due,
                Kind.REMINDER,
                m.id,
                _("Wiedervorlage: {text}").format(text=m.text),
                state,
                m.id,
            )
        )
    kind_rank = {Kind.REMINDER: 3, Kind.STATUS: 2, Kind.REFERRAL: 1, Kind.CONTACT: 0}
    entries.sort(key=lambda e: (e.date, kind_rank[e.kind], e.order), reverse=True)
    return entries
