"""Fixtures for driving the real windows on a real vault."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lotse.ui import ops, workers
from lotse.ui.app import build_main_window
from lotse.ui.main_window import MainWindow
from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.vault import Vault
from tests.conftest import documented

Settle = Callable[[], None]


@pytest.fixture
def api(vault: Vault) -> Iterator[VaultAPI]:
    """The use-case API the windows get; no operation outlives the test's vault."""
    api = VaultAPI(vault)
    yield api
    workers.wait_all()
    api.close()  # results still on their way are dropped, not shown


@pytest.fixture
def settle(qtbot: QtBot) -> Settle:
    """Wait until every vault operation started so far has been handled by its window."""

    def wait() -> None:
        qtbot.waitUntil(lambda: not ops.busy(), timeout=15000)

    return wait


@pytest.fixture
def main_window(api: VaultAPI, qtbot: QtBot, settle: Settle) -> Iterator[MainWindow]:
    window = build_main_window(api)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settle()
    yield window
    window.idle.stop()
    workers.wait_all()


@pytest.fixture
def on_modal(qtbot: QtBot) -> Callable[..., None]:
    """Run ``handler(dialog)`` on the next modal dialog (opened by ``exec()`` afterwards).

    Only a dialog of type ``kind`` counts (a progress dialog may come first). The handler
    closes the dialog or starts saving it (saving runs off the UI thread and closes it when
    stored); a dialog left open otherwise, or by a failing handler, is closed so the test
    reports instead of hanging.
    """

    def arm(handler: Callable[[QWidget], None], kind: type[QWidget] = QWidget) -> None:
        def poll(tries: int = 0) -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or not isinstance(dialog, kind):
                if tries < 300:
                    QTimer.singleShot(10, lambda: poll(tries + 1))
                return
            failed = True
            try:
                handler(dialog)
                failed = False
            finally:
                saving = getattr(dialog, "is_saving", lambda: False)()
                if dialog.isVisible() and (failed or not saving):
                    dialog.close()

        QTimer.singleShot(0, poll)

    return arm


AddFamily = Callable[..., int]


@pytest.fixture
def add_family(api: VaultAPI) -> AddFamily:
    """Records a family with a first contact three days ago; returns its id."""

    def add(name: str, phone: str = "", district: str | None = None) -> int:
        return api.families.record_first_contact(
            FamilyInput(
                person_name=name,
                person_phone=phone,
                district=district,
                consents=documented(),
            ),
            ContactInput(date=dt.date.today() - dt.timedelta(days=3)),
        ).family_id

    return add
