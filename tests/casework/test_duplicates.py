"""Duplicate hints ignore a salutation typed before the name ("Frau Yilmaz")."""

from __future__ import annotations

import pytest

from lotse.casework.duplicates import possible_duplicates, without_salutation
from lotse.casework.listing import FamilyRow


def _row(family_id: int, name: str) -> FamilyRow:
    return FamilyRow(family_id, f"F-2026-{family_id:04d}", name, "", None, None, None, None, "")


ROWS = [_row(1, "Ayşe Yılmaz"), _row(2, "Herr Mehmet Kaya"), _row(3, "Frieda Herrmann")]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Frau Yilmaz", [1]),
        ("Fr. Yilmaz", [1]),
        ("frau dr. yilmaz", [1]),
        ("Hr. Kaya", [2]),  # the stored name's salutation does not count either
        ("Kaya", [2]),
        ("Herr", []),  # a salutation alone names nobody
        ("Frau", []),
        ("Herrmann", [3]),  # a name that starts like a salutation stays a name
    ],
)
def test_salutations_are_no_part_of_the_name(typed: str, found: list[int]) -> None:
    assert [r.id for r in possible_duplicates(ROWS, typed, "")] == found


def test_without_salutation() -> None:
    assert without_salutation("Frau Dr. Yilmaz") == "Yilmaz"
    assert without_salutation("Familie Kaya") == "Kaya"
    assert without_salutation("Herrmann") == "Herrmann"
