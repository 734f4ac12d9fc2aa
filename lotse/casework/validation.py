"""Checks for values typed into forms, with messages in the user's language.

The limits are those of the records format (records.md), so what the window stores can
always be exported and imported again.
"""

from __future__ import annotations

import datetime as dt
import re

from lotse.catalogues import Catalogue
from lotse.i18n import _

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
_LANGUAGE = re.compile(r"[a-z]{2}")


class Problems:
    """Collects every problem of one form so the user sees them all at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        from lotse.casework.errors import CaseworkInputError

        if self.messages:
            raise CaseworkInputError(
                _("Bitte korrigieren Sie die Eingaben; nichts wurde gespeichert."), self.messages
            )

    def date(self, field: str, value: dt.date | None, required: bool = True) -> None:
        if value is None:
            if required:
                self.add(_("{field}: bitte ein Datum angeben.").format(field=field))
            return
        if not MIN_DATE <= value <= MAX_DATE:
            self.add(
                _("{field}: das Datum {date} liegt außerhalb von 1900 bis 2199.").format(
                    field=field, date=value.strftime("%d.%m.%Y")
                )
            )

    def integer(self, field: str, value: int | None, low: int, high: int) -> None:
        if value is not None and not low <= value <= high:
            self.add(
                _("{field}: erlaubt sind {low} bis {high}.").format(field=field, low=low, high=high)
            )

    def code(self, field: str, value: str | None, catalogue: Catalogue) -> None:
        if value is not None and value not in catalogue:
            self.add(_("{field}: unbekannter Wert {value}.").format(field=field, value=value))

    def codes(self, field: str, values: list[str], catalogue: Catalogue) -> None:
        for value in values:
            self.code(field, value, catalogue)


def parse_languages(text: str) -> list[str]:
    """``"de, TR ar"`` → ``["de", "tr", "ar"]`` (order kept, duplicates dropped)."""
    seen: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip().lower()):
        if part and part not in seen:
            seen.append(part)
    return seen


def check_languages(problems: Problems, field: str, languages: list[str]) -> None:
    bad = [lang for lang in languages if not _LANGUAGE.fullmatch(lang)]
    if bad:
        problems.add(
            _("{field}: {values} ist kein zweistelliger Sprachcode (z. B. de, tr, ar).").format(
                field=field, values=", ".join(bad)
            )
        )


def clean_text(value: str | None) -> str | None:
    """Stripped text, or ``None`` for empty input."""
    if value is None:
        return None
    value = value.strip()
    return value or None
