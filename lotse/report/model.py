"""What every report format shows: the figures of one period, published or internal.

The writers (JSON, CSV, XLSX, PDF) only lay out a :class:`ReportData`; none of them
counts or suppresses anything itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from lotse import settings
from lotse.catalogues import Catalogue
from lotse.i18n import N_, _
from lotse.stats.figures import Figures, closed_period_row, compute_figures
from lotse.stats.keys import code_label
from lotse.stats.period import Period
from lotse.stats.suppression import (
    MIN_THRESHOLD,
    PublishedFigures,
    check_threshold,
    suppress,
    unpublished,
)

REPORT_FORMAT = "lotse.report/1"
FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "pdf")
#: Formats that may be written to standard output (``--out -``).
STREAM_FORMATS: tuple[str, ...] = ("json", "csv")

MARK_INTERNAL = N_("intern – nicht zur Veröffentlichung")
MARK_PUBLISHED = N_("zur Veröffentlichung (Kleinstzahlen unterdrückt)")
FOOTNOTE_SUPPRESSED = N_("„.“ = Kleinstzahl, zum Schutz der Familien nicht ausgewiesen")
#: Under figures read from an older stored form (closed period, package) without the
#: casework figures, which then count as 0.
FOOTNOTE_OLDER = N_(
    "Ein Teil der Zahlen wurde mit einer älteren Lotse-Version gespeichert (abgeschlossener "
    "Zeitraum oder Statistik-Paket), die Screening, Abschlussgründe, Art der Vermittlung "
    "und die Mediane noch nicht erfasste: dort sind sie als 0 gezählt, ihre Vermittlungen "
    "unter „Unbekannt“, und in die Mediane gehen sie nicht ein."
)
#: The sign for a suppressed cell in PDF, CSV and XLSX (German official statistics).
SUPPRESSED_SIGN = "."


@dataclass(frozen=True)
class SourcePackage:
    """A statistics package a merged report was made from (who, where, made, received)."""

    navigator: str
    site: str
    #: The service line in the current language.
    service_line: str
    created: dt.datetime | None
    received: dt.datetime


#: Title of the list of packages under a merged report.
SOURCES_TITLE = N_("Zusammengeführt aus diesen Paketen")


@dataclass
class ReportData:
    """One period's figures as a report shows them."""

    period: Period
    figures: PublishedFigures
    published: bool
    threshold: int
    organisation: str
    created: dt.date
    closed: bool = False
    #: The share of arrived referrals as it may be shown, or None (statistics.md rule 4,
    #: :func:`lotse.stats.suppression.shown_arrival_share`).
    arrival_share: float | None = None
    #: Further footnotes (already translated), e.g. for merged packages.
    notes: list[str] = field(default_factory=list)
    #: The organisation's districts, for their labels (None: the installed catalogue).
    districts: Catalogue | None = None
    #: For a merged report: the packages it was made from (empty for a vault's own).
    sources: list[SourcePackage] = field(default_factory=list)
    #: The site the report comes from (the vault's profile); on every report.
    site: str = ""
    #: Who made it (the vault's profile); internal reports only: a published report names
    #: the organisation and the site, never a person.
    navigator: str = ""

    @property
    def issuer(self) -> str:
        """Organisation and site as the report's header names them ("" if neither is set)."""
        return " · ".join(part for part in (self.organisation, self.site) if part)

    def label(self, breakdown: str, code: str) -> str:
        """The label of ``code`` in ``breakdown`` in the current language."""
        return code_label(breakdown, code, self.districts)

    @property
    def mark(self) -> str:
        """The page mark: internal, or for publication."""
        return _(MARK_PUBLISHED) if self.published else _(MARK_INTERNAL)

    @property
    def has_suppressed(self) -> bool:
        return any(v is None for cells in self.figures.breakdowns.values() for v in cells.values())

    def footnotes(self) -> list[str]:
        """The footnotes every format prints under the figures."""
        notes = list(self.notes)
        if self.published:
            notes.insert(0, _(FOOTNOTE_SUPPRESSED))
        return notes


def report_threshold(session: Session | None) -> int:
    """The suppression threshold in force (policy or vault setting), never below 3."""
    try:
        value = int(settings.get(session, "suppression_threshold"))
    except (TypeError, ValueError):
        value = MIN_THRESHOLD
    return max(MIN_THRESHOLD, value)


def report_organisation(session: Session | None) -> str:
    return str(settings.get(session, "organisation") or "")


def report_author(session: Session | None) -> str:
    """The name an internal report says it was made by (the vault's profile)."""
    return str(settings.get(session, "navigator_name") or "")


def data_from_figures(
    figures: Figures,
    period: Period,
    publish: bool,
    threshold: int,
    organisation: str,
    closed: bool = False,
    notes: list[str] | None = None,
    created: dt.date | None = None,
    districts: Catalogue | None = None,
    sources: list[SourcePackage] | None = None,
    site: str = "",
    navigator: str = "",
) -> ReportData:
    """Lay ``figures`` out for a report (suppressed if ``publish``).

    ``navigator`` is who made it; a published report names no person, so it is dropped.
    """
    check_threshold(threshold)
    shown = suppress(figures, threshold) if publish else unpublished(figures, threshold)
    notes = list(notes or [])
    if figures.absent:
        notes.append(_(FOOTNOTE_OLDER))
    return ReportData(
        period=period,
        figures=shown,
        published=publish,
        threshold=threshold,
        organisation=organisation,
        created=created or dt.date.today(),
        closed=closed,
        arrival_share=shown.arrival_share,
        notes=notes,
        districts=districts,
        sources=list(sources or []),
        site=site,
        navigator="" if publish else navigator,
    )


def prepare_report(
    session: Session, period: Period, publish: bool, threshold: int, organisation: str
) -> ReportData:
    """The report of ``period`` from the vault (stored figures if the period is closed)."""
    check_threshold(threshold)
    row = closed_period_row(session, period)
    figures = (
        Figures.from_dict(row.figures) if row is not None else compute_figures(session, period)
    )
    return data_from_figures(
        figures,
        period,
        publish,
        threshold,
        organisation,
        closed=row is not None,
        districts=settings.catalogue(session, "districts"),
        site=str(settings.get(session, "site") or ""),
        navigator=report_author(session),
    )
