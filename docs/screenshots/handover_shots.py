"""Screenshots of handing a family over (issue 14): "Übergeben …" and "Übergabe annehmen …".

Called by ``make_screenshots.py``; runs on its own too:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/handover_shots.py``.
Synthetic data only, in a throwaway folder; German and English. The clinic navigator
hands a family with a transfer consent to the family centre, which opens the file, takes
the family in and sees the sender's history greyed in its window.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from team_shots import _settle, save

from lotse.crypto import kdf
from lotse.ui import workers
from lotse.ui.app import build_main_window, ensure_app
from lotse.ui.handover_dialogs import AcceptHandoverDialog, HandoverDialog
from lotse.ui.qt_i18n import apply_language
from lotse.usecases import Profile, VaultAPI

PASSPHRASE = "Screenshot-Passphrase-2026"
CENTRE = "Familienzentrum Lirich"


def _family_file(path: Path, today: dt.date) -> Path:
    day = (today - dt.timedelta(days=30)).isoformat()
    lines = [
        {"format": "lotse.records/2"},
        {
            "type": "family",
            "id": "F-2026-0042",
            "adults": 2,
            "children": [{"birth_date": day}],
            "identified": day,
            "screening": {"date": day, "factors": [], "staff_concern": True},
            "consents": [
                {"purpose": "documentation", "date": day},
                {"purpose": "transfer", "date": day, "recipient": CENTRE},
            ],
        },
        {"type": "contact", "family": "F-2026-0042", "date": day, "kind": "first_contact"},
        {"type": "contact", "family": "F-2026-0042", "date": day, "kind": "counselling"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def main() -> None:
    ensure_app()
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="lotse-handover-shots-") as tmp_name:
        tmp = Path(tmp_name)
        clinic = VaultAPI.create(tmp / "clinic", PASSPHRASE, params=kdf.TEST_PARAMS)
        clinic.settings.save_profile(Profile("Maria Muster", "EKO Oberhausen", "birth_clinic"))
        centre = VaultAPI.create(tmp / "centre", PASSPHRASE, params=kdf.TEST_PARAMS)
        centre.settings.save_profile(Profile("Aylin Probe", CENTRE, "kita_family_centre"))
        clinic.records.import_file(_family_file(tmp / "f.jsonl", today))
        clinic.team.add_card(centre.team.own_card())
        try:
            for lang in ("de", "en"):
                apply_language(lang)
                send = HandoverDialog(clinic, "F-2026-0042", "F-2026-0042")
                _settle()
                save(send, "handover-send", lang)
                out = tmp / f"{lang}.lotse"
                send.export_to(out)
                _settle()
                send.close()
                accept = AcceptHandoverDialog(centre)
                accept.open_file(out)
                _settle()
                save(accept, "handover-accept", lang)
                accept.close()
            # The family centre's window on the received family: the sender's history greyed.
            received = centre.handover.import_file(tmp / "de.lotse")
            family_id = next(r.id for r in centre.families.rows() if r.code == received.code)
            for lang in ("de", "en"):
                apply_language(lang)
                window = build_main_window(centre)
                window.resize(1280, 800)
                window.show()
                _settle()
                window.open_family(family_id)
                _settle()
                window.families.detail.select_row(0)
                save(window, "handover-received", lang)
                window.idle.stop()
                window.close()
        finally:
            workers.wait_all()
            clinic.close()
            centre.close()


if __name__ == "__main__":
    main()
