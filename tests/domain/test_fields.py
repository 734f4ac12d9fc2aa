"""The limits and the field definitions: ranges, keys, defaults, and a layer free of storage."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from lotse.domain import entities, fields
from lotse.domain.fields import DateRange, Kind, Range, default_of, field_of, fields_of


@pytest.mark.parametrize(
    ("limit", "inside", "outside"),
    [
        (fields.ADULTS, (0, 20), (-1, 21)),
        (fields.CHILDREN, (0, 20), (-1, 21)),
        (fields.MINUTES, (0, 600), (-1, 601)),
        (fields.HEAD_COUNT, (0, 500), (-1, 501)),
        (fields.LOCK_MINUTES, (1, 240), (0, 241)),
    ],
)
def test_a_range_holds_its_ends_and_nothing_beyond(
    limit: Range, inside: tuple[int, int], outside: tuple[int, int]
) -> None:
    assert (limit.low, limit.high) == inside
    assert all(v in limit for v in inside)
    assert not any(v in limit for v in outside)


def test_a_range_holds_only_whole_numbers() -> None:
    assert True not in fields.ADULTS  # JSON true is no head count
    assert 2.0 not in fields.ADULTS
    assert "2" not in fields.ADULTS


def test_dates_run_from_1900_to_2199() -> None:
    dates = fields.DATES
    assert isinstance(dates, DateRange)
    assert (dates.low, dates.high) == (dt.date(1900, 1, 1), dt.date(2199, 12, 31))
    assert dt.date(1900, 1, 1) in dates and dt.date(2199, 12, 31) in dates
    assert dt.date(1899, 12, 31) not in dates and dt.date(2200, 1, 1) not in dates
    assert "2026-01-01" not in dates


def test_language_codes_are_two_lowercase_letters() -> None:
    assert fields.LANGUAGE_CODE.fullmatch("tr")
    for bad in ("TR", "tur", "t", "t1"):
        assert not fields.LANGUAGE_CODE.fullmatch(bad)


def test_fields_carry_their_attribute_name_and_records_key() -> None:
    name = field_of(entities.FamilyData, "person_name")
    assert (name.name, name.key, name.path) == ("person_name", "person.name", ("person", "name"))
    adults = field_of(entities.FamilyData, "adults")
    assert (adults.key, adults.kind, adults.range, adults.required) == (
        "adults",
        Kind.INTEGER,
        fields.ADULTS,
        True,
    )
    with pytest.raises(KeyError):
        field_of(entities.FamilyData, "colour")


def test_dates_default_to_the_date_range() -> None:
    for cls in (entities.FamilyData, entities.ContactData, entities.ReferralData):
        for f in fields_of(cls):
            if f.kind in (Kind.DATE, Kind.BIRTH_DATES):
                assert f.range == fields.DATES, f.name


def test_subclasses_share_the_definitions() -> None:
    from lotse.casework.families import FamilyInput
    from lotse.records.model import FamilyRecord

    assert fields_of(FamilyInput) == fields_of(FamilyRecord) == fields_of(entities.FamilyData)
    # The record's id and line are the file's, not fields of the domain.
    assert "id" not in {f.name for f in fields_of(FamilyRecord)}


def test_defaults_are_fresh_lists_and_plain_values() -> None:
    a, b = entities.FamilyData(), entities.FamilyData()
    a.children.append(dt.date(2020, 1, 1))
    assert b.children == []
    assert default_of(entities.FamilyData, "adults") == 1
    assert default_of(entities.ReminderData, "text") == ""
    assert default_of(entities.ContactData, "date") is None  # required: no default


def test_the_domain_imports_neither_storage_nor_qt() -> None:
    code = (
        "import sys, lotse.domain.entities, lotse.domain.mapping; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('sqlalchemy', 'PySide6', 'shiboken6') "
        "or m.startswith(('lotse.db', 'lotse.vault', 'lotse.options'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
