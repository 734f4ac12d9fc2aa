"""A vault with the hand-made reference records (see tests/stats/builders.py)."""

from __future__ import annotations

import pytest

from lotse.vault import Vault
from tests.stats.builders import fill, reference_records


@pytest.fixture
def ref_vault(vault: Vault) -> Vault:
    fill(vault, reference_records)
    return vault
