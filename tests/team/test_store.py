"""Statistics packages: signed aggregates from many vaults, received and merged by a team
lead in her vault's store (the rules both stores share; PostgreSQL: test_pg_store.py)."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.crypto import kdf
from lotse.db.models import Secret, StatisticsPackage
from lotse.errors import BadInputError
from lotse.report.model import data_from_figures
from lotse.stats.figures import Figures, compute_figures
from lotse.stats.keys import ADDED_IN_V2
from lotse.stats.packages import (
    SIGNING_KEY_SETTING,
    canonical,
    make_package,
    read_package,
    signing_key,
)
from lotse.stats.period import Period, parse_period
from lotse.stats.suppression import suppress
from lotse.team.store import merge, receive, vault_store
from lotse.vault import Vault, create_vault
from tests.conftest import PASSPHRASE
from tests.stats.builders import Builder, casework_records, fill, reference_records

Q3 = parse_period("2026-Q3")


def merged_of(session: Session, period: Period) -> tuple[Figures, int]:
    result = merge(vault_store(session), period)
    return result.figures, len(result.sources)


@pytest.fixture
def three(tmp_path: Path) -> Iterator[tuple[Vault, Vault, Vault]]:
    """Navigators A and B (with records) and team lead C (empty)."""
    vaults = tuple(create_vault(tmp_path / n, PASSPHRASE, kdf.TEST_PARAMS) for n in "abc")
    fill(vaults[0], reference_records)

    def other(b: Builder) -> None:
        for n in range(10):
            district = "ost" if n < 4 else "sterkrade_nord" if n < 7 else None
            b.family(f"X{n}", adults=1, district=district, sgb2=True)
            b.contact(f"X{n}", "2026-08-01", "phone", 15, ("finances",))

    fill(vaults[1], other)
    yield vaults  # type: ignore[misc]
    for v in vaults:
        v.close()


def export(vault: Vault, folder: Path, name: str) -> Path:
    with vault.transaction() as session:
        package = make_package(session, vault.vault_id, Q3)
    path = folder / name
    path.write_text(json.dumps(package), "utf-8")
    return path


def test_merge_adds_key_by_key_then_suppresses(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, b, c = three
    pa, pb = export(a, tmp_path, "a.json"), export(b, tmp_path, "b.json")
    with c.transaction() as session:
        summary = receive(vault_store(session), [read_package(pa), read_package(pb)], Q3)
    assert (summary.added, summary.replaced) == (2, 0)
    with c.session() as session:
        merged, count = merged_of(session, Q3)
    assert count == 2
    assert merged.totals["families_reached"] == 3 + 10
    assert merged.totals["counselling_contacts"] == 4 + 10
    assert merged.breakdowns["contacts_by_topic"]["finances"] == 2 + 10
    districts = {"ost": 1 + 4, "sterkrade_nord": 1 + 3, "unknown": 1 + 3}
    assert {c: n for c, n in merged.breakdowns["families_by_district"].items() if n} == districts
    # Suppression after merging: A's districts alone would all be hidden; merged, each
    # is at least k and shown.
    with a.session() as session:
        alone = suppress(compute_figures(session, Q3), 3).breakdowns["families_by_district"]
    assert alone["ost"] is None
    published = suppress(merged, 3).breakdowns["families_by_district"]
    assert {c: published[c] for c in districts} == districts


def test_same_package_again_replaces_no_double_counting(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, _b, c = three
    pa = export(a, tmp_path, "a.json")
    again = export(a, tmp_path, "a-again.json")  # newly signed, same figures
    with c.transaction() as session:
        receive(vault_store(session), [read_package(pa), read_package(pa)], Q3)
    with c.transaction() as session:
        summary = receive(vault_store(session), [read_package(again)], Q3)
    assert (summary.added, summary.replaced) == (0, 1)
    with c.session() as session:
        merged, count = merged_of(session, Q3)
        assert count == 1
        assert len(session.scalars(select(StatisticsPackage)).all()) == 1
    assert merged.totals["families_reached"] == 3


def test_same_package_under_another_spelling_of_the_period_replaces(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    """2026-Q3 and 2026-07-01..2026-09-30 are one period (found in review: counted twice)."""
    a, _b, c = three
    pa = export(a, tmp_path, "a.json")
    as_range = parse_period("2026-07-01..2026-09-30")
    with c.transaction() as session:
        receive(vault_store(session), [read_package(pa)], Q3)
    with c.transaction() as session:
        summary = receive(vault_store(session), [read_package(pa)], as_range)
    assert (summary.added, summary.replaced) == (0, 1)
    with c.session() as session:
        merged, count = merged_of(session, as_range)
    assert count == 1
    assert merged.totals["families_reached"] == 3


def test_different_figures_for_the_same_vault_are_a_conflict(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, b, c = three
    first = export(a, tmp_path, "a1.json")

    def more(builder: Builder) -> None:
        builder.family("late", adults=2)
        builder.contact("late", "2026-09-01")

    fill(a, more)
    second = export(a, tmp_path, "a2.json")
    pb = export(b, tmp_path, "b.json")
    # Both in one go: refused, nothing stored.
    with pytest.raises(BadInputError) as error, c.transaction() as session:
        receive(
            vault_store(session), [read_package(first), read_package(pb), read_package(second)], Q3
        )
    assert "Konflikt" in error.value.details[0] and "a1.json" in error.value.details[0]
    with c.session() as session:
        assert session.scalars(select(StatisticsPackage)).all() == []
    # One after the other: the stored one stays, the new one is refused.
    with c.transaction() as session:
        receive(vault_store(session), [read_package(first)], Q3)
    with pytest.raises(BadInputError) as error, c.transaction() as session:
        receive(vault_store(session), [read_package(second)], Q3)
    assert "schon mit anderen Zahlen" in error.value.details[0]
    with c.session() as session:
        assert merged_of(session, Q3)[0].totals["families_reached"] == 3


def test_tampered_or_foreign_packages_are_refused(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, b, c = three
    pa = export(a, tmp_path, "a.json")
    obj = json.loads(pa.read_text("utf-8"))
    obj["figures"]["totals"]["families_reached"] += 1
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(obj), "utf-8")
    with pytest.raises(BadInputError, match="Signatur"):
        read_package(forged)
    for text, words in [("{", "kein JSON"), ('{"format": "x"}', "unbekanntes Format")]:
        bad = tmp_path / "bad.json"
        bad.write_text(text, "utf-8")
        with pytest.raises(BadInputError, match=words):
            read_package(bad)
    with pytest.raises(BadInputError, match=r"missing\.json gibt es nicht"):
        read_package(tmp_path / "missing.json")
    # B signs a package claiming to be A: validly signed, but not with A's pinned key.
    with c.transaction() as session:
        receive(vault_store(session), [read_package(pa)], Q3)
    with b.transaction() as session:
        impostor = make_package(session, a.vault_id, Q3)
    fake = tmp_path / "fake.json"
    fake.write_text(json.dumps(impostor), "utf-8")
    with pytest.raises(BadInputError) as error, c.transaction() as session:
        receive(vault_store(session), [read_package(fake)], Q3)
    assert "anderen Schlüssel" in error.value.details[0]
    # A package of another period.
    with pytest.raises(BadInputError) as error, c.transaction() as session:
        receive(vault_store(session), [read_package(pa)], parse_period("2026-Q2"))
    assert "gilt für 2026-Q3" in error.value.details[0]


def test_package_holds_aggregates_only_and_key_stays_in_vault(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, _b, _c = three
    text = export(a, tmp_path, "a.json").read_text("utf-8")
    package = json.loads(text)
    assert set(package) == {
        "format",
        "vault",
        "period",
        "created",
        "navigator",
        "figures",
        "public_key",
        "signature",
    }
    # The navigator as the profile says (nothing set here: empty, never personal data).
    assert set(package["navigator"]) == {
        "navigator_name",
        "organisation",
        "site",
        "service_line",
        "service_line_other",
    }
    assert "T-A" not in text
    with a.session() as session:
        assert package["figures"] == compute_figures(session, Q3).to_dict()
        key = session.get(Secret, SIGNING_KEY_SETTING)
        assert key is not None and key.value not in text
    # The same key signs every package of this vault.
    assert (
        json.loads(export(a, tmp_path, "b.json").read_text("utf-8"))["public_key"]
        == (package["public_key"])
    )


# --- casework figures and medians (issue 10) ------------------------------------------------


def test_medians_merge_by_their_distributions(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, b, c = three
    fill(a, casework_records)  # days to first contact 5, 5, 6, 234: median 5.5

    def quick(builder: Builder) -> None:
        for n, identified in enumerate(("2026-07-31", "2026-07-30")):
            builder.family(f"Q{n}", identified=identified)
            builder.contact(f"Q{n}", "2026-08-01", "first_contact")  # 1 and 2 days

    fill(b, quick)
    pa, pb = export(a, tmp_path, "a.json"), export(b, tmp_path, "b.json")
    carried = json.loads(pa.read_text("utf-8"))["figures"]
    assert carried["version"] == 2
    assert carried["distributions"]["median_days_to_first_contact"] == {"5": 2, "6": 1, "234": 1}
    assert carried["totals"]["median_days_to_first_contact"] == 5.5
    with c.transaction() as session:
        receive(vault_store(session), [read_package(pa), read_package(pb)], Q3)
    with c.session() as session:
        merged, _count = merged_of(session, Q3)
    # 1, 2, 5, 5, 6, 234: the median of the merged days (5.0), not the mean of the
    # navigators' medians (5.5 and 1.5).
    assert merged.distributions["median_days_to_first_contact"] == {1: 1, 2: 1, 5: 2, 6: 1, 234: 1}
    assert merged.totals["median_days_to_first_contact"] == 5.0
    assert merged.distributions["median_support_days"] == {0: 1, 12: 1, 181: 1}
    assert merged.totals["median_support_days"] == 12.0
    assert merged.totals["screenings"] == 5
    assert merged.totals["families_closed"] == 4
    assert merged.breakdowns["screening_factors"]["financial_strain"] == 2
    assert not merged.absent


def resign_as_version_1(vault: Vault, package: dict[str, Any]) -> dict[str, Any]:
    """``package`` as an older Lotse wrote it (figures version 1, no casework figures),
    signed again with ``vault``'s key."""
    old = copy.deepcopy(package)
    figures = old["figures"]
    figures["version"] = 1
    del figures["distributions"]
    for key in ADDED_IN_V2:
        figures["totals"].pop(key, None)
        figures["breakdowns"].pop(key, None)
    with vault.transaction() as session:
        key = signing_key(session)
    old["signature"] = base64.b64encode(key.sign(canonical(old))).decode("ascii")
    return old


def test_a_package_of_an_older_lotse_still_merges(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, b, c = three
    fill(b, casework_records)
    with a.transaction() as session:
        package = make_package(session, a.vault_id, Q3)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(resign_as_version_1(a, package)), "utf-8")
    read = read_package(old)
    assert read.figures.totals["screenings"] == 0
    assert read.figures.totals["median_support_days"] is None
    # A's three referrals were counted, their mode unknown to that Lotse.
    assert read.figures.breakdowns["referrals_by_mode"]["unknown"] == 3
    assert read.figures.absent == ADDED_IN_V2

    pb = export(b, tmp_path, "b.json")
    with c.transaction() as session:
        receive(vault_store(session), [read, read_package(pb)], Q3)
    with c.session() as session:
        merged, count = merged_of(session, Q3)
        report = data_from_figures(merged, Q3, False, 3, "Team")
    assert count == 2
    assert merged.totals["referrals"] == 3 + 3
    assert merged.breakdowns["referrals_by_mode"] == {
        "information": 1,
        "contact_made": 0,
        "accompanied": 1,
        "other": 0,
        "unknown": 3 + 1,
    }
    assert sum(merged.breakdowns["referrals_by_mode"].values()) == merged.totals["referrals"]
    assert merged.totals["screenings"] == 5  # B's only
    assert merged.totals["median_days_to_first_contact"] == 5.5  # B's distribution only
    assert any("älteren Lotse-Version" in note for note in report.footnotes())


def test_a_package_with_a_negative_day_count_is_refused(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, _b, _c = three
    with a.transaction() as session:
        package = make_package(session, a.vault_id, Q3)
        key = signing_key(session)
    for days, families in (("-3", 1), ("3", -1)):
        bad = copy.deepcopy(package)
        bad["figures"]["distributions"]["median_support_days"] = {days: families}
        bad["signature"] = base64.b64encode(key.sign(canonical(bad))).decode("ascii")
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(bad), "utf-8")
        with pytest.raises(BadInputError, match="negative Zahlen"):
            read_package(path)
    bad["figures"]["totals"]["screenings"] = 2.5  # a count that is no whole number
    bad["figures"]["distributions"]["median_support_days"] = {}
    bad["signature"] = base64.b64encode(key.sign(canonical(bad))).decode("ascii")
    path.write_text(json.dumps(bad), "utf-8")
    with pytest.raises(BadInputError, match="Angaben fehlen"):
        read_package(path)


def _merged(vault: Vault, folder: Path, name: str, sources: list[str]) -> Path:
    from lotse.stats.packages import SourceRef, make_merged_package

    with vault.transaction() as session:
        figures = compute_figures(session, Q3)
        package = make_merged_package(
            session, vault.vault_id, Q3, figures, [SourceRef(s) for s in sources]
        )
    path = folder / name
    path.write_text(json.dumps(package), "utf-8")
    return path


def test_two_merged_packages_sharing_a_navigator_are_refused(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    a, b, c = three
    shared = _merged(c, tmp_path, "c.json", [a.vault_id, "nav-1"])
    other = _merged(b, tmp_path, "b.json", ["nav-1", "nav-2"])
    apart = _merged(b, tmp_path, "b2.json", ["nav-2"])
    with a.transaction() as session:
        lot = [read_package(shared), read_package(other)]
        with pytest.raises(BadInputError) as refused:
            receive(vault_store(session), lot, Q3)
        assert "doppelt gezählt" in " ".join(refused.value.details)
        assert not vault_store(session).held()
        summary = receive(vault_store(session), [read_package(shared), read_package(apart)], Q3)
    assert summary.added == 2
    with a.session() as session:
        held = vault_store(session).held(Q3)
    assert sorted(len(p.sources) for p in held) == [1, 2]


def test_a_merged_package_listing_a_navigator_twice_is_refused(
    three: tuple[Vault, Vault, Vault], tmp_path: Path
) -> None:
    _a, _b, c = three
    path = _merged(c, tmp_path, "c.json", ["nav-1", "nav-1"])
    with pytest.raises(BadInputError, match="Angaben fehlen"):
        read_package(path)
