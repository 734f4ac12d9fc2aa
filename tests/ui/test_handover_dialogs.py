"""Handing a family over in the window, between two real vaults: the consent check shows
at once, the file is written and taken in with its sender, fingerprint and origin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lotse.crypto import kdf
from lotse.db.models import Family
from lotse.ui import workers
from lotse.ui.handover_dialogs import AcceptHandoverDialog, HandoverDialog
from lotse.ui.main_window import MainWindow
from lotse.usecases import Profile, VaultAPI
from tests.conftest import PASSPHRASE
from tests.ui.conftest import Settle
from tests.usecases.test_handover import family_file


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[VaultAPI, VaultAPI, VaultAPI]]:
    apis = []
    for name, site in (
        ("Nora", "Klinik Nord"),
        ("Paula", "Familienzentrum Lirich"),
        ("Otto", "Kita Süd"),
    ):
        api = VaultAPI.create(tmp_path / name, PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile(name, site, "birth_clinic"))
        apis.append(api)
    nora, paula, otto = apis
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    nora.team.add_card(otto.team.own_card())
    nora.team.add_card(paula.team.own_card())
    yield nora, paula, otto
    workers.wait_all()
    for api in apis:
        api.close()


def test_hand_over_and_accept(
    pair: tuple[VaultAPI, VaultAPI, VaultAPI], qtbot: QtBot, settle: Settle, tmp_path: Path
) -> None:
    nora, paula, _otto = pair
    dialog = HandoverDialog(nora, "f-1", "F-2026-0001")
    qtbot.addWidget(dialog)
    settle()
    titles = [dialog.card.itemText(i) for i in range(dialog.card.count())]
    assert titles[0].startswith("Otto – Kita Süd") and titles[1].startswith("Paula")
    # Otto's service is not named by the consent: refused before anything is written.
    assert not dialog.send_button.isEnabled()
    assert "keine gültige Einwilligung zur Weitergabe" in dialog.consent.text()
    dialog.card.setCurrentIndex(1)
    settle()
    assert dialog.send_button.isEnabled()
    assert "Familienzentrum Lirich" in dialog.consent.text()
    assert "Notizen bleiben hier" in dialog.travels.text()
    dialog.close_case.setChecked(True)
    out = tmp_path / "h.lotse"
    dialog.export_to(out)
    settle()
    assert dialog.sent is not None and dialog.sent.closed and out.exists()

    accept = AcceptHandoverDialog(paula)
    qtbot.addWidget(accept)
    accept.open_file(out)
    settle()
    assert "Nora – Klinik Nord" in accept.sender.text()
    assert accept.fingerprint.text() == nora.team.own_card().display_fingerprint
    assert "2 Kontakte" in accept.family.text()
    accept.take()
    settle()
    assert accept.received is not None
    with paula._access.vault.session() as s:
        assert s.scalars(select(Family.origin_service)).one() == "Klinik Nord"
    # The same file again: refused in the dialog, nothing stored twice.
    again = AcceptHandoverDialog(paula)
    qtbot.addWidget(again)
    again.open_file(out)
    settle()
    again.take()
    settle()
    assert again.received is None and "schon übernommen" in again.problems.text()


def test_the_senders_history_is_greyed_and_cannot_be_changed_in_the_window(
    api: VaultAPI,
    main_window: MainWindow,
    tmp_path: Path,
    settle: Settle,
) -> None:
    path = family_file(tmp_path / "received.jsonl")
    lines = path.read_text("utf-8").splitlines()
    family = json.loads(lines[1])
    family["origin"] = {"service": "Klinik Nord", "date": "2026-06-10"}
    lines[1] = json.dumps(family)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    api.records.import_file(path)
    main_window.refresh()
    settle()
    main_window.open_family(api.families.rows()[0].id)
    settle()
    detail = main_window.families.detail
    kinds = [detail.model.row_at(i).cells[1] for i in range(detail.model.rowCount())]
    for row, kind in enumerate(kinds):
        detail.select_row(row)
        own = kind == "Wiedervorlage"
        assert (kind.endswith("(übernommen)"), detail.edit_entry_button.isEnabled()) == (
            not own,
            own,
        ), kind
        assert detail.delete_entry_button.isEnabled() == own, kind
        assert detail.status_button.isEnabled() is False, kind
        tip = detail.model.data(detail.model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
        assert own or "Von Klinik Nord übernommen" in tip
    assert sorted(kinds) == sorted(
        ["Kontakt (übernommen)"] * 2
        + ["Vermittlung (übernommen)", "Stand (übernommen)", "Wiedervorlage"]
    )
