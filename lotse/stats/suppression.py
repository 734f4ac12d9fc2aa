"""Suppression of small numbers for publication, exactly as statistics.md says.

Each breakdown is treated on its own: primary suppression of every cell 1..k−1, then
secondary suppression of the smallest shown non-zero cell (first in catalogue order on
ties) until no suppressed cell can be pinned down below k; if cells run out, all cells
are suppressed. Totals stay as they are. A suppressed cell is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.stats.figures import Figures

#: The lowest threshold the statistics contract allows (and the default).
MIN_THRESHOLD = 3


@dataclass
class PublishedFigures:
    """Figures fit for publication: suppressed breakdown cells are ``None``."""

    totals: dict[str, int] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int | None]] = field(default_factory=dict)
    threshold: int = MIN_THRESHOLD


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


def suppress(figures: Figures, k: int = MIN_THRESHOLD) -> PublishedFigures:
    """The published form of ``figures`` at threshold ``k`` (k ≥ 3)."""
    check_threshold(k)
    return PublishedFigures(
        totals=dict(figures.totals),
        breakdowns={key: suppress_cells(cells, k) for key, cells in figures.breakdowns.items()},
        threshold=k,
    )


def unpublished(figures: Figures, k: int = MIN_THRESHOLD) -> PublishedFigures:
    """``figures`` unchanged in the published shape (for internal reports)."""
    return PublishedFigures(
        totals=dict(figures.totals),
        breakdowns={key: dict(cells) for key, cells in figures.breakdowns.items()},
        threshold=k,
    )
