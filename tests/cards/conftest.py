"""Two vaults with profiles: a navigator's and her team lead's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lotse import options
from lotse.crypto import kdf
from lotse.vault import Vault, create_vault
from tests.conftest import PASSPHRASE


def set_profile(vault: Vault, **values: str) -> None:
    with vault.transaction() as session:
        for key, value in values.items():
            options.put(session, key, value)


@pytest.fixture
def navigator(tmp_path: Path) -> Iterator[Vault]:
    vault = create_vault(tmp_path / "navigator", PASSPHRASE, kdf.TEST_PARAMS)
    set_profile(
        vault,
        navigator_name="Nora Beispiel",
        organisation="Träger Test e. V.",
        site="Klinik Nord",
        service_line="birth_clinic",
    )
    yield vault
    vault.close()


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Vault]:
    vault = create_vault(tmp_path / "lead", PASSPHRASE, kdf.TEST_PARAMS)
    set_profile(
        vault,
        navigator_name="Tanja Leitung",
        site="Rathaus",
        service_line="other",
        service_line_other="Koordination",
    )
    yield vault
    vault.close()
