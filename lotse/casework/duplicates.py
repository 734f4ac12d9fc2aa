"""Families that may be the one being recorded: same-sounding name or the same phone."""

from __future__ import annotations

from collections.abc import Iterable

from lotse.casework.listing import FamilyRow, phone_digits
from lotse.casework.phonetics import name_codes

MIN_PHONE_DIGITS = 6
#: Salutations and titles typed before a name ("Frau Yilmaz"): no part of the name.
SALUTATIONS = frozenset(
    {"frau", "fr", "herr", "hr", "familie", "fam", "dr", "prof", "mrs", "mr", "ms", "miss"}
)


def without_salutation(name: str) -> str:
    """``name`` without leading salutations: "Frau Dr. Yilmaz" → "Yilmaz"."""
    words = name.replace(".", ". ").split()
    while words and words[0].rstrip(".").lower() in SALUTATIONS:
        words.pop(0)
    return " ".join(words)


def possible_duplicates(
    rows: Iterable[FamilyRow], name: str, phone: str, limit: int = 8
) -> list[FamilyRow]:
    """Rows whose phone equals ``phone`` (digits only) or whose name sounds like ``name``.

    A name matches when every word typed has a word in the stored name with the same
    Kölner Phonetik code, so "Anna Schaefer" finds "Anna Schäfer" but "Anna" alone does
    not find every Anna once a surname is typed. A salutation typed first ("Frau
    Yilmaz", "Hr. Kaya") is no part of the name. Phone matches come first.
    """
    name = without_salutation(name)
    wanted_phone = phone_digits(phone)
    if len(wanted_phone) < MIN_PHONE_DIGITS:
        wanted_phone = ""
    wanted_codes = name_codes(name) if len(name.strip()) >= 3 else frozenset()
    if not wanted_phone and not wanted_codes:
        return []
    by_phone: list[FamilyRow] = []
    by_name: list[FamilyRow] = []
    for row in rows:
        if wanted_phone and row.phone and phone_digits(row.phone) == wanted_phone:
            by_phone.append(row)
        elif wanted_codes and row.name and wanted_codes <= name_codes(without_salutation(row.name)):
            by_name.append(row)
    return (by_phone + by_name)[:limit]
