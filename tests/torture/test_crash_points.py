"""Crashes at exact points of a key rotation: every point leaves a vault that opens.

The random torture (test_crash.py) found a rotation with a new passphrase, killed between
the re-encryption and the header's last write, that opened with neither passphrase. Here
the child dies just before or just after each write of the header
(:func:`tests.torture.workload.rotate_and_die`), so every step of the rotation is cut once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lotse.crypto import kdf
from lotse.errors import WrongPassphraseError
from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.vault import create_vault, open_vault
from tests.conftest import documented
from tests.torture import workload

pytestmark = pytest.mark.torture

OLD = "Alte-Passphrase-der-Folter-1"
NEW = "Neue-Passphrase-der-Folter-2"
DAY = dt.date(2025, 3, 3)


def _opens_with(folder: Path) -> str:
    for passphrase in (OLD, NEW):
        try:
            open_vault(folder, passphrase).close()
        except WrongPassphraseError:
            continue
        return passphrase
    raise AssertionError("opens with neither passphrase")


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_rotation_with_a_new_passphrase_cut_at_any_header_write_opens(
    tmp_path: Path, when: str
) -> None:
    ctx = workload.forkserver()
    crash_at = 0
    while True:
        crash_at += 1
        folder = tmp_path / f"{when}-{crash_at}"
        with VaultAPI(create_vault(folder, OLD, kdf.TEST_PARAMS)) as api:
            api.families.record_first_contact(
                FamilyInput(person_name="Mia Test", consents=documented()),
                ContactInput(date=DAY),
            )
        child = ctx.Process(
            target=workload.rotate_and_die, args=(str(folder), crash_at, when, OLD, NEW)
        )
        child.start()
        child.join(60)
        assert child.exitcode in (0, 9)
        passphrase = _opens_with(folder)
        with VaultAPI.open(folder, passphrase) as api:
            assert [row.name for row in api.families.rows()] == ["Mia Test"]
        if child.exitcode == 0:
            assert passphrase == NEW  # the rotation ran to its end
            break
        assert crash_at < 10
    assert crash_at >= 3  # the rotation writes the header at least three times
