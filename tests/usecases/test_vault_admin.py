"""Backup status, backup, passphrase change, key rotation and restore through the use cases."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from lotse import options
from lotse.errors import PassphraseRuleError, VaultDamagedError, WrongPassphraseError
from lotse.policy import Policy, set_current_policy
from lotse.usecases import ContactInput, FamilyInput, VaultAPI, vault_admin
from lotse.vault import backup, open_vault
from lotse.vault import header as hdr
from tests.conftest import PASSPHRASE, documented

NEW = "Wolkenbruch-Marmelade-Kompass-Dachrinne"


def _add(api: VaultAPI, name: str) -> int:
    return api.families.record_first_contact(
        FamilyInput(person_name=name, consents=documented()), ContactInput(date=dt.date(2026, 3, 2))
    ).family_id


def test_the_option_and_the_core_agree_on_seven_days() -> None:
    assert options.OPTIONS["backup_reminder_days"].default == backup.BACKUP_REMINDER_DAYS == 7
    assert options.OPTIONS["backup_reminder_days"].lockable


def test_no_backup_yet_is_due(api: VaultAPI) -> None:
    status = api.vault_admin.backup_status()
    assert status.last is None and status.due and status.reminder_days == 7
    assert status.days_since() is None


def test_a_backup_resets_the_reminder_until_the_interval_has_passed(
    api: VaultAPI, tmp_path: Path
) -> None:
    _add(api, "Wiebke Quarz")
    info = api.vault_admin.backup(tmp_path / "s.lotse")
    assert info.families == 1 and (tmp_path / "s.lotse").is_file()
    status = api.vault_admin.backup_status()
    assert status.last is not None and not status.due
    assert status.days_since() == 0
    later = status.last + dt.timedelta(days=7)
    assert api.vault_admin.backup_status(now=later).due
    assert not api.vault_admin.backup_status(now=later - dt.timedelta(minutes=1)).due


def test_the_policy_sets_the_reminder_interval(api: VaultAPI, tmp_path: Path) -> None:
    api.vault_admin.backup(tmp_path / "s.lotse")
    last = api.vault_admin.backup_status().last
    assert last is not None
    in_two_days = last + dt.timedelta(days=2)
    set_current_policy(Policy(defaults={"backup_reminder_days": 2}))
    assert api.vault_admin.backup_status(now=in_two_days).due
    # A default the vault may change (no window offers it yet; the rule is the option's).
    api.settings.save({"backup_reminder_days": 3})
    assert not api.vault_admin.backup_status(now=in_two_days).due
    # A locked value wins over the vault's own, and saving leaves it as it is.
    set_current_policy(Policy(locked={"backup_reminder_days": 2}))
    api.settings.save({"backup_reminder_days": 30})
    status = api.vault_admin.backup_status(now=in_two_days)
    assert status.reminder_days == 2 and status.due


def test_a_policy_value_out_of_range_is_refused() -> None:
    with pytest.raises(options.InvalidValue):
        options.validate("backup_reminder_days", 0)
    with pytest.raises(options.InvalidValue):
        options.validate("backup_reminder_days", 366)


def test_change_passphrase_checks_the_old_one_and_the_rules(api: VaultAPI, vault_dir: Path) -> None:
    with pytest.raises(WrongPassphraseError):
        api.vault_admin.change_passphrase("falsch-falsch-falsch", NEW)
    with pytest.raises(PassphraseRuleError):
        api.vault_admin.change_passphrase(PASSPHRASE, "Sommer2026!!")
    set_current_policy(Policy(locked={"min_passphrase_length": 50}))
    with pytest.raises(PassphraseRuleError, match="mindestens 50 Zeichen"):
        api.vault_admin.change_passphrase(PASSPHRASE, NEW)
    set_current_policy(None)
    api.vault_admin.change_passphrase(PASSPHRASE, NEW)
    api.close()
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_dir, PASSPHRASE)
    open_vault(vault_dir, NEW).close()


def test_rotation_makes_an_old_header_useless(
    api: VaultAPI, vault_dir: Path, tmp_path: Path
) -> None:
    _add(api, "Wiebke Quarz")
    old_header = tmp_path / "old-header.json"
    shutil.copy2(vault_dir / hdr.HEADER_NAME, old_header)
    api.vault_admin.change_passphrase(PASSPHRASE, NEW)
    api.vault_admin.rotate_key(NEW)
    # The vault works on under the new key in the same session.
    assert [row.name for row in api.families.rows()] == ["Wiebke Quarz"]
    api.close()
    shutil.copy2(old_header, vault_dir / hdr.HEADER_NAME)
    with pytest.raises(VaultDamagedError, match="älter"):
        open_vault(vault_dir, PASSPHRASE)


def test_restore_into_a_new_folder(api: VaultAPI, tmp_path: Path) -> None:
    _add(api, "Wiebke Quarz")
    api.vault_admin.backup(tmp_path / "s.lotse")
    with pytest.raises(WrongPassphraseError):
        vault_admin.restore(tmp_path / "s.lotse", tmp_path / "neu", "falsch-falsch-falsch")
    result = vault_admin.restore(tmp_path / "s.lotse", tmp_path / "neu", PASSPHRASE)
    assert result.moved_aside is None and result.generation == 2
    with VaultAPI.open(tmp_path / "neu", PASSPHRASE) as restored:
        assert [row.name for row in restored.families.rows()] == ["Wiebke Quarz"]


def test_strength_and_suggestions() -> None:
    weak = vault_admin.strength("Sommer2026!!")
    assert not weak.acceptable and weak.hints
    suggestion = vault_admin.suggest_passphrase()
    assert len(suggestion.split("-")) == 5 and vault_admin.strength(suggestion).acceptable
    vault_admin.check_new_passphrase(suggestion)
    assert vault_admin.suggestion_bits() == 55
    with pytest.raises(PassphraseRuleError):
        vault_admin.check_new_passphrase(suggestion, min_length=len(suggestion) + 1)
