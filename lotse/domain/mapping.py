"""The one mapper between a record type's three shapes: form input, database row, record.

Input (``FamilyInput`` …) and record (``FamilyRecord`` …) are subclasses of the same
domain class (:mod:`lotse.domain.entities`), and the row has a column of the same name for
each field, so every conversion is the same walk over :func:`~lotse.domain.fields.fields_of`:

- input → row: :func:`normalised` (what a person typed, tidied), then :func:`apply` or
  :func:`columns`;
- record → row: :func:`sql_columns` (the importer's bulk insert, values kept exactly so
  export → import → export is identical);
- row → input or record: :func:`from_row`.

Fields with ``item`` live in a related table (children, contact topics, screening
factors), as do ``ITEMS`` fields (a referral's history, a family's consents);
:func:`columns` leaves them out and the caller, which knows the table, writes their rows.
Rows are read by attribute name only, so nothing here imports the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, TypeVar

from lotse.domain.fields import Kind, default_of, fields_of

T = TypeVar("T")


def values(data: object) -> dict[str, Any]:
    """The field values of ``data`` (an input, record or domain object), by name."""
    return {f.name: getattr(data, f.name) for f in fields_of(type(data))}


def normalised(data: T) -> T:
    """``data`` as it is stored: what a person typed, tidied without changing its meaning.

    Text loses surrounding blanks, and blank text counts as not given; a code or language
    given twice counts once; children come newest first; the objects of an ``ITEMS``
    field are tidied the same way.
    """
    cls = type(data)
    changes: dict[str, Any] = {}
    for f in fields_of(cls):
        value = getattr(data, f.name)
        if f.kind is Kind.TEXT and isinstance(value, str):
            changes[f.name] = value.strip() or default_of(cls, f.name)
        elif f.kind in (Kind.CODES, Kind.LANGUAGES) and value is not None:
            changes[f.name] = list(dict.fromkeys(value))
        elif f.kind is Kind.BIRTH_DATES and value is not None:
            changes[f.name] = sorted(value, reverse=True)
        elif f.kind is Kind.ITEMS and value is not None:
            changes[f.name] = [normalised(item) for item in value]
    return dataclasses.replace(data, **changes)  # type: ignore[type-var]


def columns(data: object) -> dict[str, Any]:
    """The row's column values for ``data`` (fields kept in a related table left out)."""
    return {f.name: _copy(getattr(data, f.name)) for f in fields_of(type(data)) if not f.related}


def apply(row: object, data: object) -> None:
    """Set the row's columns to the values of ``data`` (related tables are the caller's)."""
    for name, value in columns(data).items():
        setattr(row, name, value)


def sql_columns(data: object) -> dict[str, Any]:
    """:func:`columns` as SQLite stores them: dates as ISO text, lists as JSON text.

    For the importer's plain ``executemany``, which skips SQLAlchemy's per-row type
    processing; the round-trip tests read the rows back through the ORM.
    """
    out: dict[str, Any] = {}
    for name, value in columns(data).items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = json.dumps(value)
        out[name] = value
    return out


def from_row(cls: type[T], row: object, **given: Any) -> T:
    """A ``cls`` (input or record type) with the values of a database row.

    ``given`` supplies what the row does not hold (a record's ``id``, a referral's
    ``history``) or what the caller loaded in bulk (``children=`` for many families in
    one query); a field kept in a related table is otherwise read through the row's
    relationship of the same name (an ``ITEMS`` field's rows become its ``item_type``).
    """
    kwargs = dict(given)
    for f in fields_of(cls):
        if f.name in kwargs:
            continue
        value = getattr(row, f.name)
        if f.kind is Kind.ITEMS:
            assert f.item_type is not None
            value = [from_row(f.item_type, item) for item in value]
        elif f.item is not None:
            value = [getattr(item, f.item) for item in value]
        elif value is None and f.is_list:
            value = []
        kwargs[f.name] = _copy(value)
    return cls(**kwargs)


def _copy(value: Any) -> Any:
    # A list shared between row and input would let an edit in the form change the row.
    return list(value) if isinstance(value, list) else value
