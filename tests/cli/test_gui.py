"""``lotse`` without a command: the window only through the entry point that has one."""

from __future__ import annotations

import pytest

from lotse.cli.gui import has_display
from lotse.cli.main import main


def test_the_command_line_alone_has_no_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    assert "Dieses Lotse hat kein Fenster" in capsys.readouterr().err


def test_a_display_is_any_of_the_three_variables() -> None:
    assert not has_display({})
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"})
    assert has_display({"QT_QPA_PLATFORM": "offscreen"})
