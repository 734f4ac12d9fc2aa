"""The "Heute" lists through the API."""

from __future__ import annotations

import datetime as dt

from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from tests.conftest import documented

TODAY = dt.date(2026, 5, 20)


def test_both_lists_in_one_read(api: VaultAPI) -> None:
    family = api.families.record_first_contact(
        FamilyInput(person_name="Anna Schäfer", consents=documented()),
        ContactInput(date=TODAY - dt.timedelta(days=30)),
    ).family_id
    api.followups.add_reminder(family, ReminderInput(TODAY, "heute"))
    api.followups.add_reminder(family, ReminderInput(TODAY + dt.timedelta(days=1), "morgen"))
    api.followups.add_referral(family, ReferralInput(TODAY - dt.timedelta(days=15), "midwife"))
    lists = api.today.lists(TODAY)
    assert lists.today == TODAY
    assert [(r.text, r.name) for r in lists.reminders] == [("heute", "Anna Schäfer")]
    assert [r.days_waiting(TODAY) for r in lists.referrals] == [15]
    assert list(lists.reminders) == api.today.due_reminders(TODAY)
    assert list(lists.referrals) == api.today.waiting_referrals(TODAY)
