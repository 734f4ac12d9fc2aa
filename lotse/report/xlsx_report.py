"""The XLSX report (openpyxl): one sheet for the totals and one per breakdown.

Numbers are stored as numbers (so they can be summed and charted); a suppressed cell or
total is the text ``.`` with the footnote below the table. A median is a number of days
with one decimal, an empty cell when no family went into it.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from lotse.i18n import _
from lotse.report.model import SOURCES_TITLE, SUPPRESSED_SIGN, ReportData
from lotse.report.textfmt import format_date
from lotse.stats.keys import (
    BREAKDOWN_KEYS,
    MEDIAN_KEYS,
    TOTAL_KEYS,
    breakdown_label,
    breakdown_short_title,
    total_label,
)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_NOTE = Font(italic=True, size=9)
# Excel forbids these in sheet names, and allows at most 31 characters.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("-", text)[:31]
    n = 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = title[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _header(ws: Worksheet, data: ReportData, title: str) -> int:
    """Title, period, organisation, date and mark at the top; returns the next free row."""
    ws.append([title])
    ws.cell(row=1, column=1).font = _TITLE
    period = data.period
    ws.append(
        [
            _("Zeitraum"),
            _("{label} ({start} – {end})").format(
                label=period.label, start=format_date(period.start), end=format_date(period.end)
            ),
        ]
    )
    ws.append([_("Organisation"), data.organisation])
    if data.site:
        ws.append([_("Standort"), data.site])
    if data.navigator:  # internal reports only
        ws.append([_("Erstellt von"), data.navigator])
    ws.append([_("Erstellt am"), format_date(data.created)])
    ws.append([_("Kennzeichnung"), data.mark])
    ws.append([])
    return ws.max_row + 1


def _value(value: int | None) -> int | str:
    return SUPPRESSED_SIGN if value is None else value


def _footnotes(ws: Worksheet, data: ReportData) -> None:
    notes = data.footnotes()
    if notes:
        ws.append([])
    for note in notes:
        ws.append([note])
        ws.cell(row=ws.max_row, column=1).font = _NOTE


def xlsx_bytes(data: ReportData) -> bytes:
    """The workbook of ``data`` as bytes."""
    wb = Workbook()
    used: set[str] = set()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(_("Summen"), used)
    _header(ws, data, _("Lotse-Statistik {period}").format(period=data.period.label))
    ws.append([_("Kennzahl"), _("Anzahl"), _("Schlüssel")])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for key in TOTAL_KEYS:
        if data.figures.is_suppressed(key):
            ws.append([total_label(key), SUPPRESSED_SIGN, key])
            ws.cell(row=ws.max_row, column=2).alignment = Alignment(horizontal="right")
            continue
        ws.append([total_label(key), data.figures.totals.get(key, 0), key])
        if key in MEDIAN_KEYS:
            ws.cell(row=ws.max_row, column=2).number_format = "0.0"
    share = data.arrival_share
    ws.append([_("Anteil angekommener Vermittlungen"), share, "arrival_share"])
    if share is not None:
        ws.cell(row=ws.max_row, column=2).number_format = "0.0%"
    _footnotes(ws, data)
    _widths(ws, (48, 14, 30))

    for key in BREAKDOWN_KEYS:
        ws = wb.create_sheet(_sheet_title(breakdown_short_title(key), used))
        _header(ws, data, breakdown_label(key))
        ws.append([_("Merkmal"), _("Anzahl"), _("Code")])
        for cell in ws[ws.max_row]:
            cell.font = _BOLD
        for code, value in data.figures.breakdowns.get(key, {}).items():
            ws.append([data.label(key, code), _value(value), code])
            if value is None:
                ws.cell(row=ws.max_row, column=2).alignment = Alignment(horizontal="right")
        _footnotes(ws, data)
        _widths(ws, (42, 14, 26))
    if data.sources:
        _sources_sheet(wb.create_sheet(_sheet_title(_("Pakete"), used)), data)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sources_sheet(ws: Worksheet, data: ReportData) -> None:
    """The packages a merged report was made from."""
    _header(ws, data, _(SOURCES_TITLE))
    ws.append([_("Lotsin/Lotse"), _("Standort"), _("Arbeitsbereich"), _("Erstellt"), _("Erhalten")])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for src in data.sources:
        ws.append([src.navigator, src.site, src.service_line, src.created, src.received])
        for column in (4, 5):
            ws.cell(row=ws.max_row, column=column).number_format = "DD.MM.YYYY HH:MM"
    for letter, width in zip("ABCDE", (30, 24, 30, 18, 18), strict=True):
        ws.column_dimensions[letter].width = width


def _widths(ws: Worksheet, widths: tuple[int, ...]) -> None:
    for letter, width in zip("ABC", widths, strict=False):
        ws.column_dimensions[letter].width = width
