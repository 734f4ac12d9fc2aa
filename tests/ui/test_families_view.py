"""The families tab on a 1280×800 laptop screen: the window fits, no list column is cut."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from lotse.ui.app import build_main_window
from lotse.ui.main_window import MainWindow
from lotse.ui.qt_i18n import apply_language
from lotse.usecases import VaultAPI
from tests.ui.conftest import AddFamily, Settle


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param)
    yield request.param
    apply_language("de")


def test_family_list_shows_every_column_beside_the_detail_at_1280(
    language: str, api: VaultAPI, add_family: AddFamily, qtbot: QtBot, settle: Settle
) -> None:
    family = add_family("Katharina Hoffmann-Yılmaz", phone="0208 1234567")
    add_family("Aleksandra Lehmann", phone="0208 7654321")
    window = build_main_window(api)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.minimumSizeHint().width() <= 1280, language
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    settle()
    window.open_family(family)
    settle()
    qtbot.waitUntil(lambda: window.families.detail.family_id == family)

    view = window.families
    assert window.width() <= 1280
    table = view.table
    assert table.horizontalHeader().length() <= table.viewport().width(), language
    assert not table.horizontalScrollBar().isVisible(), language
    # The detail pane keeps room to read beside the list.
    assert view.splitter.sizes()[1] >= 400, view.splitter.sizes()
    window.idle.stop()
