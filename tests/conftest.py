"""Shared fixtures: a real encrypted vault with cheap (but real) Argon2id parameters."""

from __future__ import annotations

import os

# Qt needs a platform; without a display the offscreen one (set before Qt is imported).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests speak German unless they switch; the environment must not change that.
os.environ["LOTSE_LANG"] = "de"

from collections.abc import Iterator
from pathlib import Path

import pytest

from lotse import i18n
from lotse.crypto import kdf
from lotse.vault import Vault, create_vault

PASSPHRASE = "Lotse-Test-Passphrase-2026"


@pytest.fixture(autouse=True)
def _german_and_cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in German, and new vaults use cheap Argon2id parameters."""
    monkeypatch.setattr(kdf, "DEFAULT_PARAMS", kdf.TEST_PARAMS)
    i18n.set_language("de")
    yield
    i18n.set_language("de")


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    v = create_vault(vault_dir, PASSPHRASE, kdf.TEST_PARAMS)
    yield v
    v.close()
