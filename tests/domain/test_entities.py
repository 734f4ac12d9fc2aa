"""Each field's rule, at its boundaries: the form check and the records reader agree.

Both take the rule from the one definition (lotse.domain.entities), so a value just inside
a limit passes both, and a value just outside is refused by both, with one problem. The
records line is written by the exporter's own ``record_line``, so writer and reader meet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import inspect

from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
from lotse.casework.validation import Problems, check
from lotse.db import models
from lotse.domain import entities
from lotse.domain.fields import DATE_MAX, DATE_MIN, Kind, fields_of
from lotse.records.exporter import record_line
from lotse.records.model import (
    FORMAT,
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    GroupSessionRecord,
    ReferralRecord,
)
from lotse.records.reader import RecordsError, parse_bytes

D = dt.date(2026, 5, 4)
DAY = dt.timedelta(days=1)
BEFORE_MIN, AFTER_MAX = DATE_MIN - DAY, dt.date(2200, 1, 1)

# Each record type's form input (or its domain class, where the form has its own check),
# valid as it stands; a test changes one field.
FORMS: dict[str, Callable[..., Any]] = {
    "family": lambda **kw: FamilyInput(**{"adults": 2, **kw}),
    "contact": lambda **kw: ContactInput(**{"date": D, "kind": "counselling", **kw}),
    "referral": lambda **kw: ReferralInput(**{"date": D, "target": "jobcenter", **kw}),
    "reminder": lambda **kw: ReminderInput(**{"due": D, "text": "Rückruf", **kw}),
    "group_offer": lambda **kw: entities.GroupOfferData(**{"title": "Elterncafé", **kw}),
    "group_session": lambda **kw: entities.GroupSessionData(
        **{"date": D, "adults": 1, "children": 1, **kw}
    ),
}


def _record(kind: str, /, **values: Any) -> Any:
    """The records-file twin of the form input."""
    data = dataclasses.asdict(_form(kind, **values))
    if kind == "family":
        data["consents"] = [entities.ConsentData(**c) for c in data["consents"]]
        return FamilyRecord("f2", **data)
    if kind == "contact":
        return ContactRecord("f", **data)
    if kind == "referral":
        return ReferralRecord("f", **data)
    if kind == "group_offer":
        return GroupOfferRecord("g2", **data)
    return GroupSessionRecord("g", **data)


def _form(kind: str, /, **values: Any) -> Any:
    return FORMS[kind](**values)


def _form_problems(kind: str, /, **values: Any) -> list[str]:
    problems = Problems()
    check(_form(kind, **values), problems)
    return problems.messages


def _records_problems(kind: str, /, **values: Any) -> list[str]:
    lines = [
        {"format": FORMAT},
        record_line(FamilyRecord("f", adults=1)),
        record_line(GroupOfferRecord("g", "Kurs")),
        record_line(_record(kind, **values)),
    ]
    raw = "\n".join(json.dumps(line) for line in lines).encode()
    try:
        parse_bytes(raw, "r.jsonl")
    except RecordsError as err:
        assert all(p.startswith("r.jsonl:4: ") for p in err.details), err.details
        return err.details
    return []


# (record type, field, value, allowed)
BOUNDARIES = [
    ("family", "adults", 0, True),
    ("family", "adults", 20, True),
    ("family", "adults", -1, False),
    ("family", "adults", 21, False),
    ("family", "children", [], True),
    ("family", "children", [DATE_MIN, DATE_MAX], True),
    ("family", "children", [BEFORE_MIN], False),
    ("family", "children", [AFTER_MAX], False),
    ("family", "children", [D] * 20, True),
    ("family", "children", [D] * 21, False),
    ("family", "district", "osterfeld", True),
    ("family", "district", "atlantis", False),
    ("family", "access_route", "kita", True),
    ("family", "access_route", "ufo", False),
    ("family", "languages", ["de", "tr"], True),
    ("family", "languages", ["deu"], False),
    ("family", "languages", ["DE"], False),
    ("family", "closed", DATE_MAX, True),
    ("family", "closed", AFTER_MAX, False),
    ("family", "consents", [entities.ConsentData("documentation", DATE_MIN)], True),
    ("family", "consents", [entities.ConsentData("documentation", BEFORE_MIN)], False),
    ("contact", "date", DATE_MIN, True),
    ("contact", "date", DATE_MAX, True),
    ("contact", "date", BEFORE_MIN, False),
    ("contact", "date", AFTER_MAX, False),
    ("contact", "date", None, False),
    ("contact", "kind", "home_visit", True),
    ("contact", "kind", "chat", False),
    ("contact", "minutes", None, True),
    ("contact", "minutes", 0, True),
    ("contact", "minutes", 600, True),
    ("contact", "minutes", -1, False),
    ("contact", "minutes", 601, False),
    ("contact", "setting", "kita", True),
    ("contact", "setting", "beach", False),
    ("contact", "topics", ["finances", "housing"], True),
    ("contact", "topics", ["weather"], False),
    ("referral", "target", "family_midwife", True),
    ("referral", "target", "moon", False),
    ("referral", "status", "arrived", True),
    ("referral", "status", "lost", False),
    ("referral", "status_date", D, True),
    ("referral", "status_date", D - DAY, False),
    ("referral", "date", AFTER_MAX, False),
    ("reminder", "due", DATE_MAX, True),
    ("reminder", "due", AFTER_MAX, False),
    ("reminder", "due", None, False),
    ("group_offer", "title", "T" * 200, True),
    ("group_offer", "title", "T" * 201, False),
    ("group_offer", "title", " ", False),
    ("group_offer", "category", "course", True),
    ("group_offer", "category", "party", False),
    ("group_session", "minutes", 600, True),
    ("group_session", "minutes", 601, False),
    ("group_session", "adults", 0, True),
    ("group_session", "adults", 500, True),
    ("group_session", "adults", 501, False),
    ("group_session", "children", -1, False),
    ("group_session", "children", 500, True),
    ("group_session", "date", BEFORE_MIN, False),
]


@pytest.mark.parametrize(("kind", "name", "value", "allowed"), BOUNDARIES)
def test_the_form_applies_the_fields_rule(kind: str, name: str, value: Any, allowed: bool) -> None:
    problems = _form_problems(kind, **{name: value})
    assert len(problems) == (0 if allowed else 1), problems


@pytest.mark.parametrize(
    ("kind", "name", "value", "allowed"),
    # No reminder lines in lotse.records/1.
    [b for b in BOUNDARIES if b[0] != "reminder"],
)
def test_the_records_reader_applies_the_same_rule(
    kind: str, name: str, value: Any, allowed: bool
) -> None:
    problems = _records_problems(kind, **{name: value})
    assert len(problems) == (0 if allowed else 1), problems


def test_a_transfer_consent_needs_its_recipient_in_both() -> None:
    transfer = entities.ConsentData("transfer", D)
    assert _form_problems("family", consents=[transfer]) == ["Empfänger: bitte angeben."]
    assert len(_records_problems("family", consents=[transfer])) == 1
    named = entities.ConsentData("transfer", D, recipient="Familienzentrum Lirich")
    assert _form_problems("family", consents=[named]) == []
    assert _records_problems("family", consents=[named]) == []


def test_a_consent_withdrawn_before_it_was_given_is_refused_by_both() -> None:
    early = entities.ConsentData("statistics", D, withdrawn=D - DAY)
    assert _form_problems("family", consents=[early]) == [
        "Widerruf der Einwilligung: 03.05.2026 liegt vor „Datum der Einwilligung“ (04.05.2026)."
    ]
    assert _records_problems("family", consents=[early]) == [
        "r.jsonl:4: die Einwilligung wurde vor ihrem Datum widerrufen"
    ]
    same_day = entities.ConsentData("statistics", D, withdrawn=D)
    assert _records_problems("family", consents=[same_day]) == []


def test_every_problem_of_a_form_is_listed() -> None:
    problems = _form_problems("contact", date=None, kind="chat", minutes=601, topics=["x", "y"])
    assert problems == [
        "Datum des Kontakts: bitte ein Datum angeben.",
        "Art des Kontakts: unbekannter Wert chat.",
        "Minuten: erlaubt sind 0 bis 600.",
        "Themen: unbekannter Wert x.",
        "Themen: unbekannter Wert y.",
    ]


# -- the definitions match the database ----------------------------------------------------------

ROWS = {
    entities.FamilyData: models.Family,
    entities.ContactData: models.Contact,
    entities.ReferralData: models.Referral,
    entities.ReminderData: models.Reminder,
    entities.GroupOfferData: models.GroupOffer,
    entities.GroupSessionData: models.GroupSession,
}


@pytest.mark.parametrize("cls", list(ROWS), ids=lambda c: c.__name__)
def test_every_field_has_its_column_or_related_table(cls: type) -> None:
    mapper = inspect(ROWS[cls])
    for f in fields_of(cls):
        if f.kind is Kind.ITEMS:
            # Objects in a table of their own (a family's consents); a referral's history
            # is read by its readers, who pass it in (no relationship of the row).
            if f.name in mapper.relationships:
                related = mapper.relationships[f.name].mapper
                for item in fields_of(f.item_type):
                    assert item.name in related.columns, f"{related.class_.__name__}: {item.name}"
        elif f.item is None:
            assert f.name in mapper.columns, f"{ROWS[cls].__name__} lacks column {f.name}"
            column = mapper.columns[f.name]
            # A field the records format requires is never empty in the database either.
            if f.required and len(f.path) == 1 and not f.is_list:
                assert not column.nullable, f"{f.name} is required but nullable"
        else:
            related = mapper.relationships[f.name].mapper
            assert f.item in related.columns, f"{related.class_.__name__} lacks {f.item}"


@pytest.mark.parametrize("cls", list(ROWS), ids=lambda c: c.__name__)
def test_every_field_has_a_label_and_its_kinds_rule(cls: type) -> None:
    for f in fields_of(cls):
        assert f.label, f.name
        if f.kind in (Kind.INTEGER, Kind.DATE, Kind.BIRTH_DATES):
            assert f.range is not None, f.name
        if f.kind in (Kind.CODE, Kind.CODES):
            assert f.catalogue is not None, f.name
