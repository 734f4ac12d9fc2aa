"""Use cases of a family's follow-ups: contacts, referrals and their status, reminders."""

from __future__ import annotations

import datetime as dt

from lotse.casework import followups
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput, StatusChange
from lotse.usecases.access import VaultAccess


class FollowupsAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    # -- contacts -----------------------------------------------------------------------------

    def add_contact(self, family_id: int, data: ContactInput) -> int:
        with self._access.write() as session:
            return followups.add_contact(session, family_id, data)

    def contact(self, contact_id: int) -> ContactInput:
        with self._access.read() as session:
            return followups.contact_input(session, contact_id)

    def update_contact(self, contact_id: int, data: ContactInput) -> None:
        with self._access.write() as session:
            followups.update_contact(session, contact_id, data)

    def delete_contact(self, contact_id: int) -> None:
        with self._access.write() as session:
            followups.delete_contact(session, contact_id)

    # -- referrals ----------------------------------------------------------------------------

    def add_referral(self, family_id: int, data: ReferralInput) -> int:
        with self._access.write() as session:
            return followups.add_referral(session, family_id, data)

    def referral(self, referral_id: int) -> ReferralInput:
        with self._access.read() as session:
            return followups.referral_input(session, referral_id)

    def update_referral(self, referral_id: int, data: ReferralInput) -> None:
        with self._access.write() as session:
            followups.update_referral(session, referral_id, data)

    def change_referral_status(self, referral_id: int, status: str, date: dt.date) -> None:
        with self._access.write() as session:
            followups.change_referral_status(session, referral_id, status, date)

    def status_history(self, referral_id: int) -> list[StatusChange]:
        with self._access.read() as session:
            return followups.status_history(session, referral_id)

    def delete_referral(self, referral_id: int) -> None:
        with self._access.write() as session:
            followups.delete_referral(session, referral_id)

    # -- reminders ----------------------------------------------------------------------------

    def add_reminder(self, family_id: int, data: ReminderInput) -> int:
        with self._access.write() as session:
            return followups.add_reminder(session, family_id, data)

    def reminder(self, reminder_id: int) -> ReminderInput:
        with self._access.read() as session:
            return followups.reminder_input(session, reminder_id)

    def update_reminder(self, reminder_id: int, data: ReminderInput) -> None:
        with self._access.write() as session:
            followups.update_reminder(session, reminder_id, data)

    def set_reminder_done(self, reminder_id: int, done: dt.date | None) -> None:
        with self._access.write() as session:
            followups.set_reminder_done(session, reminder_id, done)

    def toggle_reminder_done(self, reminder_id: int, today: dt.date) -> dt.date | None:
        """Done today if open, open again if done; returns the date it is done (or None)."""
        with self._access.write() as session:
            return followups.toggle_reminder_done(session, reminder_id, today)

    def delete_reminder(self, reminder_id: int) -> None:
        with self._access.write() as session:
            followups.delete_reminder(session, reminder_id)
