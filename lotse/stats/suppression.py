"""Suppression of small numbers for publication, exactly as statistics.md says.

Each breakdown is treated on its own: primary suppression of every cell 1..k−1, then
secondary suppression of the smallest shown non-zero cell (first in catalogue order on
ties) until no suppressed cell can be pinned down below k; if cells run out, all cells
are suppressed. A suppressed cell is ``None``.

Totals stay as they are, with rule 4's three exceptions, decided here and nowhere else:
``referrals_arrived`` is suppressed when ``referrals_by_status.arrived`` is; the share of
arrived referrals is left empty when ``arrived`` or ``not_arrived`` is suppressed; and a
median is suppressed when 1 to k−1 families went into it (with no family it is not
suppressed but empty: there is nothing to protect, and it says "none" rather than
"hidden"). A suppressed total is ``None`` and named in
:attr:`PublishedFigures.suppressed_totals`, so a format can tell it from an empty median.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.stats.figures import Figures, Total
from lotse.stats.keys import MEDIAN_KEYS

#: The lowest threshold the statistics contract allows (and the default).
MIN_THRESHOLD = 3


@dataclass
class PublishedFigures:
    """Figures fit for publication: suppressed cells and totals are ``None``.

    A median is ``None`` also when no family went into it; :meth:`is_suppressed` tells
    the two apart. ``arrival_share`` is the share of arrived referrals as it may be shown
    (``None``: left empty).
    """

    totals: dict[str, Total] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int | None]] = field(default_factory=dict)
    threshold: int = MIN_THRESHOLD
    suppressed_totals: frozenset[str] = frozenset()
    arrival_share: float | None = None

    def is_suppressed(self, total: str) -> bool:
        """Whether total ``total`` is hidden (rule 4), not merely empty."""
        return total in self.suppressed_totals


def check_threshold(k: int) -> int:
    """``k`` if it is an allowed threshold (≥ 3), else :class:`BadInputError`."""
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_THRESHOLD:
        raise BadInputError(
            _(
                "Die Schwelle für Kleinstzahlen muss eine ganze Zahl von mindestens {min} "
                "sein, nicht {value}."
            ).format(min=MIN_THRESHOLD, value=k)
        )
    return k


def suppressed_cells(cells: dict[str, int], k: int) -> set[str]:
    """The codes of ``cells`` (in catalogue order) to suppress at threshold ``k``."""
    check_threshold(k)
    hidden = {code for code, n in cells.items() if 1 <= n < k}
    while hidden and (len(hidden) == 1 or sum(cells[c] for c in hidden) < k + len(hidden) - 1):
        candidates = [
            (n, i, c) for i, (c, n) in enumerate(cells.items()) if c not in hidden and n > 0
        ]
        if not candidates:
            return set(cells)
        hidden.add(min(candidates)[2])
    return hidden


def suppress_cells(cells: dict[str, int], k: int) -> dict[str, int | None]:
    """``cells`` with the suppressed ones as ``None`` (order kept)."""
    hidden = suppressed_cells(cells, k)
    return {code: (None if code in hidden else n) for code, n in cells.items()}


def suppressed_totals(
    figures: Figures, breakdowns: dict[str, dict[str, int | None]], k: int
) -> frozenset[str]:
    """The totals rule 4 hides, given the suppressed ``breakdowns`` of ``figures``."""
    hidden = set()
    if breakdowns.get("referrals_by_status", {}).get("arrived", 0) is None:
        hidden.add("referrals_arrived")
    for key in MEDIAN_KEYS:
        if 1 <= figures.families_in(key) < k:
            hidden.add(key)
    return frozenset(hidden)


def shown_arrival_share(
    figures: Figures, breakdowns: dict[str, dict[str, int | None]]
) -> float | None:
    """The share of arrived referrals, or None when ``arrived`` or ``not_arrived`` is
    suppressed in ``breakdowns`` (the share would give the hidden cell away)."""
    status = breakdowns.get("referrals_by_status", {})
    if status.get("arrived", 0) is None or status.get("not_arrived", 0) is None:
        return None
    return figures.arrival_share()


def suppress(figures: Figures, k: int = MIN_THRESHOLD) -> PublishedFigures:
    """The published form of ``figures`` at threshold ``k`` (k ≥ 3)."""
    check_threshold(k)
    breakdowns = {key: suppress_cells(cells, k) for key, cells in figures.breakdowns.items()}
    hidden = suppressed_totals(figures, breakdowns, k)
    return PublishedFigures(
        totals={key: None if key in hidden else n for key, n in figures.totals.items()},
        breakdowns=breakdowns,
        threshold=k,
        suppressed_totals=hidden,
        arrival_share=shown_arrival_share(figures, breakdowns),
    )


def unpublished(figures: Figures, k: int = MIN_THRESHOLD) -> PublishedFigures:
    """``figures`` unchanged in the published shape (for internal reports)."""
    return PublishedFigures(
        totals=dict(figures.totals),
        breakdowns={key: dict(cells) for key, cells in figures.breakdowns.items()},
        threshold=k,
        arrival_share=figures.arrival_share(),
    )
