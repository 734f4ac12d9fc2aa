"""The access report's files: a real PDF read back with poppler, and the JSON."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lotse.errors import BadInputError
from lotse.report.access_report import (
    AccessReport,
    ConsentLine,
    ContactLine,
    Fact,
    LogLine,
    ReferralLine,
    ReminderLine,
    StatusLine,
)
from lotse.report.access_report_file import write

D = dt.date(2026, 3, 2)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


def _report(**changes: object) -> AccessReport:
    report = AccessReport(
        code="F-2026-0007",
        created=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
        keeper=(Fact("Träger", "Familienbüro Süd"),),
        household=(Fact("Erwachsene", "2 Erwachsene"), Fact("Sozialraum", "Osterfeld")),
        person=(Fact("Name", "Zülfiye Öztürk-Weiß"), Fact("Telefon", "0208 4711")),
        consents=(
            ConsentLine("documentation", "Dokumentation", D, None, "tr", None),
            ConsentLine("transfer", "Weitergabe", D, "Familienzentrum Lirich", None, D),
        ),
        contacts=(
            ContactLine(D, "first_contact", "Erstkontakt", 45, "Klinik", ("Wohnen",), "Notiz"),
        ),
        referrals=(
            ReferralLine(
                D,
                "family_midwife",
                "Familienhebamme",
                "Zum ersten Termin begleitet",
                "Angekommen",
                (
                    StatusLine("suggested", "Empfohlen", D),
                    StatusLine("arrived", "Angekommen", D + dt.timedelta(days=9)),
                ),
                None,
            ),
        ),
        reminders=(ReminderLine(D, "Kita-Platz", None),),
        log=(
            LogLine(dt.datetime(2026, 4, 1, 8, 0), "consent_withdrawn", "Einwilligung widerrufen"),
        ),
        retention_months=36,
    )
    return AccessReport(**{**report.__dict__, **changes})


@needs_poppler
def test_the_pdf_says_everything_in_plain_words(tmp_path: Path) -> None:
    out = tmp_path / "auskunft.pdf"
    assert write(_report(), out) == "pdf"
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = " ".join(text.split())  # lines wrap inside table cells
    for expected in (
        "Auskunft über Ihre gespeicherten Daten",
        "Familie F-2026-0007",
        "Zülfiye Öztürk-Weiß",
        "Familienbüro Süd",
        "Familienzentrum Lirich",
        "widerrufen am 02.03.2026",
        "Erstkontakt",
        "Zum ersten Termin",
        "11.03.2026: Angekommen",
        "Kita-Platz",
        "Einwilligung widerrufen",
        "nach 36 Monaten gelöscht",
        "Aufsichtsbehörde",
    ):
        assert expected in text, expected
    assert oct(out.stat().st_mode & 0o777) == "0o600"


@needs_poppler
def test_fonts_are_embedded_and_pages_render(tmp_path: Path) -> None:
    out = tmp_path / "auskunft.pdf"
    many = tuple(
        ContactLine(D + dt.timedelta(days=n), "phone", "Telefonat", 5, None, (), f"Anruf {n}")
        for n in range(80)
    )
    write(_report(contacts=many), out)
    fonts = subprocess.run(
        ["pdffonts", str(out)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all("DejaVuSans" in line and line.split()[-5] == "yes" for line in fonts)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 3  # 80 contacts flow onto further pages, headers repeated
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Anruf 79" in text and "Seite 3" in text


def test_an_anonymous_family_is_told_so() -> None:
    from lotse.report.access_report_pdf import pdf_bytes

    assert pdf_bytes(_report(person=(), consents=())).startswith(b"%PDF")


def test_the_json_holds_every_value(tmp_path: Path) -> None:
    out = tmp_path / "auskunft.json"
    assert write(_report(), out) == "json"
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == "lotse.access-report/1"
    assert data["code"] == "F-2026-0007"
    assert data["consents"][1] == {
        "purpose": "transfer",
        "purpose_label": "Weitergabe",
        "date": "2026-03-02",
        "recipient": "Familienzentrum Lirich",
        "form_language": None,
        "withdrawn": "2026-03-02",
    }
    assert data["referrals"][0]["history"][1] == {
        "status": "arrived",
        "status_label": "Angekommen",
        "date": "2026-03-11",
    }


def test_another_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError):
        write(_report(), tmp_path / "auskunft.docx")
    assert list(tmp_path.iterdir()) == []
