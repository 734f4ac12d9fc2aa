"""Screenshots of data protection (issue 11): consents in the form and on the family, a
withdrawal, "Heute" with "Einwilligung fehlt" and the retention period, the audit log,
the passphrase asked again before an export, and page 1 of an access report (Art. 15).

Called by ``make_screenshots.py``; runs on its own too:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/dataprotection_shots.py``.
Synthetic data only (the demo), in a throwaway folder; German and English.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from team_shots import OUT, _settle, save

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.policy import Policy, set_current_policy
from lotse.ui import workers
from lotse.ui.app import build_main_window, ensure_app
from lotse.ui.audit_view import AuditDialog
from lotse.ui.consent_widget import WithdrawDialog
from lotse.ui.family_form import FamilyForm
from lotse.ui.plain_export import PassphraseCheck
from lotse.ui.qt_i18n import apply_language
from lotse.usecases import ContactInput, FamilyInput, Profile, ReferralInput, VaultAPI
from lotse.usecases.consent import ConsentInput

PASSPHRASE = "Screenshot-Passphrase-2026"
SCREEN = (1280, 800)

SHEET = (
    '{"format": "lotse.records/1"}\n'
    '{"type": "family", "id": "tabelle-12", "adults": 2, "children": [],'
    ' "person": {"name": "Jana Beispiel", "phone": "0208 0111222"}}\n'
    '{"type": "family", "id": "tabelle-13", "adults": 1, "children": [],'
    ' "closed": "2023-03-31", "person": {"name": "Olga Beispiel"}}\n'
)


def _family(api: VaultAPI) -> int:
    signed = dt.date.today() - dt.timedelta(days=40)
    family = api.families.record_first_contact(
        FamilyInput(
            adults=2,
            children=[dt.date.today() - dt.timedelta(days=41)],
            district="osterfeld",
            access_route="birth_clinic",
            person_name="Elif Kaya",
            person_phone="0208 0555123",
            consents=[
                ConsentInput("documentation", signed, form_language="tr"),
                ConsentInput("referral", signed),
                ConsentInput("transfer", signed, recipient="Familienzentrum Lirich"),
            ],
        ),
        ContactInput(date=signed, minutes=40, setting="clinic", topics=["finances"]),
        [ReferralInput(signed, "family_midwife", mode="accompanied", status="arrived")],
    ).family_id
    api.followups.add_contact(
        family, ContactInput(date=signed + dt.timedelta(days=14), kind="home_visit", minutes=60)
    )
    return family


def _pdf_page(pdf: Path, name: str, lang: str) -> None:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm missing: no picture of the access report")
        return
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True
    )
    (page,) = pdf.parent.glob(f"{stem.name}-*1.png")
    shutil.move(page, OUT / f"{name}-{lang}.png")


def main() -> None:
    ensure_app()
    with tempfile.TemporaryDirectory(prefix="lotse-dp-shots-") as tmp_name:
        tmp = Path(tmp_name)
        api = VaultAPI.create(tmp / "vault", PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile("Maria Muster", "EKO Oberhausen", "birth_clinic"))
        api.records.store(generate_records(120, seed=5), "demo")
        sheet = tmp / "tabelle.jsonl"
        sheet.write_text(SHEET, encoding="utf-8")
        api.records.import_file(sheet)
        family = _family(api)
        code = api.families.get(family).code
        # Something in the log besides creating and filling the vault.
        rows = api.families.rows()
        api.erasure.erase(rows[3].id)
        documented = next(
            r
            for r in rows[10:]
            if api.consents.may_document(api.families.get(r.id).data.consents, dt.date.today())
        )
        api.consents.withdraw(documented.id, 0, dt.date.today(), erase_personal=True)
        api.records.export(tmp / "export.jsonl")
        # A default period (not locked): "Heute" lists what is due, the navigator decides.
        set_current_policy(Policy(defaults={"retention_months": 24}))
        try:
            for lang in ("de", "en"):
                apply_language(lang)
                window = build_main_window(api)
                window.resize(*SCREEN)
                window.tabs.setCurrentIndex(0)
                window.today.reload()
                save(window, "today-dataprotection", lang)
                window.open_family(family)
                _settle()
                save(window, "family-consents", lang)

                data = api.families.get(family).data
                withdraw = WithdrawDialog(api, family, code, data.consents, window)
                save(withdraw, "consent-withdraw", lang)
                withdraw.close()

                form = FamilyForm(api, parent=window)
                form.resize(min(form.width(), SCREEN[0]), SCREEN[1] - 40)
                form.adults.setValue(2)
                save(form, "consent-form-anonymous", lang)
                form.consent_editor.purposes.set_codes(["documentation", "referral"])
                form.consent_editor.form_language.setText("ar")
                form.name.setText("Nora Beispiel")
                save(form, "consent-form", lang)
                form.keeper.discard()  # no draft of it in the next language's "Heute"
                form.close_for_lock()  # closes without asking about the typed input

                log = AuditDialog(api, window)
                _settle()
                log.verify()
                _settle()
                save(log, "audit-log", lang)
                log.close()

                check = PassphraseCheck(api, window)
                save(check, "export-passphrase", lang)
                check.close()
                window.idle.stop()
                window.close()

                pdf = tmp / f"auskunft-{lang}.pdf"
                api.access_report.write(family, pdf)
                _pdf_page(pdf, "access-report", lang)
        finally:
            set_current_policy(None)
            workers.wait_all()
            api.close()


if __name__ == "__main__":
    main()
