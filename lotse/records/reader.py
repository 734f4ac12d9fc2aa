"""Reading and validating a ``lotse.records/1`` file (records.md).

All or nothing: the reader collects every problem of every line as ``FILE:LINE: message``
and returns records only when there is none. Nothing here touches a vault; the importer
stores what the reader accepted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lotse.catalogues import (
    ACCESS_ROUTES,
    CONSENT_SCOPES,
    CONTACT_KINDS,
    GROUP_CATEGORIES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
    Catalogue,
    districts,
)
from lotse.errors import BadInputError
from lotse.fileio import RECORDS_FILE_LIMIT, read_input_file
from lotse.i18n import _, pgettext
from lotse.records.model import (
    FORMAT,
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    GroupSessionRecord,
    Records,
    ReferralRecord,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_MIN_DATE = dt.date(1900, 1, 1)
_MAX_DATE = dt.date(2199, 12, 31)

_KEYS: dict[str, tuple[set[str], set[str]]] = {
    # type: (required keys, optional keys) — "type" itself is implied
    "family": (
        {"id", "adults", "children"},
        {
            "district",
            "access_route",
            "sgb2",
            "languages",
            "interpreter",
            "person",
            "consent",
            "closed",
            "notes",
        },
    ),
    "contact": ({"family", "date", "kind"}, {"minutes", "setting", "topics", "notes"}),
    "referral": ({"family", "date", "target", "status"}, {"status_date", "notes"}),
    "group_offer": ({"id", "title"}, {"category", "district"}),
    "group_session": ({"offer", "date", "adults", "children"}, {"minutes"}),
}


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

    def get(self, key: str, convert: Callable[[str, Any], Any], default: Any = None) -> Any:
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


def _date(key: str, value: Any) -> dt.date:
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
    if not _MIN_DATE <= date <= _MAX_DATE:
        raise _Invalid(_('"{key}": {value} ist kein plausibles Datum').format(key=key, value=value))
    return date


def _integer(low: int, high: int) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Invalid(
                _('"{key}" muss eine ganze Zahl von {low} bis {high} sein (ist {value})').format(
                    key=key, low=low, high=high, value=json.dumps(value, ensure_ascii=False)
                )
            )
        return value

    return check


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(_('"{key}" muss true oder false sein').format(key=key))
    return value


def _code(catalogue: Catalogue | Callable[[], Catalogue]) -> Callable[[str, Any], str]:
    def check(key: str, value: Any) -> str:
        cat = catalogue() if callable(catalogue) else catalogue
        if not isinstance(value, str) or value not in cat:
            raise _Invalid(
                _('"{key}": unbekannter Code {value} (erlaubt: {codes})').format(
                    key=key,
                    value=json.dumps(value, ensure_ascii=False),
                    codes=", ".join(cat.codes),
                )
            )
        return value

    return check


def _list_of(item: Callable[[str, Any], Any]) -> Callable[[str, Any], list[Any]]:
    def check(key: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise _Invalid(_('"{key}" muss eine Liste sein').format(key=key))
        items = [item(key, v) for v in value]
        if len(set(map(str, items))) != len(items):
            raise _Invalid(_('"{key}" enthält einen Eintrag doppelt').format(key=key))
        return items

    return check


def _language(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
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


def _id(key: str, value: Any) -> str:
    text = _nonempty_text(key, value)
    if len(text) > 200:
        raise _Invalid(_('"{key}" ist länger als 200 Zeichen').format(key=key))
    return text


# -- the line types -----------------------------------------------------------------------------


def _family(line: _Line) -> FamilyRecord | None:
    children: list[dt.date] = []
    raw_children = line.data.get("children")
    if not isinstance(raw_children, list):
        line.fail(_('"children" muss eine Liste sein'))
    else:
        for child in raw_children:
            if not isinstance(child, dict) or set(child) != {"birth_date"}:
                line.fail(_('jedes Kind in "children" braucht genau den Schlüssel "birth_date"'))
                continue
            try:
                children.append(_date("birth_date", child["birth_date"]))
            except _Invalid as exc:
                line.fail(str(exc))
    record = FamilyRecord(
        id=line.get("id", _id, ""),
        adults=line.get("adults", _integer(0, 20), 0),
        children=children,
        district=line.get("district", _code(districts)),
        access_route=line.get("access_route", _code(ACCESS_ROUTES)),
        sgb2=line.get("sgb2", _boolean),
        languages=line.get("languages", _list_of(_language), []),
        interpreter=line.get("interpreter", _boolean),
        closed=line.get("closed", _date),
        notes=line.get("notes", _text),
        line=line.number,
    )
    person = line.get("person", _object)
    if person is not None:
        unknown = sorted(set(person) - {"name", "phone", "address"})
        for key in unknown:
            line.fail(_('unbekannter Schlüssel "{key}" in "person"').format(key=key))
        sub = _Line(person, line.number, line.problems)
        record.person_name = sub.get("name", _text)
        record.person_phone = sub.get("phone", _text)
        record.person_address = sub.get("address", _text)
        line.ok = line.ok and sub.ok
    consent = line.get("consent", _object)
    if consent is not None:
        for key in sorted(set(consent) - {"date", "scope", "withdrawn"}):
            line.fail(_('unbekannter Schlüssel "{key}" in "consent"').format(key=key))
        for key in sorted({"date", "scope"} - set(consent)):
            line.fail(_('"consent" braucht den Schlüssel "{key}"').format(key=key))
        for key in sorted(k for k in ("date", "scope") if k in consent and consent[k] is None):
            line.fail(_('"{key}" darf nicht null sein').format(key=f"consent.{key}"))
        sub = _Line(consent, line.number, line.problems)
        record.consent_date = sub.get("date", _date)
        record.consent_scope = sub.get("scope", _list_of(_code(CONSENT_SCOPES)), [])
        record.consent_withdrawn = sub.get("withdrawn", _date)
        line.ok = line.ok and sub.ok
        if (
            record.consent_date
            and record.consent_withdrawn
            and record.consent_withdrawn < record.consent_date
        ):
            line.fail(_("die Einwilligung wurde vor ihrem Datum widerrufen"))
    return record if line.ok else None


def _contact(line: _Line) -> ContactRecord | None:
    record = ContactRecord(
        family=line.get("family", _id, ""),
        date=line.get("date", _date),
        kind=line.get("kind", _code(CONTACT_KINDS), ""),
        minutes=line.get("minutes", _integer(0, 600)),
        setting=line.get("setting", _code(SETTINGS)),
        topics=line.get("topics", _list_of(_code(TOPICS)), []),
        notes=line.get("notes", _text),
        line=line.number,
    )
    return record if line.ok else None


def _referral(line: _Line) -> ReferralRecord | None:
    record = ReferralRecord(
        family=line.get("family", _id, ""),
        date=line.get("date", _date),
        target=line.get("target", _code(REFERRAL_TARGETS), ""),
        status=line.get("status", _code(REFERRAL_STATUSES), ""),
        status_date=line.get("status_date", _date),
        notes=line.get("notes", _text),
        line=line.number,
    )
    if line.ok and record.status_date is not None and record.status_date < record.date:
        line.fail(_('"status_date" liegt vor dem Datum der Vermittlung'))
    return record if line.ok else None


def _group_offer(line: _Line) -> GroupOfferRecord | None:
    record = GroupOfferRecord(
        id=line.get("id", _id, ""),
        title=line.get("title", _nonempty_text, ""),
        category=line.get("category", _code(GROUP_CATEGORIES)),
        district=line.get("district", _code(districts)),
        line=line.number,
    )
    return record if line.ok else None


def _group_session(line: _Line) -> GroupSessionRecord | None:
    record = GroupSessionRecord(
        offer=line.get("offer", _id, ""),
        date=line.get("date", _date),
        adults=line.get("adults", _integer(0, 500), 0),
        children=line.get("children", _integer(0, 500), 0),
        minutes=line.get("minutes", _integer(0, 600)),
        line=line.number,
    )
    return record if line.ok else None


_PARSERS: dict[str, Callable[[_Line], Any]] = {
    "family": _family,
    "contact": _contact,
    "referral": _referral,
    "group_offer": _group_offer,
    "group_session": _group_session,
}


def _type_label(kind: str) -> str:
    return {
        "family": pgettext("Datensatztyp", "Familie"),
        "contact": pgettext("Datensatztyp", "Kontakt"),
        "referral": pgettext("Datensatztyp", "Vermittlung"),
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
            if data != {"format": FORMAT}:
                problems.append(Problem(number, _header_message()))
                if isinstance(data, dict) and "format" in data:
                    continue
            else:
                continue
        if not isinstance(data, dict):
            problems.append(Problem(number, _("die Zeile ist kein JSON-Objekt")))
            continue
        kind = data.get("type")
        if kind is None:
            problems.append(Problem(number, _('der Schlüssel "type" fehlt')))
            continue
        if not isinstance(kind, str) or kind not in _PARSERS:
            problems.append(
                Problem(
                    number,
                    _("unbekannter Typ {type} (erlaubt: {types})").format(
                        type=json.dumps(kind, ensure_ascii=False), types=", ".join(_PARSERS)
                    ),
                )
            )
            continue
        required, optional = _KEYS[kind]
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
        record = _PARSERS[kind](line)
        if record is None:
            continue
        if kind == "family":
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
        elif kind == "group_offer":
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
        elif kind == "contact":
            records.contacts.append(record)
        elif kind == "referral":
            records.referrals.append(record)
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


def _header_message() -> str:
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
