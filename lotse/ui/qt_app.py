"""The Qt application object and the window icon, shared by every window.

Kept apart from :mod:`lotse.ui.app` (which starts the windows) so the windows can use
them without importing the module that imports them.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from lotse.resources import resource_path
from lotse.ui import gc_guard


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ("lotse.svg", "lotse.png"):
        path = resource_path("icons", name)
        if path.is_file():
            icon.addFile(str(path))
    return icon


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("Lotse")
        app.setOrganizationName("Lotse")
        app.setWindowIcon(app_icon())
    assert isinstance(app, QApplication)
    # Before any vault thread runs: no Qt object may be collected on one.
    gc_guard.install(app)
    return app
