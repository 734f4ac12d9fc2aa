"""Reading and validating a ``lotse.records/2`` or ``/1`` file (records.md).

All or nothing: the reader collects every problem of every line as ``FILE:LINE: message``
and returns records only when there is none. Nothing here touches a vault; the importer
stores what the reader accepted.

Which keys a line has and what each may hold comes from the fields' definitions
(:mod:`lotse.domain.entities` through :func:`lotse.records.model.layout`); this module
adds what is particular to the file: JSON types, the messages, ids and references, and
the version: a ``/1`` file is read by the keys it had, its ``consent`` object into
``consents``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lotse import options
from lotse.catalogues import Catalogue
from lotse.domain.fields import (
    ID_LENGTH,
    LANGUAGE_CODE,
    DateRange,
    Field,
    Kind,
    Range,
    default_of,
    fields_of,
)
from lotse.errors import BadInputError
from lotse.fileio import RECORDS_FILE_LIMIT, read_input_file
from lotse.i18n import _, pgettext
from lotse.records.model import (
    FORMAT,
    FORMATS,
    RECORD_TYPES,
    ConsentV1,
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    Key,
    Record,
    Records,
    ReferralRecord,
    ReminderRecord,
    layout,
    refs_of,
    types_of,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: What a value check gets: the key (for the message) and the JSON value.
Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def render(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


class RecordsError(BadInputError):
    """A records file with problems; ``details`` lists every one as ``FILE:LINE: message``."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        lines = [p.render(filename) for p in problems]
        super().__init__(
            _("{file}: {n} Fehler, nichts wurde gespeichert.").format(
                file=filename, n=len(problems)
            ),
            lines,
        )
        self.problems = problems


class _Invalid(Exception):
    """One invalid value; the message is already translated."""


class _Line:
    """Typed access to one line's JSON object; every failure becomes one problem."""

    def __init__(self, data: dict[str, Any], number: int, problems: list[Problem]) -> None:
        self.data = data
        self.number = number
        self.problems = problems
        self.ok = True

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.number, message))

    def get(self, key: str, convert: Check, default: Any = None) -> Any:
        if key not in self.data or self.data[key] is None:
            return default
        try:
            return convert(key, self.data[key])
        except _Invalid as exc:
            self.fail(str(exc))
            return default


# -- value checks ------------------------------------------------------------------------------


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(_('"{key}" muss ein Text sein').format(key=key))
    return value


def _nonempty_text(key: str, value: Any) -> str:
    text = _text(key, value)
    if not text.strip():
        raise _Invalid(_('"{key}" darf nicht leer sein').format(key=key))
    return text


def _limited_text(max_length: int) -> Check:
    def check(key: str, value: Any) -> str:
        text = _nonempty_text(key, value)
        if len(text) > max_length:
            raise _Invalid(
                _('"{key}" ist länger als {max} Zeichen').format(key=key, max=max_length)
            )
        return text

    return check


def _date(dates: DateRange) -> Check:
    def check(key: str, value: Any) -> dt.date:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise _Invalid(
                _('"{key}": {value} ist kein Datum der Form JJJJ-MM-TT').format(
                    key=key, value=json.dumps(value, ensure_ascii=False)
                )
            )
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            raise _Invalid(
                _('"{key}": "{value}" ist kein gültiges Kalenderdatum').format(key=key, value=value)
            ) from None
        if date not in dates:
            raise _Invalid(
                _('"{key}": {value} ist kein plausibles Datum').format(key=key, value=value)
            )
        return date

    return check


def _integer(allowed: Range) -> Check:
    def check(key: str, value: Any) -> int:
        if value not in allowed:
            raise _Invalid(
                _('"{key}" muss eine ganze Zahl von {low} bis {high} sein (ist {value})').format(
                    key=key,
                    low=allowed.low,
                    high=allowed.high,
                    value=json.dumps(value, ensure_ascii=False),
                )
            )
        return int(value)

    return check


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(_('"{key}" muss true oder false sein').format(key=key))
    return value


def _code(catalogue: Catalogue) -> Check:
    codes = frozenset(catalogue.codes)

    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in codes:
            raise _Invalid(
                _('"{key}": unbekannter Code {value} (erlaubt: {codes})').format(
                    key=key,
                    value=json.dumps(value, ensure_ascii=False),
                    codes=", ".join(catalogue.codes),
                )
            )
        return value

    return check


def _list_of(item: Check) -> Check:
    def check(key: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise _Invalid(_('"{key}" muss eine Liste sein').format(key=key))
        items = [item(key, v) for v in value]
        if len(set(map(str, items))) != len(items):
            raise _Invalid(_('"{key}" enthält einen Eintrag doppelt').format(key=key))
        return items

    return check


def _language(key: str, value: Any) -> str:
    if not isinstance(value, str) or not LANGUAGE_CODE.fullmatch(value):
        raise _Invalid(
            _('"{key}": {value} ist kein Sprachcode nach ISO 639-1 (zwei Kleinbuchstaben)').format(
                key=key, value=json.dumps(value, ensure_ascii=False)
            )
        )
    return value


def _object(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(_('"{key}" muss ein Objekt sein').format(key=key))
    return value


_id = _limited_text(ID_LENGTH)


# -- the line types -----------------------------------------------------------------------------


class _Rules:
    """Each field's value check for one file, the organisation's catalogues resolved once."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.types = types_of(version)
        self._organisation = functools.cache(lambda key: options.catalogue(None, key))
        self._types: dict[str, _LineType] = {}
        self._items: dict[type, _LineType] = {}

    def line_type(self, kind: str) -> _LineType:
        if kind not in self._types:
            self._types[kind] = _LineType(RECORD_TYPES[kind], self, self.version)
        return self._types[kind]

    def item_type(self, cls: type) -> _LineType:
        """The keys and checks of one object of an ``ITEMS`` field."""
        if cls not in self._items:
            self._items[cls] = _LineType(cls, self, self.version)
        return self._items[cls]

    def check(self, field: Field) -> Check:
        kind = field.kind
        if kind is Kind.TEXT:
            return _text
        if kind is Kind.TITLE:
            assert field.max_length is not None
            return _limited_text(field.max_length)
        if kind is Kind.INTEGER:
            assert isinstance(field.range, Range)
            return _integer(field.range)
        if kind is Kind.BOOLEAN:
            return _boolean
        if kind in (Kind.DATE, Kind.BIRTH_DATES):
            assert isinstance(field.range, DateRange)
            return _date(field.range)
        if kind is Kind.CODE:
            return _code(field.catalogue_in_force(self._organisation))
        if kind is Kind.CODES:
            return _list_of(_code(field.catalogue_in_force(self._organisation)))
        if kind is Kind.LANGUAGES:
            return _list_of(_language)
        if kind is Kind.LANGUAGE:
            return _language
        if kind is Kind.ITEMS:
            return _object  # each object is checked by its own fields (_items)
        raise AssertionError(f"no records check for {kind}")


@dataclass(frozen=True)
class _Step:
    """One field of a line type and its check."""

    field: Field
    check: Check
    #: The value when the key is missing or null: the field's default (lists: a fresh []).
    default: Any

    def empty(self) -> Any:
        return [] if isinstance(self.default, list) else self.default


class _LineType:
    """What a line of one type (or one object of an ``ITEMS`` field) may hold, with its
    checks built once per file."""

    def __init__(self, cls: type, rules: _Rules, version: int) -> None:
        self.cls = cls
        self.rules = rules
        self.refs = refs_of(cls) if cls in RECORD_TYPES.values() else ()
        keys = layout(cls, version)
        #: A version 1 family's ``consent`` object, read into ``consents``.
        self.v1_consent = cls is FamilyRecord and version < 2
        owners: list[type] = [cls]
        if self.v1_consent:
            keys += layout(ConsentV1)
            owners.append(ConsentV1)
        self.keys = [
            (
                key,
                [
                    _Step(f, rules.check(f), default_of(_owner(owners, f), f.name))
                    for f in key.fields
                ],
            )
            for key in keys
        ]
        in_line = {f.name for key in keys for f in key.fields}
        every = [f for owner in owners for f in fields_of(owner) if f.name in in_line]
        self.befores = [(f, f.not_before) for f in every if f.not_before is not None]
        self.only_withs = [(f, f.only_with) for f in every if f.only_with is not None]
        self.histories = [(f, f.ends_with) for f in every if f.ends_with is not None]
        #: The keys a line must have and may have ("type" itself is implied).
        self.required = set(self.refs) | {key.name for key in keys if key.required}
        self.optional = {key.name for key in keys} - self.required


def _owner(owners: list[type], f: Field) -> type:
    return next(o for o in owners if any(g.name == f.name for g in fields_of(o)))


def _birth_dates(line: _Line, field: Field, check: Check) -> list[dt.date]:
    """``"children": [{"birth_date": …}, …]``: every bad child is its own problem."""
    raw = line.data.get(field.key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        line.fail(_('"{key}" muss eine Liste sein').format(key=field.key))
        return []
    dates: list[dt.date] = []
    for child in raw:
        if not isinstance(child, dict) or set(child) != {field.item}:
            line.fail(_('jedes Kind in "children" braucht genau den Schlüssel "birth_date"'))
            continue
        try:
            dates.append(check(str(field.item), child[field.item]))
        except _Invalid as exc:
            line.fail(str(exc))
    if field.count is not None and len(raw) > field.count.high:
        line.fail(
            _('"{key}" darf höchstens {max} Einträge haben (hat {n})').format(
                key=field.key, max=field.count.high, n=len(raw)
            )
        )
    return dates


def _object_values(line: _Line, key: Key, steps: list[_Step]) -> dict[str, Any]:
    """The values of the fields inside an object such as ``"person": {"name": …}``."""
    values = {step.field.name: step.empty() for step in steps}
    data = line.get(key.name, _object)
    if data is None:
        return values
    inside = {f.path[1]: f for f in key.fields}
    for unknown in sorted(set(data) - set(inside)):
        line.fail(
            _('unbekannter Schlüssel "{key}" in "{object}"').format(key=unknown, object=key.name)
        )
    required = {leaf for leaf, f in inside.items() if f.required}
    for missing in sorted(required - set(data)):
        line.fail(
            _('"{object}" braucht den Schlüssel "{key}"').format(object=key.name, key=missing)
        )
    for null in sorted(leaf for leaf in required & set(data) if data[leaf] is None):
        line.fail(_('"{key}" darf nicht null sein').format(key=f"{key.name}.{null}"))
    sub = _Line(data, line.number, line.problems)
    for step in steps:
        values[step.field.name] = sub.get(step.field.path[1], step.check, step.empty())
    line.ok = line.ok and sub.ok
    return values


def _items(line: _Line, field: Field, rules: _Rules) -> list[Any]:
    """``"history": [{"status": …, "date": …}, …]``: each object checked by its fields."""
    raw = line.data.get(field.key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        line.fail(_('"{key}" muss eine Liste sein').format(key=field.key))
        return []
    assert field.item_type is not None
    item_type = rules.item_type(field.item_type)
    items = []
    for data in raw:
        if not isinstance(data, dict):
            line.fail(_('"{key}": jeder Eintrag muss ein Objekt sein').format(key=field.key))
            continue
        sub = _Line(data, line.number, line.problems)
        for unknown in sorted(set(data) - item_type.required - item_type.optional):
            sub.fail(
                _('unbekannter Schlüssel "{key}" in "{object}"').format(
                    key=unknown, object=field.key
                )
            )
        for missing in sorted(item_type.required - set(data)):
            sub.fail(
                _('"{object}" braucht den Schlüssel "{key}"').format(object=field.key, key=missing)
            )
        for null in sorted(k for k in item_type.required & set(data) if data[k] is None):
            sub.fail(_('"{key}" darf nicht null sein').format(key=f"{field.key}.{null}"))
        if not sub.ok:
            line.ok = False
            continue
        values = _values(item_type, sub)
        _rules_across(item_type, sub, values)
        line.ok = line.ok and sub.ok
        if sub.ok:
            items.append(item_type.cls(**values))
    return items


def _values(line_type: _LineType, line: _Line) -> dict[str, Any]:
    """The values of every key of a line (or an object) whose keys are known to be right."""
    values: dict[str, Any] = {}
    for key, steps in line_type.keys:
        if key.is_object:
            values |= _object_values(line, key, steps)
            continue
        step = steps[0]
        if step.field.kind is Kind.BIRTH_DATES:
            values[step.field.name] = _birth_dates(line, step.field, step.check)
        elif step.field.kind is Kind.ITEMS:
            values[step.field.name] = _items(line, step.field, line_type.rules)
        else:
            values[step.field.name] = line.get(key.name, step.check, step.empty())
    return values


def _rules_across(line_type: _LineType, line: _Line, values: dict[str, Any]) -> None:
    """The rules between values of one line: dates in order, values only beside others."""
    for field, rule in line_type.befores:
        later, earlier = values[field.name], values[rule.field]
        if later is not None and earlier is not None and later < earlier:
            line.fail(_(rule.message))
    for field, only in line_type.only_withs:
        value, other = values[field.name], values[only.field]
        if value is not None and not only.allows(other):
            line.fail(_(only.message))
        elif value is None and only.needs(other):
            line.fail(_(only.missing))
    for field, history in line_type.histories:
        steps = values[field.name]
        if not steps:
            continue
        dates = [step.date for step in steps]
        start = values[history.start]
        if dates != sorted(dates):
            line.fail(_(history.unordered))
        if start is not None and dates[0] < start:
            line.fail(_(history.too_early))
        current = (values[history.status], values[history.date] or start)
        if (steps[-1].status, steps[-1].date) != current:
            line.fail(_(history.last_differs))


def _parse(line_type: _LineType, line: _Line) -> Record | None:
    """The record of one line whose keys are known to be right, or None with its problems."""
    values: dict[str, Any] = {ref: line.get(ref, _id, "") for ref in line_type.refs}
    values |= _values(line_type, line)
    _rules_across(line_type, line, values)
    if line_type.v1_consent:
        given = {f.name: values.pop(f.name) for f in fields_of(ConsentV1)}
        values["consents"] = ConsentV1(**given).consents()
    return line_type.cls(**values, line=line.number) if line.ok else None


def _type_label(kind: str) -> str:
    return {
        "family": pgettext("Datensatztyp", "Familie"),
        "contact": pgettext("Datensatztyp", "Kontakt"),
        "referral": pgettext("Datensatztyp", "Vermittlung"),
        "reminder": pgettext("Datensatztyp", "Wiedervorlage"),
        "group_offer": pgettext("Datensatztyp", "Gruppenangebot"),
        "group_session": pgettext("Datensatztyp", "Gruppentermin"),
    }[kind]


# -- the file ----------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        keys = [k for k, _v in pairs]
        twice = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise _Invalid(_('der Schlüssel "{key}" kommt doppelt vor').format(key=twice))
    return data


def _load_line(text: str) -> Any:
    """One line's JSON value; every way it can be bad becomes an :class:`_Invalid`."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _Invalid(_("kein gültiges JSON ({error})").format(error=exc.msg)) from None
    except RecursionError:
        raise _Invalid(_("kein gültiges JSON (zu tief verschachtelt)")) from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        if isinstance(exc, UnicodeError) or "digits" not in str(exc):
            raise
        raise _Invalid(_("kein gültiges JSON (Zahl zu lang)")) from None
    # A lone surrogate escape (\ud800) is valid JSON but no text; it could not be stored.
    if "\\u" in text and _has_lone_surrogate(data):
        raise _Invalid(_("die Zeile enthält ein ungültiges Zeichen (einzelnes Surrogat)"))
    return data


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def parse_lines(lines: Iterable[str], problems: list[Problem]) -> Records:
    """Validate ``lines`` (text without line ends, numbered from 1); collect problems."""
    records = Records()
    rules = _Rules(FORMATS[FORMAT])
    seen_header = False
    family_lines: dict[str, int] = {}
    offer_lines: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = _load_line(text)
        except _Invalid as exc:
            problems.append(Problem(number, str(exc)))
            if not seen_header:
                seen_header = True
                problems.append(Problem(number, _header_message()))
            continue
        if not seen_header:
            seen_header = True
            version = _version(data)
            if version is None:
                problems.append(Problem(number, _header_message()))
                if isinstance(data, dict) and "format" in data:
                    continue
            else:
                rules = _Rules(version)
                continue
        if not isinstance(data, dict):
            problems.append(Problem(number, _("die Zeile ist kein JSON-Objekt")))
            continue
        kind = data.get("type")
        if kind is None:
            problems.append(Problem(number, _('der Schlüssel "type" fehlt')))
            continue
        if not isinstance(kind, str) or kind not in rules.types:
            problems.append(
                Problem(
                    number,
                    _("unbekannter Typ {type} (erlaubt: {types})").format(
                        type=json.dumps(kind, ensure_ascii=False), types=", ".join(rules.types)
                    ),
                )
            )
            continue
        line_type = rules.line_type(kind)
        required, optional = line_type.required, line_type.optional
        fields = {k: v for k, v in data.items() if k != "type"}
        line = _Line(fields, number, problems)
        for key in sorted(set(fields) - required - optional):
            line.fail(
                _('unbekannter Schlüssel "{key}" in {type}').format(key=key, type=_type_label(kind))
            )
        for key in sorted(required - set(fields)):
            line.fail(
                _('Pflichtschlüssel "{key}" fehlt in {type}').format(
                    key=key, type=_type_label(kind)
                )
            )
        for key in sorted(k for k in required & set(fields) if fields[k] is None):
            line.fail(_('"{key}" darf nicht null sein').format(key=key))
        if not line.ok:
            continue
        record = _parse(line_type, line)
        if record is None:
            continue
        if isinstance(record, FamilyRecord):
            if record.id in family_lines:
                problems.append(
                    Problem(
                        number,
                        _('Familien-ID "{id}" kommt doppelt vor (zuerst in Zeile {line})').format(
                            id=record.id, line=family_lines[record.id]
                        ),
                    )
                )
                continue
            family_lines[record.id] = number
            records.families.append(record)
        elif isinstance(record, GroupOfferRecord):
            if record.id in offer_lines:
                problems.append(
                    Problem(
                        number,
                        _(
                            'Gruppenangebots-ID "{id}" kommt doppelt vor (zuerst in Zeile {line})'
                        ).format(id=record.id, line=offer_lines[record.id]),
                    )
                )
                continue
            offer_lines[record.id] = number
            records.group_offers.append(record)
        elif isinstance(record, ContactRecord):
            records.contacts.append(record)
        elif isinstance(record, ReferralRecord):
            records.referrals.append(record)
        elif isinstance(record, ReminderRecord):
            records.reminders.append(record)
        else:
            records.group_sessions.append(record)
    if not seen_header:
        problems.append(Problem(1, _("die Datei ist leer")))
    # References may point forward: check them once every line is read.
    for contact in records.contacts:
        if contact.family not in family_lines:
            problems.append(
                Problem(
                    contact.line,
                    _('Kontakt verweist auf unbekannte Familie "{id}"').format(id=contact.family),
                )
            )
    for referral in records.referrals:
        if referral.family not in family_lines:
            problems.append(
                Problem(
                    referral.line,
                    _('Vermittlung verweist auf unbekannte Familie "{id}"').format(
                        id=referral.family
                    ),
                )
            )
    for reminder in records.reminders:
        if reminder.family not in family_lines:
            problems.append(
                Problem(
                    reminder.line,
                    _('Wiedervorlage verweist auf unbekannte Familie "{id}"').format(
                        id=reminder.family
                    ),
                )
            )
    for session in records.group_sessions:
        if session.offer not in offer_lines:
            problems.append(
                Problem(
                    session.line,
                    _('Gruppentermin verweist auf unbekanntes Gruppenangebot "{id}"').format(
                        id=session.offer
                    ),
                )
            )
    problems.sort(key=lambda p: p.line)
    return records


def _version(header: Any) -> int | None:
    """The format version a header line names, or None if it is no header Lotse reads."""
    if not isinstance(header, dict) or set(header) != {"format"}:
        return None
    name = header["format"]
    return FORMATS.get(name) if isinstance(name, str) else None


def _header_message() -> str:
    # A version 1 header is read too; the message names the one Lotse writes.
    return _("die erste Zeile muss der Kopf {header} sein").format(
        header=json.dumps({"format": FORMAT})
    )


def decode(raw: bytes, problems: list[Problem]) -> list[str] | None:
    """The file's lines, or ``None`` with a problem for a binary or non-UTF-8 file."""
    if not raw:
        problems.append(Problem(1, _("die Datei ist leer")))
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(line, _("die Datei ist keine Textdatei (sie enthält Binärdaten)")))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM from Windows editors is harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(line, _("kein gültiges UTF-8 (Byte {pos} der Datei)").format(pos=exc.start + 1))
        )
        return None
    return text.split("\n") if "\r\n" not in text else text.replace("\r\n", "\n").split("\n")


def read_records(path: Path, display_name: str | None = None) -> Records:
    """Read and validate the file at ``path``; raise :class:`RecordsError` listing every problem."""
    name = display_name or str(path)
    # Only a regular file up to the limit: a FIFO or /dev/zero is refused, not read forever.
    raw = read_input_file(path, RECORDS_FILE_LIMIT, name)
    return parse_bytes(raw, name)


def parse_bytes(raw: bytes, name: str) -> Records:
    problems: list[Problem] = []
    lines = decode(raw, problems)
    records = parse_lines(lines, problems) if lines is not None else Records()
    if problems:
        raise RecordsError(name, problems)
    return records
