"""Runs tests/e2e/test_xvfb_flow.py in a real X server (xvfb-run, the xcb platform)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lotse.ui.family_form import FamilyForm
from lotse.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

# The flow needs the issue-9 window (drafts, banner) written beside issue 11's consent
# widget in family_form.py and main_window.py; until those are committed it would fail.
if not hasattr(FamilyForm, "is_empty_first_contact") or not hasattr(MainWindow, "view_state"):
    pytest.skip(
        "issue-9 window work in family_form.py/main_window.py not committed yet",
        allow_module_level=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("xvfb-run") is None and not os.environ.get("CI"),
    reason="xvfb-run is not installed (tools/system-deps.sh installs it; on CI it must be)",
)
def test_the_real_app_under_xvfb() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", LOTSE_XVFB_INNER="1")
    env["LOTSE_TEST_IDLE_MS"] = "3000"
    run = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rA",
            "tests/e2e/test_xvfb_flow.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "PASSED tests/e2e/test_xvfb_flow.py" in run.stdout, run.stdout[-2000:]
