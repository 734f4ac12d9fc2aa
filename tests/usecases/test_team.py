"""The team's use cases over real vaults: cards, sealed packages, corrections, the report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.crypto import kdf
from lotse.db.models import AuditEntry, Secret, StatisticsPackage
from lotse.errors import BadInputError, LotseError
from lotse.stats.packages import SIGNING_KEY_SETTING, read_package, read_package_file
from lotse.stats.period import parse_period
from lotse.usecases import Profile, VaultAPI
from lotse.vault import Vault, create_vault
from tests.conftest import PASSPHRASE
from tests.stats.builders import Builder, fill

TODAY = dt.date(2026, 8, 15)
Q2 = parse_period("2026-Q2")


def _audit(vault: Vault) -> list[str]:
    with vault.session() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _first_contact(api: VaultAPI, day: int = 4, adults: int = 2) -> None:
    """A new family with one counselling contact in 2026-Q2 (rows as the builders write)."""

    def build(b: Builder) -> None:
        code = f"F{day}-{adults}"
        b.family(code, adults=adults)
        b.contact(code, f"2026-05-{day:02d}", "first_contact", 30)

    fill(api._access.vault, build)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[VaultAPI, VaultAPI, VaultAPI]]:
    """Two navigators (Nora at Klinik Nord, Paul at Kita Süd) and their team lead."""
    apis = []
    for name, site, line in (
        ("Nora", "Klinik Nord", "birth_clinic"),
        ("Paul", "Kita Süd", "kita_family_centre"),
        ("Tanja", "Rathaus", ""),
    ):
        api = VaultAPI.create(tmp_path / name, PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile(name, site, line))
        apis.append(api)
    yield tuple(apis)  # type: ignore[misc]
    for api in apis:
        api.close()


def test_a_package_that_cannot_be_written_leaves_no_key_and_no_log(
    api: VaultAPI, vault: Vault, tmp_path: Path
) -> None:
    _first_contact(api)
    before = _audit(vault)
    with pytest.raises(LotseError):
        api.team.export_package(Q2, tmp_path / "missing" / "q2.json")
    assert _audit(vault) == before
    with vault.session() as s:
        assert s.get(Secret, SIGNING_KEY_SETTING) is None
    out = tmp_path / "q2.json"
    api.team.export_package(Q2, out)
    assert json.loads(out.read_text(encoding="utf-8"))["figures"]["totals"]["families_reached"] == 1
    assert _audit(vault) == [*before, "package_exported"]


def test_a_merge_whose_report_cannot_be_written_keeps_no_package(
    api: VaultAPI, vault: Vault, tmp_path: Path
) -> None:
    _first_contact(api)
    package = tmp_path / "q2.json"
    api.team.export_package(Q2, package)
    packages = [read_package(package)]
    with pytest.raises(LotseError):
        api.team.merge(packages, Q2, "json", tmp_path / "missing" / "r.json")
    with vault.session() as s:
        assert s.scalars(select(StatisticsPackage)).all() == []
    assert "report_written" not in _audit(vault)  # nothing left the vault
    result = api.team.merge(packages, Q2, "json", tmp_path / "r.json")
    assert (result.added, result.replaced, result.packages) == (1, 0, 1)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["totals"]["families_reached"] == 1
    # A merged report leaves the vault as a file: logged, as the vault's own reports are.
    assert _audit(vault)[-1] == "report_written"
    api.team.write_report(Q2, "csv", tmp_path / "r.csv", publish=True)
    assert _audit(vault)[-2:] == ["report_written", "report_written"]


def test_sealed_and_plain_packages_merge_and_the_report_names_them(
    team: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paul, tanja = team
    _first_contact(nora)
    _first_contact(paul, 5, adults=1)
    _first_contact(paul, 6, adults=3)
    lead_card = tanja.team.own_card()
    nora.team.export_package(Q2, tmp_path / "nora.lotse", to=lead_card)
    paul.team.export_package(Q2, tmp_path / "paul.json")
    sealed_text = (tmp_path / "nora.lotse").read_text("utf-8")
    assert "families_reached" not in sealed_text and "Nora" not in sealed_text
    found = [read_package_file(tmp_path / n) for n in ("nora.lotse", "paul.json")]
    packages = tanja.team.open_packages(found)
    assert [p.about("navigator_name") for p in packages] == ["Nora", "Paul"]
    result = tanja.team.merge(packages, Q2, "json", tmp_path / "team.json")
    assert (result.added, result.packages) == (2, 2)
    report = json.loads((tmp_path / "team.json").read_text("utf-8"))
    assert report["totals"]["families_reached"] == 3
    assert report["totals"]["adults_reached"] == 2 + 1 + 3
    assert [(p["navigator"], p["site"], p["service_line"]) for p in report["packages"]] == [
        ("Nora", "Klinik Nord", "Lotsendienst Geburtsklinik"),
        ("Paul", "Kita Süd", "Kita-Sozialarbeit/Familienzentrum"),
    ]
    assert all(p["created"] and p["received"] for p in report["packages"])
    figures = tanja.team.figures(Q2)
    assert {site: f.totals["families_reached"] for site, f in figures.by_site.items()} == {
        "Kita Süd": 2,
        "Klinik Nord": 1,
    }
    assert set(figures.by_service_line) == {"birth_clinic", "kita_family_centre"}
    rows = tanja.team.delivery(Q2)
    assert [(r.navigator, r.status) for r in rows] == [("Paul", "delivered"), ("Nora", "delivered")]
    assert rows[0].received_at is not None
    assert tanja.team.delivery(parse_period("2026-Q3"))[0].status == "missing"
    assert nora.team.own_card().fingerprint != lead_card.fingerprint
    actions = _audit(nora._access.vault)
    assert actions[-2:] == ["package_exported", "package_sealed"]


def test_a_package_sealed_to_someone_else_is_refused(
    team: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paul, tanja = team
    nora.team.export_package(Q2, tmp_path / "for-paul.lotse", to=paul.team.own_card())
    found = [read_package_file(tmp_path / "for-paul.lotse")]
    with pytest.raises(BadInputError, match="für einen anderen Empfänger verschlüsselt") as error:
        tanja.team.open_packages(found)
    assert "Paul" in error.value.message
    assert tanja.team.held() == []


def test_a_correction_replaces_only_on_purpose_and_is_logged(
    team: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, _paul, tanja = team
    _first_contact(nora)
    nora.team.export_package(Q2, tmp_path / "first.json")
    tanja.team.receive([read_package(tmp_path / "first.json")], Q2)
    _first_contact(nora, 20)  # a late contact
    nora.team.export_package(Q2, tmp_path / "second.json")
    second = read_package(tmp_path / "second.json")
    plan = tanja.team.plan([second], Q2)
    assert [e.status for e in plan.entries] == ["conflict"]
    with pytest.raises(BadInputError) as error:
        tanja.team.receive([second], Q2)
    assert "Korrektur" in error.value.details[0]
    assert [e.status for e in tanja.team.plan([second], Q2, replace=True).entries] == ["correction"]
    summary = tanja.team.receive([second], Q2, replace=True)
    assert len(summary.corrected) == 1
    assert tanja.team.figures(Q2).figures.totals["families_reached"] == 2
    [held] = tanja.team.held()
    assert held.created == second.created
    # The older package again, on purpose: refused, it is not newer.
    with pytest.raises(BadInputError) as error:
        tanja.team.receive([read_package(tmp_path / "first.json")], Q2, replace=True)
    assert "nicht neuer" in error.value.details[0]
    log = _audit(tanja._access.vault)
    assert log[-2:] == ["packages_received", "package_replaced"]
    # A closed period of the team lead keeps its packages: no correction, no removal.
    _first_contact(nora, 25)
    nora.team.export_package(Q2, tmp_path / "third.json")
    tanja.statistics.close_period(Q2, TODAY)
    with pytest.raises(BadInputError) as error:
        tanja.team.receive([read_package(tmp_path / "third.json")], Q2, replace=True)
    assert "abgeschlossen" in error.value.details[0]
    with pytest.raises(BadInputError, match="abgeschlossen"):
        tanja.team.remove(held.id)
    tanja.statistics.reopen_period(Q2.label)
    assert tanja.team.remove(held.id).navigator == "Nora"
    assert tanja.team.held() == []
    assert _audit(tanja._access.vault)[-1] == "package_removed"


def test_cards_through_the_api(team: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path) -> None:
    nora, _paul, tanja = team
    card = nora.team.export_card(tmp_path / "nora.card", service="Lotsendienst Nord")
    assert card.service == "Lotsendienst Nord"
    from lotse.usecases.team import load_card

    assert tanja.team.add_card(load_card(tmp_path / "nora.card")) is False
    [stored] = tanja.team.cards()
    assert stored.card.fingerprint == card.fingerprint
    # The card pins Nora's key; the delivery matrix knows her before her first package.
    assert [(r.navigator, r.status) for r in tanja.team.delivery(Q2)] == [("Nora", "missing")]
    assert tanja.team.remove_card(stored.id).name == "Nora"
    with pytest.raises(BadInputError, match="Kontaktkarte dieses Tresors selbst"):
        nora.team.export_package(Q2, tmp_path / "x.lotse", to=card)


def test_a_package_with_a_new_key_for_a_known_vault_is_refused_and_shown(
    team: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, _paul, tanja = team
    tanja.team.add_card(nora.team.own_card())
    # Another installation claims Nora's vault id with its own key.
    with create_vault(tmp_path / "forger", PASSPHRASE, kdf.TEST_PARAMS) as forger:
        from lotse.stats.packages import make_package, package_bytes

        with forger.transaction() as session:
            fake = make_package(session, nora.vault_id, Q2)
    (tmp_path / "fake.json").write_bytes(package_bytes(fake))
    plan = tanja.team.plan([read_package(tmp_path / "fake.json")], Q2)
    [entry] = plan.entries
    assert entry.status == "key" and entry.keys is not None
    assert entry.keys[0] == tanja.team.pinned_keys()[0].fingerprint
    assert entry.keys[0] in entry.message and entry.keys[1] in entry.message


def test_the_policy_names_the_team_lead_card(
    team: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    from lotse import options
    from lotse.options import Policy, set_current_policy

    nora, _paul, tanja = team
    assert nora.team.team_lead_card() is None
    text = tanja.team.own_card().text()
    set_current_policy(Policy(locked={"team_lead_card": options.validate("team_lead_card", text)}))
    card = nora.team.team_lead_card()
    assert card is not None and card.name == "Tanja"
    with pytest.raises(options.InvalidValue, match="Kontaktkarte"):
        options.validate("team_lead_card", '{"format": "lotse.records/2"}')
    # A card changed after IT put it in the policy: refused where it is used, clearly.
    set_current_policy(Policy(locked={"team_lead_card": text.replace("Tanja", "Mallory")}))
    with pytest.raises(BadInputError, match="Signatur"):
        nora.team.team_lead_card()
