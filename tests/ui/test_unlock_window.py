"""The unlock window on vaults the core refuses, restoring there, and the recovery slot.

Real vault files throughout: an older ``lotse.db`` put back under its header, a backup
restored through the window, and a policy naming a recovery key (X25519 and RSA) whose
slot the window's unlock adds as the command line's does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, x25519
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lotse import options
from lotse.crypto import recovery as rcrypto
from lotse.db.models import AuditEntry, Family
from lotse.policy import Policy, set_current_policy
from lotse.ui import workers
from lotse.ui.backup_dialog import RestoreDialog
from lotse.ui.unlock_window import UnlockWindow
from lotse.usecases import VaultAPI
from lotse.vault import Vault, backup, create_vault, open_vault
from lotse.vault.recover import load_private_key, recover_vault, recovery_fingerprint
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE

NEW = "Wolkenbruch-Marmelade-Kompass-Dachrinne"


def _add(vault: Vault, *names: str) -> None:
    """One write transaction per family (each is a commit the vault state counts)."""
    for name in names:
        with vault.transaction() as session:
            n = session.query(Family).count() + 1
            session.add(Family(code=f"F-2026-{n:04d}", adults=1, person_name=name))


def _names(folder: Path, passphrase: str = PASSPHRASE) -> list[str]:
    with open_vault(folder, passphrase) as vault, vault.session() as session:
        return sorted(session.scalars(select(Family.person_name)))


def _window(folder: Path, qtbot: QtBot) -> UnlockWindow:
    window = UnlockWindow(folder)
    qtbot.addWidget(window)
    window.show()
    return window


def _unlock(window: UnlockWindow, qtbot: QtBot, passphrase: str = PASSPHRASE) -> VaultAPI | None:
    """Try ``passphrase``; the API if the vault opened (the caller closes it)."""
    opened: list[VaultAPI] = []
    window.unlocked.connect(opened.append)
    window.passphrase.setText(passphrase)
    window.try_unlock()
    qtbot.waitUntil(lambda: not window._busy, timeout=15000)
    return opened[0] if opened else None


def _close(api: VaultAPI) -> None:
    workers.close_on_vault_thread(api.close)  # where the window opened it


@pytest.fixture
def rolled_back(vault_dir: Path, tmp_path: Path) -> Path:
    """A vault whose lotse.db was put back from an older copy (and a backup made before)."""
    vault = create_vault(vault_dir, PASSPHRASE)
    _add(vault, "Wiebke Quarz", "Jorinde Pfeffer")
    backup.backup_vault(vault, tmp_path / "s.lotse")
    vault.close()
    shutil.copy2(vault_dir / DB_NAME, tmp_path / "old.db")
    with open_vault(vault_dir, PASSPHRASE) as vault:
        _add(vault, "Kunigunde Lerch", "Ottilie Brand")
    shutil.copy2(tmp_path / "old.db", vault_dir / DB_NAME)
    return vault_dir


def test_a_rolled_back_vault_says_what_was_found_and_what_to_do(
    rolled_back: Path, qtbot: QtBot
) -> None:
    window = _window(rolled_back, qtbot)
    assert window.restore_button.isHidden()
    assert _unlock(window, qtbot) is None
    said = window.message.text()
    # What was found (with the numbers IT needs), and what to do in the window.
    assert "Die Datenbank (lotse.db) in" in said and "ist älter als der Tresor-Kopf" in said
    assert "Schreibvorgänge" in said
    assert "„Sicherung wiederherstellen …“ (unten)" in said
    assert "wenden Sie sich an Ihre IT" in said
    assert window.restore_button.isVisible()
    assert window.failures == 0 and window.button.isEnabled()  # not a wrong passphrase
    # The message fits the window's width (wrapped, not widening it past a laptop screen).
    assert window.message.wordWrap() and window.width() <= 800


def test_the_refused_vault_is_restored_from_the_unlock_window(
    rolled_back: Path, tmp_path: Path, qtbot: QtBot, on_modal
) -> None:
    window = _window(rolled_back, qtbot)
    _unlock(window, qtbot)
    done: list[str] = []

    def restore(dialog: RestoreDialog) -> None:
        dialog.path.setText(str(tmp_path / "s.lotse"))
        dialog.passphrase.setText(PASSPHRASE)

        def finished(_result: object) -> None:
            done.append(dialog.message.text())
            dialog.reject()

        dialog.restored.connect(finished)
        dialog.start()

    on_modal(restore, RestoreDialog)
    window.restore_button.click()
    assert done and "liegen unverändert in" in done[0]
    assert window.restore_button.isHidden()
    assert window.message.text().startswith("Die Sicherung ist wiederhergestellt.")
    # The files that were refused are kept aside, not deleted.
    aside = [p for p in rolled_back.iterdir() if p.name.startswith("replaced-")]
    assert len(aside) == 1 and (aside[0] / DB_NAME).is_file()
    api = _unlock(window, qtbot)
    assert api is not None
    try:
        assert sorted(r.name for r in api.families.rows()) == ["Jorinde Pfeffer", "Wiebke Quarz"]
    finally:
        _close(api)


def _public_pem(private) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _private_pem(private) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _policy_with_key(private) -> None:
    pem = options.validate("recovery_public_key", _public_pem(private))
    set_current_policy(Policy(locked={"recovery_public_key": pem}))


@pytest.mark.parametrize("kind", ["x25519", "rsa"])
def test_unlocking_in_the_window_adds_the_policy_recovery_slot(
    kind: str, vault_dir: Path, qtbot: QtBot
) -> None:
    private = (
        x25519.X25519PrivateKey.generate()
        if kind == "x25519"
        else rsa.generate_private_key(public_exponent=65537, key_size=3072)
    )
    vault = create_vault(vault_dir, PASSPHRASE)
    _add(vault, "Wiebke Quarz")
    vault.close()
    assert recovery_fingerprint(vault_dir) is None
    _policy_with_key(private)
    api = _unlock(_window(vault_dir, qtbot), qtbot)
    assert api is not None
    _close(api)
    # As `lotse` on the command line: the slot for the policy's key, and the audit entry.
    assert recovery_fingerprint(vault_dir) == rcrypto.fingerprint(private.public_key())
    with open_vault(vault_dir, PASSPHRASE) as vault, vault.session() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert actions.count("recovery_key_added") == 1
    # And IT can use it: a new passphrase with the private key, the data intact.
    recover_vault(vault_dir, load_private_key(_private_pem(private)), NEW)
    assert _names(vault_dir, NEW) == ["Wiebke Quarz"]
