"""Suppression for publication (statistics.md, "Anonymity"): hand-made cases and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.errors import BadInputError
from lotse.stats.figures import Figures
from lotse.stats.suppression import suppress, suppress_cells, unpublished

N = None


def cells(*values: int) -> dict[str, int]:
    return {f"c{i}": v for i, v in enumerate(values)}


def shown(*values: int, k: int = 3) -> list[int | None]:
    return list(suppress_cells(cells(*values), k).values())


@pytest.mark.parametrize(
    ("values", "k", "expected"),
    [
        # Nothing small: nothing suppressed; 0 is shown as 0; k itself is shown.
        ((0, 0, 5), 3, [0, 0, 5]),
        ((3, 4, 5), 3, [3, 4, 5]),
        ((0, 0, 0), 3, [0, 0, 0]),
        # Primary 1 and 2, then secondary: one suppressed cell alone would be known
        # from the total, so the smallest shown non-zero cell goes too.
        ((0, 1, 5, 7), 3, [0, N, N, 7]),
        ((2, 9, 4), 3, [N, 9, N]),
        # Ties: the first in catalogue order.
        ((1, 4, 4, 9), 3, [N, N, 4, 9]),
        ((4, 1, 4), 3, [N, N, 4]),
        # Two suppressed cells adding up to 2 < k + 1: both could be pinned to 1.
        ((1, 1, 0, 5, 6), 3, [N, N, 0, N, 6]),
        # Two suppressed cells adding up to 4 = k + 1: each may be 3, not pinned.
        ((2, 2, 7), 3, [N, N, 7]),
        ((1, 2, 1, 8), 3, [N, N, N, N]),  # 4 < 3 + 2, then 8 joins: 12 >= 3 + 3
        ((1, 2, 1, 8, 9), 3, [N, N, N, N, 9]),
        # A higher k from policy.
        ((4, 10, 10), 5, [N, N, 10]),
        ((4, 4, 10), 5, [N, N, 10]),  # 8 >= 5 + 1
        ((3, 6, 10), 4, [N, N, 10]),
        # Running out of cells: everything is suppressed.
        ((2, 0, 0), 3, [N, N, N]),
        ((1, 1), 3, [N, N]),
        ((1, 1, 1), 3, [N, N, N]),
        ((2,), 3, [N]),
        ((0, 2, 0), 3, [N, N, N]),
    ],
)
def test_rules(values: tuple[int, ...], k: int, expected: list[int | None]) -> None:
    assert shown(*values, k=k) == expected


def test_totals_unchanged_and_breakdowns_each_on_their_own() -> None:
    figures = Figures(
        totals={"families_reached": 8, "referrals": 2},
        breakdowns={"a": cells(1, 7), "b": cells(4, 4), "c": cells(2)},
    )
    published = suppress(figures, 3)
    assert published.totals == figures.totals
    assert published.breakdowns == {
        "a": {"c0": None, "c1": None},
        "b": {"c0": 4, "c1": 4},
        "c": {"c0": None},
    }
    assert published.threshold == 3
    # The exact figures are not changed.
    assert figures.breakdowns["a"] == {"c0": 1, "c1": 7}


@pytest.mark.parametrize("k", [2, 1, 0, -3])
def test_threshold_below_three_is_refused(k: int) -> None:
    with pytest.raises(BadInputError) as error:
        suppress(Figures({}, {"a": cells(1, 5)}), k)
    assert "mindestens 3" in error.value.message


# --- properties -----------------------------------------------------------------------


def feasible_values(total: int, parts: int, low: int) -> dict[int, set[int]]:
    """For each value v, whether ``parts`` cells each >= ``low`` can add up to ``total``
    with one of them equal to v: brute-force reachable sums, cell by cell."""
    # reachable[n] = sums that n cells (each low..total) can make
    reachable: list[set[int]] = [{0}]
    for _ in range(parts):
        reachable.append(
            {s + v for s in reachable[-1] for v in range(low, total + 1) if s + v <= total}
        )
    others = reachable[parts - 1]
    return {v: {v} for v in range(low, total + 1) if total - v in others}


def can_be_at_least(k: int, total: int, parts: int, low: int) -> bool:
    """Whether a reader who knows the sum ``total`` of ``parts`` hidden cells (each
    >= ``low``) must admit that any one of them may be k or more."""
    return any(v >= k for v in feasible_values(total, parts, low))


breakdown = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=7)


@settings(max_examples=400, deadline=None)
@given(values=breakdown, k=st.integers(min_value=3, max_value=6))
def test_published_never_shows_small_cells_nor_lets_them_be_pinned(
    values: list[int], k: int
) -> None:
    published = suppress_cells(cells(*values), k)
    exact = cells(*values)
    hidden = [c for c, v in published.items() if v is None]
    # Shown cells are the exact counts, and never 1..k-1.
    for code, value in published.items():
        if value is not None:
            assert value == exact[code]
            assert not 1 <= value < k
    if not hidden:
        return
    # What a reader knows: the total (shown as is) and every shown cell.
    total = sum(values)
    rest = total - sum(v for v in published.values() if v is not None)
    if len(hidden) < len(values):
        # Partly suppressed: each hidden cell is >= 1 (0 is shown), and none can be
        # pinned to a value below k.
        assert all(exact[c] >= 1 for c in hidden)
        assert can_be_at_least(k, rest, len(hidden), low=1)
    else:
        # Everything suppressed: only because of a small cell. Then either the non-zero
        # cells are protected, or nothing could protect them (every non-zero cell is
        # already hidden, the most any suppression can do: the total gives them away).
        assert any(1 <= v < k for v in values)
        nonzero = [v for v in values if v > 0]
        protected = can_be_at_least(k, total, len(nonzero), low=1)
        unavoidable = len(nonzero) == 1 or total < k + len(nonzero) - 1
        assert protected or unavoidable


@settings(max_examples=200, deadline=None)
@given(values=breakdown, k=st.integers(min_value=3, max_value=6))
def test_suppression_is_minimal_for_unproblematic_breakdowns(values: list[int], k: int) -> None:
    """A breakdown without small cells is published unchanged."""
    if any(1 <= v < k for v in values):
        return
    assert list(suppress_cells(cells(*values), k).values()) == values


# --- rule 4: the totals that would give a suppressed cell away ------------------------------


def with_referrals(arrived: int, not_arrived: int, **distributions: dict[int, int]) -> Figures:
    status = {"suggested": 4, "arranged": 0, "arrived": arrived, "not_arrived": not_arrived}
    figures = Figures(
        totals={"referrals": 4 + arrived + not_arrived, "referrals_arrived": arrived},
        breakdowns={"referrals_by_status": status | {"declined": 0}},
        distributions=distributions,
    )
    figures.take_medians()
    return figures


def test_referrals_arrived_is_suppressed_with_its_cell() -> None:
    hidden = suppress(with_referrals(arrived=2, not_arrived=5), 3)
    assert hidden.breakdowns["referrals_by_status"]["arrived"] is None
    assert hidden.totals["referrals_arrived"] is None
    assert hidden.is_suppressed("referrals_arrived")
    assert hidden.totals["referrals"] == 11  # the other totals stay
    shown = suppress(with_referrals(arrived=5, not_arrived=0), 3)
    assert shown.totals["referrals_arrived"] == 5
    assert not shown.is_suppressed("referrals_arrived")


@pytest.mark.parametrize(
    ("arrived", "not_arrived", "share"),
    [
        (2, 5, None),  # arrived suppressed
        (5, 2, None),  # not_arrived suppressed
        (6, 3, 6 / 9),  # both shown
        (0, 0, None),  # nothing decided: no share at all
        (5, 0, 1.0),  # 0 is shown as 0
    ],
)
def test_arrival_share_is_empty_when_arrived_or_not_arrived_is_suppressed(
    arrived: int, not_arrived: int, share: float | None
) -> None:
    figures = with_referrals(arrived, not_arrived)
    assert suppress(figures, 3).arrival_share == share
    # Unpublished: the exact share whenever there is a denominator.
    exact = None if arrived + not_arrived == 0 else arrived / (arrived + not_arrived)
    assert unpublished(figures, 3).arrival_share == exact


@pytest.mark.parametrize(
    ("days", "k", "suppressed", "shown"),
    [
        ({4: 1, 9: 1}, 3, True, None),  # two families < 3
        ({4: 1, 9: 2}, 3, False, 9.0),  # three families: shown
        ({4: 2, 9: 2}, 5, True, None),  # four families < 5 (policy's k)
        ({}, 3, False, None),  # no family: empty, nothing to hide
    ],
)
def test_a_median_of_fewer_than_k_families_is_suppressed(
    days: dict[int, int], k: int, suppressed: bool, shown: float | None
) -> None:
    figures = with_referrals(5, 5, median_support_days=days, median_days_to_first_contact={1: 9})
    published = suppress(figures, k)
    assert published.is_suppressed("median_support_days") is suppressed
    assert published.totals["median_support_days"] == shown
    assert published.totals["median_days_to_first_contact"] == 1.0
    assert not published.is_suppressed("median_days_to_first_contact")
    # Internal reports show every median exactly.
    internal = unpublished(figures, k)
    assert internal.suppressed_totals == frozenset()
    assert internal.totals["median_support_days"] == figures.totals["median_support_days"]
