"""Screenshots of the team lead's side (issue 13): the team tab and the contact card.

Called by ``make_screenshots.py``; runs on its own too:
``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/team_shots.py``.
Synthetic data only (lotse demo), in a throwaway folder; German and English. Three
navigators at two sites send their packages of the last complete quarter (one sealed to
the team lead's card); a fourth navigator from the address book has not delivered yet.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.stats.period import previous_quarter
from lotse.ui import ops, workers
from lotse.ui.app import build_main_window, ensure_app
from lotse.ui.qt_i18n import apply_language
from lotse.ui.team_view import OwnCardDialog, show_tab
from lotse.usecases import Profile, VaultAPI

OUT = Path(__file__).resolve().parent
PASSPHRASE = "Screenshot-Passphrase-2026"
WINDOW = (1366, 768)
NAVIGATORS = (
    ("Maria Muster", "EKO Oberhausen", "birth_clinic", 90),
    ("Jonas Beispiel", "EKO Oberhausen", "birth_clinic", 70),
    ("Aylin Probe", "Familienzentrum Lirich", "kita_family_centre", 110),
)


def _settle(until: Callable[[], bool] = lambda: not ops.busy(), seconds: float = 30.0) -> None:
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, name: str, lang: str) -> Path:
    widget.show()
    _settle()
    path = OUT / f"{name}-{lang}.png"
    widget.grab().save(str(path))
    return path


def main() -> None:
    ensure_app()
    quarter = previous_quarter(dt.date.today())
    with tempfile.TemporaryDirectory(prefix="lotse-team-shots-") as tmp_name:
        tmp = Path(tmp_name)
        lead = VaultAPI.create(tmp / "lead", PASSPHRASE, params=kdf.TEST_PARAMS)
        lead.settings.save_profile(Profile("Tanja Teamleitung", "Rathaus Oberhausen", ""))
        lead_card = lead.team.own_card()
        files = []
        for i, (name, site, line, families) in enumerate(NAVIGATORS):
            api = VaultAPI.create(tmp / f"nav{i}", PASSPHRASE, params=kdf.TEST_PARAMS)
            api.settings.save_profile(Profile(name, site, line))
            api.records.store(generate_records(families, seed=11 + i), "demo")
            path = tmp / f"{name}.lotse"
            api.team.export_package(quarter, path, to=lead_card if i == 0 else None)
            files.append(path)
            api.close()
        late = VaultAPI.create(tmp / "late", PASSPHRASE, params=kdf.TEST_PARAMS)
        late.settings.save_profile(
            Profile("Lena Nachzüglerin", "Familienzentrum Lirich", "kita_family_centre")
        )
        lead.team.add_card(late.team.own_card())
        late.close()
        try:
            for lang in ("de", "en"):
                apply_language(lang)
                window = build_main_window(lead)
                window.resize(*WINDOW)
                _settle()
                show_tab(window, window.team, select=True)
                window.team.open_files(files)
                _settle()
                window.team.sections.setCurrentIndex(0)
                save(window, "team-deliveries", lang)
                window.team.sections.setCurrentIndex(2)
                save(window, "team-by-site", lang)
                window.team.publish_box.setChecked(True)
                window.team.sections.setCurrentIndex(1)
                save(window, "team-figures-published", lang)
                window.team.publish_box.setChecked(False)
                dialog = OwnCardDialog(lead, lead_card, window)
                save(dialog, "team-own-card", lang)
                dialog.close()
                window.idle.stop()
                window.close()
                workers.wait_all()
        finally:
            lead.close()


if __name__ == "__main__":
    main()
