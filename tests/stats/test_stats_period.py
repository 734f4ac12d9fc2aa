"""Parsing the period forms of statistics.md, and refusing everything else clearly."""

from __future__ import annotations

from datetime import date

import pytest

from lotse import i18n
from lotse.errors import BadInputError
from lotse.stats.period import Period, parse_period, previous_quarter, quarter_of


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"),
        ("2026-q2", date(2026, 4, 1), date(2026, 6, 30), "2026-Q2"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026"),
        ("2026-08", date(2026, 8, 1), date(2026, 8, 31), "2026-08"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        (
            "2026-07-15..2026-08-31",
            date(2026, 7, 15),
            date(2026, 8, 31),
            "2026-07-15..2026-08-31",
        ),
        (
            " 2026-09-30..2026-09-30 ",
            date(2026, 9, 30),
            date(2026, 9, 30),
            "2026-09-30..2026-09-30",
        ),
    ],
)
def test_forms(text: str, start: date, end: date, label: str) -> None:
    assert parse_period(text) == Period(label, start, end)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-Q5", "Unbekannte Zeitraum-Angabe"),
        ("Q3", "Unbekannte Zeitraum-Angabe"),
        ("", "Unbekannte Zeitraum-Angabe"),
        ("26", "Unbekannte Zeitraum-Angabe"),
        ("2026-13", "einen Monat 13 gibt es nicht"),
        ("2026-00", "einen Monat 00 gibt es nicht"),
        ("2026-02-30..2026-03-01", "kein gültiges Datum"),
        ("2026-08-31..2026-07-15", "liegt das Ende vor dem Anfang"),
        ("2026-07-15...2026-08-31", "Unbekannte Zeitraum-Angabe"),
        ("2026/Q3", "Unbekannte Zeitraum-Angabe"),
    ],
)
def test_bad_forms_are_refused_in_german(text: str, words: str) -> None:
    with pytest.raises(BadInputError) as error:
        parse_period(text)
    assert words in error.value.message
    assert error.value.exit_code == 2


def test_message_in_english() -> None:
    i18n.set_language("en")
    with pytest.raises(BadInputError) as error:
        parse_period("2026-08-31..2026-07-15")
    assert "end" in error.value.message and "before" in error.value.message


def test_quarters() -> None:
    assert quarter_of(date(2026, 9, 30)).label == "2026-Q3"
    assert quarter_of(date(2026, 10, 1)).label == "2026-Q4"
    assert previous_quarter(date(2026, 10, 1)) == parse_period("2026-Q3")
    assert previous_quarter(date(2026, 2, 15)) == parse_period("2025-Q4")
    assert date(2026, 7, 1) in parse_period("2026-Q3")
    assert date(2026, 10, 1) not in parse_period("2026-Q3")


def test_only_ascii_digits() -> None:
    """Full-width digits look like a year but are no period form (found in review)."""
    with pytest.raises(BadInputError):
        parse_period("２０２６")
