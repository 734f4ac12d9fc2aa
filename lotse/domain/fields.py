"""The limits of Lotse's records and :class:`Field`, the definition each attribute carries.

A record type (:mod:`lotse.domain.entities`) is a dataclass whose every attribute is made
with :func:`spec`, so the attribute's type, default and rule sit on one line. Everything
that reads, writes or checks values takes the rule from there: the records reader and
writer (records.md), the form checks (:mod:`lotse.casework.validation`), the mapper
(:mod:`lotse.domain.mapping`) and, through the named limits below, the window's widgets
(``fields.ADULTS.low``, ``fields.DATE_MAX`` …).

Labels are German msgids, translated where they are shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lotse.catalogues import Catalogue


@dataclass(frozen=True)
class Range:
    """Whole numbers from ``low`` to ``high``, both included."""

    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        # bool is an int in Python, but true is no head count
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )


@dataclass(frozen=True)
class DateRange:
    """Dates from ``low`` to ``high``, both included."""

    low: dt.date
    high: dt.date

    def __contains__(self, value: object) -> bool:
        return isinstance(value, dt.date) and self.low <= value <= self.high


# -- the limits ------------------------------------------------------------------------------

#: Any date Lotse stores; outside is a typing error (records.md: a "plausible date").
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
DATES = DateRange(DATE_MIN, DATE_MAX)
#: Duration of a contact or a group session.
MINUTES = Range(0, 600)
#: Adults in a household.
ADULTS = Range(0, 20)
#: Children (born or expected) in a household.
CHILDREN = Range(0, 20)
#: Adults or children at one group session (anonymous head counts).
HEAD_COUNT = Range(0, 500)
#: Minutes of inactivity before the window locks the vault (an option, not a record field).
LOCK_MINUTES = Range(1, 240)
#: Characters of an id in a records file (kept as the external reference).
ID_LENGTH = 200
#: Characters of a group offer's title.
TITLE_LENGTH = 200
#: An ISO 639-1 language code as Lotse stores it.
LANGUAGE_CODE = re.compile(r"[a-z]{2}")


class Kind(enum.Enum):
    """What sort of value a field holds; each reader, writer and check handles every kind."""

    TEXT = "text"  #: free text; blank counts as not given
    TITLE = "title"  #: text that must not be blank, at most ``max_length`` characters
    INTEGER = "integer"  #: a whole number in ``range``
    BOOLEAN = "boolean"  #: true or false; ``None`` for not known
    DATE = "date"  #: a date in ``range``
    CODE = "code"  #: one code of ``catalogue``
    CODES = "codes"  #: distinct codes of ``catalogue``
    LANGUAGES = "languages"  #: distinct ISO 639-1 codes
    BIRTH_DATES = "birth_dates"  #: one date per child, newest first, at most ``count``
    LANGUAGE = "language"  #: one ISO 639-1 code
    #: objects of the record type ``item_type``, each checked by its own fields (a
    #: referral's status history, a family's consents); kept in a related table
    ITEMS = "items"


#: Kinds whose value is a list (``[]`` when not given).
LIST_KINDS = frozenset({Kind.CODES, Kind.LANGUAGES, Kind.BIRTH_DATES, Kind.ITEMS})


@dataclass(frozen=True)
class Before:
    """A date that must not lie before another of the same record."""

    #: The attribute name of the earlier date.
    field: str
    #: German msgid of the records reader's message (records.md wording).
    message: str


@dataclass(frozen=True)
class OnlyWith:
    """A value allowed only beside another of the same record: ``closure_reason`` only
    with ``closed``; a consent's ``recipient`` only for some purposes, and required for
    some."""

    #: The attribute name of the other value.
    field: str
    #: German msgid of the records reader's message when the value is not allowed.
    message: str
    #: The codes of ``field`` that allow a value (``None``: any value of ``field``).
    codes: tuple[str, ...] | None = None
    #: The codes of ``field`` that need a value.
    required_for: tuple[str, ...] = ()
    #: German msgid of the records reader's message when a needed value is missing.
    missing: str = ""

    def allows(self, other: Any) -> bool:
        """Whether a value may stand beside ``other`` (the value of :attr:`field`)."""
        if other is None:
            return False
        return self.codes is None or other in self.codes

    def needs(self, other: Any) -> bool:
        """Whether ``other`` (the value of :attr:`field`) makes the value required."""
        return other is not None and other in self.required_for


@dataclass(frozen=True)
class EndsWith:
    """A history that ends in the record's current state (records.md, ``history``).

    Its steps come oldest first, none before the record's ``start`` date, and the last
    one's status and date are the record's ``status`` and ``date`` (``start`` where the
    record has no ``date``).
    """

    status: str
    date: str
    start: str
    #: German msgids of the records reader's messages.
    unordered: str
    too_early: str
    last_differs: str


@dataclass(frozen=True)
class Field:
    """The definition of one attribute: its kind, label, records key and rule."""

    kind: Kind
    #: German msgid naming the field in messages (translate with ``_`` where shown).
    label: str
    #: The attribute's name in input, record and row (filled in from the dataclass).
    name: str = ""
    #: Key in a records line; ``person.name`` is ``name`` inside the object ``person``.
    key: str = ""
    #: Records line: the key must be there and not null (inside its object, if nested).
    #: Form: the value must be given (when its object has any value, if nested).
    required: bool = False
    range: Range | DateRange | None = None
    #: A built-in catalogue, or the option key of an organisation's (``"districts"``),
    #: resolved where the check runs (:func:`lotse.options.catalogue`).
    catalogue: Catalogue | str | None = None
    #: How many items a list may hold.
    count: Range | None = None
    max_length: int | None = None
    not_before: Before | None = None
    #: Stored one row per item in a related table, the item in this attribute of the row
    #: (``Child.birth_date``, ``ContactTopic.topic``); the records key of a child object.
    item: str | None = None
    #: The form's message when a required value is missing (else the kind's own).
    missing: str | None = None
    #: Personal data as records.md marks it (name, phone, address, free text).
    personal: bool = False
    #: The record type of each object of an ``ITEMS`` field.
    item_type: type | None = None
    only_with: OnlyWith | None = None
    ends_with: EndsWith | None = None

    @property
    def path(self) -> tuple[str, ...]:
        """The records key split at dots: ``("person", "name")``."""
        return tuple(self.key.split("."))

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def related(self) -> bool:
        """Whether the value is kept in a related table, not in a column of the row."""
        return self.item is not None or self.kind is Kind.ITEMS

    def catalogue_in_force(self, organisation: Callable[[str], Catalogue]) -> Catalogue:
        """The catalogue to check against; ``organisation`` resolves an option key."""
        if isinstance(self.catalogue, Catalogue):
            return self.catalogue
        if self.catalogue is None:
            raise TypeError(f"{self.name} has no catalogue")
        return organisation(self.catalogue)


_SPEC = "lotse.field"
_DATE_KINDS = (Kind.DATE, Kind.BIRTH_DATES)


def spec(
    kind: Kind,
    label: str,
    *,
    default: Any = dataclasses.MISSING,
    **rule: Any,
) -> Any:
    """A dataclass attribute carrying its :class:`Field` (``name`` and ``key`` filled later).

    Without ``default`` the attribute is required in the constructor; list kinds default
    to a fresh ``[]``. Dates are limited to :data:`DATES` unless ``range`` says otherwise.
    """
    if kind in _DATE_KINDS:
        rule.setdefault("range", DATES)
    definition = Field(kind, label, **rule)
    if kind in LIST_KINDS and default is dataclasses.MISSING:
        return dataclasses.field(default_factory=list, metadata={_SPEC: definition})
    return dataclasses.field(default=default, metadata={_SPEC: definition})


@functools.cache
def fields_of(cls: type) -> tuple[Field, ...]:
    """The fields of a record type (input, record or domain class), in declaration order.

    Attributes without a :class:`Field` (a record's ``id``, ``family``, ``line``) are left
    out: they belong to the records file, not to the domain.
    """
    found = []
    for attribute in dataclasses.fields(cls):
        definition = attribute.metadata.get(_SPEC)
        if definition is not None:
            found.append(
                dataclasses.replace(
                    definition, name=attribute.name, key=definition.key or attribute.name
                )
            )
    return tuple(found)


def field_of(cls: type, name: str) -> Field:
    """The field ``name`` of record type ``cls``."""
    for definition in fields_of(cls):
        if definition.name == name:
            return definition
    raise KeyError(f"{cls.__name__} has no field {name!r}")


def default_of(cls: type, name: str) -> Any:
    """The value ``cls`` gives attribute ``name`` when the constructor is not told one."""
    for attribute in dataclasses.fields(cls):
        if attribute.name == name:
            if attribute.default_factory is not dataclasses.MISSING:
                return attribute.default_factory()
            return None if attribute.default is dataclasses.MISSING else attribute.default
    raise KeyError(f"{cls.__name__} has no field {name!r}")
