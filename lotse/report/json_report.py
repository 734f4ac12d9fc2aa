"""The ``lotse.report/1`` JSON object (cli.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lotse.report.model import REPORT_FORMAT, ReportData
from lotse.stats.keys import BREAKDOWN_KEYS, TOTAL_KEYS


def report_object(data: ReportData) -> dict[str, Any]:
    """The JSON report: the keys of cli.md first, then Lotse's additions."""
    figures = data.figures
    share = data.arrival_share
    obj: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "period": {
            "label": data.period.label,
            "start": data.period.start.isoformat(),
            "end": data.period.end.isoformat(),
        },
        "published": data.published,
        "threshold": data.threshold,
        "totals": {key: figures.totals.get(key, 0) for key in TOTAL_KEYS},
        "breakdowns": {key: dict(figures.breakdowns.get(key, {})) for key in BREAKDOWN_KEYS},
        # Additions (cli.md allows more keys).
        "arrival_share": None if share is None else round(share, 4),
        "organisation": data.organisation,
        "site": data.site,
        "closed": data.closed,
        "created": data.created.isoformat(),
    }
    if data.navigator:  # internal reports only
        obj["navigator"] = data.navigator
    if data.notes:
        obj["notes"] = list(data.notes)
    if data.sources:
        obj["packages"] = [
            {
                "navigator": src.navigator,
                "site": src.site,
                "service_line": src.service_line,
                "created": None if src.created is None else src.created.isoformat("T", "seconds"),
                "received": src.received.isoformat("T", "seconds"),
            }
            for src in data.sources
        ]
    return obj


def json_chunks(data: ReportData) -> Iterator[str]:
    yield json.dumps(report_object(data), ensure_ascii=False, indent=2)
    yield "\n"
