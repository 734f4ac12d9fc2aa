"""The fields issue 10 added, at their boundaries: form check and records reader agree.

Screening, identified date, closure reason, origin, referral mode and history, a
reminder's done date: each rule is defined once (lotse.domain.entities), so a value the
form refuses the records reader refuses too, and the other way round. The records line is
written by the exporter's ``record_line``, so writer and reader meet.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from lotse.casework.families import FamilyInput
from lotse.casework.followups import ReferralInput, ReminderInput
from lotse.casework.validation import Problems, check
from lotse.domain.entities import StatusStep
from lotse.domain.fields import DATE_MIN, fields_of
from lotse.records.exporter import record_line
from lotse.records.model import FORMAT, FamilyRecord, ReferralRecord, ReminderRecord
from lotse.records.reader import RecordsError, parse_bytes

D = dt.date(2026, 5, 4)
DAY = dt.timedelta(days=1)
BEFORE_MIN, AFTER_MAX = DATE_MIN - DAY, dt.date(2200, 1, 1)

FORMS = {
    "family": (lambda **kw: FamilyInput(**{"adults": 2, **kw}), FamilyRecord, "f2"),
    "referral": (
        lambda **kw: ReferralInput(**{"date": D, "target": "jobcenter", **kw}),
        ReferralRecord,
        "f",
    ),
    "reminder": (
        lambda **kw: ReminderInput(**{"due": D, "text": "Rückruf", **kw}),
        ReminderRecord,
        "f",
    ),
}


def _form_problems(kind: str, /, **values: Any) -> list[str]:
    problems = Problems()
    check(FORMS[kind][0](**values), problems)
    return problems.messages


def _records_problems(kind: str, /, **values: Any) -> list[str]:
    make, record_type, ref = FORMS[kind]
    form = make(**values)
    record = record_type(ref, **{f.name: getattr(form, f.name) for f in fields_of(type(form))})
    lines = [{"format": FORMAT}, record_line(FamilyRecord("f", adults=1)), record_line(record)]
    try:
        parse_bytes("\n".join(json.dumps(line) for line in lines).encode(), "r.jsonl")
    except RecordsError as err:
        assert all(p.startswith("r.jsonl:3: ") for p in err.details), err.details
        return err.details
    return []


# (record type, field values, allowed)
BOUNDARIES: list[tuple[str, dict[str, Any], bool]] = [
    ("family", {"identified": DATE_MIN}, True),
    ("family", {"identified": AFTER_MAX}, False),
    ("family", {"screening_date": D}, True),
    ("family", {"screening_date": BEFORE_MIN}, False),
    ("family", {"screening_date": D, "screening_factors": ["young_parent", "violence"]}, True),
    ("family", {"screening_date": D, "screening_factors": ["tired"]}, False),
    ("family", {"screening_date": D, "screening_staff_concern": True}, True),
    ("family", {"screening_staff_concern": True}, False),  # a screening needs its date
    ("family", {"screening_own_request": True}, False),
    ("family", {"closed": D, "closure_reason": "handed_over"}, True),
    ("family", {"closed": D, "closure_reason": "bored"}, False),
    ("family", {"closure_reason": "handed_over"}, False),  # only with closed
    ("family", {"origin_service": "Frühe Hilfen", "origin_date": D}, True),
    ("family", {"origin_service": "Frühe Hilfen"}, False),  # with its date
    ("family", {"origin_date": D}, False),  # with its service
    ("referral", {"mode": "accompanied"}, True),
    ("referral", {"mode": "telepathy"}, False),
    ("referral", {"history": [StatusStep("suggested", D)]}, True),
    ("referral", {"history": [StatusStep("arrived", D)]}, False),  # not the status
    (
        "referral",
        {"history": [StatusStep("suggested", D - DAY), StatusStep("suggested", D)]},
        False,  # a step before the referral was made
    ),
    ("referral", {"history": [StatusStep("lost", D), StatusStep("suggested", D)]}, False),
    (
        "referral",
        {
            "status": "arrived",
            "status_date": D + 2 * DAY,
            "history": [StatusStep("suggested", D), StatusStep("arrived", D + 2 * DAY)],
        },
        True,
    ),
    ("reminder", {"done": D - DAY}, True),  # done before it was due
    ("reminder", {"done": AFTER_MAX}, False),
]


@pytest.mark.parametrize(("kind", "values", "allowed"), BOUNDARIES)
def test_the_form_applies_the_fields_rule(kind: str, values: dict, allowed: bool) -> None:
    problems = _form_problems(kind, **values)
    assert len(problems) == (0 if allowed else 1), problems


#: Objects the writer leaves out when a value they need is missing (so the reader never
#: sees them): a screening without its date, an origin without service or date. The
#: reader's own message for such an object: tests/records/test_reader.py.
WRITER_LEAVES_OUT = (
    {"screening_staff_concern": True},
    {"screening_own_request": True},
    {"origin_service": "Frühe Hilfen"},
    {"origin_date": D},
)


@pytest.mark.parametrize(
    ("kind", "values", "allowed"), [b for b in BOUNDARIES if b[1] not in WRITER_LEAVES_OUT]
)
def test_the_records_reader_applies_the_same_rule(kind: str, values: dict, allowed: bool) -> None:
    problems = _records_problems(kind, **values)
    assert len(problems) == (0 if allowed else 1), problems


def test_a_screening_needs_its_date_in_the_form() -> None:
    assert _form_problems("family", screening_factors=["violence"]) == [
        "Screening: bitte das Datum des Screenings angeben."
    ]


def test_a_closure_reason_without_closing_is_refused_by_both() -> None:
    assert _form_problems("family", closure_reason="completed") == [
        "Grund des Abschlusses: nur zusammen mit „Abgeschlossen am“."
    ]
    assert _records_problems("family", closure_reason="completed") == [
        'r.jsonl:3: "closure_reason" gibt es nur zusammen mit "closed"'
    ]


def test_a_history_must_be_in_order_and_end_in_the_referrals_status() -> None:
    history = [StatusStep("suggested", D), StatusStep("arrived", D + DAY)]
    assert _form_problems("referral", history=history) == [
        "Verlauf: der letzte Stand muss der aktuelle Stand der Vermittlung sein."
    ]
    assert _form_problems("referral", history=history[::-1], status="suggested") == [
        "Verlauf: die Stände müssen nach Datum geordnet sein."
    ]
    assert _records_problems("referral", history=history[::-1], status="suggested") == [
        'r.jsonl:3: "history" muss nach Datum geordnet sein, der älteste Stand zuerst'
    ]
    assert _records_problems("referral", history=history) == [
        'r.jsonl:3: der letzte Stand in "history" muss "status" und "status_date" der '
        "Vermittlung sein"
    ]
