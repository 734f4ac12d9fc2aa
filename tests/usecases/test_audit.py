"""The audit log through the use cases: what is logged, the viewer's filter, the check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlcipher3

from lotse.policy import Policy, set_current_policy
from lotse.stats.period import parse_period
from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.usecases.audit import describe, synced_folder
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE, documented

D = dt.date(2026, 3, 2)


def _actions(api: VaultAPI) -> list[str]:
    return [e.action for e in api.audit.entries()]


def test_export_import_and_report_are_logged_without_personal_data(
    api: VaultAPI, tmp_path: Path
) -> None:
    created = api.families.record_first_contact(
        FamilyInput(person_name="Greta Geheim", consents=documented()), ContactInput(date=D)
    )
    out = tmp_path / "Dropbox" / "Greta Geheim.jsonl"
    out.parent.mkdir()
    api.records.export(out)
    api.statistics.write_report(parse_period("2026-Q1"), "json", tmp_path / "r.json")
    # One family line and its contact line.
    [exported] = api.audit.entries(["records_exported"])
    assert exported.details == {"records": 2, "families": [created.code], "synced": True}
    [report] = api.audit.entries(["report_written"])
    assert report.details == {"period": "2026-Q1", "format": "json", "published": False}
    with VaultAPI.create(tmp_path / "other", PASSPHRASE) as other:
        other.records.import_file(out)
        [imported] = other.audit.entries(["records_imported"])
        assert imported.details["families"] == 1
    text = str([e.details for e in api.audit.entries()])
    assert "Greta" not in text and "Geheim" not in text


def test_the_viewer_filters_by_action_and_day(api: VaultAPI) -> None:
    api.families.record_first_contact(FamilyInput(), ContactInput(date=D))
    today = dt.date.today()
    assert api.audit.actions()[0] == "vault_created"
    assert len(api.audit.entries(since=today, until=today)) >= 1
    assert api.audit.entries(until=today - dt.timedelta(days=1)) == []
    assert api.audit.entries(["nothing_like_this"]) == []


def test_verify_reports_a_changed_entry(vault_dir: Path) -> None:
    with VaultAPI.create(vault_dir, PASSPHRASE) as api:
        assert api.audit.verify().intact
        key = api._access.vault._data_key
    conn = sqlcipher3.connect(str(vault_dir / DB_NAME))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("UPDATE audit_log SET action = 'vault_backup' WHERE id = 1")
    conn.commit()
    conn.close()
    with VaultAPI.open(vault_dir, PASSPHRASE) as api:
        [found] = api.audit.found_at_unlock()
        assert found.kind == "changed" and found.entry_id == 1
        check = api.audit.verify()
        assert not check.intact
        messages = [describe(f) for f in check.findings]
        assert any("Eintrag 1 passt nicht mehr" in m for m in messages)
        assert any("Beim Entsperren am" in m for m in messages)


def test_policy_problems_are_logged_once_while_they_last(vault_dir: Path) -> None:
    VaultAPI.create(vault_dir, PASSPHRASE).close()
    set_current_policy(Policy(problems=["policy.toml:3: unbekannte Einstellung „x“"]))
    for _ in range(2):
        VaultAPI.open(vault_dir, PASSPHRASE).close()
    with VaultAPI.open(vault_dir, PASSPHRASE) as api:
        [logged] = api.audit.entries(["policy_problem"])
    assert logged.details == {"problems": ["policy.toml:3: unbekannte Einstellung „x“"]}


def test_the_passphrase_is_asked_again_before_a_plain_export(api: VaultAPI) -> None:
    assert api.audit.confirm_passphrase(PASSPHRASE)
    assert not api.audit.confirm_passphrase("not the passphrase")


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/home/anna/OneDrive - Stadt/export.jsonl", "OneDrive - Stadt"),
        ("/home/anna/Dropbox/export.jsonl", "Dropbox"),
        ("/home/anna/Nextcloud/x.jsonl", "Nextcloud"),
        ("/home/anna/ownCloud/x.jsonl", "ownCloud"),
        ("/home/anna/Google Drive/x.jsonl", "Google Drive"),
        ("/Users/anna/Library/Mobile Documents/com~apple~CloudDocs/x.jsonl", "Mobile Documents"),
        ("/Users/anna/iCloud Drive/x.jsonl", "iCloud Drive"),
        ("/home/anna/Dokumente/export.jsonl", None),
    ],
)
def test_synchronised_folders_are_recognised(path: str, service: str | None) -> None:
    assert synced_folder(Path(path)) == service
