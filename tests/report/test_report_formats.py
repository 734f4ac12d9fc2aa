"""JSON, CSV and XLSX reports: the same figures as lotse.stats, laid out as cli.md says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from lotse import i18n
from lotse.db.models import Setting
from lotse.errors import BadInputError
from lotse.policy import Policy, set_current_policy
from lotse.report import build_report, report_threshold, write_report
from lotse.stats.figures import compute_figures
from lotse.stats.period import parse_period
from lotse.stats.periods_closed import close_period
from lotse.stats.suppression import suppress
from lotse.vault import Vault
from tests.stats.builders import Builder

Q3 = parse_period("2026-Q3")
ORG = "Wir im Revier – Familienbüro Süd"


def test_json_internal_has_exact_figures(ref_vault: Vault) -> None:
    with ref_vault.session() as session:
        report = build_report(session, Q3, False, 3, ORG)
        figures = compute_figures(session, Q3)
    assert report["format"] == "lotse.report/1"
    assert report["period"] == {"label": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30"}
    assert report["published"] is False
    assert report["threshold"] == 3
    assert list(report)[:7] == [
        "format",
        "period",
        "published",
        "threshold",
        "totals",
        "breakdowns",
        "arrival_share",
    ]
    assert report["totals"] == figures.totals
    assert report["breakdowns"] == figures.breakdowns
    assert report["totals"]["families_reached"] == 3
    assert report["arrival_share"] == 0.5
    assert report["organisation"] == ORG
    assert report["closed"] is False
    json.dumps(report)  # serialisable as it is


def test_json_published_has_nulls_and_same_totals(ref_vault: Vault) -> None:
    with ref_vault.session() as session:
        report = build_report(session, Q3, True, 3, ORG)
        figures = compute_figures(session, Q3)
    assert report["published"] is True
    # Totals as they are, but referrals_arrived would give the hidden "arrived" cell away.
    assert report["breakdowns"]["referrals_by_status"]["arrived"] is None
    assert report["totals"] == figures.totals | {"referrals_arrived": None}
    assert report["breakdowns"] == suppress(figures, 3).breakdowns
    # Three families, one per district cell: they cannot be protected (the total is
    # shown), so every cell is hidden, zeros too.
    district = report["breakdowns"]["families_by_district"]
    assert set(district.values()) == {None}
    for cells in report["breakdowns"].values():
        assert all(v is None or v == 0 or v >= 3 for v in cells.values())
    # The arrival share would give away the suppressed not_arrived cell.
    assert report["arrival_share"] is None


def test_json_to_file_and_stdout(
    ref_vault: Vault, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    with ref_vault.session() as session:
        write_report(session, Q3, "json", out, False, 3, ORG)
        write_report(session, Q3, "json", "-", False, 3, ORG)
        expected = build_report(session, Q3, False, 3, ORG)
    assert json.loads(out.read_text("utf-8")) == expected
    assert json.loads(capsys.readouterr().out) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "vault"]  # no temp file


def test_threshold_from_settings(ref_vault: Vault) -> None:
    with ref_vault.transaction() as session:
        assert report_threshold(session) == 3
        session.add(Setting(key="suppression_threshold", value=5))
    with ref_vault.session() as session:
        assert report_threshold(session) == 5
        session.merge(Setting(key="suppression_threshold", value=2))
        assert report_threshold(session) == 3  # never below 3
        session.rollback()
        report = build_report(session, Q3, True, report_threshold(session), ORG)
    assert report["threshold"] == 5
    assert report["breakdowns"]["contacts_by_topic"]["finances"] is None  # 2 < 5


def test_closed_period_report_says_so(ref_vault: Vault) -> None:
    with ref_vault.transaction() as session:
        close_period(session, Q3, today=dt.date(2026, 11, 1))
    with ref_vault.session() as session:
        assert build_report(session, Q3, False, 3, ORG)["closed"] is True


def csv_value(key: str, value: float | None) -> str:
    """A JSON total as the German CSV writes it: a median with a decimal comma, empty when
    there is none; a suppressed count ``.``."""
    if value is None:
        return "" if key.startswith("median_") else "."
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def xlsx_value(key: str, value: float | None) -> float | str | None:
    """A JSON total as the spreadsheet holds it (a suppressed count is ``.``)."""
    return "." if value is None and not key.startswith("median_") else value


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))


def test_csv(ref_vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    with ref_vault.session() as session:
        write_report(session, Q3, "csv", out, True, 3, ORG)
        report = build_report(session, Q3, True, 3, ORG)
    rows = read_csv(out)
    assert rows[0] == ["Abschnitt", "Kennzahl", "Code", "Wert"]
    assert all(len(r) == 4 for r in rows)
    meta = {(r[1], r[2]): r[3] for r in rows if r[0] == "meta"}
    assert meta[("period", "label")] == "2026-Q3"
    assert meta[("published", "")] == "true"
    assert meta[("organisation", "")] == ORG
    totals = {r[1]: r[3] for r in rows if r[0] == "totals"}
    assert totals == {k: csv_value(k, v) for k, v in report["totals"].items()}
    assert totals["referrals_arrived"] == "."
    cells = {(r[1], r[2]): r[3] for r in rows if r[0] == "breakdowns"}
    for key, codes in report["breakdowns"].items():
        for code, value in codes.items():
            assert cells[(key, code)] == ("." if value is None else str(value))
    notes = [r[3] for r in rows if r[0] == "note"]
    assert notes == ["„.“ = Kleinstzahl, zum Schutz der Familien nicht ausgewiesen"]


def test_csv_internal_has_no_footnote_and_english_headers(ref_vault: Vault, tmp_path: Path) -> None:
    i18n.set_language("en")
    out = tmp_path / "r.csv"
    with ref_vault.session() as session:
        write_report(session, Q3, "csv", out, False, 3, ORG)
    rows = read_csv(out)
    assert rows[0] == ["Section", "Figure", "Code", "Value"]
    assert not [r for r in rows if r[0] == "note"]
    assert ["breakdowns", "families_by_district", "ost", "1"] in rows


def test_xlsx(ref_vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    with ref_vault.session() as session:
        write_report(session, Q3, "xlsx", out, True, 3, ORG)
        report = build_report(session, Q3, True, 3, ORG)
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 1 + 11
    assert wb.sheetnames[0] == "Summen"
    assert all(len(name) <= 31 for name in wb.sheetnames)
    totals_sheet = wb["Summen"]
    values = [row for row in totals_sheet.iter_rows(values_only=True)]
    assert ("Kennzeichnung", "zur Veröffentlichung (Kleinstzahlen unterdrückt)", None) in values
    by_key = {row[2]: row[1] for row in values if row[2] in report["totals"]}
    assert by_key == {k: xlsx_value(k, v) for k, v in report["totals"].items()}
    # Numbers as numbers (the medians are empty here: no family went into them).
    assert {type(v) for k, v in by_key.items() if v != "." and not k.startswith("median_")} == {int}
    sheet = wb["Beratungen nach Thema"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("Merkmal", "Anzahl", "Code"))
    table = {code: n for _label, n, code in rows[header + 1 :] if code}
    expected = report["breakdowns"]["contacts_by_topic"]
    assert table == {c: "." if v is None else v for c, v in expected.items()}
    assert ("Ohne Thema", ".", "none") in rows
    assert ("Finanzen", ".", "finances") in rows
    assert rows[-1][0] == "„.“ = Kleinstzahl, zum Schutz der Familien nicht ausgewiesen"


@pytest.mark.parametrize(
    ("fmt", "out", "words"),
    [
        ("html", "r.html", "Unbekanntes Berichtsformat"),
        ("pdf", "-", "Standardausgabe"),
        ("xlsx", "-", "Standardausgabe"),
        ("json", "missing/r.json", "kann nicht geschrieben werden"),
        ("csv", ".", "ist ein Ordner"),
    ],
)
def test_bad_format_or_target_writes_nothing(
    ref_vault: Vault, tmp_path: Path, fmt: str, out: str, words: str
) -> None:
    target = out if out == "-" else str(tmp_path / out)
    with pytest.raises(BadInputError) as error, ref_vault.session() as session:
        write_report(session, Q3, fmt, target, False, 3, ORG)
    assert words in error.value.message
    assert [p.name for p in tmp_path.iterdir()] == ["vault"]


def test_failure_keeps_the_previous_file(ref_vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("previous", "utf-8")
    with pytest.raises(BadInputError), ref_vault.session() as session:
        write_report(session, Q3, "json", out, True, 2, ORG)
    assert out.read_text("utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "vault"]


def test_labels_of_the_organisations_districts(vault: Vault, tmp_path: Path) -> None:
    set_current_policy(
        Policy(locked={"districts": [["nord", "Nordviertel"], ["sued", "Südstadt"]]})
    )
    with vault.transaction() as session:
        b = Builder(session)
        b.family("X", district="sued")
        b.contact("X", "2026-07-02")
    out = tmp_path / "r.xlsx"
    with vault.session() as session:
        write_report(session, Q3, "xlsx", out, False, 3, ORG)
    rows = list(openpyxl.load_workbook(out)["Familien nach Sozialraum"].iter_rows(values_only=True))
    assert ("Südstadt", 1, "sued") in rows
    assert ("Nordviertel", 0, "nord") in rows
