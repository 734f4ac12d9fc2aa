"""Checks for values typed into forms, with messages in the user's language.

The rules are the fields' own (:mod:`lotse.domain.entities`), the same the records reader
applies, so what the window stores can always be exported and imported again; only the
wording here is the form's ("Erwachsene: erlaubt sind 0 bis 20.").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy.orm import Session

from lotse import options
from lotse.catalogues import Catalogue
from lotse.domain.fields import (
    DATES,
    LANGUAGE_CODE,
    DateRange,
    Field,
    Kind,
    Range,
    default_of,
    field_of,
    fields_of,
)
from lotse.domain.mapping import values
from lotse.i18n import _


class Problems:
    """Collects every problem of one form so the user sees them all at once.

    With ``session``, codes are checked against that vault's catalogues (its own
    districts); without, against the machine's.
    """

    def __init__(self, session: Session | None = None) -> None:
        self.messages: list[str] = []
        self._session = session

    def _organisation(self, key: str) -> Catalogue:
        return options.catalogue(self._session, key)

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        from lotse.casework.errors import CaseworkInputError

        if self.messages:
            raise CaseworkInputError(
                _("Bitte korrigieren Sie die Eingaben; nichts wurde gespeichert."), self.messages
            )

    def date(
        self, field: str, value: dt.date | None, required: bool = True, dates: DateRange = DATES
    ) -> None:
        if value is None:
            if required:
                self.add(_("{field}: bitte ein Datum angeben.").format(field=field))
            return
        if value not in dates:
            self.add(
                _("{field}: das Datum {date} liegt außerhalb von {low} bis {high}.").format(
                    field=field,
                    date=value.strftime("%d.%m.%Y"),
                    low=dates.low.year,
                    high=dates.high.year,
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

    def value(self, field: Field, value: Any, required: bool | None = None) -> None:
        """Check one value against its field's rule (``required`` defaults to the field's)."""
        label = _(field.label)
        if value is None or (field.kind is Kind.TITLE and not str(value).strip()):
            if field.required if required is None else required:
                self.add(_(field.missing) if field.missing else _missing(field, label))
            return
        kind = field.kind
        if kind is Kind.DATE:
            assert isinstance(field.range, DateRange)
            self.date(label, value, dates=field.range)
        elif kind is Kind.INTEGER:
            assert isinstance(field.range, Range)
            self.integer(label, value, field.range.low, field.range.high)
        elif kind is Kind.CODE:
            self.code(label, value, field.catalogue_in_force(self._organisation))
        elif kind is Kind.CODES:
            self.codes(label, value, field.catalogue_in_force(self._organisation))
        elif kind is Kind.LANGUAGES:
            check_languages(self, label, value)
        elif kind is Kind.LANGUAGE:
            check_languages(self, label, [value])
        elif kind is Kind.ITEMS:
            for item in value:
                check(item, self)
        elif kind is Kind.BIRTH_DATES:
            assert isinstance(field.range, DateRange)
            for birth_date in value:
                self.date(label, birth_date, dates=field.range)
            if field.count is not None and len(value) > field.count.high:
                self.add(_("Höchstens {n} Kinder je Familie.").format(n=field.count.high))
        elif kind is Kind.TITLE and field.max_length and len(value) > field.max_length:
            self.add(
                _("{field}: höchstens {max} Zeichen.").format(field=label, max=field.max_length)
            )


def _missing(field: Field, label: str) -> str:
    if field.kind is Kind.DATE:
        return _("{field}: bitte ein Datum angeben.").format(field=label)
    if field.kind is Kind.INTEGER:
        return _("{field}: bitte eine Zahl angeben.").format(field=label)
    return _("{field}: bitte angeben.").format(field=label)


def _given(value: Any, default: Any) -> bool:
    """Whether a person gave ``value`` (blank text or the field's own default is not given)."""
    if isinstance(value, str) and not value.strip():
        return False
    return value not in (None, [], default)


def check(data: object, problems: Problems) -> None:
    """Check every field of a form's data (an input of :mod:`lotse.casework`).

    A field inside an object of the records format (``consent.date``) is required only
    when the object holds anything, as a records line may leave the whole object out.
    """
    given = values(data)
    cls = type(data)
    filled = {
        f.path[0]
        for f in fields_of(cls)
        if len(f.path) > 1 and _given(given[f.name], default_of(cls, f.name))
    }
    for f in fields_of(cls):
        problems.value(f, given[f.name], f.required and (len(f.path) == 1 or f.path[0] in filled))
        rule = f.not_before
        if rule is not None:
            later, earlier = given[f.name], given[rule.field]
            if later is not None and earlier is not None and later < earlier:
                problems.add(
                    _("{field}: {date} liegt vor „{other}“ ({other_date}).").format(
                        field=_(f.label),
                        date=later.strftime("%d.%m.%Y"),
                        other=_(field_of(cls, rule.field).label),
                        other_date=earlier.strftime("%d.%m.%Y"),
                    )
                )
        if f.only_with is not None:
            _check_only_with(cls, f, given, problems)
        if f.ends_with is not None and given[f.name]:
            _check_history(cls, f, given, problems)


def _check_only_with(cls: type, f: Field, given: dict[str, Any], problems: Problems) -> None:
    rule = f.only_with
    assert rule is not None
    value, other = given[f.name], given[rule.field]
    other_label = _(field_of(cls, rule.field).label)
    if _given(value, None) and not rule.allows(other):
        if rule.codes is None:
            problems.add(
                _("{field}: nur zusammen mit „{other}“.").format(
                    field=_(f.label), other=other_label
                )
            )
        else:
            problems.add(
                _("{field}: nicht bei „{other}“ {value}.").format(
                    field=_(f.label), other=other_label, value=other
                )
            )
    elif not _given(value, None) and rule.needs(other):
        problems.add(_("{field}: bitte angeben.").format(field=_(f.label)))


def _check_history(cls: type, f: Field, given: dict[str, Any], problems: Problems) -> None:
    """A history: oldest first, none before the start, ending in the current state."""
    rule = f.ends_with
    assert rule is not None
    steps = given[f.name]
    label = _(f.label)
    dates = [step.date for step in steps]
    if any(d is None for d in dates):
        return  # each step's own check has said so
    if dates != sorted(dates):
        problems.add(_("{field}: die Stände müssen nach Datum geordnet sein.").format(field=label))
    start = given[rule.start]
    if start is not None and dates[0] < start:
        problems.add(
            _("{field}: ein Stand liegt vor „{other}“ ({other_date}).").format(
                field=label,
                other=_(field_of(cls, rule.start).label),
                other_date=start.strftime("%d.%m.%Y"),
            )
        )
    current = (given[rule.status], given[rule.date] or start)
    if (steps[-1].status, steps[-1].date) != current:
        problems.add(
            _("{field}: der letzte Stand muss der aktuelle Stand der Vermittlung sein.").format(
                field=label
            )
        )


def parse_languages(text: str) -> list[str]:
    """``"de, TR ar"`` → ``["de", "tr", "ar"]`` (order kept, duplicates dropped)."""
    seen: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip().lower()):
        if part and part not in seen:
            seen.append(part)
    return seen


def check_languages(problems: Problems, field: str, languages: list[str]) -> None:
    bad = [lang for lang in languages if not LANGUAGE_CODE.fullmatch(lang)]
    if bad:
        problems.add(
            _("{field}: {values} ist kein zweistelliger Sprachcode (z. B. de, tr, ar).").format(
                field=field, values=", ".join(bad)
            )
        )
