"""Fixtures for driving the real windows on a real vault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lotse.casework import families
from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput
from lotse.ui import workers
from lotse.ui.app import build_main_window
from lotse.ui.main_window import MainWindow
from lotse.vault import Vault


@pytest.fixture
def main_window(vault: Vault, qtbot: QtBot) -> Iterator[MainWindow]:
    window = build_main_window(vault)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.idle.stop()
    workers.wait_all()


@pytest.fixture
def on_modal(qtbot: QtBot) -> Callable[..., None]:
    """Run ``handler(dialog)`` on the next modal dialog (opened by ``exec()`` afterwards).

    Only a dialog of type ``kind`` counts (a progress dialog may come first). The handler
    must close the dialog; if it fails, the dialog is rejected so the test
    reports the failure instead of hanging.
    """

    def arm(handler: Callable[[QWidget], None], kind: type[QWidget] = QWidget) -> None:
        def poll(tries: int = 0) -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or not isinstance(dialog, kind):
                if tries < 200:
                    QTimer.singleShot(10, lambda: poll(tries + 1))
                return
            try:
                handler(dialog)
            finally:
                if dialog.isVisible():
                    dialog.close()

        QTimer.singleShot(0, poll)

    return arm


AddFamily = Callable[..., int]


@pytest.fixture
def add_family(vault: Vault) -> AddFamily:
    """Records a family with a first contact three days ago; returns its id."""

    def add(name: str, phone: str = "", district: str | None = None) -> int:
        return families.record_first_contact(
            vault,
            FamilyInput(person_name=name, person_phone=phone, district=district),
            ContactInput(date=dt.date.today() - dt.timedelta(days=3)),
        ).family_id

    return add
