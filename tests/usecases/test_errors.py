"""Database failures reach the window and the command line as errors the user can act on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy.exc import OperationalError

from lotse.errors import EXIT_DAMAGED, EXIT_FAILURE, LotseError, VaultDamagedError
from lotse.usecases import ContactInput, FamilyInput, VaultAPI, as_lotse_error
from lotse.vault import Vault
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE, documented

PAGE = 4096


def test_a_page_damaged_while_open_is_reported_as_damage(vault_dir: Path, vault: Vault) -> None:
    api = VaultAPI(vault)
    for n in range(40):
        api.families.record_first_contact(
            FamilyInput(person_name=f"Familie {n}", consents=documented()),
            ContactInput(date=dt.date(2026, 3, 2)),
        )
    api.close()
    api = VaultAPI.open(vault_dir, PASSPHRASE)
    try:
        db = vault_dir / DB_NAME
        data = bytearray(db.read_bytes())
        for page in range(1, len(data) // PAGE):  # every page but the first
            data[page * PAGE + PAGE // 2] ^= 0x40
        db.write_bytes(bytes(data))
        api._access.vault.engine.dispose()  # no page of the old file stays cached
        with pytest.raises(VaultDamagedError) as error:
            api.families.rows()
        assert error.value.exit_code == EXIT_DAMAGED
        assert "beschädigt oder wurde verändert" in error.value.message
        assert str(vault_dir) in error.value.message
    finally:
        api.close()


def test_another_database_failure_names_the_driver_message() -> None:
    failure = OperationalError("SELECT 1", {}, sqlcipher3.OperationalError("database is locked"))
    mapped = as_lotse_error(failure)
    assert isinstance(mapped, LotseError) and not isinstance(mapped, VaultDamagedError)
    assert mapped.exit_code == EXIT_FAILURE
    assert mapped.message == "Unerwarteter Fehler in der Datenbank: database is locked"


def test_other_errors_are_not_mapped() -> None:
    assert as_lotse_error(ValueError("bug")) is None
    own = LotseError("schon verständlich")
    assert as_lotse_error(own) is own
