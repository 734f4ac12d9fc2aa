"""Numbers and dates as the report formats print them, in the current language."""

from __future__ import annotations

import datetime as dt

from lotse.i18n import current_language
from lotse.report.model import SUPPRESSED_SIGN
from lotse.stats.keys import MEDIAN_KEYS
from lotse.stats.suppression import PublishedFigures

#: Shown for a median no family went into (not hidden: there is none).
NO_VALUE = "–"

# German groups thousands with a dot, which a reader could take for the "." of a
# suppressed cell; a no-break space (DIN 5008) avoids the confusion.
_GROUP_DE = "\u00a0"


def format_int(value: int | None) -> str:
    """``value`` with grouped thousands, or the suppression sign for ``None``."""
    if value is None:
        return SUPPRESSED_SIGN
    text = f"{value:,}"
    return text.replace(",", _GROUP_DE) if current_language() == "de" else text


def format_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y") if current_language() == "de" else day.isoformat()


def format_share(share: float | None) -> str:
    """A share as a percentage with one decimal (``72,5 %``), or a dash if there is none."""
    if share is None:
        return "–"
    text = f"{share * 100:.1f}"
    return f"{text.replace('.', ',')}\u00a0%" if current_language() == "de" else f"{text}%"


def format_decimal(value: float) -> str:
    """``value`` with one decimal, with a decimal comma in German (``12,5``)."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if current_language() == "de" else text


def format_days(value: float | None) -> str:
    """A median in days with one decimal (``12,5``), or a dash when there is none."""
    return NO_VALUE if value is None else format_decimal(value)


def format_total(figures: PublishedFigures, key: str) -> str:
    """Total ``key`` as the PDF and the window show it: ``.`` when suppressed, a median
    in days with one decimal (a dash when no family went into it), else a whole number."""
    if figures.is_suppressed(key):
        return SUPPRESSED_SIGN
    value = figures.totals.get(key, 0)
    if key in MEDIAN_KEYS:
        return format_days(value)
    return format_int(int(value or 0))
