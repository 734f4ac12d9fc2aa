"""Shared fixtures: a clean slate for every test, and a real encrypted vault.

Every test starts as on a fresh machine: no machine policy (whatever ``/etc/lotse``
holds), the built-in catalogues, German, no ``LOTSE_VAULT``/``LOTSE_PASSPHRASE`` from
the developer's shell, data folders in a temporary home, and cheap (but real) Argon2id
parameters for new vaults. Sub-conftests add fixtures; they do not reset this state again.
"""

from __future__ import annotations

import os
import sys

# Qt needs a platform; without a display the offscreen one (set before Qt is imported).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests speak German unless they switch; the environment must not change that.
os.environ["LOTSE_LANG"] = "de"

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lotse import i18n, policy
from lotse.crypto import kdf
from lotse.domain.entities import ConsentData
from lotse.vault import Vault, create_vault

PASSPHRASE = "Lotse-Test-Passphrase-2026"


def documented() -> list[ConsentData]:
    """A documentation consent given long before any test date: what a family has signed
    before a navigator may store its name, phone, address or notes (casework/consent.py)."""
    return [ConsentData("documentation", dt.date(2000, 1, 1))]


@pytest.fixture(scope="session")
def _home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home for the user's data and config folders, so no test touches the real ones."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(autouse=True)
def _clean_slate(monkeypatch: pytest.MonkeyPatch, _home: Path) -> Iterator[None]:
    """Reset what Lotse keeps per process and what it reads from the machine."""
    # No machine-wide policy file (whatever /etc/lotse holds) and no LOTSE_POLICY: no
    # policy, also in the child processes tests start, unless a test sets its own.
    monkeypatch.setenv("LOTSE_POLICY", "")
    for name in ("LOTSE_VAULT", "LOTSE_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOTSE_LANG", "de")
    monkeypatch.setenv("XDG_DATA_HOME", str(_home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_home / "config"))
    monkeypatch.setattr(kdf, "DEFAULT_PARAMS", kdf.TEST_PARAMS)
    # Forgets the installed policy; catalogues and every option follow it.
    policy.reset_for_tests()
    i18n.set_language("de")
    yield
    policy.reset_for_tests()
    i18n.set_language("de")


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As the window does (lotse.ui.gc_guard): never a Qt object freed on a vault thread."""
    if {"qapp", "qtbot"} & set(request.fixturenames):
        from lotse.ui import gc_guard

        gc_guard.install(request.getfixturevalue("qapp"))
    yield
    guard = sys.modules.get("lotse.ui.gc_guard")  # not importing Qt for tests without it
    collector = guard.installed() if guard is not None else None
    if collector is not None:  # tests without an event loop collect between tests
        collector.check()


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    v = create_vault(vault_dir, PASSPHRASE, kdf.TEST_PARAMS)
    yield v
    v.close()
