"""Crash torture: kill -9 at random moments while every write path runs (tests/torture/run.py).

``make test`` runs a few cycles; ``make torture`` runs ``LOTSE_TORTURE_CYCLES`` (1,000)
and prints the figures (pytest -s).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lotse.crypto import kdf
from lotse.vault import create_vault
from tests.torture.check import Model, snapshot
from tests.torture.run import cycles, torture
from tests.torture.workload import PASSPHRASES, Child, Ledger

pytestmark = pytest.mark.torture


def test_kill_9_at_random_moments_loses_nothing_and_leaves_nothing_half_written(
    tmp_path: Path,
) -> None:
    figures = torture(cycles(), tmp_path)
    print("\n" + figures.line())
    assert figures.failures == []
    assert (figures.lost, figures.half_written, figures.unopenable) == (0, 0, 0)
    assert figures.cycles == cycles()
    assert figures.acknowledged >= cycles()  # the children got work done before the kill


def test_the_check_notices_a_lost_commit_and_a_half_written_one(tmp_path: Path) -> None:
    """The checker is only worth its zeros if it finds what it looks for."""
    import random

    vault = create_vault(tmp_path / "vault", PASSPHRASES[0], kdf.TEST_PARAMS)
    ledger_path = tmp_path / "ledger.jsonl"
    (tmp_path / "backups").mkdir()
    child = Child(vault, Ledger(ledger_path), tmp_path / "backups", PASSPHRASES[0])
    rng = random.Random(3)
    child.do_first_contact(rng, "1.1", 1)
    child.do_first_contact(rng, "1.2", 2)
    child.do_referral(rng, "1.3", 3)
    model = Model()
    intents = {}
    for line in ledger_path.read_text().splitlines():
        entry = json.loads(line)
        if entry["t"] == "intent":
            intents[entry["op"]] = entry
        else:
            model.apply(intents[entry["op"]])
    assert model.compare(snapshot(vault)) == ([], [])

    with vault.transaction() as session:
        conn = session.connection()
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql("DELETE FROM referral_status_change WHERE referral_id = ("
                             "SELECT id FROM referral WHERE notes = '1.3')")  # fmt: skip
        conn.exec_driver_sql("DELETE FROM family WHERE person_name = 'Folter 1.1'")
    lost, half = model.compare(snapshot(vault))
    vault.close()
    assert "family 1.1" in lost
    assert any("without a status history entry" in problem for problem in half)
