"""Writing a vault's records as a ``lotse.records/1`` file (records.md).

The output is deterministic: lines in storage order per type, keys in the order the fields
are defined (:mod:`lotse.domain.entities`, which is the order records.md lists them),
optional values left out when empty. Importing it into an empty vault and exporting again
gives the same file, line for line. The file holds personal data in plain text, so it is
created readable by the user only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.db.models import (
    Child,
    Contact,
    ContactTopic,
    Family,
    GroupOffer,
    GroupSession,
    Referral,
)
from lotse.domain.fields import Field, Kind
from lotse.domain.mapping import from_row
from lotse.fileio import atomic_write
from lotse.records.model import (
    FORMAT,
    RECORD_TYPES,
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    GroupSessionRecord,
    Record,
    ReferralRecord,
    family_ref,
    layout,
    refs_of,
)
from lotse.vault import Vault

_TYPE_NAMES = {cls: name for name, cls in RECORD_TYPES.items()}


def _json(field: Field, value: Any) -> Any:
    """A field's value as a records line holds it."""
    if value is None:
        return None
    if field.kind is Kind.DATE:
        return value.isoformat()
    if field.kind is Kind.BIRTH_DATES:
        return [{field.item: d.isoformat()} for d in value]
    return value


def _empty(value: Any) -> bool:
    # 0 and false are values; only a missing, blank or empty one is left out.
    return value is None or (isinstance(value, str | list | dict) and not value)


def record_line(record: Record) -> dict[str, Any]:
    """A record as its line: type and ids, then its keys in :func:`layout` order.

    Required keys are always written, optional ones only when they hold something. An
    object is written only when its required values are there, so whatever is written
    can be read back.
    """
    cls = type(record)
    line: dict[str, Any] = {"type": _TYPE_NAMES[cls]}
    line |= {ref: getattr(record, ref) for ref in refs_of(cls)}
    for key in layout(cls):
        if not key.is_object:
            field = key.fields[0]
            value = _json(field, getattr(record, field.name))
            if field.required or not _empty(value):
                line[key.name] = value
            continue
        if any(getattr(record, f.name) is None for f in key.fields if f.required):
            continue
        inside = {
            f.path[1]: _json(f, getattr(record, f.name))
            for f in key.fields
            if f.required or not _empty(getattr(record, f.name))
        }
        if inside:
            line[key.name] = inside
    return line


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def offer_refs(session: Session) -> dict[int, str]:
    """The id each group offer carries in records files, unique by construction.

    An imported offer keeps its external reference; one created in the window is ``G-<n>``,
    or ``G-<n>-2`` … should an imported offer already carry that name.
    """
    rows = session.execute(select(GroupOffer.id, GroupOffer.external_ref).order_by(GroupOffer.id))
    rows = list(rows)
    used = {ref for _pk, ref in rows if ref}
    refs: dict[int, str] = {}
    for pk, ref in rows:
        if ref is None:
            ref, n = f"G-{pk}", 1
            while ref in used:
                n += 1
                ref = f"G-{pk}-{n}"
            used.add(ref)
        refs[pk] = ref
    return refs


def iter_lines(session: Session) -> Iterator[str]:
    """Every line of the export, header first."""
    yield _line({"format": FORMAT})

    # Children and topics in one query each, not one per family or contact.
    children: dict[int, list[dt.date]] = defaultdict(list)
    for family_id, birth_date in session.execute(
        select(Child.family_id, Child.birth_date).order_by(
            Child.family_id, Child.position, Child.id
        )
    ):
        children[family_id].append(birth_date)

    refs: dict[int, str] = {}
    for f in session.scalars(select(Family).order_by(Family.id)):
        refs[f.id] = family_ref(f.external_ref, f.code)
        family = from_row(FamilyRecord, f, id=refs[f.id], children=children.get(f.id, []))
        yield _line(record_line(family))

    topics: dict[int, list[str]] = defaultdict(list)
    for contact_id, topic in session.execute(
        select(ContactTopic.contact_id, ContactTopic.topic).order_by(
            ContactTopic.contact_id, ContactTopic.position, ContactTopic.id
        )
    ):
        topics[contact_id].append(topic)
    for c in session.scalars(select(Contact).order_by(Contact.id)):
        contact = from_row(ContactRecord, c, family=refs[c.family_id], topics=topics.get(c.id, []))
        yield _line(record_line(contact))

    for r in session.scalars(select(Referral).order_by(Referral.id)):
        yield _line(record_line(from_row(ReferralRecord, r, family=refs[r.family_id])))

    offer_ids = offer_refs(session)
    for o in session.scalars(select(GroupOffer).order_by(GroupOffer.id)):
        yield _line(record_line(from_row(GroupOfferRecord, o, id=offer_ids[o.id])))
    for s in session.scalars(select(GroupSession).order_by(GroupSession.id)):
        yield _line(record_line(from_row(GroupSessionRecord, s, offer=offer_ids[s.offer_id])))


def export_records(vault: Vault, path: Path) -> int:
    """Write every record of ``vault`` to ``path`` (atomically); return the number of lines."""
    count = 0
    with vault.session() as session:

        def lines() -> Iterator[str]:
            nonlocal count
            for line in iter_lines(session):
                count += 1
                yield line + "\n"

        atomic_write(path, lines())
    return count - 1
