"""Statistics through the API: audit entries with the change, nothing kept on a failure."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from lotse.db.models import AuditEntry
from lotse.errors import BadInputError
from lotse.stats.period import parse_period
from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.vault import Vault

TODAY = dt.date(2026, 8, 15)
Q2 = parse_period("2026-Q2")


def _audit(vault: Vault) -> list[str]:
    with vault.session() as s:
        # The vault's own opening and creation are logged too; not what these tests look at.
        query = select(AuditEntry.action).where(
            AuditEntry.action.not_in(("vault_created", "vault_unlocked"))
        )
        return list(s.scalars(query.order_by(AuditEntry.id)))


def _first_contact(api: VaultAPI) -> None:
    api.families.record_first_contact(
        FamilyInput(adults=2), ContactInput(date=dt.date(2026, 5, 4), minutes=30)
    )


def test_close_and_reopen_are_logged(api: VaultAPI, vault: Vault) -> None:
    _first_contact(api)
    assert api.statistics.figures(Q2).figures.totals["families_reached"] == 1
    api.statistics.close_period(Q2, TODAY)
    assert api.statistics.figures(Q2).closed
    assert [info.period.label for info in api.statistics.closed_periods()] == ["2026-Q2"]
    with pytest.raises(BadInputError, match="bereits abgeschlossen"):
        api.statistics.close_period(Q2, TODAY)
    assert api.statistics.reopen_period("2026-Q2").label == "2026-Q2"
    assert api.statistics.closed_periods() == []
    assert _audit(vault) == ["period_closed", "period_reopened"]


def test_write_report(api: VaultAPI, tmp_path: Path) -> None:
    _first_contact(api)
    steps: list[tuple[int, int]] = []
    api.statistics.write_report(
        Q2, "csv", tmp_path / "q2.csv", progress=lambda d, t: steps.append((d, t))
    )
    lines = (tmp_path / "q2.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[:2] == ["Abschnitt;Kennzahl;Code;Wert", "meta;period;label;2026-Q2"]
    assert steps[0] == (0, 10) and steps[-1] == (10, 10)


def _profiled(api: VaultAPI) -> None:
    from lotse.usecases import Profile

    api.settings.save(
        {"organisation": "Stadt Oberhausen"},
        Profile("Maria Muster", "Kinderklinik Sterkrade", "birth_clinic"),
    )


def test_internal_report_names_navigator_and_site_in_every_format(
    api: VaultAPI, tmp_path: Path
) -> None:
    """Issue 9: what the wizard promises ("auf Ihren Berichten") is on the reports."""
    _first_contact(api)
    _profiled(api)
    api.statistics.write_report(Q2, "json", tmp_path / "q2.json")
    obj = json.loads((tmp_path / "q2.json").read_text(encoding="utf-8"))
    assert (obj["organisation"], obj["site"], obj["navigator"]) == (
        "Stadt Oberhausen",
        "Kinderklinik Sterkrade",
        "Maria Muster",
    )
    api.statistics.write_report(Q2, "csv", tmp_path / "q2.csv")
    csv_text = (tmp_path / "q2.csv").read_text(encoding="utf-8-sig")
    assert "meta;site;;Kinderklinik Sterkrade" in csv_text
    assert "meta;navigator;;Maria Muster" in csv_text
    api.statistics.write_report(Q2, "xlsx", tmp_path / "q2.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "q2.xlsx").worksheets[0]
    header = {row[0]: row[1] for row in sheet.iter_rows(max_row=8, values_only=True)}
    assert header["Standort"] == "Kinderklinik Sterkrade"
    assert header["Erstellt von"] == "Maria Muster"
    if shutil.which("pdftotext"):
        api.statistics.write_report(Q2, "pdf", tmp_path / "q2.pdf")
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "q2.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        text = " ".join(text.split())  # the subtitle may wrap
        assert "Stadt Oberhausen · Kinderklinik Sterkrade" in text
        assert "Erstellt von Maria Muster" in text


def test_published_report_names_organisation_and_site_but_no_person(
    api: VaultAPI, tmp_path: Path
) -> None:
    _first_contact(api)
    _profiled(api)
    for fmt in ("json", "csv", "xlsx", "pdf"):
        out = tmp_path / f"q2.{fmt}"
        api.statistics.write_report(Q2, fmt, out, publish=True)
        if fmt == "json":
            obj = json.loads(out.read_text(encoding="utf-8"))
            assert obj["site"] == "Kinderklinik Sterkrade" and "navigator" not in obj
        elif fmt == "pdf" and shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
            ).stdout
            assert "Kinderklinik Sterkrade" in text
        # The person's name is nowhere in the file, not even in the PDF's metadata.
        assert b"Maria Muster" not in out.read_bytes(), fmt
