"""Locked values cannot be changed in the window, even if a field is forced."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lotse import settings
from lotse.db.models import Setting
from lotse.policy import Policy, set_current_policy
from lotse.ui.settings_dialog import SettingsDialog
from lotse.usecases import VaultAPI
from lotse.vault import Vault


def _dialog(vault: Vault, qtbot: QtBot) -> SettingsDialog:
    api = VaultAPI(vault)
    dialog = SettingsDialog(api, api.settings.form())
    qtbot.addWidget(dialog)
    return dialog


def _save(dialog: SettingsDialog, qtbot: QtBot) -> None:
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)


def test_locked_fields_are_greyed_and_never_stored(vault: Vault, qtbot: QtBot) -> None:
    set_current_policy(Policy(locked={"lock_after_minutes": 3, "organisation": "Stadt Oberhausen"}))
    dialog = _dialog(vault, qtbot)
    assert not dialog.lock_minutes.isEnabled()
    assert not dialog.organisation.isEnabled()
    assert dialog.organisation.text() == "Stadt Oberhausen"
    # Even a value forced into the disabled fields does not get past the lock.
    dialog.lock_minutes.setValue(30)
    dialog.organisation.setText("Anderer Träger")
    _save(dialog, qtbot)
    with vault.session() as session:
        stored = set(session.scalars(select(Setting.key)))
        assert settings.get(session, "lock_after_minutes") == 3
        assert settings.get(session, "organisation") == "Stadt Oberhausen"
    assert not stored & {"lock_after_minutes", "organisation"}


def test_a_wrong_value_is_refused_in_the_window_with_its_reason(vault: Vault, qtbot: QtBot) -> None:
    dialog = _dialog(vault, qtbot)
    dialog.organisation.setText("Stadt\nBottrop")  # pasted text can carry a line break
    _save(dialog, qtbot)
    assert dialog.problems.text() == (
        "Träger / Organisation: der Text darf keine Zeilenumbrüche enthalten."
    )
    assert not dialog.problems.isHidden()
    with vault.session() as session:
        assert settings.get(session, "organisation") == ""
        assert session.get(Setting, "organisation") is None
