"""Statistics through the API: audit entries with the change, nothing kept on a failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
