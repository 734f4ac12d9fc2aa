"""The PDF report: a real PDF, read back with pdftotext and pdffonts (poppler)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from lotse import i18n
from lotse.report import write_report
from lotse.stats.period import parse_period
from lotse.vault import Vault
from tests.stats.builders import Builder, fill

Q3 = parse_period("2026-Q3")
ORG = "Familienbüro Süd – Lotsendienst Größenwahn"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def many_families(b: Builder) -> None:
    """Enough families that a published report shows some cells and hides others."""
    for n in range(40):
        b.family(
            f"F{n}",
            adults=2,
            children=("2024-05-05",),
            district="ost" if n < 30 else "osterfeld" if n < 38 else "sterkrade_nord",
            access_route="kita",
            sgb2=n % 2 == 0,
        )
        b.contact(f"F{n}", "2026-08-01", "counselling", 30, ("finances",))
    b.referral("F0", "2026-08-02", "early_help", "arrived")
    b.group("Elterncafé", ("2026-08-03", 4, 5))


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def write(vault: Vault, out: Path, publish: bool) -> list[str]:
    with vault.session() as session:
        write_report(session, Q3, "pdf", out, publish, 3, ORG)
    assert out.read_bytes().startswith(b"%PDF-")
    return pages(out)


def test_published_pdf(vault: Vault, tmp_path: Path) -> None:
    fill(vault, many_families)
    out = tmp_path / "r.pdf"
    text = write(vault, out, publish=True)
    assert len(text) >= 2
    today = dt.date.today().strftime("%d.%m.%Y")
    for n, page in enumerate(text, start=1):
        assert "zur Veröffentlichung (Kleinstzahlen unterdrückt)" in page
        assert f"Seite {n} von {len(text)}" in page
        assert "2026-Q3" in page and "01.07.2026" in page and "30.09.2026" in page
        assert f"erstellt am {today}" in page
        assert ORG in page
        assert "„.“ = Kleinstzahl, zum Schutz der Familien nicht ausgewiesen" in page
    first = " ".join(text[0].split())
    # Headline figures: 80 adults, 40 children, 40 counselling sessions, 1 group offer,
    # 40 families (all new), 1 referral.
    for figure, label in [
        ("80", "Erreichte Erwachsene"),
        ("40", "Erreichte Kinder"),
        ("40", "Einzelberatungen"),
        ("1", "Gruppenangebote"),
        ("40", "Erreichte Familien"),
    ]:
        assert figure in first and label in first
    rest = " ".join(" ".join(text[1:]).split())
    assert "Erreichte Familien nach Sozialraum" in rest
    # ost 30 shown, osterfeld 8 shown, sterkrade_nord 2 hidden, so the smallest
    # shown non-zero cell (osterfeld) is hidden too.
    assert "Oberhausen-Ost 30" in rest
    assert "Osterfeld ." in rest
    assert "Sterkrade-Nord ." in rest
    assert "Alstaden/Lirich 0" in rest


def test_internal_pdf_marks_every_page(vault: Vault, tmp_path: Path) -> None:
    fill(vault, many_families)
    text = write(vault, tmp_path / "r.pdf", publish=False)
    for page in text:
        assert "intern – nicht zur Veröffentlichung" in page
        assert "Kleinstzahl" not in page
    rest = " ".join(" ".join(text[1:]).split())
    assert "Sterkrade-Nord 2" in rest and "Osterfeld 8" in rest


def test_fonts_are_embedded(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    write(vault, out, publish=False)
    fonts = subprocess.run(
        ["pdffonts", str(out)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "DejaVuSans" in line
        assert line.split()[-5] == "yes"  # emb


def test_english_pdf(vault: Vault, tmp_path: Path) -> None:
    i18n.set_language("en")
    fill(vault, many_families)
    text = write(vault, tmp_path / "r.pdf", publish=True)
    assert "for publication (small numbers suppressed)" in text[0]
    assert "Page 1 of" in text[0]


def test_progress_is_reported(vault: Vault, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with vault.session() as session:
        write_report(
            session, Q3, "pdf", tmp_path / "r.pdf", False, 3, ORG, lambda d, t: seen.append((d, t))
        )
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)
    assert len(seen) > 8
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
