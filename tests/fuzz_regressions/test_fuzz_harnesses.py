"""The fuzz harnesses (fuzz/fuzz_*.py) still fit the code they fuzz.

Every committed seed (fuzz/corpus/<target>/) runs through its harness's ``check`` as
``make fuzz`` would feed it, without atheris: a harness that no longer matches its
target's API, or a seed the target no longer accepts, fails here rather than in a long
fuzzing run. The seeds are valid inputs, so each must also be accepted by its target.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parent.parent.parent / "fuzz"
TARGETS = ("records", "header", "packages", "policy")


@pytest.fixture
def harnesses(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, ModuleType]]:
    monkeypatch.syspath_prepend(str(FUZZ))
    yield {t: importlib.import_module(f"fuzz_{t}") for t in TARGETS}


@pytest.mark.parametrize("target", TARGETS)
def test_every_seed_passes_its_harness(target: str, harnesses: dict[str, ModuleType]) -> None:
    seeds = sorted((FUZZ / "corpus" / target).iterdir())
    assert seeds
    for seed in seeds:
        harnesses[target].check(seed.read_bytes())


def test_seeds_are_valid_inputs(tmp_path: Path) -> None:
    from lotse.policy import parse_policy
    from lotse.records.reader import parse_bytes
    from lotse.stats.packages import read_package
    from lotse.vault.header import Header

    for seed in (FUZZ / "corpus" / "records").iterdir():
        records = parse_bytes(seed.read_bytes(), seed.name)  # RecordsError if not valid
        assert records.families or records.group_offers
    for seed in (FUZZ / "corpus" / "header").iterdir():
        assert Header.from_bytes(seed.read_bytes()[1:]).key_slots
    for seed in (FUZZ / "corpus" / "packages").iterdir():
        package = tmp_path / "seed.json"
        package.write_bytes(seed.read_bytes()[1:])
        assert read_package(package).figures.totals
    for seed in (FUZZ / "corpus" / "policy").iterdir():
        problems = parse_policy(seed.read_bytes())[2]
        assert bool(problems) == (seed.name == "problems.toml"), problems
