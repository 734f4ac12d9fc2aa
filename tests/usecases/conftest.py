"""The use-case API over a real encrypted vault."""

from __future__ import annotations

import pytest

from lotse.usecases import VaultAPI
from lotse.vault import Vault


@pytest.fixture
def api(vault: Vault) -> VaultAPI:
    """The API over the test vault (the ``vault`` fixture closes it)."""
    return VaultAPI(vault)
