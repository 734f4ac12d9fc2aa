"""Starting the window: first-start wizard or unlock window, then the main window.

``run(args)`` is what ``lotse`` (no command) and ``lotse --demo`` call.
``build_main_window(vault)`` opens the main window on an already unlocked vault (the
packaging smoke test uses it without any user interaction).

``--demo`` creates a throwaway vault in a new temporary folder, fills it with synthetic
families (off the UI thread) and shows the unlock window with the demo passphrase written
on it and already filled in; the folder is deleted when Lotse closes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from lotse import i18n, policy, settings
from lotse.resources import resource_path
from lotse.vault import Vault

DEMO_PASSPHRASE = "Lotse-Demo-2026"
DEMO_FAMILIES = 300


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
    return app


def start_language() -> str:
    """The language before a vault is open: a policy value, else the environment's."""
    chosen = settings.machine_value("language")
    return chosen if chosen in i18n.LANGUAGES else i18n.detect_language()


def vault_language(vault: Vault) -> str | None:
    with vault.session() as session:
        value = settings.get(session, "language")
    return value if value in i18n.LANGUAGES else None


def build_main_window(vault: Vault) -> QMainWindow:
    """The main window on an unlocked vault (not shown; the caller shows or closes it)."""
    ensure_app()
    from lotse.ui.main_window import MainWindow

    return MainWindow(vault)


class LotseApp(QObject):
    """Moves between wizard, unlock window and main window; owns the open vault."""

    def __init__(self, folder: Path, hint: str = "", prefill: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.hint = hint
        self.prefill = prefill
        self.vault: Vault | None = None
        #: whether the vault thread opened the vault (then it must close it too)
        self._opened_on_vault_thread = False
        self.window = None
        self.unlock_window = None
        self.wizard = None

    def start(self, preparing: bool = False) -> None:
        from lotse.vault.header import HEADER_NAME

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
        self.wizard.show()

    def _wizard_done(self, _result: int) -> None:
        vault = self.wizard.vault if self.wizard else None
        if vault is None:
            QApplication.quit()
            return
        self._opened_on_vault_thread = False  # the wizard created it on this thread
        self.on_unlocked(vault)

    def show_unlock(self, ready: bool = True) -> None:
        from lotse.ui.unlock_window import UnlockWindow

        if self.unlock_window is None:
            self.unlock_window = UnlockWindow(self.folder, self.hint)
            self.unlock_window.setWindowIcon(app_icon())
            self.unlock_window.unlocked.connect(self._unlocked_on_vault_thread)
        self.unlock_window.set_ready(ready)
        if self.prefill:
            self.unlock_window.passphrase.setText(self.prefill)
        self.unlock_window.show()
        self.unlock_window.raise_()

    def _unlocked_on_vault_thread(self, vault: Vault) -> None:
        self._opened_on_vault_thread = True
        self.on_unlocked(vault)

    def on_unlocked(self, vault: Vault) -> None:
        from lotse.ui.qt_i18n import apply_language

        self.vault = vault
        language = vault_language(vault)
        if language and language != i18n.current_language():
            apply_language(language)
        self.window = build_main_window(vault)
        self.window.locked.connect(self.on_locked)
        self.window.language_chosen.connect(self.on_language)
        self.window.show()
        if self.unlock_window is not None:
            self.unlock_window.hide()

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

        if self.vault is not None:
            vault, self.vault = self.vault, None
            if self._opened_on_vault_thread:
                workers.close_on_vault_thread(vault.close)
            else:
                vault.close()


def _demo_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="lotse-demo-")) / "vault"


def _fill_demo(folder: Path) -> None:
    from lotse.demo import generate_records
    from lotse.records.importer import store_records
    from lotse.vault import create_vault

    with create_vault(folder, DEMO_PASSPHRASE) as vault:
        store_records(vault, generate_records(DEMO_FAMILIES, seed=1), "demo")


def run(args: argparse.Namespace) -> int:
    """Open the window; returns the exit status when the last window closes."""
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
        from lotse.cli.context import vault_dir

        controller = LotseApp(vault_dir(getattr(args, "vault", None)))
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
