"""The casework figures (issue 10) in every report format: the same numbers in JSON, CSV,
XLSX and PDF, the medians in days, and rule 4's suppressed totals."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lotse import i18n
from lotse.report import build_report, write_report
from lotse.stats.keys import CASEWORK_BREAKDOWNS, CASEWORK_TOTALS, MEDIAN_KEYS, code_label
from lotse.stats.period import parse_period
from lotse.vault import Vault
from tests.report.test_report_formats import read_csv
from tests.stats.builders import casework_records, fill, reference_records

Q3 = parse_period("2026-Q3")
ORG = "Lotsendienst Geburtsklinik"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


@pytest.fixture
def case_vault(vault: Vault) -> Vault:
    fill(vault, casework_records)
    fill(vault, reference_records)
    return vault


def write_all(vault: Vault, folder: Path, publish: bool, k: int) -> dict[str, Any]:
    """Write JSON, CSV, XLSX and PDF; return the JSON report."""
    with vault.session() as session:
        for fmt in ("json", "csv", "xlsx", "pdf"):
            write_report(session, Q3, fmt, folder / f"r.{fmt}", publish, k, ORG)
        return build_report(session, Q3, publish, k, ORG)


def csv_figures(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    rows = read_csv(path)
    totals = {r[1]: r[3] for r in rows if r[0] == "totals"}
    cells = {(r[1], r[2]): r[3] for r in rows if r[0] == "breakdowns"}
    return totals, cells


def xlsx_figures(path: Path) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
    wb = openpyxl.load_workbook(path)
    totals = {row[2]: row[1] for row in wb["Summen"].iter_rows(values_only=True) if row[2]}
    cells: dict[tuple[str, str], Any] = {}
    for key, sheet in zip(
        ("screening_factors", "closures_by_reason", "referrals_by_mode"),
        ("Screenings nach Faktor", "Abschlüsse nach Grund", "Vermittlungen nach Art"),
        strict=True,
    ):
        rows = list(wb[sheet].iter_rows(values_only=True))
        start = rows.index(("Merkmal", "Anzahl", "Code")) + 1
        cells |= {(key, code): n for _label, n, code in rows[start:] if code}
    return totals, cells


def shows(page: str, key: str, code: str, n: int) -> bool:
    """Whether ``page`` shows the cell: its label, then ``n`` (a long label wraps in its
    table cell, so the number may stand after any of its words)."""
    words = [re.escape(word) for word in code_label(key, code).split()]
    for i in range(1, len(words) + 1):
        head, tail = words[:i], words[i:]
        pattern = r"\s+".join(head) + rf"\s+{n}(?!\S)" + "".join(rf"\s+{w}" for w in tail)
        if re.search(pattern, page):
            return True
    return False


def pdf_page(path: Path, title: str) -> str:
    """The text of the PDF's pages from the last that has ``title`` on, whitespace
    collapsed (page 1 names the casework page too)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [" ".join(page.split()) for page in text.split("\f")]
    start = max(i for i, page in enumerate(pages) if title in page)
    return " ".join(pages[start:])


def test_internal_report_shows_the_same_casework_figures_everywhere(
    case_vault: Vault, tmp_path: Path
) -> None:
    report = write_all(case_vault, tmp_path, publish=False, k=3)
    totals = report["totals"]
    assert {key: totals[key] for key in CASEWORK_TOTALS} == {
        "screenings": 5,
        "screenings_positive": 4,
        "screenings_positive_reached": 2,
        "families_closed": 4,
        "median_days_to_first_contact": 5.5,
        "median_support_days": 12.0,
    }
    for key in CASEWORK_BREAKDOWNS:
        assert key in report["breakdowns"]

    csv_totals, csv_cells = csv_figures(tmp_path / "r.csv")
    assert csv_totals["screenings"] == "5"
    assert csv_totals["median_days_to_first_contact"] == "5,5"  # decimal comma for Excel
    assert csv_totals["median_support_days"] == "12,0"

    xlsx_totals, xlsx_cells = xlsx_figures(tmp_path / "r.xlsx")
    assert {key: xlsx_totals[key] for key in CASEWORK_TOTALS} == {
        key: totals[key] for key in CASEWORK_TOTALS
    }
    assert isinstance(xlsx_totals["median_days_to_first_contact"], float)

    page = pdf_page(tmp_path / "r.pdf", "Screening und Verlauf")
    for key in CASEWORK_BREAKDOWNS:
        for code, n in report["breakdowns"][key].items():
            assert csv_cells[(key, code)] == str(n)
            assert xlsx_cells[(key, code)] == n
            assert shows(page, key, code, n), (key, code)
    assert "Screenings 5" in page
    assert "Davon positive Screenings 4" in page
    assert "Davon positiv und danach beraten 2" in page
    assert "Abgeschlossene Begleitungen 4" in page
    assert "Tage bis zum Erstkontakt (Median) 5,5" in page
    assert "Dauer der Begleitung in Tagen (Median) 12,0" in page
    assert "Finanzielle Sorgen 2" in page
    assert "Ohne Belastungsfaktor 1" in page
    assert "An eine andere Stelle übergeben 1" in page
    assert "Zum ersten Termin begleitet 1" in page
    assert "Unbekannt 4" in page  # referrals without a mode: 3 of A, B, C + N1's


def test_published_report_hides_rule_4_totals_alike_in_every_format(
    case_vault: Vault, tmp_path: Path
) -> None:
    # k = 4: days to first contact has 4 families (shown), support days 3 (hidden);
    # referrals_by_status.arrived is 2 (hidden), so referrals_arrived is too.
    report = write_all(case_vault, tmp_path, publish=True, k=4)
    totals = report["totals"]
    assert report["breakdowns"]["referrals_by_status"]["arrived"] is None
    assert totals["referrals_arrived"] is None
    assert totals["median_days_to_first_contact"] == 5.5
    assert totals["median_support_days"] is None
    assert totals["screenings"] == 5  # totals otherwise as they are
    assert report["arrival_share"] is None

    csv_totals, _cells = csv_figures(tmp_path / "r.csv")
    assert csv_totals["referrals_arrived"] == "."
    assert csv_totals["median_support_days"] == "."  # hidden, not empty
    assert csv_totals["median_days_to_first_contact"] == "5,5"
    xlsx_totals, _cells = xlsx_figures(tmp_path / "r.xlsx")
    assert xlsx_totals["referrals_arrived"] == "."
    assert xlsx_totals["median_support_days"] == "."
    assert xlsx_totals["median_days_to_first_contact"] == 5.5
    page = pdf_page(tmp_path / "r.pdf", "Screening und Verlauf")
    assert "Dauer der Begleitung in Tagen (Median) ." in page
    assert "Tage bis zum Erstkontakt (Median) 5,5" in page
    first = pdf_page(tmp_path / "r.pdf", "Statistik 2026-Q3")
    assert "Davon angekommene Vermittlungen ." in first


def test_a_median_without_families_is_empty_not_hidden(vault: Vault, tmp_path: Path) -> None:
    fill(vault, reference_records)  # no identified dates, no closures
    report = write_all(vault, tmp_path, publish=True, k=3)
    for key in MEDIAN_KEYS:
        assert report["totals"][key] is None
    csv_totals, _cells = csv_figures(tmp_path / "r.csv")
    xlsx_totals, _cells = xlsx_figures(tmp_path / "r.xlsx")
    for key in MEDIAN_KEYS:
        assert csv_totals[key] == ""
        assert xlsx_totals[key] is None
    page = pdf_page(tmp_path / "r.pdf", "Screening und Verlauf")
    assert "Tage bis zum Erstkontakt (Median) –" in page
    assert "Dauer der Begleitung in Tagen (Median) –" in page


def test_english_casework_page(case_vault: Vault, tmp_path: Path) -> None:
    i18n.set_language("en")
    with case_vault.session() as session:
        write_report(session, Q3, "pdf", tmp_path / "r.pdf", False, 3, ORG)
        write_report(session, Q3, "csv", tmp_path / "r.csv", False, 3, ORG)
    page = pdf_page(tmp_path / "r.pdf", "Screening and course of cases")
    assert "Days to first contact (median) 5.5" in page
    assert "Length of support in days (median) 12.0" in page
    assert "Screenings by burden factor" in page
    assert "Money worries 2" in page
    assert "Accompaniments closed by reason" in page
    assert "Handed over to another service 1" in page
    assert "Referrals by way of referral" in page
    assert "Accompanied to the first appointment 1" in page
    csv_totals, _cells = csv_figures(tmp_path / "r.csv")
    assert csv_totals["median_days_to_first_contact"] == "5.5"
