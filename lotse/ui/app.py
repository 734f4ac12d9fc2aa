"""Starting the window: first-start wizard or unlock window, then the main window.

``run(args)`` is what ``lotse`` (no command) and ``lotse --demo`` call.
``build_main_window(vault)`` opens the main window on an already unlocked vault (the
packaging smoke test uses it without any user interaction).

Vaults are opened, created and closed on the one vault thread (:mod:`lotse.ui.workers`),
where every use case of the open vault runs too.

``--demo`` creates a throwaway vault in a new temporary folder, fills it with synthetic
families (off the UI thread) and shows the unlock window with the demo passphrase written
on it and already filled in; the folder is deleted when Lotse closes.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from lotse import i18n, policy
from lotse.settings import start_language
from lotse.ui.qt_app import app_icon, ensure_app

if TYPE_CHECKING:
    from lotse.usecases import VaultAPI, WindowSettings
    from lotse.vault import Vault

__all__ = ["LotseApp", "app_icon", "build_main_window", "ensure_app", "run", "start_language"]

DEMO_PASSPHRASE = "Lotse-Demo-2026"
DEMO_FAMILIES = 300


def build_main_window(
    vault: Vault | VaultAPI, window_settings: WindowSettings | None = None
) -> QMainWindow:
    """The main window on an unlocked vault (not shown; the caller shows or closes it)."""
    ensure_app()
    from lotse.ui.main_window import MainWindow
    from lotse.usecases import VaultAPI

    api = vault if isinstance(vault, VaultAPI) else VaultAPI(vault)
    return MainWindow(api, window_settings=window_settings)


class LotseApp(QObject):
    """Moves between wizard, unlock window and main window; owns the open vault."""

    def __init__(self, folder: Path, hint: str = "", prefill: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.hint = hint
        self.prefill = prefill
        #: the open vault's use cases (None while locked)
        self.api: VaultAPI | None = None
        self.window = None
        self.unlock_window = None
        self.wizard = None

    def start(self, preparing: bool = False) -> None:
        from lotse.vault import HEADER_NAME

        # Read once (the CLI entry point usually has); the windows show its problems.
        policy.install_machine_policy()
        if preparing or (self.folder / HEADER_NAME).is_file():
            self.show_unlock(ready=not preparing)
        else:
            self.show_wizard()

    def show_wizard(self) -> None:
        from lotse.ui.wizard import FirstStartWizard

        self.wizard = FirstStartWizard(self.folder)
        self.wizard.setWindowIcon(app_icon())
        self.wizard.finished.connect(self._wizard_done)
        # A backup restored instead: the unlock window comes before the wizard goes.
        self.wizard.restored.connect(self.show_unlock)
        self.wizard.show()

    def _wizard_done(self, _result: int) -> None:
        api = self.wizard.api if self.wizard else None
        if api is None:
            if not (self.wizard and self.wizard.restored_from_backup):
                QApplication.quit()
            return
        self.on_unlocked(api)

    def show_unlock(self, ready: bool = True) -> None:
        from lotse.ui.unlock_window import UnlockWindow

        if self.unlock_window is None:
            self.unlock_window = UnlockWindow(self.folder, self.hint)
            self.unlock_window.setWindowIcon(app_icon())
            self.unlock_window.unlocked.connect(self.on_unlocked)
        self.unlock_window.set_ready(ready)
        if self.prefill:
            self.unlock_window.passphrase.setText(self.prefill)
        self.unlock_window.show()
        self.unlock_window.raise_()
        # While the passphrase is typed: the window did not wait for the storage stack.
        QTimer.singleShot(PRELOAD_AFTER_MS, preload_storage)

    def on_unlocked(self, api: VaultAPI) -> None:
        """Read what the window starts with (off the UI thread), then open it."""
        from lotse.ui.ops import VaultOp

        self.api = api
        VaultOp(self, lambda api: api.settings.window()).success(self._open_window).failure(
            self._failed_to_open
        ).run()

    def _open_window(self, window_settings: WindowSettings) -> None:
        from lotse.ui.qt_i18n import apply_language

        language = window_settings.language
        if language and language != i18n.current_language():
            apply_language(language)
        assert self.api is not None
        self.window = build_main_window(self.api, window_settings)
        self.window.locked.connect(self.on_locked)
        self.window.language_chosen.connect(self.on_language)
        self.window.show()
        if self.unlock_window is not None:
            self.unlock_window.hide()

    def _failed_to_open(self, error: BaseException) -> None:
        from lotse.ui.ops import show_failure

        self.close_vault()
        if self.unlock_window is None:
            self.show_unlock()
        show_failure(self.unlock_window, error)

    def on_language(self, language: str) -> None:
        from lotse.ui.qt_i18n import apply_language

        apply_language(language)
        if self.window is not None:
            self.window.retranslate()
        if self.unlock_window is not None:
            self.unlock_window.deleteLater()
            self.unlock_window = None

    def on_locked(self) -> None:
        window, self.window = self.window, None
        # Show the unlock window first: with no window at all Qt would quit.
        self.show_unlock()
        if window is not None:
            window.hide()
            window.deleteLater()
        self.close_vault()

    def close_vault(self) -> None:
        from lotse.ui import workers

        if self.api is not None:
            api, self.api = self.api, None
            # On the vault thread, which opened it (and after any use case still queued).
            workers.close_on_vault_thread(api.close)


def _load_storage() -> None:
    # Python's import lock makes a later import of these on the UI or the vault thread
    # wait for this one to finish, never load them twice.
    import lotse.ui.ops  # the use cases, SQLAlchemy, SQLCipher
    import lotse.vault.vault  # noqa: F401


_preloading: threading.Thread | None = None
#: How long after the unlock window is shown the storage stack starts loading: not at
#: once, or the import would hold the interpreter while Qt draws the window; no one has
#: typed a passphrase this soon.
PRELOAD_AFTER_MS = 300


def preload_storage() -> None:
    """Import the storage stack on a background thread (once), while the user types."""
    global _preloading
    if _preloading is None:
        _preloading = threading.Thread(target=_load_storage, name="preload", daemon=True)
        _preloading.start()


def _demo_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="lotse-demo-")) / "vault"


def _fill_demo(folder: Path) -> None:
    from lotse.demo import generate_records
    from lotse.usecases import VaultAPI

    with VaultAPI.create(folder, DEMO_PASSPHRASE) as api:
        api.records.store(generate_records(DEMO_FAMILIES, seed=1), "demo")


def run(args: argparse.Namespace, folder: Path | None = None) -> int:
    """Open the window on the vault in ``folder``; returns the exit status at the end.

    ``folder`` is where the command line looks for the vault; ``--demo`` makes its own.
    """
    app = ensure_app()
    from lotse.ui.qt_i18n import apply_language

    apply_language(start_language())
    demo = bool(getattr(args, "demo", False))
    demo_root: Path | None = None
    if demo:
        from lotse.i18n import _

        folder = _demo_folder()
        demo_root = folder.parent
        controller = LotseApp(
            folder,
            hint=_(
                "Demo-Tresor mit synthetischen Familien (keine echten Daten). Passphrase: "
                "{passphrase} – schon eingetragen. Der Ordner wird beim Beenden gelöscht."
            ).format(passphrase=DEMO_PASSPHRASE),
            prefill=DEMO_PASSPHRASE,
        )
    else:
        if folder is None:
            raise ValueError("run() needs the vault folder")
        controller = LotseApp(folder)
    controller.start(preparing=demo)
    if demo:
        _start_demo_fill(controller)
    try:
        return int(app.exec())
    finally:
        controller.close_vault()
        if demo_root is not None:
            shutil.rmtree(demo_root, ignore_errors=True)


def _start_demo_fill(controller: LotseApp) -> None:
    from lotse.i18n import _
    from lotse.ui import workers

    window = controller.unlock_window
    assert window is not None
    window.progress.setRange(0, 0)  # busy indicator: Argon2id and the store take a moment
    window.progress.setFormat(_("Demo-Daten werden erzeugt …"))
    window.progress.show()
    window.message.setText(_("Demo-Daten werden erzeugt …"))

    def ready(_result: object) -> None:
        window.progress.hide()
        window.message.clear()
        window.set_ready(True)

    def failed(error: BaseException) -> None:
        window.progress.hide()
        window.message.setText(str(error))

    QTimer.singleShot(
        0, lambda: workers.start(lambda _p: _fill_demo(controller.folder), ready, failed)
    )
