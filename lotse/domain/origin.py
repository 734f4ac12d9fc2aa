"""Whose work a record of a handed-over family is: the one rule (issue 14).

A family handed over from another service arrives with its ``origin`` (service, date,
records.md). What is dated on or before ``origin.date`` came with it: the sender's
history, which the sender's vault counts and which stays as the sender wrote it. What is
dated after it is this vault's own work. The rule needs nothing but the family's
``origin``, so it holds after a records/2 export and import as well. The statistics apply
it in SQL (:func:`lotse.stats.figures.own`); casework applies it here.
"""

from __future__ import annotations

import datetime as dt


def is_senders(origin_date: dt.date | None, date: dt.date) -> bool:
    """Whether a record dated ``date`` is the sender's history (``origin_date``: the
    family's handover date, None for a family met here)."""
    return origin_date is not None and date <= origin_date
