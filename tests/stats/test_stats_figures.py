"""Every rule of statistics.md on a small hand-made case with its expected numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete

from lotse import i18n
from lotse.catalogues import Catalogue
from lotse.db.models import Family
from lotse.policy import Policy, set_current_policy
from lotse.stats.figures import Figures, compute_figures, empty_figures, figures_for_period
from lotse.stats.keys import BREAKDOWN_KEYS, TOTAL_KEYS, breakdown_codes, code_label
from lotse.stats.period import parse_period
from lotse.stats.periods_closed import close_period
from lotse.vault import Vault
from tests.stats.builders import Builder, d, fill, reference_records

Q3 = parse_period("2026-Q3")


@pytest.fixture
def ref_vault(vault: Vault) -> Vault:
    fill(vault, reference_records)
    return vault


def q3(vault: Vault) -> Figures:
    with vault.session() as session:
        return compute_figures(session, Q3)


def test_totals_of_the_reference_case(ref_vault: Vault) -> None:
    assert q3(ref_vault).totals == {
        # A on the first and on the last day, B, D; not A's contact on 10-01 or 06-30.
        "counselling_contacts": 4,
        # 30 + (missing: 0) + 45 + 20
        "counselling_minutes": 95,
        # C's no-show in the period; D's lies before it.
        "no_shows": 1,
        # A, B, D; C had only a no-show in the period.
        "families_reached": 3,
        # B and D; A had counselling on 06-30. D's earlier no-show does not count.
        "new_families": 2,
        "adults_reached": 2 + 1 + 2,
        # A: 1 year (birthday on the last day) and 6; B: 0; D: 18 (birthday on the last
        # day) and 17 (birthday the day after).
        "children_reached": 5,
        # A's child due the day after the period.
        "expected_children": 1,
        # G1 on the first and last day; G2's sessions all lie outside.
        "group_offers": 1,
        "group_sessions": 2,
        "group_participants_adults": 5 + 3,
        "group_participants_children": 7 + 2,
        "referrals": 3,
        "referrals_arrived": 1,
        # No screening, no closure, no identified date: the casework figures are empty.
        "screenings": 0,
        "screenings_positive": 0,
        "screenings_positive_reached": 0,
        "families_closed": 0,
        "median_days_to_first_contact": None,
        "median_support_days": None,
    }


def test_breakdowns_of_the_reference_case(ref_vault: Vault) -> None:
    b = q3(ref_vault).breakdowns
    nonzero = {key: {c: n for c, n in cells.items() if n} for key, cells in b.items()}
    assert nonzero == {
        "families_by_district": {"ost": 1, "sterkrade_nord": 1, "unknown": 1},
        "families_by_access_route": {"kita": 1, "birth_clinic": 1, "unknown": 1},
        "families_by_sgb2": {"yes": 1, "no": 1, "unknown": 1},
        "children_by_age_band": {"0": 1, "1-2": 1, "6-9": 1, "15-17": 1, "18+": 1},
        "contacts_by_kind": {
            "first_contact": 1,
            "counselling": 1,
            "home_visit": 1,
            "accompaniment": 1,
        },
        # A contact with two topics counts under each; the one without under "none".
        "contacts_by_topic": {"finances": 2, "housing": 1, "health": 1, "none": 1},
        "referrals_by_target": {"early_help": 2, "jobcenter": 1},
        "referrals_by_status": {"arrived": 1, "not_arrived": 1, "arranged": 1},
        # Referrals without a mode count under "unknown".
        "referrals_by_mode": {"unknown": 3},
        "closures_by_reason": {},
        "screening_factors": {},
    }


def test_every_catalogue_code_appears_in_order(ref_vault: Vault) -> None:
    figures = q3(ref_vault)
    assert list(figures.totals) == list(TOTAL_KEYS)
    assert list(figures.breakdowns) == list(BREAKDOWN_KEYS)
    for key, codes in breakdown_codes().items():
        assert tuple(figures.breakdowns[key]) == codes
    assert "unknown" in figures.breakdowns["families_by_district"]
    assert "unknown" in figures.breakdowns["families_by_access_route"]
    assert "no_show" not in figures.breakdowns["contacts_by_kind"]


def test_arrival_share(ref_vault: Vault) -> None:
    assert q3(ref_vault).arrival_share() == 0.5
    assert empty_figures().arrival_share() is None


def test_previous_quarter_counts_its_own_boundaries(ref_vault: Vault) -> None:
    with ref_vault.session() as session:
        figures = compute_figures(session, parse_period("2026-Q2"))
    t = figures.totals
    assert t["counselling_contacts"] == 2  # A on the last day (06-30), C on 05-01
    assert t["no_shows"] == 1
    assert t["families_reached"] == 2
    assert t["new_families"] == 2  # both first counselled in Q2
    # On 06-30: A's children are 0 and 5 (6th birthday the day after), C's is 7.
    assert t["children_reached"] == 3
    assert t["expected_children"] == 1
    bands = {c: n for c, n in figures.breakdowns["children_by_age_band"].items() if n}
    assert bands == {"0": 1, "3-5": 1, "6-9": 1}
    assert (t["group_offers"], t["group_sessions"]) == (2, 2)
    assert (t["referrals"], t["referrals_arrived"]) == (1, 1)


def test_month_year_and_range_periods(ref_vault: Vault) -> None:
    with ref_vault.session() as session:
        july = compute_figures(session, parse_period("2026-07"))
        year = compute_figures(session, parse_period("2026"))
        last_day = compute_figures(session, parse_period("2026-09-30..2026-09-30"))
    assert july.totals["counselling_contacts"] == 1
    assert july.totals["families_reached"] == 1
    assert july.totals["new_families"] == 0
    # The whole year: every counselling contact, all four families reached.
    assert year.totals["counselling_contacts"] == 7
    assert year.totals["families_reached"] == 4
    assert year.totals["new_families"] == 4
    # On 2026-12-31 A's expected child (due 10-01) is born: 0 years.
    assert year.totals["expected_children"] == 0
    assert last_day.totals["counselling_contacts"] == 1
    assert last_day.totals["group_sessions"] == 1


def test_a_child_born_the_day_after_is_expected_not_reached(vault: Vault) -> None:
    def build(b: Builder) -> None:
        b.family("X", adults=1, children=("2026-10-01", "2026-09-30"))
        b.contact("X", "2026-07-02")

    fill(vault, build)
    t = q3(vault).totals
    assert (t["children_reached"], t["expected_children"]) == (1, 1)


def test_unknown_code_keeps_its_own_cell(vault: Vault) -> None:
    def build(b: Builder) -> None:
        b.family("X", district="lirich", access_route="hospital")
        b.contact("X", "2026-07-02", topics=("finances", "gardening"))

    fill(vault, build)
    figures = q3(vault)
    cells = figures.breakdowns["families_by_district"]
    assert cells["lirich"] == 1
    assert sum(cells.values()) == 1
    assert list(cells)[-1] == "lirich"  # after the catalogue's codes
    assert figures.breakdowns["families_by_access_route"]["hospital"] == 1
    topics = figures.breakdowns["contacts_by_topic"]
    assert (topics["finances"], topics["gardening"], topics["none"]) == (1, 1, 0)


def test_a_received_familys_records_up_to_its_handover_are_the_senders(vault: Vault) -> None:
    def received(b: Builder, name: str, day: str, **kwargs: object) -> None:
        family = b.family(name, **kwargs)  # type: ignore[arg-type]
        family.origin_service, family.origin_date = "Klinik Nord", d(day)

    def build(b: Builder) -> None:
        # R: handed over on 08-10; only the contact of 08-11 and later are this vault's.
        received(b, "R", "2026-08-10", adults=2, children=("2020-01-01",))
        b.contact("R", "2026-05-02", "counselling")
        b.contact("R", "2026-07-15", "counselling", 30, ("health",))
        b.contact("R", "2026-08-01", "no_show")
        b.contact("R", "2026-08-10", "home_visit", 20)  # the handover day: the sender's
        b.contact("R", "2026-08-11", "counselling", 45, ("housing",))
        b.referral("R", "2026-08-10", "early_help", "arrived")
        b.referral("R", "2026-09-01", "jobcenter", "arranged")
        b.screening("R", "2026-08-05", ("young_parent", "financial_strain"))
        # S: counselled in the period only by the sender; screened here afterwards.
        received(b, "S", "2026-08-10")
        b.contact("S", "2026-07-20", "counselling", 60)
        b.screening("S", "2026-08-20")
        # T: handed over before the period and counselled here before it: not new.
        received(b, "T", "2026-03-01")
        b.contact("T", "2026-04-01", "counselling")
        b.contact("T", "2026-07-05", "phone", 10)
        # N: never handed over; new.
        b.family("N")
        b.contact("N", "2026-07-20", "counselling", 15)

    fill(vault, build)
    figures = q3(vault)
    t = figures.totals
    assert (t["counselling_contacts"], t["counselling_minutes"], t["no_shows"]) == (3, 70, 0)
    topics = figures.breakdowns["contacts_by_topic"]
    assert (topics["housing"], topics["health"], topics["none"]) == (1, 0, 2)
    assert (t["families_reached"], t["new_families"], t["adults_reached"]) == (3, 2, 4)
    assert t["children_reached"] == 1
    assert (t["referrals"], t["referrals_arrived"]) == (1, 0)
    assert (t["screenings"], t["screenings_positive"]) == (1, 0)


def test_days_to_first_contact_count_this_vaults_own_first_contact(vault: Vault) -> None:
    """As for new_families: a received family's first contact here is the first of this
    vault's own; one counselled in the period only by the sender is not in the median."""

    def build(b: Builder) -> None:
        r = b.family("R", identified="2026-07-01")
        r.origin_service, r.origin_date = "Klinik Nord", d("2026-08-10")
        b.contact("R", "2026-07-05", "counselling")  # the sender's (4 days)
        b.contact("R", "2026-08-21", "counselling")  # this vault's first (51 days)
        s = b.family("S", identified="2026-07-01")
        s.origin_service, s.origin_date = "Klinik Nord", d("2026-08-10")
        b.contact("S", "2026-07-11", "counselling")  # only the sender's (10 days)
        b.family("N", identified="2026-07-01")
        b.contact("N", "2026-07-03", "counselling")  # 2 days

    fill(vault, build)
    figures = q3(vault)
    assert figures.distributions["median_days_to_first_contact"] == {2: 1, 51: 1}
    assert figures.totals["new_families"] == 2


def test_districts_catalogue_of_the_organisation(vault: Vault) -> None:
    def build(b: Builder) -> None:
        b.family("X", district="nord")
        b.contact("X", "2026-07-02")

    fill(vault, build)
    catalogue = Catalogue("district", (("nord", "Nord"), ("sued", "Süd")))
    with vault.session() as session:
        figures = compute_figures(session, Q3, catalogue)
    assert figures.breakdowns["families_by_district"] == {"nord": 1, "sued": 0, "unknown": 0}


def test_empty_vault_gives_zeros(vault: Vault) -> None:
    assert q3(vault) == empty_figures()


def test_closed_period_keeps_its_figures(ref_vault: Vault) -> None:
    before = q3(ref_vault)
    with ref_vault.transaction() as session:
        close_period(session, Q3, today=dt.date(2026, 11, 1))
    with ref_vault.transaction() as session:
        session.execute(delete(Family).where(Family.code == "T-A"))  # family A erased
    with ref_vault.session() as session:
        assert compute_figures(session, Q3).totals["families_reached"] == 2
        assert figures_for_period(session, Q3) == before
        # The same dates under another name are the same closed period.
        same = parse_period("2026-07-01..2026-09-30")
        assert figures_for_period(session, same) == before
        # Another period is still counted from the records.
        assert figures_for_period(session, parse_period("2026-08")).totals["families_reached"] == 1


def test_code_labels_are_translated() -> None:
    assert code_label("families_by_district", "unknown") == "Unbekannt"
    assert code_label("contacts_by_topic", "none") == "Ohne Thema"
    assert code_label("families_by_district", "ost") == "Oberhausen-Ost"
    assert code_label("referrals_by_status", "arrived") == "Angekommen"
    assert code_label("families_by_district", "lirich") == "lirich"  # outside the catalogue
    i18n.set_language("en")
    assert code_label("contacts_by_topic", "none") == "No topic"
    assert code_label("families_by_sgb2", "unknown") == "Unknown"


def test_age_bands_around_leap_days(vault: Vault) -> None:
    def build(b: Builder) -> None:
        b.family(
            "X",
            children=("2027-02-28", "2027-03-01", "2024-02-29", "2010-02-28", "2010-03-01"),
        )
        b.contact("X", "2027-02-10")
        b.contact("X", "2028-02-10")

    fill(vault, build)
    with vault.session() as session:
        feb_2028 = compute_figures(session, parse_period("2028-02"))  # ends on the 29th
        feb_2027 = compute_figures(session, parse_period("2027-02"))  # ends on the 28th
    bands = feb_2028.breakdowns["children_by_age_band"]
    # On 2028-02-29: 1, 0, 4 (a leap-day birthday), 18, 17.
    assert {c: n for c, n in bands.items() if n} == {
        "0": 1,
        "1-2": 1,
        "3-5": 1,
        "15-17": 1,
        "18+": 1,
    }
    bands = feb_2027.breakdowns["children_by_age_band"]
    # On 2027-02-28: born that day 0, the next day expected; born 2024-02-29 is 2 (the
    # birthday has not come yet); 17 and 16.
    assert {c: n for c, n in bands.items() if n} == {"0": 1, "1-2": 1, "15-17": 2}
    assert feb_2027.totals["expected_children"] == 1


def test_districts_from_the_policy(vault: Vault) -> None:
    set_current_policy(Policy(defaults={"districts": [["nord", "Nord"], ["sued", "Süd"]]}))

    def build(b: Builder) -> None:
        b.family("X", district="sued")
        b.contact("X", "2026-07-02")

    fill(vault, build)
    assert q3(vault).breakdowns["families_by_district"] == {"nord": 0, "sued": 1, "unknown": 0}
