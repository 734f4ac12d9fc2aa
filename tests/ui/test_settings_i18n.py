"""Settings dialog (policy-locked fields greyed out), language switch, English catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from lotse import i18n
from lotse.casework.profile import preference
from lotse.policy import Policy, set_current_policy
from lotse.ui.main_window import MainWindow
from lotse.ui.qt_i18n import apply_language
from lotse.ui.settings_dialog import SettingsDialog
from lotse.vault import Vault


@pytest.fixture
def policy_locks_minutes() -> Iterator[None]:
    set_current_policy(Policy(locked={"lock_after_minutes": 3}))
    yield
    set_current_policy(None)


@pytest.fixture
def back_to_german() -> Iterator[None]:
    yield
    apply_language("de")


def test_english_catalogue_has_real_ui_strings(back_to_german: None) -> None:
    apply_language("en")
    assert i18n._("Neuer Erstkontakt") == "New first contact"
    assert i18n._("Familien") == "Families"
    assert i18n._("Die Passphrase ist falsch.") == "The passphrase is wrong."


def test_settings_saved_and_locked_field_greyed(
    vault: Vault, qtbot: QtBot, policy_locks_minutes: None
) -> None:
    dialog = SettingsDialog(vault)
    qtbot.addWidget(dialog)
    assert not dialog.lock_minutes.isEnabled()
    note = dialog.findChild(QWidget, "locked_lock_after_minutes")
    assert note is not None and note.text() == "vom Administrator festgelegt"
    assert dialog.lock_minutes.value() == 3
    dialog.organisation.setText("Stadt Oberhausen")
    dialog.name.setText("Maria Muster")
    dialog.save()
    assert preference(vault, "organisation") == "Stadt Oberhausen"
    assert preference(vault, "lock_after_minutes") == 3


def test_language_switch_at_runtime(
    vault: Vault,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Callable[[Callable[[QWidget], None]], None],
    back_to_german: None,
) -> None:
    assert main_window.tabs.tabText(1) == "Familien"

    def choose_english(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog.save()

    seen: list[str] = []
    main_window.language_chosen.connect(seen.append)
    on_modal(choose_english)
    main_window.open_settings()
    assert seen == ["en"]
    apply_language("en")
    main_window.retranslate()
    assert main_window.tabs.tabText(1) == "Families"
    assert main_window.families.model.headerData(4, Qt.Orientation.Horizontal) == "Last contact"
    assert preference(vault, "language") == "en"


def test_qt_standard_dialogs_speak_the_language(qtbot: QtBot, back_to_german: None) -> None:
    from PySide6.QtCore import QCoreApplication

    apply_language("de")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    apply_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
