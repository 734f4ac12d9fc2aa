"""A referral's status history: given with the referral, kept in order, ending in its status.

(lotse/casework/followups.py; the records format carries the history, records.md, so it
must stay what the reader accepts: oldest first, the last step the current status.)
"""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.casework import families, followups
from lotse.casework.errors import CaseworkInputError
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, status_history
from lotse.casework.timeline import Kind, family_timeline
from lotse.domain.entities import ConsentData, StatusStep
from lotse.errors import BadInputError
from lotse.vault import Vault

D = dt.date(2026, 3, 2)
DAY = dt.timedelta(days=1)


@pytest.fixture
def family_id(vault: Vault) -> int:
    with vault.transaction() as s:
        # Consent to referrals: an accompanied referral passes the family's data on.
        family = FamilyInput(adults=1, consents=[ConsentData("referral", D)])
        return families.record_first_contact(s, family, ContactInput(D)).family_id


def _steps(vault: Vault, referral_id: int) -> list[tuple[str, dt.date]]:
    with vault.session() as s:
        return [(c.status, c.date) for c in status_history(s, referral_id)]


def test_a_referral_keeps_the_history_and_mode_it_is_given(vault: Vault, family_id: int) -> None:
    history = [StatusStep("suggested", D), StatusStep("arrived", D + 9 * DAY)]
    data = ReferralInput(
        D, "family_midwife", "arrived", D + 9 * DAY, mode="accompanied", history=history
    )
    with vault.transaction() as s:
        rid = followups.add_referral(s, family_id, data)
    assert _steps(vault, rid) == [("suggested", D), ("arrived", D + 9 * DAY)]
    with vault.session() as s:
        stored = followups.referral_input(s, rid)
    assert stored.mode == "accompanied"
    assert stored.history == history


def test_a_history_that_does_not_end_in_the_status_is_refused(vault: Vault, family_id: int) -> None:
    data = ReferralInput(D, "jobcenter", "arrived", history=[StatusStep("suggested", D)])
    with pytest.raises(CaseworkInputError), vault.transaction() as s:
        followups.add_referral(s, family_id, data)


def test_a_new_status_is_never_dated_before_the_last(vault: Vault, family_id: int) -> None:
    with vault.transaction() as s:
        rid = followups.add_referral(s, family_id, ReferralInput(D, "jobcenter"))
        followups.change_referral_status(s, rid, "arranged", D + 5 * DAY)
    with (
        pytest.raises(BadInputError, match="nicht vor dem letzten Stand"),
        vault.transaction() as s,
    ):
        followups.change_referral_status(s, rid, "arrived", D + 4 * DAY)
    with vault.transaction() as s:
        followups.change_referral_status(s, rid, "arrived", D + 5 * DAY)  # the same day is fine
    assert _steps(vault, rid) == [
        ("suggested", D),
        ("arranged", D + 5 * DAY),
        ("arrived", D + 5 * DAY),
    ]


def test_moving_a_referral_keeps_its_history_ending_in_its_status(
    vault: Vault, family_id: int
) -> None:
    with vault.transaction() as s:
        rid = followups.add_referral(s, family_id, ReferralInput(D, "jobcenter"))
    # Earlier: the first step moves with the date, and the status holds since then.
    with vault.transaction() as s:
        followups.update_referral(s, rid, ReferralInput(D - 3 * DAY, "jobcenter", mode="other"))
    with vault.session() as s:
        stored = followups.referral_input(s, rid)
    assert (stored.date, stored.status_date, stored.mode) == (D - 3 * DAY, D - 3 * DAY, "other")
    assert stored.history == [StatusStep("suggested", D - 3 * DAY)]


def test_the_timeline_says_how_a_referral_was_made(vault: Vault, family_id: int) -> None:
    data = ReferralInput(D, "family_midwife", mode="accompanied")
    with vault.transaction() as s:
        followups.add_referral(s, family_id, data)
    with vault.session() as s:
        entry = next(e for e in family_timeline(s, family_id) if e.kind is Kind.REFERRAL)
    assert entry.details == "Stand: Empfohlen · Zum ersten Termin begleitet"
