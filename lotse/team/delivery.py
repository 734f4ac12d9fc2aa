"""Who delivered for a period: the delivery matrix of a team lead.

One row per navigator the team lead knows, from her address book and from every package
she ever received: delivered (with the date received and made), missing, or conflicting
(a package of that vault waits for her decision: a correction not yet confirmed, or one
that was refused). Rows are ordered by site, service line and name, as a team lead reads
them: site by site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lotse.cards.card import ContactCard
from lotse.stats.period import Period
from lotse.team.store import ReceivedPackage

DELIVERED = "delivered"
MISSING = "missing"
CONFLICTING = "conflicting"


@dataclass(frozen=True)
class DeliveryRow:
    """One navigator's delivery; ``service_line`` as kept (``cards.card.service_line_key``)."""

    vault: str
    navigator: str
    site: str
    service_line: str
    status: str
    received_at: dt.datetime | None = None
    created: dt.datetime | None = None


def delivery_matrix(
    period: Period,
    held: Iterable[ReceivedPackage],
    cards: Iterable[ContactCard] = (),
    conflicting: Iterable[str] = (),
) -> list[DeliveryRow]:
    """The rows for ``period``: ``held`` are all held packages (every period), ``cards``
    the address book, ``conflicting`` the vaults whose package waits for a decision."""
    known: dict[str, tuple[str, str, str]] = {}
    for card in cards:
        known[card.vault] = (card.title, card.site, card.line)
    delivered: dict[str, ReceivedPackage] = {}
    # Oldest first, so the newest package names the navigator as she is now.
    for p in sorted(held, key=lambda p: (p.received_at, p.id)):
        if p.vault not in known or p.navigator:
            known[p.vault] = (p.title, p.site, p.service_line)
        if (p.period.start, p.period.end) == (period.start, period.end):
            delivered[p.vault] = p
    waiting = set(conflicting)
    rows: list[DeliveryRow] = []
    for vault, (name, site, line) in known.items():
        p = delivered.get(vault)
        if vault in waiting:
            status = CONFLICTING
        elif p is not None:
            status = DELIVERED
        else:
            status = MISSING
        rows.append(
            DeliveryRow(
                vault,
                name,
                site,
                line,
                status,
                p.received_at if p else None,
                p.created if p else None,
            )
        )
    return sorted(rows, key=lambda r: (r.site.lower(), r.service_line.lower(), r.navigator.lower()))
