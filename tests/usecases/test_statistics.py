"""Statistics through the API: audit entries with the change, nothing kept on a failure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.db.models import AuditEntry, Secret, StatisticsPackage
from lotse.errors import BadInputError, LotseError
from lotse.stats.packages import SIGNING_KEY_SETTING, read_package
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


def test_a_package_that_cannot_be_written_leaves_no_key_and_no_log(
    api: VaultAPI, vault: Vault, tmp_path: Path
) -> None:
    _first_contact(api)
    with pytest.raises(LotseError):
        api.statistics.export_package(Q2, tmp_path / "missing" / "q2.json")
    assert _audit(vault) == []
    with vault.session() as s:
        assert s.get(Secret, SIGNING_KEY_SETTING) is None
    out = tmp_path / "q2.json"
    api.statistics.export_package(Q2, out)
    assert json.loads(out.read_text(encoding="utf-8"))["figures"]["totals"]["families_reached"] == 1
    assert _audit(vault) == ["package_exported"]


def test_a_merge_whose_report_cannot_be_written_keeps_no_package(
    api: VaultAPI, vault: Vault, tmp_path: Path
) -> None:
    _first_contact(api)
    package = tmp_path / "q2.json"
    api.statistics.export_package(Q2, package)
    packages = [read_package(package)]
    with pytest.raises(LotseError):
        api.statistics.merge_packages(packages, Q2, "json", tmp_path / "missing" / "r.json")
    with vault.session() as s:
        assert s.scalars(select(StatisticsPackage)).all() == []
    result = api.statistics.merge_packages(packages, Q2, "json", tmp_path / "r.json")
    assert (result.added, result.replaced, result.packages) == (1, 0, 1)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["totals"]["families_reached"] == 1


def test_write_report(api: VaultAPI, tmp_path: Path) -> None:
    _first_contact(api)
    steps: list[tuple[int, int]] = []
    api.statistics.write_report(
        Q2, "csv", tmp_path / "q2.csv", progress=lambda d, t: steps.append((d, t))
    )
    lines = (tmp_path / "q2.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[:2] == ["Abschnitt;Kennzahl;Code;Wert", "meta;period;label;2026-Q2"]
    assert steps[0] == (0, 10) and steps[-1] == (10, 10)
