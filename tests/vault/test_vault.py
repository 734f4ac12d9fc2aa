"""The vault on real files: encryption at rest, passphrase, damage, locking, migrations."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text

from lotse.crypto import kdf
from lotse.db.models import Family
from lotse.errors import (
    NotAVaultError,
    PassphraseRuleError,
    VaultDamagedError,
    VaultExistsError,
    VaultInUseError,
    VaultTooNewError,
    WrongPassphraseError,
)
from lotse.vault import create_vault, open_vault
from lotse.vault import header as hdr
from lotse.vault.vault import DB_NAME, _integrity_rows, _key_opens, integrity_problem
from tests.conftest import PASSPHRASE

SECRET_NAME = "Zyxwerda Quonkelberg"


def _add_family(vault, name: str = SECRET_NAME) -> None:
    with vault.transaction() as s:
        s.add(Family(code="F-2026-0001", adults=2, person_name=name, person_phone="0208 0123"))


def test_new_vault_opens_with_its_passphrase_and_keeps_data(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    v.close()
    with open_vault(vault_dir, PASSPHRASE) as v2, v2.session() as s:
        assert s.scalar(select(Family.person_name)) == SECRET_NAME


def test_nothing_readable_in_any_vault_file_while_open_and_after_close(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    for i in range(200):  # enough to have pages in the WAL
        with v.transaction() as s:
            s.add(Family(code=f"F-2026-{i:04d}", adults=1, person_name=f"{SECRET_NAME} {i}"))
    names = sorted(p.name for p in vault_dir.iterdir())
    assert "lotse.db-wal" in names  # the WAL really is there to be checked
    for path in vault_dir.iterdir():
        data = path.read_bytes()
        assert b"Quonkelberg" not in data, path.name
        assert "Quonkelberg".encode("utf-16-le") not in data, path.name
    v.close()
    for path in vault_dir.iterdir():
        assert b"Quonkelberg" not in path.read_bytes(), path.name


def test_files_are_private_to_the_user(vault: object, vault_dir: Path) -> None:
    assert stat.S_IMODE(vault_dir.stat().st_mode) == 0o700
    for path in vault_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_wrong_passphrase(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    with pytest.raises(WrongPassphraseError) as err:
        open_vault(vault_dir, PASSPHRASE + "x")
    assert err.value.exit_code == 3
    assert "Passphrase ist falsch" in err.value.message


def test_passphrase_rules_name_the_rule(vault_dir: Path) -> None:
    with pytest.raises(PassphraseRuleError, match="mindestens 12 Zeichen"):
        create_vault(vault_dir, "kurz")
    with pytest.raises(PassphraseRuleError, match="zu leicht zu erraten"):
        create_vault(vault_dir, "aaaaaaaaaaaaaaab")
    assert not vault_dir.exists() or not any(vault_dir.iterdir())


def test_change_passphrase_rewraps_key_only(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    v.close()
    v = open_vault(vault_dir, PASSPHRASE)
    key_before = v._data_key
    v.change_passphrase(PASSPHRASE, "A completely new passphrase")
    assert v._data_key == key_before
    v.close()
    # The database is not re-encrypted: the data key from before still opens every page.
    assert _key_opens(vault_dir / DB_NAME, key_before)
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_dir, PASSPHRASE)
    with open_vault(vault_dir, "A completely new passphrase") as v, v.session() as s:
        assert s.scalar(select(Family.person_name)) == SECRET_NAME


def test_change_passphrase_checks_old_one(vault) -> None:
    with pytest.raises(WrongPassphraseError):
        vault.change_passphrase("not the passphrase", "A completely new passphrase")


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["first page", "middle", "last byte"])
def test_flipped_byte_in_database_is_reported_as_damage(vault_dir: Path, where: str) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    for i in range(300):
        with v.transaction() as s:
            s.add(Family(code=f"F-2026-{i:04d}", adults=1, notes="x" * 200))
    v.close()
    db = vault_dir / DB_NAME
    size = db.stat().st_size
    offset = {"first page": 100, "middle": size // 2 + 17, "last byte": size - 1}[where]
    _flip(db, offset)
    with pytest.raises(VaultDamagedError) as err:
        open_vault(vault_dir, PASSPHRASE)
    assert err.value.exit_code == 4
    assert "beschädigt" in err.value.message


def test_flipped_byte_in_header_is_damage_not_wrong_passphrase(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    header_path = vault_dir / hdr.HEADER_NAME
    original = header_path.read_bytes()
    for offset in range(0, len(original), 7):
        header_path.write_bytes(original)
        _flip(header_path, offset)
        with pytest.raises(VaultDamagedError):
            open_vault(vault_dir, PASSPHRASE)
    header_path.write_bytes(original)
    open_vault(vault_dir, PASSPHRASE).close()


def test_header_changed_with_recomputed_checksum_fails_the_mac(vault_dir: Path) -> None:
    """Someone who edits the header and fixes the checksum is still caught by the MAC."""
    create_vault(vault_dir, PASSPHRASE).close()
    header_path = vault_dir / hdr.HEADER_NAME
    data = json.loads(header_path.read_text())
    data["created"] = "1999-01-01T00:00:00+00:00"
    _rewrite_with_checksum(header_path, data)
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)


def test_database_missing_or_header_missing(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    (vault_dir / hdr.HEADER_NAME).rename(vault_dir / "elsewhere.json")
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)
    (vault_dir / "elsewhere.json").rename(vault_dir / hdr.HEADER_NAME)
    (vault_dir / DB_NAME).unlink()
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)


def test_folder_that_is_not_a_vault(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(NotAVaultError, match="kein Lotse-Tresor"):
        open_vault(tmp_path / "photos", PASSPHRASE)
    with pytest.raises(NotAVaultError, match="lotse init"):
        open_vault(tmp_path / "missing", PASSPHRASE)


def test_init_refuses_existing_vault_and_non_empty_folder(vault, vault_dir: Path, tmp_path):
    with pytest.raises(VaultExistsError):
        create_vault(vault_dir, PASSPHRASE)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(VaultExistsError, match="nicht leer"):
        create_vault(other, PASSPHRASE)
    assert (other / "keep.txt").read_text() == "mine"


def test_vault_from_newer_lotse_header(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    header_path = vault_dir / hdr.HEADER_NAME
    data = json.loads(header_path.read_text())
    data["format"] = "lotse.vault/9"
    _rewrite_with_checksum(header_path, data)
    with pytest.raises(VaultTooNewError, match="neueren Lotse-Version"):
        open_vault(vault_dir, PASSPHRASE)


def test_flipped_bit_in_format_is_damage_not_a_newer_lotse(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    header_path = vault_dir / hdr.HEADER_NAME
    raw = header_path.read_bytes()
    header_path.write_bytes(raw.replace(b"lotse.vault/2", b"lotse.vault/3"))
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)


def _rewrite_with_checksum(path: Path, data: dict) -> None:
    """Write ``data`` as a header with a correct checksum (as an attacker could)."""
    data.pop("checksum", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    data["checksum"] = hashlib.sha256(canonical).hexdigest()
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "edit",
    [
        lambda slot: slot.update(kdf="x"),
        lambda slot: slot["kdf"].update(memory_kib=2**31),
        lambda slot: slot["kdf"].update(iterations=2**40),
        lambda slot: slot["kdf"].update(lanes=100000),
        lambda slot: slot.update(nonce="AAAA"),
        lambda slot: slot.update(salt="AAAA"),
        lambda slot: slot.update(id="renamed"),
    ],
)
def test_header_edited_with_valid_checksum_is_damage(vault_dir: Path, edit) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    header_path = vault_dir / hdr.HEADER_NAME
    data = json.loads(header_path.read_text())
    edit(data["key_slots"][0])
    _rewrite_with_checksum(header_path, data)
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)


def test_interrupted_init_is_cleaned_up_by_the_next_init(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    (vault_dir / "lotse.creating").touch()  # as if init had died before finishing
    with pytest.raises(NotAVaultError, match="unterbrochen"):
        open_vault(vault_dir, PASSPHRASE)
    create_vault(vault_dir, PASSPHRASE).close()
    assert not (vault_dir / "lotse.creating").exists()
    open_vault(vault_dir, PASSPHRASE).close()


def test_empty_database_file_is_damage_and_left_alone(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    (vault_dir / DB_NAME).write_bytes(b"")
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)
    assert (vault_dir / DB_NAME).read_bytes() == b""


def test_vault_from_newer_lotse_schema(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    with v.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz_future'"))
    v.close()
    with pytest.raises(VaultTooNewError):
        open_vault(vault_dir, PASSPHRASE)


def test_unknown_schema_revision_is_refused_and_file_left_alone(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    with v.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    v.close()
    before = (vault_dir / DB_NAME).read_bytes()
    with pytest.raises(VaultTooNewError):
        open_vault(vault_dir, PASSPHRASE)
    assert (vault_dir / DB_NAME).read_bytes() == before
    assert not list(vault_dir.glob("lotse.db.before-*"))


def _hold_vault(folder: str, ready, release) -> None:  # runs in a child process
    v = open_vault(Path(folder), PASSPHRASE)
    ready.set()
    release.wait(30)
    v.close()


def test_second_process_gets_already_open(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE, kdf.TEST_PARAMS).close()
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_vault, args=(str(vault_dir), ready, release))
    child.start()
    try:
        assert ready.wait(60)
        with pytest.raises(VaultInUseError, match="bereits geöffnet"):
            open_vault(vault_dir, PASSPHRASE)
    finally:
        release.set()
        child.join(30)
    open_vault(vault_dir, PASSPHRASE).close()


def test_data_survives_a_crash_without_close(vault_dir: Path) -> None:
    """Committed data is durable even when the process never closes the vault (WAL)."""
    code = (
        "import sys; from pathlib import Path; from lotse.crypto import kdf;"
        "from lotse.vault import create_vault; from lotse.db.models import Family;"
        f"v = create_vault(Path({str(vault_dir)!r}), {PASSPHRASE!r}, kdf.TEST_PARAMS);"
        "s = v.session(); s.add(Family(code='F-2026-0001', adults=1)); s.commit();"
        "import os; os._exit(0)"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], check=True)
    assert (vault_dir / "lotse.db-wal").exists()
    with open_vault(vault_dir, PASSPHRASE) as v, v.session() as s:
        assert s.scalar(select(Family.code)) == "F-2026-0001"


def test_real_kdf_parameters_are_rfc9106_second_option() -> None:
    # conftest swaps DEFAULT_PARAMS for tests; the shipped value lives in the class defaults
    shipped = kdf.KdfParams()
    assert shipped.memory_kib >= 64 * 1024
    assert shipped.iterations >= 3
    assert shipped.lanes >= 4


# -- key rotation ---------------------------------------------------------------------------


def _family_names(folder: Path, passphrase: str = PASSPHRASE) -> list[str | None]:
    with open_vault(folder, passphrase) as v, v.session() as s:
        return list(s.scalars(select(Family.person_name)))


def test_rotation_re_encrypts_the_database_and_keeps_the_data(vault_dir: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    old_key = v._data_key
    v.close()
    db_before = (vault_dir / DB_NAME).read_bytes()
    with open_vault(vault_dir, PASSPHRASE) as v:
        v.rotate_key(PASSPHRASE)
        assert v._data_key != old_key
        with v.transaction() as s:  # the vault goes on working with the new key
            s.add(Family(code="F-2026-0002", adults=1))
    db_after = (vault_dir / DB_NAME).read_bytes()
    assert db_after[4096:8192] != db_before[4096:8192]
    assert b"Quonkelberg" not in db_after
    assert sorted(n or "" for n in _family_names(vault_dir)) == ["", SECRET_NAME]
    header = json.loads((vault_dir / hdr.HEADER_NAME).read_text())
    assert header["pending_key_slots"] == []


def test_old_header_after_rotation_refuses(vault_dir: Path, tmp_path: Path) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    v.close()
    shutil.copy2(vault_dir / hdr.HEADER_NAME, tmp_path / "old-header.json")
    with open_vault(vault_dir, PASSPHRASE) as v:
        v.rotate_key(PASSPHRASE, "Eine ganz neue Passphrase")
    shutil.copy2(tmp_path / "old-header.json", vault_dir / hdr.HEADER_NAME)
    with pytest.raises(VaultDamagedError) as err:
        open_vault(vault_dir, PASSPHRASE)  # the old passphrase unwraps the old key …
    assert err.value.exit_code == 4  # … which no longer opens the database
    assert "älter" in err.value.message and "Schlüsselwechsel" in err.value.message


def test_rotation_checks_the_passphrase_and_the_new_one(vault) -> None:
    with pytest.raises(WrongPassphraseError):
        vault.rotate_key("not the passphrase")
    with pytest.raises(PassphraseRuleError):
        vault.rotate_key(PASSPHRASE, "Sommer2026!!")
    assert vault.header.pending_key_slots == []


def _rotation_headers(vault, monkeypatch) -> list[bytes]:
    """Rotate, keeping every header the rotation wrote (to stage a crash in between)."""
    written: list[bytes] = []
    real = hdr.write_header

    def keep(folder: Path, header: hdr.Header) -> None:
        real(folder, header)
        written.append((folder / hdr.HEADER_NAME).read_bytes())

    monkeypatch.setattr(hdr, "write_header", keep)
    vault.rotate_key(PASSPHRASE)
    monkeypatch.setattr(hdr, "write_header", real)
    return written


def test_rotation_cut_off_after_the_rekey_is_finished_at_unlock(vault_dir, monkeypatch) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    written = _rotation_headers(v, monkeypatch)
    v.close()
    with_pending = next(h for h in written if json.loads(h)["pending_key_slots"])
    # The database has the new key; the header is the one from before the rewrite.
    (vault_dir / hdr.HEADER_NAME).write_bytes(with_pending)
    assert _family_names(vault_dir) == [SECRET_NAME]
    header = json.loads((vault_dir / hdr.HEADER_NAME).read_text())
    assert header["pending_key_slots"] == []
    assert _family_names(vault_dir) == [SECRET_NAME]


def test_rotation_cut_off_before_the_rekey_keeps_the_old_key(vault_dir, monkeypatch) -> None:
    v = create_vault(vault_dir, PASSPHRASE)
    _add_family(v)
    v.close()
    v = open_vault(vault_dir, PASSPHRASE)
    # The database as it is when the rotation starts (the unlock was logged in it).
    with v.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db_before = (vault_dir / DB_NAME).read_bytes()
    written = _rotation_headers(v, monkeypatch)
    v.close()
    with_pending = next(h for h in written if json.loads(h)["pending_key_slots"])
    # Put back the database as it was before the rekey, under the header of step (1).
    for suffix in ("-wal", "-shm"):
        (vault_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    (vault_dir / DB_NAME).write_bytes(db_before)
    state = json.loads(with_pending)["state"]
    assert state["clean"] is False  # step (1) was written while the vault was open
    (vault_dir / hdr.HEADER_NAME).write_bytes(with_pending)
    assert _family_names(vault_dir) == [SECRET_NAME]
    assert json.loads((vault_dir / hdr.HEADER_NAME).read_text())["pending_key_slots"] == []


def _vault_of_300_families(vault_dir: Path) -> bytes:
    v = create_vault(vault_dir, PASSPHRASE)
    for i in range(300):
        with v.transaction() as s:
            s.add(Family(code=f"F-2026-{i:04d}", adults=1, notes="x" * 200))
    key = v._data_key
    v.close()
    return key


def test_page_check_tells_damage_from_a_disk_that_cannot_read(vault_dir: Path) -> None:
    """Restoring a backup over a whole vault because the disk failed once would be wrong."""
    key = _vault_of_300_families(vault_dir)
    db = vault_dir / DB_NAME
    assert _integrity_rows(db, key) == []
    assert integrity_problem(db, [], vault_dir) is None
    # SQLCipher's row for a page whose read failed (sqlcipher's crypto.c wording).
    unreadable = [("error reading 4096 bytes from file page 3 at offset 8192",)]
    disk = integrity_problem(db, unreadable, vault_dir)
    assert disk is not None and not isinstance(disk, VaultDamagedError)
    assert disk.exit_code == 1
    assert "Lesefehler" in disk.message and str(db) in disk.message
    # … but a read past the file's end is a file cut short.
    past_end = [(f"error reading 4096 bytes from file page 9999 at offset {4096 * 9998}",)]
    assert isinstance(integrity_problem(db, past_end, vault_dir), VaultDamagedError)

    _flip(db, db.stat().st_size // 2 + 17)
    flipped = _integrity_rows(db, key)
    assert flipped
    assert isinstance(integrity_problem(db, flipped, vault_dir), VaultDamagedError)
    # A file cut short in the middle of a page: the read past its end is damage too.
    with db.open("r+b") as fh:
        fh.truncate(db.stat().st_size - 1000)
    cut = _integrity_rows(db, key)
    assert cut
    problem = integrity_problem(db, [*cut, *unreadable], vault_dir)
    assert isinstance(problem, VaultDamagedError)
    with pytest.raises(VaultDamagedError):
        open_vault(vault_dir, PASSPHRASE)
