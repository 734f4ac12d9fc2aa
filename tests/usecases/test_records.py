"""Records files through the API: an import is all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.domain.entities import ConsentData
from lotse.records.reader import RecordsError
from lotse.usecases import ContactInput, FamilyInput, Kind, ReferralInput, ReminderInput, VaultAPI
from tests.conftest import PASSPHRASE

GOOD = (
    '{"format": "lotse.records/1"}\n'
    '{"type": "family", "id": "f-1", "adults": 2, "children": []}\n'
    '{"type": "contact", "family": "f-1", "date": "2026-05-03", "kind": "first_contact"}\n'
)


def test_import_then_export(api: VaultAPI, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD, encoding="utf-8")
    progress: list[tuple[int, int]] = []
    summary = api.records.import_file(source, progress=lambda d, t: progress.append((d, t)))
    assert (summary.families, summary.contacts) == (1, 1)
    assert progress and progress[-1][0] == progress[-1][1]
    assert api.records.export(tmp_path / "out.jsonl") == 2
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 3


def test_a_second_import_of_the_same_file_stores_nothing(api: VaultAPI, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD, encoding="utf-8")
    api.records.import_file(source)
    with pytest.raises(RecordsError) as error:
        api.records.import_file(source, "noch einmal")
    assert error.value.details[0].startswith("noch einmal:2:")
    assert len(api.families.rows()) == 1


def test_a_vault_round_trips_with_everything_it_holds(api: VaultAPI, tmp_path: Path) -> None:
    """Demo data and families made as the window makes them: export → import into an
    empty vault → export is identical, screenings, histories and reminders included."""
    today = dt.date(2026, 11, 21)
    api.records.store(generate_records(40, seed=9, today=today))
    day = dt.date(2026, 10, 5)
    consents = [ConsentData("documentation", day), ConsentData("referral", day)]
    screened = api.families.record_first_contact(
        FamilyInput(
            adults=2,
            person_name="Elif Kaya",
            consents=consents,
            identified=day - dt.timedelta(days=2),
            screening_date=day - dt.timedelta(days=2),
            screening_factors=["young_parent", "financial_strain"],
            screening_staff_concern=True,
        ),
        ContactInput(day, minutes=45, topics=["finances"]),
        [ReferralInput(day, "family_midwife", mode="accompanied")],
    )
    referral = next(
        e.ref_id for e in api.families.timeline(screened.family_id) if e.kind is Kind.REFERRAL
    )
    api.followups.change_referral_status(referral, "arranged", day + dt.timedelta(days=3))
    api.followups.change_referral_status(referral, "arrived", day + dt.timedelta(days=10))
    done = api.followups.add_reminder(screened.family_id, ReminderInput(day, "Kita anrufen"))
    api.followups.toggle_reminder_done(done, day + dt.timedelta(days=1))
    api.followups.add_reminder(screened.family_id, ReminderInput(today, "Bescheid prüfen"))
    api.families.close(screened.family_id, day + dt.timedelta(days=30), "handed_over")
    reopened = api.families.record_first_contact(
        FamilyInput(adults=1, screening_date=day), ContactInput(day)
    )
    api.families.close(reopened.family_id, day, "declined")
    api.families.reopen(reopened.family_id)

    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    api.records.export(first)
    with VaultAPI.create(tmp_path / "empty", PASSPHRASE, params=kdf.TEST_PARAMS) as other:
        summary = other.records.import_file(first)
        other.records.export(second)
    assert first.read_bytes() == second.read_bytes()

    lines = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert summary.reminders == sum(line.get("type") == "reminder" for line in lines) > 2
    family = next(line for line in lines if line.get("id") == screened.code)
    assert family["screening"] == {
        "date": "2026-10-03",
        "factors": ["young_parent", "financial_strain"],
        "staff_concern": True,
        "own_request": False,
    }
    assert (family["closed"], family["closure_reason"]) == ("2026-11-04", "handed_over")
    made = next(
        line for line in lines if line.get("type") == "referral" and line["family"] == screened.code
    )
    assert made["mode"] == "accompanied"
    assert [step["status"] for step in made["history"]] == ["suggested", "arranged", "arrived"]
    reminders = [
        line for line in lines if line.get("type") == "reminder" and line["family"] == screened.code
    ]
    assert [(r["text"], r.get("done")) for r in reminders] == [
        ("Kita anrufen", "2026-10-06"),
        ("Bescheid prüfen", None),
    ]
    back = next(line for line in lines if line.get("id") == reopened.code)
    assert "closed" not in back and "closure_reason" not in back
