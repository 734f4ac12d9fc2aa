"""The German command line's --help is German throughout, argparse's own lines included."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _help(language: str, *args: str) -> str:
    env = {**os.environ, "LOTSE_LANG": language}
    done = subprocess.run(
        [sys.executable, "-m", "lotse", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_version_help_is_german_in_the_german_cli() -> None:
    text = _help("de")
    assert "die Versionsnummer zeigen und beenden" in text
    assert "show program's version number and exit" not in text
    assert "diese Hilfe zeigen und beenden" in text


@pytest.mark.parametrize("command", ["init", "import", "export", "report", "backup"])
def test_no_english_argparse_lines_in_german_help(command: str) -> None:
    text = _help("de", command)
    for english in ("show this help", "usage:", "options:", "positional arguments"):
        assert english not in text


def test_english_cli_keeps_english() -> None:
    assert "show program's version number and exit" in _help("en")
