"""Grab every Lotse window offscreen, in German and English, into docs/screenshots/*.png.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py``.
Uses synthetic demo data only; the main window is shot at 1280×800. The vault is reached
through the use-case API only, as the window does.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QWidget
from team_shots import _settle  # beside this script: waits for the window's vault jobs

from lotse.casework.followups import ReminderInput
from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.errors import LotseError
from lotse.records.reader import parse_bytes
from lotse.ui.app import app_icon, build_main_window, ensure_app
from lotse.ui.family_form import FamilyForm
from lotse.ui.followup_dialogs import (
    ContactDialog,
    ReferralDialog,
    ReminderDialog,
    StatusDialog,
)
from lotse.ui.qt_i18n import apply_language
from lotse.ui.records_io import ProblemsDialog
from lotse.ui.settings_dialog import SettingsDialog
from lotse.ui.unlock_window import UnlockWindow
from lotse.ui.wizard import FirstStartWizard
from lotse.usecases import Profile, VaultAPI

OUT = Path(__file__).resolve().parent
PASSPHRASE = "Screenshot-Passphrase-2026"
SCREEN = (1280, 800)


def save(widget: QWidget, name: str, lang: str) -> None:
    widget.show()
    _settle()
    size = widget.size()
    if size.width() > SCREEN[0] or size.height() > SCREEN[1]:
        print(f"WARNING: {name} is {size.width()}×{size.height()}, larger than 1280×800")
    widget.grab().save(str(OUT / f"{name}-{lang}.png"))


def as_on_a_wide_screen(form: FamilyForm) -> None:
    """The offscreen screen is 800 px wide; size the form as a 1280 px screen would."""
    form.resize(min(form.scroll.widget().sizeHint().width() + 40, SCREEN[0]), form.height())


def fill(api: VaultAPI) -> int:
    api.records.store(generate_records(300, seed=3), "demo")
    api.settings.save_profile(Profile("Maria Muster", "EKO Oberhausen", "birth_clinic"))
    rows = api.families.rows()
    today = dt.date.today()
    texts = ["Rückruf wegen Kita-Platz", "Antrag BuT prüfen", "Termin Familienhebamme nachfragen"]
    for i, row in enumerate(rows[:6]):
        api.followups.add_reminder(
            row.id, ReminderInput(due=today - dt.timedelta(days=i), text=texts[i % 3])
        )
    return rows[0].id


def shoot(lang: str, api: VaultAPI, family_id: int, tmp: Path) -> None:
    apply_language(lang)
    unlock = UnlockWindow(tmp / "vault")
    save(unlock, "unlock", lang)
    unlock.passphrase.setText("falsch-falsch-falsch")
    unlock.failures = 1
    unlock._wrong_text = (
        "Die Passphrase ist falsch." if lang == "de" else "The passphrase is wrong."
    )
    unlock._remaining_ms = 1000
    unlock._tick(advance=False)
    save(unlock, "unlock-wrong", lang)
    unlock._countdown.stop()
    unlock.close()

    wizard = FirstStartWizard(tmp / "new-vault")
    wizard.setWindowIcon(app_icon())
    wizard.passphrase_page.first.setText("kurz")
    save(wizard, "wizard-passphrase", lang)
    wizard.passphrase_page.first.setText("Lotsen bringen Familien gut an")
    wizard.passphrase_page.second.setText("Lotsen bringen Familien gut an")
    wizard.next()
    wizard.profile_page.name.setText("Maria Muster")
    wizard.profile_page.site.setText("EKO Oberhausen")
    save(wizard, "wizard-profile", lang)
    wizard.close()

    window = build_main_window(api)
    window.resize(*SCREEN)
    window.tabs.setCurrentIndex(0)
    save(window, "main-today", lang)
    window.open_family(family_id)
    window.families.detail.select_row(0)
    save(window, "main-families", lang)
    window.families.search.setText("sch")
    save(window, "main-search", lang)
    window.tabs.setCurrentIndex(2)
    save(window, "main-groups", lang)
    window.tabs.setCurrentIndex(3)
    save(window, "main-statistics", lang)

    form = FamilyForm(api, defaults=("birth_clinic", "clinic"), parent=window)
    form.keeper.stop()  # a screenshot keeps no draft
    form.adults.setValue(2)
    form.children.add_child(dt.date.today() + dt.timedelta(days=40))
    form.consent_editor.purposes.boxes["documentation"].setChecked(True)
    form.name.setText(api.families.rows()[0].name)
    as_on_a_wide_screen(form)
    save(form, "first-contact", lang)
    form.close()
    edit = FamilyForm(api, api.families.get(family_id), parent=window)
    edit.keeper.stop()
    as_on_a_wide_screen(edit)
    save(edit, "family-edit", lang)
    edit.close()

    for name, dialog in (
        ("contact", ContactDialog(api, family_id, parent=window)),
        ("referral", ReferralDialog(api, family_id, parent=window)),
        ("referral-status", StatusDialog(api, 1, "suggested", parent=window)),
        ("reminder", ReminderDialog(api, family_id, parent=window)),
        ("settings", SettingsDialog(api, api.settings.form(), window)),
    ):
        keeper = getattr(dialog, "keeper", None)
        if keeper is not None:
            keeper.stop()
        save(dialog, name, lang)
        dialog.close()
    bad = (
        b'{"format": "lotse.records/1"}\n{"type": "family", "id": "f-1", "adults": 99, '
        b'"children": []}\n{"type": "contact", "family": "f-2", "date": "2026-13-03"}\n'
    )
    try:
        parse_bytes(bad, "familien.jsonl")
    except LotseError as error:
        problems = ProblemsDialog(error.message, error.details, window)
        save(problems, "import-problems", lang)
        problems.close()
    window.idle.stop()
    window.close()


def main() -> None:
    ensure_app()
    with tempfile.TemporaryDirectory(prefix="lotse-shots-") as tmp_name:
        tmp = Path(tmp_name)
        api = VaultAPI.create(tmp / "vault", PASSPHRASE, params=kdf.TEST_PARAMS)
        try:
            family_id = fill(api)
            for lang in ("de", "en"):
                shoot(lang, api, family_id, tmp)
        finally:
            api.close()
    import vault_admin_shots  # beside this script: backup, passphrase, refusal, restore

    vault_admin_shots.main()
    import team_shots  # beside this script: the team tab and the contact card (issue 13)

    team_shots.main()
    import handover_shots  # beside this script: handing a family over (issue 14)

    handover_shots.main()
    import casework_shots  # beside this script: screening, closing a case (issue 10)

    casework_shots.main()
    import dataprotection_shots  # beside this script: consents, audit log, Art. 15 (issue 11)

    dataprotection_shots.main()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
