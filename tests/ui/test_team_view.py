"""The team tab on real vaults: open three navigators' packages (one sealed to the team
lead), see who delivered and the figures per site and service line, export the published
PDF; a package for someone else and a tampered one are refused with clear messages."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from lotse.crypto import kdf
from lotse.ui.team_view import AddressBookDialog, OwnCardDialog, TeamView
from lotse.usecases import Profile, VaultAPI
from lotse.usecases.team import ReceivePlan
from tests.conftest import PASSPHRASE
from tests.stats.builders import Builder, fill
from tests.ui.conftest import Settle

Q3 = "2026-Q3"
TODAY = dt.date(2026, 11, 2)


def _families(n: int, prefix: str, day: int = 3):
    def build(b: Builder) -> None:
        for i in range(n):
            b.family(f"{prefix}{i}", adults=1)
            b.contact(f"{prefix}{i}", f"2026-08-{day:02d}", "counselling", 45)

    return build


@pytest.fixture
def office(tmp_path: Path) -> Iterator[dict[str, VaultAPI]]:
    """Team lead Tanja and navigators Nora, Paul, Ida with records in 2026-Q3."""
    apis: dict[str, VaultAPI] = {}
    for name, site, line, n in (
        ("Tanja", "Rathaus", "", 0),
        ("Nora", "Klinik Nord", "birth_clinic", 3),
        ("Paul", "Kita Süd", "kita_family_centre", 4),
        ("Ida", "Klinik Nord", "birth_clinic", 2),
    ):
        api = VaultAPI.create(tmp_path / name, PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile(name, site, line))
        if n:
            fill(api._access.vault, _families(n, name))
        apis[name] = api
    yield apis
    for api in apis.values():
        api.close()


def _packages(office: dict[str, VaultAPI], folder: Path) -> list[Path]:
    from lotse.stats.period import parse_period

    lead = office["Tanja"].team.own_card()
    paths = []
    for name in ("Nora", "Paul", "Ida"):
        path = folder / f"{name}.lotse"
        office[name].team.export_package(
            parse_period(Q3), path, to=lead if name == "Nora" else None
        )
        paths.append(path)
    return paths


def _view(qtbot: QtBot, api: VaultAPI, settle: Settle) -> TeamView:
    view = TeamView(api, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    settle()
    return view


def test_open_three_packages_see_deliveries_figures_and_export(
    qtbot: QtBot, qtmodeltester, settle: Settle, office: dict[str, VaultAPI], tmp_path: Path
) -> None:
    view = _view(qtbot, office["Tanja"], settle)
    view.open_files(_packages(office, tmp_path))
    settle()
    assert view.period().label == Q3
    assert "3 Pakete übernommen" in view.status_label.text()
    rows = [view.delivery_model.row_at(i) for i in range(view.delivery_model.rowCount())]
    assert [(r.navigator, r.status) for r in rows] == [
        ("Paul", "delivered"),
        ("Ida", "delivered"),
        ("Nora", "delivered"),
    ]
    assert view.delivery_model.index(0, 4).data()  # the date received
    qtmodeltester.check(view.delivery_model)
    qtmodeltester.check(view.packages_model)
    qtmodeltester.check(view.groups_model)
    report = view.report()
    assert report is not None and report.figures.totals["families_reached"] == 9
    assert view.cards[4].number.text() == "9"
    groups = {
        view.groups_model.index(r, 0).data(): view.groups_model.index(r, 1).data()
        for r in range(view.groups_model.rowCount())
    }
    assert groups == {"Kita Süd": "4", "Klinik Nord": "5"}
    view.group_choice.setCurrentIndex(1)
    lines = [view.groups_model.index(r, 0).data() for r in range(view.groups_model.rowCount())]
    assert lines == ["Lotsendienst Geburtsklinik", "Kita-Sozialarbeit/Familienzentrum"]
    assert view.keys_model.rowCount() == 3
    view.publish_box.setChecked(True)
    out = tmp_path / "team.pdf"
    view.export(out, publish=True)
    settle()
    assert view.last_export == out and out.read_bytes().startswith(b"%PDF")


def test_foreign_and_tampered_packages_are_refused_with_reasons(
    qtbot: QtBot, settle: Settle, office: dict[str, VaultAPI], tmp_path: Path
) -> None:
    from lotse.stats.period import parse_period

    view = _view(qtbot, office["Tanja"], settle)
    paths = _packages(office, tmp_path)
    # Ida seals hers for Paul, not for the team lead; Nora's sealed file is changed.
    foreign = tmp_path / "Ida-for-Paul.lotse"
    office["Ida"].team.export_package(parse_period(Q3), foreign, to=office["Paul"].team.own_card())
    obj = json.loads(paths[0].read_text("utf-8"))
    raw = bytearray(base64.b64decode(obj["ciphertext"]))
    raw[3] ^= 1
    obj["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    tampered = tmp_path / "Nora-changed.lotse"
    tampered.write_text(json.dumps(obj), "utf-8")
    view.open_files([paths[1], foreign, tampered])
    settle()
    box = view.problem_box
    text = box.informativeText()
    assert "für einen anderen Empfänger verschlüsselt (Paul" in text
    assert "Nora-changed.lotse wurde nach dem Verschlüsseln verändert" in text
    assert "1 Pakete übernommen; 2 abgewiesen" in view.status_label.text()
    box.close()
    statuses = {
        view.delivery_model.row_at(i).navigator: view.delivery_model.row_at(i).status
        for i in range(view.delivery_model.rowCount())
    }
    assert statuses == {"Paul": "delivered"}


def test_a_correction_replaces_only_after_confirming(
    qtbot: QtBot, settle: Settle, office: dict[str, VaultAPI], tmp_path: Path
) -> None:
    from lotse.stats.period import parse_period

    view = _view(qtbot, office["Tanja"], settle)
    view.open_files(_packages(office, tmp_path)[1:2])  # Paul's
    settle()
    fill(office["Paul"]._access.vault, _families(1, "late", 20))
    corrected = tmp_path / "Paul-2.lotse"
    office["Paul"].team.export_package(parse_period(Q3), corrected)
    asked: list[ReceivePlan] = []

    def decline(plan: ReceivePlan) -> bool:
        asked.append(plan)
        return False

    view.open_files([corrected], confirm=decline)
    settle()
    assert len(asked) == 1 and len(asked[0].corrections) == 1
    assert view.delivery_model.row_at(0).status == "conflicting"
    assert view.report() is not None and view.report().figures.totals["families_reached"] == 4
    view.open_files([corrected], confirm=lambda _plan: True)
    settle()
    assert view.delivery_model.row_at(0).status == "delivered"
    assert view.report().figures.totals["families_reached"] == 5
    # Removing the package (his only one, and no card): nothing of Paul is left.
    view.remove(view.packages_model.row_at(0).payload.id)
    settle()
    assert view.packages_model.rowCount() == 0 and view.delivery_model.rowCount() == 0


def test_own_card_and_address_book(
    qtbot: QtBot, settle: Settle, office: dict[str, VaultAPI], tmp_path: Path
) -> None:
    nora, tanja = office["Nora"], office["Tanja"]
    card = nora.team.own_card()
    dialog = OwnCardDialog(nora, card)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == card.display_fingerprint
    dialog.save(tmp_path / "nora.card")
    settle()
    assert dialog.saved == tmp_path / "nora.card"
    book = AddressBookDialog(tanja)
    qtbot.addWidget(book)
    settle()
    book.add(tmp_path / "nora.card")
    settle()
    assert book.model.rowCount() == 1
    assert book.model.index(0, 4).data() == card.display_fingerprint
    book.table.selectRow(0)
    book.remove_selected()
    settle()
    assert book.model.rowCount() == 0


def test_the_team_tab_appears_for_a_team_lead(
    qtbot: QtBot, settle: Settle, office: dict[str, VaultAPI], tmp_path: Path
) -> None:
    from lotse.ui.app import build_main_window

    tanja = office["Tanja"]
    window = build_main_window(tanja)
    qtbot.addWidget(window)
    settle()
    assert window.tabs.indexOf(window.team) < 0  # a navigator without packages: no tab
    window.team.open_files(_packages(office, tmp_path))
    settle()
    window.close()
    window = build_main_window(tanja)
    qtbot.addWidget(window)
    settle()
    assert window.tabs.indexOf(window.team) >= 0
    assert window.tabs.tabText(window.tabs.indexOf(window.team)) == "Team"
    window.close()


def test_merged_package_for_the_next_level(
    qtbot: QtBot, settle: Settle, office: dict[str, VaultAPI], tmp_path: Path
) -> None:
    view = _view(qtbot, office["Tanja"], settle)
    assert not view.merged_button.isEnabled()  # nothing received yet
    view.open_files(_packages(office, tmp_path))
    settle()
    assert view.merged_button.isEnabled()
    out = tmp_path / "team.lotse"
    view.export_merged(out)
    settle()
    assert view.last_export == out
    assert "3 Pakete, 3 Lotsinnen und Lotsen" in view.status_label.text()
    package = json.loads(out.read_text("utf-8"))
    assert package["vault"] == office["Tanja"]._access.vault.vault_id
    assert package["navigator"]["navigator_name"] == "Tanja"
    assert sorted(s["navigator"] for s in package["sources"]) == ["Ida", "Nora", "Paul"]
    assert package["figures"]["totals"]["families_reached"] == 9
