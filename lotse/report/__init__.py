"""Reports of a period's statistics: JSON, CSV, XLSX and PDF (cli.md, statistics.md).

Every format lays out the same :class:`~lotse.report.model.ReportData`, made once from
:mod:`lotse.stats`. Files are written through :func:`lotse.fileio.atomic_write`, so a
failure never leaves half a report behind.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from lotse.errors import BadInputError
from lotse.fileio import atomic_write
from lotse.i18n import _
from lotse.report.model import (
    FORMATS,
    STREAM_FORMATS,
    ReportData,
    prepare_report,
    report_organisation,
    report_threshold,
)
from lotse.stats.period import Period

Progress = Callable[[int, int], None]


def check_format(fmt: str, out: Path | str | None = None) -> str:
    """``fmt`` if it is a report format (and may go to ``out``), else a clear error."""
    if fmt not in FORMATS:
        raise BadInputError(
            _("Unbekanntes Berichtsformat „{fmt}“. Möglich sind: {formats}.").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    if str(out) == "-" and fmt not in STREAM_FORMATS:
        raise BadInputError(
            _(
                "Das Format {fmt} lässt sich nicht auf die Standardausgabe schreiben; "
                "geben Sie mit --out eine Datei an."
            ).format(fmt=fmt)
        )
    return fmt


def build_report(
    session: Session, period: Period, publish: bool, threshold: int, organisation: str
) -> dict[str, Any]:
    """The ``lotse.report/1`` JSON object of ``period``."""
    from lotse.report.json_report import report_object

    return report_object(prepare_report(session, period, publish, threshold, organisation))


def render(data: ReportData, fmt: str, progress: Progress | None = None) -> Iterable[str | bytes]:
    """The chunks of ``data`` in format ``fmt``."""
    check_format(fmt)
    if fmt == "json":
        from lotse.report.json_report import json_chunks

        return json_chunks(data)
    if fmt == "csv":
        from lotse.report.csv_report import csv_chunks

        return csv_chunks(data)
    if fmt == "xlsx":
        from lotse.report.xlsx_report import xlsx_bytes

        return [xlsx_bytes(data)]
    from lotse.report.pdf_report import pdf_bytes

    return [pdf_bytes(data, progress)]


def write_data(
    data: ReportData, fmt: str, out: Path | str, progress: Progress | None = None
) -> None:
    """Write ``data`` as ``fmt`` to ``out`` (``-``: standard output, JSON and CSV only)."""
    check_format(fmt, out)
    if str(out) == "-":
        # The same UTF-8 bytes as the file would get, whatever the console's encoding
        # (CSV keeps its BOM: it is often redirected into a file for Excel).
        payload = b"".join(
            c.encode("utf-8") if isinstance(c, str) else c for c in render(data, fmt)
        )
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(payload)
            buffer.flush()
        else:
            sys.stdout.write(payload.decode("utf-8"))
            sys.stdout.flush()
        return
    # Render completely first: an error while rendering must not touch the target at all.
    chunks = list(render(data, fmt, progress))
    atomic_write(Path(out), chunks)


def write_report(
    session: Session,
    period: Period,
    fmt: str,
    out: Path | str,
    publish: bool,
    threshold: int,
    organisation: str,
    progress: Progress | None = None,
) -> None:
    """Write the report of ``period`` as ``fmt`` to ``out``; nothing is half-written.

    ``progress(done, total)`` is called as the work goes on (counting, then laying out).
    """
    check_format(fmt, out)
    steps = 10

    def step(done: int) -> None:
        if progress:
            progress(done, steps)

    step(0)
    data = prepare_report(session, period, publish, threshold, organisation)
    step(2)
    # The PDF's own steps (one per breakdown) fill the middle of the range.
    write_data(data, fmt, out, (lambda d, t: step(2 + (7 * d) // max(t, 1))) if progress else None)
    step(steps)


__all__ = [
    "FORMATS",
    "ReportData",
    "build_report",
    "check_format",
    "prepare_report",
    "report_organisation",
    "report_threshold",
    "write_data",
    "write_report",
]
