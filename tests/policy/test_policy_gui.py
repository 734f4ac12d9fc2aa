"""Locked values cannot be changed in the window, even if a field is forced."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lotse import settings
from lotse.db.models import Setting
from lotse.policy import Policy, set_current_policy
from lotse.ui.settings_dialog import SettingsDialog
from lotse.vault import Vault


def test_locked_fields_are_greyed_and_never_stored(vault: Vault, qtbot: QtBot) -> None:
    set_current_policy(Policy(locked={"lock_after_minutes": 3, "organisation": "Stadt Oberhausen"}))
    dialog = SettingsDialog(vault)
    qtbot.addWidget(dialog)
    assert not dialog.lock_minutes.isEnabled()
    assert not dialog.organisation.isEnabled()
    assert dialog.organisation.text() == "Stadt Oberhausen"
    # Even a value forced into the disabled fields does not get past the lock.
    dialog.lock_minutes.setValue(30)
    dialog.organisation.setText("Anderer Träger")
    dialog.save()
    with vault.session() as session:
        stored = set(session.scalars(select(Setting.key)))
        assert settings.get(session, "lock_after_minutes") == 3
        assert settings.get(session, "organisation") == "Stadt Oberhausen"
    assert not stored & {"lock_after_minutes", "organisation"}


def test_a_wrong_value_is_refused_in_the_window_with_its_reason(vault: Vault, qtbot: QtBot) -> None:
    dialog = SettingsDialog(vault)
    qtbot.addWidget(dialog)
    dialog.organisation.setText("Stadt\nBottrop")  # pasted text can carry a line break
    dialog.save()
    assert dialog.problems.text() == (
        "Träger / Organisation: der Text darf keine Zeilenumbrüche enthalten."
    )
    assert not dialog.problems.isHidden()
    with vault.session() as session:
        assert settings.get(session, "organisation") == ""
        assert session.get(Setting, "organisation") is None
