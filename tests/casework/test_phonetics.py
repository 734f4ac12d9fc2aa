"""Kölner Phonetik against published examples."""

from __future__ import annotations

import pytest

from lotse.casework.phonetics import cologne_code, name_codes, raw_code


def test_published_raw_code() -> None:
    assert raw_code("Müller-Lüdenscheidt") == "60550750206880022"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Müller-Lüdenscheidt", "65752682"),
        ("Wikipedia", "3412"),
        ("Breschnew", "17863"),
        ("Müller", "657"),
        ("Meier", "67"),
        ("Mayer", "67"),
        ("Meyer", "67"),
        ("Maier", "67"),
        ("Christoph", "47823"),  # C before H at the start: 4; PH: 3
        ("Xaver", "4837"),  # X not after C/K/Q: 48
    ],
)
def test_published_codes(name: str, code: str) -> None:
    assert cologne_code(name) == code


def test_similar_spellings_share_a_code() -> None:
    assert cologne_code("Schäfer") == cologne_code("Schaefer") == cologne_code("Schefer")
    assert cologne_code("Schäfer") != cologne_code("Becker")


def test_no_letters_no_code() -> None:
    assert cologne_code("123 -") == ""
    assert name_codes("  ") == frozenset()


def test_name_codes_split_words() -> None:
    assert name_codes("Anna Müller-Lüdenscheidt") == {
        cologne_code("Anna"),
        cologne_code("Müller"),
        cologne_code("Lüdenscheidt"),
    }
