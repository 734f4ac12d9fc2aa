"""The casework figures of statistics.md (issue 10) on hand-made cases: screenings,
closures, referral modes and the two medians, with their edge cases."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from lotse import settings
from lotse.catalogues import screening_positive
from lotse.policy import Policy, set_current_policy
from lotse.stats.figures import (
    Figures,
    compute_figures,
    empty_figures,
    median_days,
    round_half_away,
)
from lotse.stats.keys import code_label
from lotse.stats.period import parse_period
from lotse.vault import Vault
from tests.stats.builders import Builder, casework_records, fill

Q3 = parse_period("2026-Q3")


@pytest.fixture
def case_vault(vault: Vault) -> Vault:
    fill(vault, casework_records)
    return vault


def q3(vault: Vault) -> Figures:
    with vault.session() as session:
        return compute_figures(session, Q3)


def nonzero(cells: dict[str, int]) -> dict[str, int]:
    return {code: n for code, n in cells.items() if n}


# --- screenings ----------------------------------------------------------------------------


def test_screenings_in_the_period_positive_and_reached(case_vault: Vault) -> None:
    t = q3(case_vault).totals
    # S1 (first day), S2, S3 (last day), S4, S7; not S5 (the day before), S6 (the day after).
    assert t["screenings"] == 5
    # S1 by two factors, S2 by the staff's concern, S3 by the parents' request, S7 by three
    # factors; S4 has one factor only.
    assert t["screenings_positive"] == 4
    # S1 counselled on the screening day, S3 after the period; S2 only before, S7 only
    # before and then a no-show.
    assert t["screenings_positive_reached"] == 2


def test_screening_factors(case_vault: Vault) -> None:
    factors = q3(case_vault).breakdowns["screening_factors"]
    assert nonzero(factors) == {
        "young_parent": 1,
        "single_parent": 1,
        "financial_strain": 2,  # S1 and S2: a screening counts under each of its factors
        "housing_problem": 1,
        "daily_coping": 1,
        "mental_strain": 1,
        "none": 1,  # S3 had no factor
    }
    assert list(factors)[-1] == "none"
    assert code_label("screening_factors", "none") == "Ohne Belastungsfaktor"
    assert code_label("contacts_by_topic", "none") == "Ohne Thema"


def test_a_factor_outside_the_catalogue_keeps_its_own_cell(vault: Vault) -> None:
    def build(b: Builder) -> None:
        b.family("X")
        b.screening("X", "2026-08-01", ("young_parent", "debts_of_grandparents"))

    fill(vault, build)
    factors = q3(vault).breakdowns["screening_factors"]
    assert (factors["young_parent"], factors["debts_of_grandparents"], factors["none"]) == (1, 1, 0)
    assert list(factors)[-1] == "debts_of_grandparents"


def test_threshold_from_the_vault_setting_and_the_policy(case_vault: Vault) -> None:
    with case_vault.transaction() as session:
        settings.put(session, "screening_threshold", 3)
    # S1 (two factors) is no longer positive; S7 (three) still is.
    assert q3(case_vault).totals["screenings_positive"] == 3
    assert q3(case_vault).totals["screenings_positive_reached"] == 1
    # A policy's lock wins over the vault's own value: one factor is enough, S4 too.
    set_current_policy(Policy(locked={"screening_threshold": 1}))
    assert q3(case_vault).totals["screenings_positive"] == 5


def test_positive_in_sql_is_the_catalogue_rule(vault: Vault) -> None:
    """Every combination of 0–3 factors, concern and request, at thresholds 1–4: the
    statistics count what :func:`lotse.catalogues.screening_positive` says."""
    combos = list(itertools.product(range(4), (False, True), (False, True)))
    factor_codes = ("young_parent", "single_parent", "violence")

    def build(b: Builder) -> None:
        for i, (n, concern, request) in enumerate(combos):
            b.family(f"X{i}")
            b.screening(f"X{i}", "2026-08-01", factor_codes[:n], concern, request)

    fill(vault, build)
    for threshold in range(1, 5):
        set_current_policy(Policy(locked={"screening_threshold": threshold}))
        expected = sum(screening_positive(n, c, r, threshold) for n, c, r in combos)
        assert q3(vault).totals["screenings_positive"] == expected, threshold


# --- closures and referral modes ---------------------------------------------------------


def test_closures_by_reason(case_vault: Vault) -> None:
    figures = q3(case_vault)
    # C1 (first day), C2 (last day), C3, C5; not C4 (the day after).
    assert figures.totals["families_closed"] == 4
    reasons = figures.breakdowns["closures_by_reason"]
    assert nonzero(reasons) == {"completed": 1, "handed_over": 1, "declined": 1, "unknown": 1}
    assert list(reasons)[-1] == "unknown"


def test_referrals_by_mode(case_vault: Vault) -> None:
    modes = q3(case_vault).breakdowns["referrals_by_mode"]
    # The one made the day after the period (contact_made) is not counted.
    assert modes == {
        "information": 1,
        "contact_made": 0,
        "accompanied": 1,
        "other": 0,
        "unknown": 1,
    }


# --- medians -----------------------------------------------------------------------------


def test_median_days_to_first_contact(case_vault: Vault) -> None:
    figures = q3(case_vault)
    # New in Q3 with an identified date on or before the first counselling contact:
    # S1 6 days, S4 5, S5 5, N1 234. Not S7 (identified after its first contact), not O1
    # (not new), not S3 (first contact after the period), not the ones without a date.
    assert figures.distributions["median_days_to_first_contact"] == {5: 2, 6: 1, 234: 1}
    # Even count: the mean of the two middle values (5 and 6).
    assert figures.totals["median_days_to_first_contact"] == 5.5


def test_median_support_days(case_vault: Vault) -> None:
    figures = q3(case_vault)
    # C1 181 days (from its first counselling contact ever), C2 0 (first counselled on the
    # closing day), C5 12 (its earlier no-show is no counselling). C3 was counselled only
    # after closing; C4 closed after the period.
    assert figures.distributions["median_support_days"] == {0: 1, 12: 1, 181: 1}
    assert figures.totals["median_support_days"] == 12.0  # odd count: the middle value


def test_medians_are_empty_without_families(vault: Vault) -> None:
    def build(b: Builder) -> None:
        b.family("X", closed="2026-08-01", closure_reason="completed")  # never counselled
        b.family("Y")  # new in Q3, but no identified date
        b.contact("Y", "2026-08-01")

    fill(vault, build)
    figures = q3(vault)
    assert figures.totals["families_closed"] == 1
    assert figures.totals["median_days_to_first_contact"] is None
    assert figures.totals["median_support_days"] is None
    assert figures.distributions == {
        "median_days_to_first_contact": {},
        "median_support_days": {},
    }
    assert q3(vault) != empty_figures()


def test_median_helper() -> None:
    assert median_days({}) is None
    assert median_days({7: 0}) is None
    assert median_days({7: 1}) == 7.0
    assert median_days({1: 1, 2: 1}) == 1.5
    assert median_days({1: 1, 4: 1, 100: 1}) == 4.0  # odd: the middle value
    assert median_days({3: 2, 10: 2}) == 6.5  # even: the mean of the middle two
    assert median_days({0: 3, 9: 1}) == 0.0
    assert median_days({2: 1, 5: 1, 6: 1, 7: 1}) == 5.5
    # Keys in any order: the distribution is sorted by days.
    assert median_days({9: 1, 1: 1, 5: 1}) == 5.0


def test_rounding_is_half_away_from_zero() -> None:
    # Python's round() rounds half to even (2.25 -> 2.2); the contract says away from 0.
    assert round(2.25, 1) == 2.2
    assert round_half_away(2.25) == 2.3
    assert round_half_away(-2.25) == -2.3
    assert round_half_away(0.05) == 0.1
    assert round_half_away(2.35) == 2.4
    assert round_half_away(2.349) == 2.3
    assert round_half_away(Decimal("12.45")) == 12.5
    assert round_half_away(7) == 7.0
