"""Use cases of the statistics: a period's figures, reports, closing periods, packages.

Closing, reopening and exporting a package write their audit entries in the same
transaction as the change itself; a report or package file is written inside it too, so
when the file cannot be written nothing of the change stays in the vault.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lotse.fileio import atomic_write
from lotse.i18n import _
from lotse.report import Progress, write_data, write_report
from lotse.report.model import data_from_figures, report_organisation, report_threshold
from lotse.stats.figures import Figures, figures_for_period
from lotse.stats.packages import (
    FOOTNOTE_MERGED,
    Package,
    make_package,
    merged_figures,
    receive_packages,
)
from lotse.stats.period import Period
from lotse.stats.periods_closed import (
    ClosedPeriodInfo,
    close_period,
    is_closed,
    list_closed,
    reopen_period,
)
from lotse.usecases.access import VaultAccess
from lotse.usecases.settings import districts


@dataclass(frozen=True)
class PeriodFigures:
    """A period's exact figures with what a report needs to lay them out (nothing personal)."""

    period: Period
    figures: Figures
    closed: bool
    threshold: int
    organisation: str


@dataclass(frozen=True)
class MergeResult:
    """What merging packages did: new and replaced packages, packages in the report."""

    added: int
    replaced: int
    packages: int


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

    def export_package(self, period: Period, out: Path) -> None:
        """Write this vault's signed statistics package of ``period`` to ``out``; logged."""
        with self._access.write() as session:
            package = make_package(session, self._access.vault.vault_id, period)
            # Inside the transaction: if writing fails, no key and no log entry stay.
            atomic_write(out, [json.dumps(package, ensure_ascii=False, indent=1), "\n"])

    def merge_packages(
        self,
        packages: Sequence[Package],
        period: Period,
        fmt: str,
        out: Path | str,
        publish: bool = False,
    ) -> MergeResult:
        """Keep ``packages`` (checked before) and write the report merged from all of them."""
        with self._access.write() as session:
            summary = receive_packages(session, list(packages), period)
            figures, count = merged_figures(session, period)
            data = data_from_figures(
                figures,
                period,
                publish,
                report_threshold(session),
                report_organisation(session),
                notes=[_(FOOTNOTE_MERGED).format(n=count)],
                districts=districts(session),
            )
            # Inside the transaction: if the report cannot be written, no package is kept.
            write_data(data, fmt, out)
            return MergeResult(summary.added, summary.replaced, count)
