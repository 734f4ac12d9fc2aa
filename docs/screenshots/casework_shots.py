"""Screenshots of the course of a case (issue 10): the first-contact form with its screening
block, closing a case, and the statistics section "Screening und Verlauf".

Called by ``make_screenshots.py``; runs on its own too:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/casework_shots.py``.
Synthetic data only (the demo's clinic year), in a throwaway folder; German and English.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from team_shots import _settle, save

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.stats.period import previous_quarter
from lotse.ui import workers
from lotse.ui.app import ensure_app
from lotse.ui.close_case_dialog import CloseCaseDialog
from lotse.ui.family_form import FamilyForm
from lotse.ui.qt_i18n import apply_language
from lotse.ui.statistics_view import StatisticsView
from lotse.usecases import Profile, VaultAPI

PASSPHRASE = "Screenshot-Passphrase-2026"
SCREEN = (1280, 800)


def _form(api: VaultAPI) -> FamilyForm:
    """A bedside first contact half typed: screened positive, a referral accompanied."""
    form = FamilyForm(api, defaults=("birth_clinic", "clinic"))
    form.resize(min(form.width(), SCREEN[0]), SCREEN[1] - 40)
    form.adults.setValue(2)
    form.children.add_child(dt.date.today())
    form.consent_editor.purposes.set_codes(["documentation", "referral"])
    form.name.setText("Elif Kaya")
    form.phone.setText("0208 0555123")
    block = form.screening
    block.screened.setChecked(True)
    block.factors.set_codes(["young_parent", "financial_strain", "daily_coping"])
    block.staff_concern.setChecked(True)
    form.topics.set_codes(["finances", "pregnancy_birth"])
    form.referral_targets.set_codes(["family_midwife"])
    form.referral_modes.set_modes({"family_midwife": "accompanied"})
    # The screening block in view (the form scrolls on a small screen).
    form.scroll.ensureWidgetVisible(block.result)
    return form


def main() -> None:
    ensure_app()
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="lotse-casework-shots-") as tmp_name:
        api = VaultAPI.create(Path(tmp_name) / "vault", PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile("Maria Muster", "EKO Oberhausen", "birth_clinic"))
        api.records.store(generate_records(400, seed=11, today=today), "demo")
        family = next(row for row in api.families.rows() if row.closed is None)
        try:
            for lang in ("de", "en"):
                apply_language(lang)
                form = _form(api)
                _settle()
                save(form, "first-contact-screening", lang)
                form.close_for_lock()  # closes without asking about the typed input

                dialog = CloseCaseDialog(api, family.id, f"{family.code} · {family.name}")
                dialog.reason.set_code("handed_over")
                save(dialog, "close-case", lang)
                dialog.close()

                view = StatisticsView(api)
                view.resize(*SCREEN)
                view.picker.set_period_text(previous_quarter(today).label)
                _settle(lambda: not view.is_busy() and view.report() is not None)
                view.select_section("casework")
                save(view, "statistics-casework", lang)
                view.close()
        finally:
            workers.wait_all()
            api.close()


if __name__ == "__main__":
    main()
