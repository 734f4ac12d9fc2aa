"""Form checks: the fields' rules in the form's wording, every problem listed at once."""

# spec() returns a dataclasses.field() with the definition as metadata, which ruff cannot see.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from lotse import i18n
from lotse.casework.errors import CaseworkInputError
from lotse.casework.validation import Problems, check, parse_languages
from lotse.domain.entities import FamilyData, GroupOfferData
from lotse.domain.fields import Before, Kind, field_of, spec
from lotse.i18n import N_

D = dt.date(2026, 5, 4)


@dataclass(kw_only=True)
class _Screened:
    """An object whose optional flag has a default of its own (as a screening's)."""

    screening_date: dt.date | None = spec(
        Kind.DATE, N_("Datum"), default=None, key="screening.date", required=True
    )
    screening_staff_concern: bool = spec(
        Kind.BOOLEAN, N_("SGB II"), default=False, key="screening.staff_concern"
    )
    checked: dt.date | None = spec(
        Kind.DATE, N_("Fällig am"), default=None, not_before=Before("screening_date", "")
    )


def _messages(data: object) -> list[str]:
    problems = Problems()
    check(data, problems)
    return problems.messages


def test_an_objects_fields_are_required_only_once_it_holds_something() -> None:
    assert _messages(_Screened()) == []
    assert _messages(_Screened(screening_staff_concern=True)) == ["Datum: bitte ein Datum angeben."]
    assert _messages(_Screened(screening_date=D, screening_staff_concern=True)) == []


def test_a_date_before_the_one_it_follows() -> None:
    assert _messages(_Screened(screening_date=D, checked=D - dt.timedelta(days=1))) == [
        "Fällig am: 03.05.2026 liegt vor „Datum“ (04.05.2026)."
    ]
    assert _messages(_Screened(screening_date=D, checked=D)) == []


def test_messages_name_the_field_in_the_users_language() -> None:
    i18n.set_language("en")
    assert _messages(FamilyData(adults=21, children=[dt.date(1899, 1, 1)])) == [
        "Adults: 0 to 20 are allowed.",
        "A child's date of birth: the date 01.01.1899 is outside 1900 to 2199.",
    ]


def test_a_title_must_be_given_and_short_enough() -> None:
    title = field_of(GroupOfferData, "title")
    for value, expected in [
        ("  ", ["Titel: bitte angeben."]),
        ("T" * 201, ["Titel: höchstens 200 Zeichen."]),
        ("T" * 200, []),
    ]:
        problems = Problems()
        problems.value(title, value)
        assert problems.messages == expected


def test_no_problems_raise_nothing_and_problems_raise_all() -> None:
    Problems().raise_if_any()
    problems = Problems()
    problems.value(field_of(FamilyData, "adults"), None)
    problems.value(field_of(FamilyData, "district"), "atlantis")
    with pytest.raises(CaseworkInputError) as err:
        problems.raise_if_any()
    assert err.value.details == [
        "Erwachsene: bitte eine Zahl angeben.",
        "Sozialraum: unbekannter Wert atlantis.",
    ]


def test_languages_typed_freely() -> None:
    assert parse_languages(" de, TR ar;de ") == ["de", "tr", "ar"]
    assert parse_languages("") == []
