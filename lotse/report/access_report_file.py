"""Writing the access report (GDPR Art. 15) to a file: PDF or JSON by its extension.

The PDF module (and with it ReportLab) is imported only when a PDF is written.
"""

from __future__ import annotations

from pathlib import Path

from lotse.fileio import atomic_write
from lotse.report.access_report import AccessReport, format_of, json_bytes


def write(report: AccessReport, path: Path) -> str:
    """Write ``report`` to ``path`` (format by extension), readable by the user only."""
    fmt = format_of(path)
    if fmt == "pdf":
        from lotse.report.access_report_pdf import pdf_bytes

        data = pdf_bytes(report)
    else:
        data = json_bytes(report)
    atomic_write(path, [data])
    return fmt
