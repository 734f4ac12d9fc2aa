"""Screenshots of keeping a vault safe: backup, reminder, passphrase, wizard, refusal, restore.

Called by ``make_screenshots.py``; runs on its own too:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/vault_admin_shots.py``.
Synthetic data only, in a throwaway folder; German and English.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.ui import ops, workers
from lotse.ui.app import build_main_window, ensure_app
from lotse.ui.backup_dialog import BackupDialog, RestoreDialog
from lotse.ui.passphrase_dialog import PassphraseDialog, ask_rotation
from lotse.ui.qt_i18n import apply_language
from lotse.ui.unlock_window import UnlockWindow
from lotse.ui.wizard import FirstStartWizard
from lotse.usecases import VaultAPI
from lotse.vault.vault import DB_NAME

OUT = Path(__file__).resolve().parent
PASSPHRASE = "Screenshot-Passphrase-2026"
WINDOW = (1280, 800)


def _settle(until: Callable[[], bool] = lambda: not ops.busy(), seconds: float = 15.0) -> None:
    """Process events until ``until()`` (every vault operation back), at most ``seconds``."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, name: str, lang: str) -> Path:
    widget.show()
    _settle()
    path = OUT / f"{name}-{lang}.png"
    widget.grab().save(str(path))
    return path


def _grab_modal(name: str, lang: str, shots: list[Path]) -> Callable[[], None]:
    """Grab the next modal message box, then close it."""

    def poll(tries: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries < 300:
                QTimer.singleShot(10, lambda: poll(tries + 1))
            return
        shots.append(save(box, name, lang))
        box.reject()

    return lambda: QTimer.singleShot(0, poll)


def _rolled_back_vault(folder: Path) -> None:
    """A vault whose lotse.db was put back from an older copy (refused at unlock)."""
    api = VaultAPI.create(folder, PASSPHRASE, params=kdf.TEST_PARAMS)
    api.records.store(generate_records(5, seed=7), "demo")
    api.close()
    shutil.copy2(folder / DB_NAME, folder.parent / "old.db")
    api = VaultAPI.open(folder, PASSPHRASE)
    api.records.store(generate_records(3, seed=8), "demo")
    api.close()
    shutil.copy2(folder.parent / "old.db", folder / DB_NAME)


def shoot(lang: str, api: VaultAPI, tmp: Path) -> list[Path]:
    apply_language(lang)
    shots: list[Path] = []

    # Heute with the reminder (no backup yet), at the window size the other shots use.
    window = build_main_window(api)
    window.resize(*WINDOW)
    window.tabs.setCurrentIndex(0)
    shots.append(save(window, "main-today-backup-reminder", lang))

    backup = BackupDialog(api, window)
    backup.path.setText(str(tmp / f"lotse-sicherung-{lang}.lotse"))
    backup.write()
    _settle()
    shots.append(save(backup, "backup", lang))
    backup.close()

    change = PassphraseDialog(api, window)
    change.old.setText(PASSPHRASE)
    change.fields.first.setText("Sommer2026!!")
    shots.append(save(change, "passphrase-change-weak", lang))
    change.fields.suggest()
    shots.append(save(change, "passphrase-change-suggested", lang))
    change.fields.forget()
    change.close()

    _grab_modal("passphrase-rotate-question", lang, shots)()
    ask_rotation(window)

    wizard = FirstStartWizard(tmp / f"new-{lang}")
    wizard.passphrase_page.first.setText("Sommer2026!!")
    wizard.passphrase_page.second.setText("Sommer2026!!")
    shots.append(save(wizard, "wizard-estimate", lang))
    wizard.passphrase_page.fields.suggest()
    shots.append(save(wizard, "wizard-suggested", lang))
    wizard.passphrase_page.fields.forget()
    wizard.close()

    refused_folder = tmp / f"refused-{lang}" / "vault"
    refused_folder.parent.mkdir()
    _rolled_back_vault(refused_folder)
    unlock = UnlockWindow(refused_folder)
    unlock.passphrase.setText(PASSPHRASE)
    unlock.try_unlock()
    _settle(lambda: not unlock._busy)
    shots.append(save(unlock, "unlock-refused", lang))
    restore = RestoreDialog(refused_folder, unlock)
    restore.path.setText(str(tmp / f"lotse-sicherung-{lang}.lotse"))
    shots.append(save(restore, "restore", lang))
    restore.close()
    unlock.close()

    window.idle.stop()
    window.close()
    return shots


def main() -> list[Path]:
    ensure_app()
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lotse-shots-") as tmp_name:
        tmp = Path(tmp_name)
        api = VaultAPI.create(tmp / "vault", PASSPHRASE, params=kdf.TEST_PARAMS)
        try:
            api.records.store(generate_records(120, seed=3), "demo")
            for lang in ("de", "en"):
                shots += shoot(lang, api, tmp)
        finally:
            workers.wait_all()
            api.close()
    return shots


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(OUT.parent.parent))
    sys.exit(0)
