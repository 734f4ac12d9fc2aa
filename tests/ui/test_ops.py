"""VaultOp: use cases off the UI thread, results in order, nothing delivered to the gone."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from lotse.errors import BadInputError
from lotse.ui import workers
from lotse.ui.ops import VaultOp, busy
from lotse.usecases import VaultAPI

Modal = Callable[..., None]
Settle = Callable[[], None]


class Host(QWidget):
    """A widget of the window: it has the API its operations use."""

    def __init__(self, api: VaultAPI) -> None:
        super().__init__()
        self.api = api


def test_runs_off_the_ui_thread_and_reports_on_it(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    host = Host(api)
    qtbot.addWidget(host)
    ui_thread = threading.get_ident()
    seen: list[tuple[str, object]] = []

    def work(api: VaultAPI) -> int:
        seen.append(("work on the UI thread", threading.get_ident() == ui_thread))
        return api.groups.create_offer("Elterncafé")

    def done(offer_id: int) -> None:
        seen.append(("done on the UI thread", threading.get_ident() == ui_thread))
        seen.append(("offer", api.groups.offer(offer_id).title))

    VaultOp(host, work).success(done).run()
    assert busy()
    settle()
    assert seen == [
        ("work on the UI thread", False),
        ("done on the UI thread", True),
        ("offer", "Elterncafé"),
    ]


def test_results_arrive_in_the_order_the_operations_were_started(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    host = Host(api)
    qtbot.addWidget(host)
    order: list[str] = []
    titles = [f"Angebot {n}" for n in range(8)]
    for title in titles:
        VaultOp(host, lambda api, t=title: api.groups.create_offer(t) and t).success(
            order.append
        ).run()
    settle()
    assert order == titles


def test_progress_reaches_the_ui_thread(api: VaultAPI, qtbot: QtBot, settle: Settle) -> None:
    host = Host(api)
    qtbot.addWidget(host)
    reports: list[tuple[int, int]] = []

    def work(_api: VaultAPI, progress: Callable[[int, int], None]) -> None:
        for n in range(1, 4):
            progress(n, 3)

    VaultOp(host, work).with_progress(lambda d, t: reports.append((d, t))).run()
    settle()
    assert reports == [(1, 3), (2, 3), (3, 3)]


def test_an_error_the_user_can_act_on_is_shown_with_its_message(
    api: VaultAPI, qtbot: QtBot, settle: Settle, on_modal: Modal
) -> None:
    host = Host(api)
    qtbot.addWidget(host)
    shown: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    def refuse(_api: VaultAPI) -> None:
        raise BadInputError("Das geht so nicht.")

    on_modal(read, QMessageBox)
    VaultOp(host, refuse).success(lambda _r: shown.append("success")).run()
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    settle()
    assert shown == ["Das geht so nicht."]


def test_a_custom_failure_handler_gets_the_error(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    host = Host(api)
    qtbot.addWidget(host)
    errors: list[BaseException] = []
    VaultOp(host, lambda api: api.groups.offer(999)).failure(errors.append).run()
    settle()
    assert [type(e) for e in errors] == [BadInputError]
    assert "gibt es nicht mehr" in str(errors[0])


def test_nothing_is_delivered_to_a_deleted_parent(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    host = Host(api)
    delivered: list[object] = []
    gate = threading.Event()

    def slow(api: VaultAPI) -> int:
        gate.wait(5)
        return len(api.groups.offers())

    VaultOp(host, slow).success(delivered.append).failure(delivered.append).run()
    host.deleteLater()
    qtbot.waitUntil(lambda: not _alive(host), timeout=15000)
    gate.set()
    settle()
    assert delivered == []


def test_nothing_runs_or_arrives_once_the_vault_is_closed(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    host = Host(api)
    qtbot.addWidget(host)
    delivered: list[object] = []
    gate = threading.Event()

    def slow(api: VaultAPI) -> int:
        gate.wait(5)
        return 1

    VaultOp(host, slow).success(delivered.append).run()
    api.close()  # what locking does, while the operation still runs
    gate.set()
    workers.wait_all()
    settle()
    VaultOp(host, lambda api: api.groups.offers()).success(delivered.append).run()
    assert not busy()  # not even started
    assert delivered == []


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
