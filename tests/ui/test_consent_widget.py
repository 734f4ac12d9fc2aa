"""The consent register in the window: the form, the family's panel, withdrawal, Art. 15."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from lotse.ui.consent_widget import WithdrawDialog
from lotse.ui.family_form import FamilyForm
from lotse.ui.main_window import MainWindow
from lotse.usecases import ContactInput, FamilyInput, VaultAPI
from lotse.usecases.consent import ConsentInput

Modal = Callable[..., None]
Settle = Callable[[], None]
TODAY = dt.date.today()
SIGNED = TODAY - dt.timedelta(days=10)


def _form(api: VaultAPI, qtbot: QtBot) -> FamilyForm:
    form = FamilyForm(api)
    # Closed as the lock closes it: a changed form would otherwise ask before closing.
    qtbot.addWidget(form, before_close_func=lambda w: w.close_for_lock())
    form.show()
    return form


def test_nothing_is_ticked_and_the_form_says_why_names_are_closed(
    api: VaultAPI, qtbot: QtBot
) -> None:
    form = _form(api, qtbot)
    editor = form.consent_editor
    assert editor.purposes.codes() == []
    assert not form.name.isEnabled() and not form.contact_notes.isEnabled()
    assert editor.note.isVisible() and "anonym" in editor.note.text()
    assert not editor.recipient.isEnabled()
    editor.purposes.boxes["statistics"].setChecked(True)
    assert not form.name.isEnabled()  # statistics alone allows no name
    editor.purposes.boxes["documentation"].setChecked(True)
    assert form.name.isEnabled() and form.contact_notes.isEnabled()
    assert not editor.note.isVisible()
    editor.purposes.boxes["transfer"].setChecked(True)
    assert editor.recipient.isEnabled()
    editor.recipient.setText("Familienzentrum Lirich")
    editor.form_language.setText("TR")
    consents = editor.consents()
    assert [(c.purpose, c.recipient, c.form_language) for c in consents] == [
        ("documentation", None, "tr"),
        ("statistics", None, "tr"),
        ("transfer", "Familienzentrum Lirich", "tr"),
    ]
    assert all(c.date == TODAY for c in consents)


def test_the_form_stores_the_consents_and_a_name(
    api: VaultAPI, qtbot: QtBot, settle: Settle
) -> None:
    form = _form(api, qtbot)
    form.consent_editor.purposes.boxes["documentation"].setChecked(True)
    form.name.setText("Elif Kaya")
    form.save()
    qtbot.waitUntil(lambda: form.created is not None, timeout=15000)
    stored = api.families.get(form.created.family_id).data
    assert stored.person_name == "Elif Kaya"
    assert [(c.purpose, c.date) for c in stored.consents] == [("documentation", TODAY)]


def test_a_draft_keeps_the_consent_part(api: VaultAPI, qtbot: QtBot) -> None:
    form = _form(api, qtbot)
    form.consent_editor.set_consents([ConsentInput("referral", SIGNED, recipient="Jugendamt")])
    form.consent_editor.purposes.boxes["documentation"].setChecked(True)
    state = form.draft_state()
    again = _form(api, qtbot)
    again.apply_state(state)
    assert again.consent_editor.consents() == form.consent_editor.consents()
    assert again.name.isEnabled()


def test_withdrawal_in_the_window_erases_personal_data_when_asked(
    api: VaultAPI, main_window: MainWindow, qtbot: QtBot, on_modal: Modal, settle: Settle
) -> None:
    family = api.families.record_first_contact(
        FamilyInput(
            person_name="Mira Test",
            consents=[ConsentInput("statistics", SIGNED), ConsentInput("documentation", SIGNED)],
        ),
        ContactInput(date=SIGNED, notes="Notiz"),
    ).family_id
    main_window.open_family(family)
    settle()
    panel = main_window.families.detail.consent_panel
    assert "Dokumentation seit" in panel.lines.text()
    assert panel.withdraw_button.isEnabled()

    def withdraw(dialog: QWidget) -> None:
        assert isinstance(dialog, WithdrawDialog)
        assert not dialog.erase.isVisible()  # statistics first: nothing to erase
        dialog.which.setCurrentRow(1)
        assert dialog.erase.isVisible() and dialog.erase.isChecked()
        dialog.save()

    on_modal(withdraw, WithdrawDialog)
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    settle()
    data = api.families.get(family).data
    assert data.person_name is None
    assert data.consents[1].withdrawn == TODAY
    # The panel reloads in a second vault job started by the first one's success.
    qtbot.waitUntil(lambda: "widerrufen am" in panel.lines.text(), timeout=15000)
    assert "anonym" in panel.lines.text()
    assert [e.action for e in api.audit.entries(["consent_withdrawn", "personal_data_erased"])]


def test_access_report_button_writes_the_pdf(
    api: VaultAPI,
    main_window: MainWindow,
    qtbot: QtBot,
    on_modal: Modal,
    settle: Settle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    family = api.families.record_first_contact(
        FamilyInput(person_name="Mira Test", consents=[ConsentInput("documentation", SIGNED)]),
        ContactInput(date=SIGNED),
    ).family_id
    main_window.open_family(family)
    settle()
    out = tmp_path / "auskunft.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    said: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    on_modal(read, QMessageBox)
    qtbot.mouseClick(
        main_window.families.detail.consent_panel.report_button, Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert "gespeichert" in said[0]
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Mira Test" in text
    assert [e.details["format"] for e in api.audit.entries(["access_report"])] == ["pdf"]
