"""The "Heute" use case: reminders due and referrals waiting for an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lotse.casework.today import DueReminder, WaitingReferral, due_reminders, waiting_referrals
from lotse.usecases.access import VaultAccess


@dataclass(frozen=True)
class TodayLists:
    today: dt.date
    reminders: tuple[DueReminder, ...]
    referrals: tuple[WaitingReferral, ...]


class TodayAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def lists(self, today: dt.date) -> TodayLists:
        """Both lists of the "Heute" view, read in one snapshot."""
        with self._access.read() as session:
            return TodayLists(
                today,
                tuple(due_reminders(session, today)),
                tuple(waiting_referrals(session, today)),
            )

    def due_reminders(self, today: dt.date) -> list[DueReminder]:
        with self._access.read() as session:
            return due_reminders(session, today)

    def waiting_referrals(self, today: dt.date) -> list[WaitingReferral]:
        with self._access.read() as session:
            return waiting_referrals(session, today)
