"""Writing a vault's records as a ``lotse.records/2`` file (records.md).

The output is deterministic: lines in storage order per type, keys in the order the fields
are defined (:mod:`lotse.domain.entities`, which is the order records.md lists them),
optional values left out when empty. Importing it into an empty vault and exporting again
gives the same file, line for line: everything the vault holds about a family goes in,
its screening, consents, reminders and each referral's status history included. The file
holds personal data in plain text, so it is created readable by the user only.
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
    Consent,
    Contact,
    ContactTopic,
    Family,
    GroupOffer,
    GroupSession,
    Referral,
    ReferralStatusChange,
    Reminder,
    ScreeningFactor,
)
from lotse.domain.entities import ConsentData, StatusStep
from lotse.domain.fields import Field, Kind
from lotse.domain.mapping import from_row
from lotse.fileio import atomic_write
from lotse.records.model import (
    FORMAT,
    TYPE_NAMES,
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    GroupSessionRecord,
    Record,
    ReferralRecord,
    ReminderRecord,
    family_ref,
    layout,
    refs_of,
)
from lotse.vault import Vault


def _json(field: Field, value: Any) -> Any:
    """A field's value as a records line holds it."""
    if value is None:
        return None
    if field.kind is Kind.DATE:
        return value.isoformat()
    if field.kind is Kind.BIRTH_DATES:
        return [{field.item: d.isoformat()} for d in value]
    if field.kind is Kind.ITEMS:
        return [_values(item) for item in value]
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
    line: dict[str, Any] = {"type": TYPE_NAMES[cls]}
    line |= {ref: getattr(record, ref) for ref in refs_of(cls)}
    return line | _values(record)


def _values(record: object) -> dict[str, Any]:
    """The value keys of a record (or of one object of an ``ITEMS`` field), in order."""
    cls = type(record)
    line: dict[str, Any] = {}
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


def _grouped(session: Session, *columns: Any, order: tuple[Any, ...]) -> dict[int, list[Any]]:
    """Rows of a related table by their parent's id, in ``order``: one query, not one per
    parent. The first column is the parent's id; the rest make each value (one column:
    the value itself, several: a tuple)."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for parent, *rest in session.execute(select(*columns).order_by(*order)):
        grouped[parent].append(rest[0] if len(rest) == 1 else tuple(rest))
    return grouped


def iter_lines(session: Session) -> Iterator[str]:
    """Every line of the export, header first."""
    yield _line({"format": FORMAT})

    children: dict[int, list[dt.date]] = _grouped(
        session,
        Child.family_id,
        Child.birth_date,
        order=(Child.family_id, Child.position, Child.id),
    )
    factors: dict[int, list[str]] = _grouped(
        session,
        ScreeningFactor.family_id,
        ScreeningFactor.factor,
        order=(ScreeningFactor.family_id, ScreeningFactor.position, ScreeningFactor.id),
    )
    consents: dict[int, list[ConsentData]] = defaultdict(list)
    for c in session.scalars(
        select(Consent).order_by(Consent.family_id, Consent.position, Consent.id)
    ):
        consents[c.family_id].append(from_row(ConsentData, c))

    refs: dict[int, str] = {}
    for f in session.scalars(select(Family).order_by(Family.id)):
        refs[f.id] = family_ref(f.external_ref, f.code)
        family = from_row(
            FamilyRecord,
            f,
            id=refs[f.id],
            children=children.get(f.id, []),
            screening_factors=factors.get(f.id, []),
            consents=consents.get(f.id, []),
        )
        yield _line(record_line(family))

    topics: dict[int, list[str]] = _grouped(
        session,
        ContactTopic.contact_id,
        ContactTopic.topic,
        order=(ContactTopic.contact_id, ContactTopic.position, ContactTopic.id),
    )
    for c in session.scalars(select(Contact).order_by(Contact.id)):
        contact = from_row(ContactRecord, c, family=refs[c.family_id], topics=topics.get(c.id, []))
        yield _line(record_line(contact))

    # Oldest first; changes of one day in the order they were made.
    history = _grouped(
        session,
        ReferralStatusChange.referral_id,
        ReferralStatusChange.status,
        ReferralStatusChange.date,
        order=(
            ReferralStatusChange.referral_id,
            ReferralStatusChange.date,
            ReferralStatusChange.id,
        ),
    )
    for r in session.scalars(select(Referral).order_by(Referral.id)):
        steps = [StatusStep(status, date) for status, date in history.get(r.id, [])]
        referral = from_row(ReferralRecord, r, family=refs[r.family_id], history=steps)
        yield _line(record_line(referral))

    for m in session.scalars(select(Reminder).order_by(Reminder.id)):
        yield _line(record_line(from_row(ReminderRecord, m, family=refs[m.family_id])))

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
