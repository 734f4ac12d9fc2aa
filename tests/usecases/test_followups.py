"""Follow-ups through the API: reminders toggled in one transaction, gone ones said so."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.errors import BadInputError
from lotse.usecases import ContactInput, FamilyInput, Kind, ReminderInput, VaultAPI
from tests.conftest import documented

D = dt.date(2026, 3, 2)


def test_reminder_done_and_open_again(api: VaultAPI) -> None:
    family = api.families.record_first_contact(
        FamilyInput(consents=documented()), ContactInput(date=D)
    ).family_id
    rid = api.followups.add_reminder(family, ReminderInput(D, "Kita anrufen"))
    assert api.followups.reminder(rid) == ReminderInput(D, "Kita anrufen")
    assert api.followups.toggle_reminder_done(rid, D) == D
    assert [e.details for e in api.families.timeline(family) if e.kind is Kind.REMINDER] == [
        "erledigt am 02.03.2026"
    ]
    assert api.today.lists(D).reminders == ()
    assert api.followups.toggle_reminder_done(rid, D) is None
    assert [r.text for r in api.today.lists(D).reminders] == ["Kita anrufen"]


def test_a_contact_deleted_elsewhere_is_said_to_be_gone(api: VaultAPI) -> None:
    family = api.families.record_first_contact(FamilyInput(), ContactInput(date=D)).family_id
    cid = api.followups.add_contact(family, ContactInput(date=D, kind="phone", minutes=5))
    assert api.followups.contact(cid).kind == "phone"
    api.followups.delete_contact(cid)
    with pytest.raises(BadInputError, match="nicht mehr vorhanden"):
        api.followups.update_contact(cid, ContactInput(date=D))
