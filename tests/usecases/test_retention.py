"""Retention through the use cases: locked by policy at unlock, confirmed otherwise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lotse.db.models import AuditEntry, Child, Consent, Contact, Family, Referral, Reminder
from lotse.policy import Policy, set_current_policy
from lotse.stats.period import parse_period
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.usecases.retention import ANNOUNCE_DAYS, add_months, due_on
from lotse.vault import Vault, erasures, open_vault
from tests.conftest import PASSPHRASE, documented

TODAY = dt.date(2026, 11, 20)
Q1_2019 = parse_period("2019-Q1")


def _closed_family(api: VaultAPI, first: dt.date, closed: dt.date | None, name: str) -> int:
    family = api.families.record_first_contact(
        FamilyInput(
            adults=2, children=[dt.date(2018, 6, 1)], person_name=name, consents=documented()
        ),
        ContactInput(date=first, minutes=45, notes="Gespräch"),
        [ReferralInput(first, "family_midwife", status="arrived")],
    ).family_id
    api.followups.add_reminder(family, ReminderInput(first, "nachfragen"))
    if closed is not None:
        data = api.families.get(family).data
        data.closed = closed
        api.families.update(family, data)
    return family


def _count(vault: Vault, model: type) -> int:
    with vault.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_due_day_is_the_first_day_after_the_period() -> None:
    assert due_on(dt.date(2026, 1, 31), 6) == dt.date(2026, 8, 1)
    assert due_on(dt.date(2026, 8, 31), 6) == dt.date(2027, 3, 1)  # 28 Feb + 1 day
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


def test_without_a_period_nothing_is_due(api: VaultAPI) -> None:
    _closed_family(api, dt.date(2019, 1, 10), dt.date(2019, 2, 1), "Alt")
    state = api.retention.state(TODAY)
    assert (state.months, state.due, state.upcoming) == (0, (), ())
    assert api.retention.run(TODAY).erased == ()


def test_a_default_period_lists_due_families_and_erases_them_when_confirmed(
    api: VaultAPI, vault: Vault
) -> None:
    set_current_policy(Policy(defaults={"retention_months": 12}))
    old = _closed_family(api, dt.date(2019, 1, 10), dt.date(2019, 2, 1), "Alt")
    soon = _closed_family(api, dt.date(2025, 10, 1), TODAY - dt.timedelta(days=360), "Bald")
    _closed_family(api, dt.date(2025, 10, 1), TODAY - dt.timedelta(days=200), "Später")
    _closed_family(api, dt.date(2026, 1, 1), None, "Offen")
    state = api.retention.state(TODAY)
    assert not state.locked
    assert [f.family_id for f in state.due] == [old]
    assert [f.family_id for f in state.upcoming] == [soon]
    assert state.upcoming[0].due <= TODAY + dt.timedelta(days=ANNOUNCE_DAYS)
    # Not locked: opening the vault erases nothing; the navigator decides.
    VaultAPI(vault)
    assert _count(vault, Family) == 4
    dry = api.retention.run(TODAY, dry_run=True)
    assert [f.family_id for f in dry.due] == [old] and dry.erased == ()
    assert _count(vault, Family) == 4
    run = api.retention.run(TODAY)
    assert [e.code for e in run.erased] == [state.due[0].code]
    assert _count(vault, Family) == 3
    with vault.session() as s:
        logged = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "retention_run")
        ).one()
    assert logged == {"months": 12, "locked": False, "families": [state.due[0].code]}


def test_locked_retention_erases_at_unlock_and_closed_periods_keep_their_figures(
    vault_dir: Path,
) -> None:
    api = VaultAPI.create(vault_dir, PASSPHRASE)
    old = [
        _closed_family(api, dt.date(2019, 1, 10), dt.date(2019, 3, 31), "Erika Alt"),
        _closed_family(api, dt.date(2019, 2, 10), dt.date(2020, 6, 30), "Hans Alt"),
    ]
    kept = _closed_family(api, dt.date(2019, 3, 1), None, "Noch Offen")
    api.statistics.close_period(Q1_2019, TODAY)
    before = api.statistics.figures(Q1_2019)
    assert before.closed and before.figures.totals["families_reached"] == 3
    codes = [api.families.get(f).code for f in old]
    api.close()

    set_current_policy(Policy(locked={"retention_months": 24}))
    with VaultAPI.open(vault_dir, PASSPHRASE) as api:
        assert [row.id for row in api.families.rows()] == [kept]
        after = api.statistics.figures(Q1_2019)
        assert after.closed and after.figures == before.figures
        state = api.retention.state(dt.date.today())
        assert state.locked and state.months == 24 and state.due == ()
    with open_vault(vault_dir, PASSPHRASE) as v, v.session() as s:
        # Every record of them went, in the same transaction.
        assert s.scalar(select(func.count()).select_from(Family)) == 1
        for model in (Child, Contact, Referral, Reminder, Consent):
            assert s.scalar(select(func.count()).select_from(model)) == 1, model
        erased = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "family_erased")
        ).all()
        assert sorted(e["family"] for e in erased) == sorted(codes)
        assert {e["reason"] for e in erased} == {"retention"}
        # On the erased list, so an older backup put back erases them again.
        key = erasures.list_key(s)
        assert key is not None
        listed = erasures.read_file(vault_dir / erasures.ERASED_NAME, key, v.vault_id)
        assert {erasures.code_hash(key, c) for c in codes} <= set(listed.entries)
        text = str(s.scalars(select(AuditEntry.details)).all())
    assert "Alt" not in text


def test_locked_retention_announces_what_is_due_within_30_days(api: VaultAPI) -> None:
    today = dt.date.today()
    closed = add_months(today, -6) + dt.timedelta(days=10)
    soon = _closed_family(api, closed - dt.timedelta(days=30), closed, "Bald")
    set_current_policy(Policy(locked={"retention_months": 6}))
    assert api.retention.apply_locked() is not None
    state = api.retention.state(today)
    assert state.locked and [f.family_id for f in state.upcoming] == [soon]
    assert api.families.get(soon).code


@pytest.mark.parametrize("months", [1, 36])
def test_a_family_closed_just_now_is_not_due(api: VaultAPI, months: int) -> None:
    set_current_policy(Policy(locked={"retention_months": months}))
    _closed_family(api, TODAY - dt.timedelta(days=3), TODAY, "Neu")
    assert api.retention.run(TODAY).erased == ()
