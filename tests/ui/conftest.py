"""Fixtures for driving the real windows on a real vault."""

from __future__ import annotations

import datetime as dt
import time
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
def on_modal(qtbot: QtBot) -> Iterator[Callable[..., None]]:
    """Run ``handler(dialog)`` on the next modal dialog (opened by ``exec()`` afterwards).

    Only a dialog of type ``kind`` counts (a progress dialog may come first). The handler
    closes the dialog or starts saving it (saving runs off the UI thread and closes it when
    stored); a dialog left open otherwise, or by a failing handler, is closed so the test
    reports instead of hanging. The wait is long (a loaded CI machine may take seconds to
    open a dialog whose content comes from the vault thread) and ends with the test, so a
    handler never reaches a dialog of the next test.
    """
    live = [True]

    def arm(handler: Callable[[QWidget], None], kind: type[QWidget] = QWidget) -> None:
        deadline = time.monotonic() + 30

        def poll() -> None:
            if not live[0]:
                return
            dialog = QApplication.activeModalWidget()
            if dialog is None or not isinstance(dialog, kind):
                if time.monotonic() < deadline:
                    QTimer.singleShot(10, poll)
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

    yield arm
    live[0] = False


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
