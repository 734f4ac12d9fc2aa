"""Every figure of the course of a case (issue 10) is the same in the command line's JSON,
the window's section "Screening und Verlauf", the PDF, the CSV and the XLSX report, internal
and for publication (statistics.md: "computed once"), on a vault filled with demo data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from lotse.cli.main import main
from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.report.textfmt import format_int, format_total
from lotse.stats.keys import CASEWORK_BREAKDOWNS, CASEWORK_TOTALS, MEDIAN_KEYS, total_label
from lotse.ui import workers
from lotse.ui.statistics_view import StatisticsView
from lotse.ui.stats_models import KEY_ROLE, CaseworkTableModel
from lotse.usecases import VaultAPI
from lotse.vault import create_vault
from tests.conftest import PASSPHRASE
from tests.report.test_report_casework import csv_figures, pdf_page, shows, xlsx_figures

TODAY = dt.date(2026, 8, 15)  # the demo's year ends here
PERIOD = "2026-Q2"


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A closed vault with a year of demo casework; the CLI's environment points at it."""
    folder = tmp_path / "vault"
    vault = create_vault(folder, PASSPHRASE, kdf.TEST_PARAMS)
    try:
        VaultAPI(vault).records.store(generate_records(300, seed=11, today=TODAY))
    finally:
        vault.close()
    monkeypatch.setenv("LOTSE_VAULT", str(folder))
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    yield folder
    workers.wait_all()


def _csv_text(value: Any, suppressed: bool, median: bool) -> str:
    if suppressed:
        return "."
    if value is None:
        return ""
    return f"{value:.1f}".replace(".", ",") if median else str(value)


@pytest.mark.parametrize("publish", [False, True], ids=["internal", "published"])
def test_every_casework_figure_is_the_same_everywhere(
    qtbot: QtBot, demo_folder: Path, tmp_path: Path, publish: bool
) -> None:
    flag = ["--publish"] if publish else []
    for fmt in ("json", "csv", "xlsx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        assert main(["report", "--period", PERIOD, "--format", fmt, "--out", str(out), *flag]) == 0
    cli = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))

    api = VaultAPI.open(demo_folder, PASSPHRASE)
    try:
        view = StatisticsView(api, today=TODAY)
        qtbot.addWidget(view)
        view.show()
        view.publish_box.setChecked(publish)
        view.picker.set_period_text(PERIOD)

        def ready() -> bool:
            report = view.report()
            return not view.is_busy() and report is not None and report.period.label == PERIOD

        qtbot.waitUntil(ready, timeout=20000)
        data = view.report()
        assert data is not None and data.period.label == PERIOD and data.published == publish
        view.select_section("casework")
        model = view.casework_model
        window: dict[str, str] = {}
        window_cells: dict[tuple[str, str], str] = {}
        breakdown = ""
        for r in range(model.rowCount()):
            key, text = model.index(r, 0).data(KEY_ROLE), model.index(r, 1).data()
            if key.startswith(CaseworkTableModel.HEADING):
                breakdown = key.removeprefix(CaseworkTableModel.HEADING)
            elif breakdown:
                window_cells[(breakdown, key)] = text
            else:
                window[key] = text
    finally:
        workers.wait_all()
        api.close()

    figures = data.figures
    totals, cells = cli["totals"], cli["breakdowns"]
    # Something to compare: screenings, closures and both medians in the quarter.
    assert totals["screenings"] > 0 and totals["families_closed"] > 0
    assert all(figures.totals[key] is not None for key in MEDIAN_KEYS) or publish
    csv_totals, csv_cells = csv_figures(tmp_path / "r.csv")
    xlsx_totals, xlsx_cells = xlsx_figures(tmp_path / "r.xlsx")
    page = pdf_page(tmp_path / "r.pdf", "Screening und Verlauf")
    for key in CASEWORK_TOTALS:
        value, hidden = figures.totals[key], figures.is_suppressed(key)
        shown = format_total(figures, key)
        assert totals[key] == value, key  # CLI JSON = the window's figures
        assert window[key] == shown, key  # the window shows them as the PDF prints them
        assert f"{total_label(key)} {shown}" in page, key
        assert csv_totals[key] == _csv_text(value, hidden, key in MEDIAN_KEYS), key
        assert xlsx_totals[key] == ("." if hidden else value), key
    for key in CASEWORK_BREAKDOWNS:
        assert cells[key] == figures.breakdowns[key], key
        for code, n in figures.breakdowns[key].items():
            text = format_int(n)
            assert window_cells[(key, code)] == text, (key, code)
            assert csv_cells[(key, code)] == text, (key, code)
            assert xlsx_cells[(key, code)] == ("." if n is None else n), (key, code)
            assert shows(page, key, code, re.escape(text)), (key, code)  # type: ignore[arg-type]
    if publish:  # small numbers were hidden alike everywhere
        assert any(n is None for key in CASEWORK_BREAKDOWNS for n in cells[key].values())
