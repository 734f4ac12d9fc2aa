"""The audit log's chain on real vault files: every change, removal or reordering shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from lotse.db.models import AuditEntry
from lotse.errors import WrongPassphraseError
from lotse.vault import audit, create_vault, open_vault
from lotse.vault import header as hdr
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE


def _log(vault) -> list[tuple[str, dict]]:
    with vault.session() as s:
        return [
            (e.action, e.details) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def _verify(vault) -> audit.Verification:
    with vault.session() as s:
        return audit.verify(s)


def _make_log(folder: Path) -> bytes:
    """A closed vault whose log holds a few entries; returns its data key."""
    v = create_vault(folder, PASSPHRASE)
    for n in range(3):
        with v.transaction() as s:
            audit.append(s, "records_exported", records=n, families=["F-2026-0001"])
    key = v._data_key
    v.close()
    return key


def _raw(folder: Path, key: bytes, *sql: str) -> None:
    """Change the closed vault's database with plain SQL, as a tool outside Lotse would
    (without the vault's write counter, so only the log's own check can notice)."""
    conn = sqlcipher3.connect(str(folder / DB_NAME))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        for statement in sql:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _header_head(folder: Path) -> str | None:
    return json.loads((folder / hdr.HEADER_NAME).read_text())["state"]["audit_head"]


def test_every_entry_is_chained_and_the_head_is_in_the_header(vault_dir: Path) -> None:
    _make_log(vault_dir)
    with open_vault(vault_dir, PASSPHRASE) as v:
        check = _verify(v)
        assert check.intact and check.entries == 5  # created, 3 exports, unlocked
        assert [a for a, _d in _log(v)] == [
            "vault_created",
            *["records_exported"] * 3,
            "vault_unlocked",
        ]
        assert v.audit_findings == []
        with v.session() as s:
            macs = list(s.scalars(select(AuditEntry.mac).order_by(AuditEntry.id)))
    assert all(m and len(m) == 64 for m in macs)
    assert _header_head(vault_dir) == macs[-1]


def test_an_entry_added_directly_is_chained_too(vault) -> None:
    with vault.transaction() as s:
        s.add(AuditEntry(action="card_exported", details={"fingerprint": "ab"}))
    assert _verify(vault).intact


def test_details_keep_no_dates_as_objects(vault) -> None:
    import datetime as dt

    with vault.transaction() as s:
        audit.append(s, "period_closed", start=dt.date(2026, 7, 1))
    assert _log(vault)[-1] == ("period_closed", {"start": "2026-07-01"})
    assert _verify(vault).intact


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [
        ("UPDATE audit_log SET details = '{\"records\": 99}' WHERE id = 3", "changed"),
        ("DELETE FROM audit_log WHERE id = 2", "changed"),
        ("UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE id = 4", "changed"),
    ],
)
def test_a_changed_or_removed_entry_is_found_and_recorded_at_unlock(
    vault_dir: Path, tamper: str, kind: str
) -> None:
    key = _make_log(vault_dir)
    _raw(vault_dir, key, tamper)
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert [f.kind for f in v.audit_findings] == [kind]
        assert _log(v)[-2][0] == audit.DAMAGED  # recorded before the unlock itself
        assert not _verify(v).intact
    # The next unlock does not record the same finding again, and it stays on record.
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert v.audit_findings == []
        assert [a for a, _d in _log(v)].count(audit.DAMAGED) == 1
        assert {f.kind for f in _verify(v).findings} == {kind, "recorded"}


def test_reordered_entries_are_found(vault_dir: Path) -> None:
    key = _make_log(vault_dir)
    _raw(
        vault_dir,
        key,
        "UPDATE audit_log SET id = 100 WHERE id = 2",
        "UPDATE audit_log SET id = 2 WHERE id = 3",
        "UPDATE audit_log SET id = 3 WHERE id = 100",
    )
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert {f.entry_id for f in v.audit_findings} >= {2, 3}


def test_entries_removed_from_the_end_are_found_by_the_header(vault_dir: Path) -> None:
    key = _make_log(vault_dir)
    _raw(vault_dir, key, "DELETE FROM audit_log WHERE id >= 4")
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert [f.kind for f in v.audit_findings] == ["tail_removed"]


def test_an_entry_added_while_the_vault_was_closed_is_found(vault_dir: Path) -> None:
    key = _make_log(vault_dir)
    # Even with a valid link (made with the chain key): the header knew a shorter log.
    with open_vault(vault_dir, PASSPHRASE) as v, v.session() as s:
        chain_key = audit.chain_key(s)
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert chain_key is not None and last is not None
        forged = AuditEntry(id=last.id + 1, at=last.at, action="vault_unlocked", details={})
        mac = audit.link(chain_key, forged, last.mac or "")
    _raw(
        vault_dir,
        key,
        "INSERT INTO audit_log (id, at, action, details, mac) VALUES "
        f"({forged.id}, '{forged.at}', 'vault_unlocked', '{{}}', '{mac}')",
    )
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert [f.kind for f in v.audit_findings] == ["added_while_closed"]


def test_a_log_from_before_the_chain_is_chained_without_findings(vault_dir: Path) -> None:
    key = _make_log(vault_dir)
    _raw(vault_dir, key, "UPDATE audit_log SET mac = NULL")
    header = hdr.read_header(vault_dir)
    assert header.state is not None
    header.state.audit_head = None
    header.seal(key)
    hdr.write_header(vault_dir, header)
    with open_vault(vault_dir, PASSPHRASE) as v:
        assert v.audit_findings == []
        assert _verify(v).intact


def test_unsealing_every_entry_is_not_taken_for_an_old_log(vault_dir: Path) -> None:
    key = _make_log(vault_dir)
    _raw(vault_dir, key, "UPDATE audit_log SET mac = NULL")
    with open_vault(vault_dir, PASSPHRASE) as v:
        kinds = {f.kind for f in v.audit_findings}
    assert kinds == {"unsealed", "tail_removed"}


def test_failed_unlocks_are_logged_at_the_next_unlock(vault_dir: Path) -> None:
    create_vault(vault_dir, PASSPHRASE).close()
    for _ in range(2):
        with pytest.raises(WrongPassphraseError):
            open_vault(vault_dir, "not the passphrase at all")
    failures = audit.read_failed_unlocks(vault_dir)
    assert failures is not None and failures.count == 2
    assert oct((vault_dir / audit.FAILURES_NAME).stat().st_mode & 0o777) == "0o600"
    with open_vault(vault_dir, PASSPHRASE) as v:
        failed = [d for a, d in _log(v) if a == "unlock_failed"]
    assert failed == [{"count": 2, "first": failures.first, "last": failures.last}]
    assert not (vault_dir / audit.FAILURES_NAME).exists()


def test_passphrase_change_and_key_rotation_are_logged_and_keep_the_chain(vault) -> None:
    vault.change_passphrase(PASSPHRASE, "A completely new passphrase")
    vault.rotate_key("A completely new passphrase")
    actions = [a for a, _d in _log(vault)]
    assert actions[-2:] == ["passphrase_changed", "data_key_rotated"]
    assert _verify(vault).intact


def test_entries_filtered_by_action_and_day(vault) -> None:
    import datetime as dt

    with vault.transaction() as s:
        audit.append(s, "records_exported", records=1)
    today = dt.date.today()
    with vault.session() as s:
        assert [e.action for e in audit.entries(s, ["records_exported"])] == ["records_exported"]
        assert len(audit.entries(s, since=today, until=today)) == 2
        assert audit.entries(s, until=today - dt.timedelta(days=1)) == []
        assert audit.used_actions(s) == ["vault_created", "records_exported"]
