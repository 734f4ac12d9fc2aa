"""The CSV report: one row per figure, ``section;key;code;value``, for Excel in Germany.

Semicolons and UTF-8 with a byte order mark, so a German Excel opens it right. Keys and
codes are the stable ones of statistics.md; the header row is in the user's language.
A suppressed cell or total is ``.``; the footnote follows as a ``note`` row. A median is
in days with one decimal (a decimal comma in German, as Excel there reads numbers), and
empty when no family went into it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from lotse.i18n import _
from lotse.report.model import SUPPRESSED_SIGN, ReportData
from lotse.report.textfmt import format_decimal
from lotse.stats.keys import BREAKDOWN_KEYS, MEDIAN_KEYS, TOTAL_KEYS

BOM = "\ufeff"


def csv_rows(data: ReportData) -> list[list[str]]:
    figures = data.figures
    period = data.period
    rows: list[list[str]] = [
        [_("Abschnitt"), _("Kennzahl"), _("Code"), _("Wert")],
        ["meta", "period", "label", period.label],
        ["meta", "period", "start", period.start.isoformat()],
        ["meta", "period", "end", period.end.isoformat()],
        ["meta", "published", "", "true" if data.published else "false"],
        ["meta", "threshold", "", str(data.threshold)],
        ["meta", "organisation", "", data.organisation],
        ["meta", "site", "", data.site],
        ["meta", "created", "", data.created.isoformat()],
    ]
    if data.navigator:  # internal reports only
        rows.insert(-1, ["meta", "navigator", "", data.navigator])
    rows += [["totals", key, "", _total(data, key)] for key in TOTAL_KEYS]
    for key in BREAKDOWN_KEYS:
        for code, value in figures.breakdowns.get(key, {}).items():
            rows.append(["breakdowns", key, code, SUPPRESSED_SIGN if value is None else str(value)])
    rows += [["note", "", "", note] for note in data.footnotes()]
    for n, src in enumerate(data.sources, start=1):
        created = "" if src.created is None else src.created.isoformat("T", "seconds")
        rows += [
            ["package", str(n), "navigator", src.navigator],
            ["package", str(n), "site", src.site],
            ["package", str(n), "service_line", src.service_line],
            ["package", str(n), "created", created],
            ["package", str(n), "received", src.received.isoformat("T", "seconds")],
        ]
    return rows


def _total(data: ReportData, key: str) -> str:
    figures = data.figures
    if figures.is_suppressed(key):
        return SUPPRESSED_SIGN
    value = figures.totals.get(key, 0)
    if key in MEDIAN_KEYS:
        return "" if value is None else format_decimal(value)
    return str(value)


def csv_chunks(data: ReportData, bom: bool = True) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_rows(data))
    yield (BOM if bom else "") + buffer.getvalue()
