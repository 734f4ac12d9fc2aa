"""Use cases of the statistics: a period's figures, reports, closing periods.

Closing and reopening write their audit entries in the same transaction as the change
itself. Statistics packages (sending and merging them) are :mod:`lotse.usecases.team`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lotse.report import Progress, write_report
from lotse.report.model import report_organisation, report_threshold
from lotse.stats.figures import Figures, figures_for_period
from lotse.stats.period import Period
from lotse.stats.periods_closed import (
    ClosedPeriodInfo,
    close_period,
    is_closed,
    list_closed,
    reopen_period,
)
from lotse.usecases.access import VaultAccess
from lotse.usecases.audit import log_report


@dataclass(frozen=True)
class PeriodFigures:
    """A period's exact figures with what a report needs to lay them out (nothing personal)."""

    period: Period
    figures: Figures
    closed: bool
    threshold: int
    organisation: str


class StatisticsAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def figures(self, period: Period) -> PeriodFigures:
        """The figures of ``period`` (the frozen ones if it is closed)."""
        with self._access.read() as session:
            return PeriodFigures(
                period=period,
                figures=figures_for_period(session, period),
                closed=is_closed(session, period),
                threshold=report_threshold(session),
                organisation=report_organisation(session),
            )

    def write_report(
        self,
        period: Period,
        fmt: str,
        out: Path | str,
        publish: bool = False,
        progress: Progress | None = None,
    ) -> None:
        """Write the report of ``period`` as ``fmt`` to ``out`` (``-``: standard output)."""
        with self._access.read() as session:
            write_report(
                session,
                period,
                fmt,
                out,
                publish,
                report_threshold(session),
                report_organisation(session),
                progress,
            )
        log_report(self._access, period.label, fmt, publish)

    def close_period(self, period: Period, today: dt.date | None = None) -> None:
        """Freeze the figures of ``period``, which must have ended; logged."""
        with self._access.write() as session:
            close_period(session, period, today)

    def reopen_period(self, label: str) -> Period:
        """Drop the frozen figures of the closed period ``label``; logged."""
        with self._access.write() as session:
            return reopen_period(session, label)

    def closed_periods(self) -> list[ClosedPeriodInfo]:
        """Every closed period, oldest first."""
        with self._access.read() as session:
            return list_closed(session)
