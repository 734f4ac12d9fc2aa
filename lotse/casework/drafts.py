"""Drafts: what an open form holds, kept in the vault as it is typed (issue 9).

A form saves its fields (plain JSON values) under an id it chose when it opened, as
often as they change; the vault is encrypted, so a draft is never on disk in plain form.
A stored or discarded form takes its draft with it; a form closed by the lock leaves it,
and after unlocking the window offers it back. A family's drafts go with the family.

The window's view at the lock (tab, family, search) is kept the same way, under
:data:`VIEW_ID`, and read back once after unlocking.

Every function works in the caller's session and never commits.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.db.models import Draft, Family
from lotse.errors import BadInputError
from lotse.i18n import _

#: The forms that keep drafts.
KINDS = ("first_contact", "family", "contact", "referral", "status", "reminder")
#: The window's view at the lock (not a form: never listed).
VIEW_ID = "view"
VIEW_KIND = "view"
#: A form's fields are a few hundred bytes; far more is not a form.
MAX_STATE_BYTES = 64_000
MAX_ID_LENGTH = 36


@dataclass(frozen=True)
class DraftInfo:
    """One open draft as the banner and "Heute" list it."""

    id: str
    kind: str
    family_id: int | None
    ref_id: int | None
    #: The family's code (None for a new first contact).
    family_code: str | None
    #: The name typed in the form, else the family's, else "".
    name: str
    updated: dt.datetime


@dataclass(frozen=True)
class DraftData:
    """A draft with its fields, to open its form again."""

    info: DraftInfo
    state: dict[str, Any]


def _check(draft_id: str, kind: str, state: dict[str, Any]) -> None:
    if not draft_id or len(draft_id) > MAX_ID_LENGTH or draft_id == VIEW_ID:
        raise BadInputError(_("Ungültige Kennung eines Entwurfs."))
    if kind not in KINDS:
        raise BadInputError(_("Unbekannte Art von Entwurf: {kind}.").format(kind=kind))
    _check_state(state)


def _check_state(state: dict[str, Any]) -> None:
    if not isinstance(state, dict):
        raise BadInputError(_("Ein Entwurf muss ein Objekt sein."))
    try:
        size = len(json.dumps(state, ensure_ascii=False))
    except (TypeError, ValueError):
        raise BadInputError(_("Ein Entwurf darf nur Text, Zahlen und Listen enthalten.")) from None
    if size > MAX_STATE_BYTES:
        raise BadInputError(_("Der Entwurf ist zu groß."))


def save_draft(
    session: Session,
    draft_id: str,
    kind: str,
    state: dict[str, Any],
    family_id: int | None = None,
    ref_id: int | None = None,
) -> bool:
    """Store the form's fields under ``draft_id``; False if its family is gone meanwhile."""
    _check(draft_id, kind, state)
    if family_id is not None and session.get(Family, family_id) is None:
        return False
    row = session.get(Draft, draft_id)
    if row is None:
        session.add(Draft(id=draft_id, kind=kind, family_id=family_id, ref_id=ref_id, state=state))
    else:
        row.state = state
        row.updated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.flush()
    return True


def discard_draft(session: Session, draft_id: str) -> None:
    """Forget the draft (stored or cancelled form); nothing happens if there is none."""
    row = session.get(Draft, draft_id)
    if row is not None:
        session.delete(row)
        session.flush()


def _info(row: Draft, code: str | None, family_name: str | None) -> DraftInfo:
    typed = row.state.get("name") if isinstance(row.state, dict) else None
    name = typed if isinstance(typed, str) and typed.strip() else family_name or ""
    return DraftInfo(
        row.id, row.kind, row.family_id, row.ref_id, code, name.strip(), row.updated_at
    )


def list_drafts(session: Session) -> list[DraftInfo]:
    """Every open draft, newest first."""
    query = (
        select(Draft, Family.code, Family.person_name)
        .outerjoin(Family, Family.id == Draft.family_id)
        .where(Draft.kind != VIEW_KIND)
        .order_by(Draft.updated_at.desc(), Draft.id)
    )
    return [_info(row, code, name) for row, code, name in session.execute(query)]


def get_draft(session: Session, draft_id: str) -> DraftData:
    row = session.get(Draft, draft_id)
    if row is None or row.kind == VIEW_KIND:
        raise BadInputError(_("Diesen Entwurf gibt es nicht mehr."))
    family = session.get(Family, row.family_id) if row.family_id is not None else None
    info = _info(row, family.code if family else None, family.person_name if family else None)
    return DraftData(info, dict(row.state))


def save_view(session: Session, state: dict[str, Any]) -> None:
    """Keep the window's view at the lock (replacing the one kept before)."""
    _check_state(state)
    row = session.get(Draft, VIEW_ID)
    if row is None:
        session.add(Draft(id=VIEW_ID, kind=VIEW_KIND, state=state))
    else:
        row.state = state
    session.flush()


def take_view(session: Session) -> dict[str, Any]:
    """The view kept at the lock (empty if none), forgotten once read."""
    row = session.get(Draft, VIEW_ID)
    if row is None:
        return {}
    state = dict(row.state) if isinstance(row.state, dict) else {}
    session.delete(row)
    session.flush()
    return state
