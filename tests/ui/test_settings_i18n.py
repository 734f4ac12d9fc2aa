"""Settings dialog (policy-locked fields greyed out), language switch, English catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from lotse import i18n
from lotse.policy import Policy, set_current_policy
from lotse.ui.main_window import MainWindow
from lotse.ui.qt_i18n import apply_language
from lotse.ui.settings_dialog import SettingsDialog
from lotse.usecases import VaultAPI


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
    api: VaultAPI, qtbot: QtBot, policy_locks_minutes: None
) -> None:
    dialog = SettingsDialog(api, api.settings.form())
    qtbot.addWidget(dialog)
    assert not dialog.lock_minutes.isEnabled()
    note = dialog.findChild(QWidget, "locked_lock_after_minutes")
    assert note is not None and note.text() == "vom Administrator festgelegt"
    assert dialog.lock_minutes.value() == 3
    dialog.organisation.setText("Stadt Oberhausen")
    dialog.name.setText("Maria Muster")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
    assert api.settings.preference("organisation") == "Stadt Oberhausen"
    assert api.settings.preference("lock_after_minutes") == 3
    assert api.settings.profile().navigator_name == "Maria Muster"


def test_a_refused_setting_says_why_and_keeps_the_dialog_open(api: VaultAPI, qtbot: QtBot) -> None:
    dialog = SettingsDialog(api, api.settings.form())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.organisation.setText("Stadt\nBottrop")
    dialog.name.setText("Maria Muster")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
    assert dialog.isVisible() and dialog.problems.isVisible()
    assert dialog.problems.text()
    assert api.settings.preference("organisation") == ""
    assert api.settings.profile().navigator_name == ""


def test_language_switch_at_runtime(
    api: VaultAPI,
    settle: Callable[[], None],
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
    settle()
    assert seen == ["en"]
    apply_language("en")
    main_window.retranslate()
    assert main_window.tabs.tabText(1) == "Families"
    assert main_window.families.model.headerData(4, Qt.Orientation.Horizontal) == "Last contact"
    assert api.settings.preference("language") == "en"


def test_qt_standard_dialogs_speak_the_language(qtbot: QtBot, back_to_german: None) -> None:
    from PySide6.QtCore import QCoreApplication

    apply_language("de")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    apply_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
