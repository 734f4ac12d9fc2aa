"""Writing a vault's records as a ``lotse.records/1`` file (records.md).

The output is deterministic: lines in storage order per type, keys in the order records.md
lists them, optional values left out when empty. Importing it into an empty vault and
exporting again gives the same file, line for line. The file holds personal data in
plain text, so it is created readable by the user only.
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
from lotse.fileio import atomic_write
from lotse.records.model import FORMAT, family_ref
from lotse.vault import Vault


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out keys whose value is missing or empty (required keys are set by the caller)."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


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
        person = _compact(
            {"name": f.person_name, "phone": f.person_phone, "address": f.person_address}
        )
        consent = None
        if f.consent_date is not None:
            consent = {"date": _date(f.consent_date), "scope": list(f.consent_scope or [])}
            if f.consent_withdrawn:
                consent["withdrawn"] = _date(f.consent_withdrawn)
        head = {"type": "family", "id": refs[f.id]}
        optional_1 = _compact({"district": f.district, "access_route": f.access_route})
        sgb2 = {} if f.sgb2 is None else {"sgb2": f.sgb2}
        body = {
            "adults": f.adults,
            "children": [{"birth_date": _date(b)} for b in children.get(f.id, [])],
        }
        optional_2 = _compact({"languages": list(f.languages or [])})
        interpreter = {} if f.interpreter is None else {"interpreter": f.interpreter}
        optional_3 = _compact(
            {"person": person, "consent": consent, "closed": _date(f.closed), "notes": f.notes}
        )
        yield _line(head | optional_1 | sgb2 | body | optional_2 | interpreter | optional_3)

    topics: dict[int, list[str]] = defaultdict(list)
    for contact_id, topic in session.execute(
        select(ContactTopic.contact_id, ContactTopic.topic).order_by(
            ContactTopic.contact_id, ContactTopic.position, ContactTopic.id
        )
    ):
        topics[contact_id].append(topic)
    for c in session.execute(select(Contact).order_by(Contact.id)).scalars():
        yield _line(
            {"type": "contact", "family": refs[c.family_id], "date": _date(c.date), "kind": c.kind}
            | _compact(
                {
                    "minutes": c.minutes,
                    "setting": c.setting,
                    "topics": topics.get(c.id, []),
                    "notes": c.notes,
                }
            )
        )

    for r in session.execute(select(Referral).order_by(Referral.id)).scalars():
        yield _line(
            {
                "type": "referral",
                "family": refs[r.family_id],
                "date": _date(r.date),
                "target": r.target,
                "status": r.status,
            }
            | _compact({"status_date": _date(r.status_date), "notes": r.notes})
        )

    offer_ids = offer_refs(session)
    for o in session.execute(select(GroupOffer).order_by(GroupOffer.id)).scalars():
        yield _line(
            {"type": "group_offer", "id": offer_ids[o.id], "title": o.title}
            | _compact({"category": o.category, "district": o.district})
        )
    for s in session.execute(select(GroupSession).order_by(GroupSession.id)).scalars():
        yield _line(
            {"type": "group_session", "offer": offer_ids[s.offer_id], "date": _date(s.date)}
            | _compact({"minutes": s.minutes})
            | {"adults": s.adults, "children": s.children}
        )


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
