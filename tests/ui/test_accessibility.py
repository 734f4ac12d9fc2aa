"""Every input has an accessible name, and every window fits a 1366×768 screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from lotse.ui.family_form import FamilyForm
from lotse.ui.followup_dialogs import ContactDialog, ReferralDialog, ReminderDialog, StatusDialog
from lotse.ui.main_window import MainWindow
from lotse.ui.settings_dialog import SettingsDialog
from lotse.ui.unlock_window import UnlockWindow
from lotse.ui.wizard import FirstStartWizard
from lotse.usecases import VaultAPI

SCREEN_W, SCREEN_H = 1366, 768


def _inputs(widget: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QCheckBox):
        for child in widget.findChildren(kind):
            parent = child.parentWidget()
            if isinstance(child, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
                continue  # the line edit inside a spin box or combo box is part of it
            found.append(child)
    return found


def _windows(api: VaultAPI, family_id: int, tmp: Path) -> dict[str, Callable[[], QWidget]]:
    return {
        "first contact": lambda: FamilyForm(api),
        "edit family": lambda: FamilyForm(api, api.families.get(family_id)),
        "contact": lambda: ContactDialog(api, family_id),
        "referral": lambda: ReferralDialog(api, family_id),
        "status": lambda: StatusDialog(api, 1, "suggested"),
        "reminder": lambda: ReminderDialog(api, family_id),
        "settings": lambda: SettingsDialog(api, api.settings.form()),
        "unlock": lambda: UnlockWindow(tmp),
        "wizard": lambda: FirstStartWizard(tmp / "new"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "first contact",
        "edit family",
        "contact",
        "referral",
        "status",
        "reminder",
        "settings",
        "unlock",
        "wizard",
    ],
)
def test_inputs_named_and_window_fits(
    name: str, api: VaultAPI, qtbot: QtBot, tmp_path: Path, add_family: Callable[..., int]
) -> None:
    family_id = add_family("Anna Schäfer")
    widget = _windows(api, family_id, tmp_path)[name]()
    qtbot.addWidget(widget)
    widget.show()
    unnamed = [type(w).__name__ for w in _inputs(widget) if not w.accessibleName().strip()]
    assert unnamed == [], f"{name}: inputs without an accessible name: {unnamed}"
    assert widget.width() <= SCREEN_W and widget.height() <= SCREEN_H
    hint = widget.minimumSizeHint()
    assert hint.width() <= SCREEN_W and hint.height() <= SCREEN_H


def test_main_window_fits(main_window: MainWindow) -> None:
    hint = main_window.minimumSizeHint()
    assert hint.width() <= SCREEN_W and hint.height() <= SCREEN_H
    assert main_window.families.search.accessibleName() == "Familien suchen"
    assert main_window.families.table.accessibleName() == "Familien"
