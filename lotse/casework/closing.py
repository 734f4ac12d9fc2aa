"""Closing a family's accompaniment with its date and reason, and reopening it.

A closed family keeps everything recorded about it; closing sets ``closed`` and
``closure_reason`` (records.md), reopening clears both. Every function works in the
caller's session and never commits (the use case opens the transaction).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from lotse.casework.families import get_family
from lotse.casework.validation import Problems
from lotse.domain.entities import FamilyData
from lotse.domain.fields import field_of


def close_family(session: Session, family_id: int, closed: dt.date, reason: str | None) -> None:
    """End the accompaniment on ``closed`` for ``reason`` (a code of the closure reasons).

    The window always asks for a reason, so it is required here; a records file may
    leave it out (older data), and the statistics count those under ``unknown``.
    """
    problems = Problems()
    problems.value(field_of(FamilyData, "closed"), closed, required=True)
    problems.value(field_of(FamilyData, "closure_reason"), reason, required=True)
    problems.raise_if_any()
    row = get_family(session, family_id)
    row.closed = closed
    row.closure_reason = reason
    session.flush()


def reopen_family(session: Session, family_id: int) -> None:
    """Open a closed accompaniment again: its date and reason of closing are cleared."""
    row = get_family(session, family_id)
    row.closed = None
    row.closure_reason = None
    session.flush()
