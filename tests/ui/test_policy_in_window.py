"""The machine policy in the window: its problems shown at start, its catalogues offered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lotse import policy
from lotse.db.models import Setting
from lotse.ui import workers
from lotse.ui.app import LotseApp
from lotse.ui.qt_i18n import apply_language
from lotse.ui.settings_dialog import SettingsDialog
from lotse.ui.wizard import FirstStartWizard
from lotse.usecases import Profile, VaultAPI
from lotse.vault import Vault

BAD_POLICY = """\
[locked]
suppression_threshold = 2

[defaults]
colour = "blau"
lock_after_minutes = 10
"""

CATALOGUE_POLICY = """\
[defaults.sites]
rathaus = "Rathaus Oberhausen"
fz_lirich = "Familienzentrum Lirich"

[defaults.service_lines]
birth_clinic = "Lotsendienst Geburtsklinik"
kita_schule = "Lotsendienst Kita und Grundschule"
"""

UsePolicy = Callable[[str], Path]


@pytest.fixture
def use_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Path]]:
    """Write ``text`` as the machine policy and read it as Lotse does at start."""

    def use(text: str) -> Path:
        path = tmp_path / "policy.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("LOTSE_POLICY", str(path))
        policy.set_current_policy(None)
        policy.install_machine_policy()
        return path

    yield use
    policy.set_current_policy(None)
    apply_language("de")


def _settings(vault: Vault) -> dict[str, object]:
    with vault.session() as s:
        return {row.key: row.value for row in s.scalars(select(Setting))}


def test_unlock_window_lists_each_policy_problem(
    vault_dir: Path, vault: Vault, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    vault.close()
    path = use_policy(BAD_POLICY)
    app = LotseApp(vault_dir)
    app.start()
    window = app.unlock_window
    assert window is not None
    qtbot.addWidget(window)
    notice = window.policy_notice
    assert notice.isVisible()
    assert notice.plain_text == "\n".join(
        [
            "Die Richtlinie des Administrators enthält Fehler:",
            f"• {path}:2: [locked] suppression_threshold: 2 ist zu klein; die Schwelle für "
            "die Geheimhaltung darf nie unter 3 liegen.",
            f"• {path}:5: [defaults]: unbekannte Einstellung „colour“.",
            "Lotse verwendet für diese Einträge die sicheren Standardwerte.",
        ]
    )
    assert f"{path}:5:" in notice.text()
    # The safe value applies, the good entries still count.
    assert policy.current_policy().locked == {"suppression_threshold": 3}
    assert policy.current_policy().defaults == {"lock_after_minutes": 10}


def test_wizard_shows_policy_problems_in_english(
    tmp_path: Path, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    path = use_policy("[locked\n")
    apply_language("en")
    policy.set_current_policy(None)
    policy.install_machine_policy()  # problems are translated when read
    app = LotseApp(tmp_path / "new")
    app.start()
    wizard = app.wizard
    assert isinstance(wizard, FirstStartWizard)
    qtbot.addWidget(wizard)
    notice = wizard.passphrase_page.policy_notice
    assert notice.isVisible()
    lines = notice.plain_text.splitlines()
    assert lines[0] == "The administrator's policy has errors:"
    assert lines[1].startswith(f"• {path}:1: ")
    assert lines[-1] == "Lotse uses the safe default values for these entries."


def test_a_good_policy_shows_no_notice(
    vault_dir: Path, vault: Vault, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    vault.close()
    use_policy("[defaults]\nlock_after_minutes = 10\n")
    app = LotseApp(vault_dir)
    app.start()
    assert app.unlock_window is not None
    qtbot.addWidget(app.unlock_window)
    assert not app.unlock_window.policy_notice.isVisible()
    assert app.unlock_window.policy_notice.plain_text == ""


def test_wizard_offers_the_policy_catalogues(
    tmp_path: Path, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    use_policy(CATALOGUE_POLICY)
    wizard = FirstStartWizard(tmp_path / "new")
    qtbot.addWidget(wizard)
    page = wizard.profile_page
    assert isinstance(page.site, QComboBox)
    assert [page.site.itemText(i) for i in range(page.site.count())] == [
        "– nicht angegeben –",
        "Rathaus Oberhausen",
        "Familienzentrum Lirich",
    ]
    assert [page.service_line.itemText(i) for i in range(page.service_line.count())] == [
        "Lotsendienst Geburtsklinik",
        "Lotsendienst Kita und Grundschule",
    ]
    page.name.setText("Maria Muster")
    page.site.setCurrentIndex(2)
    page.service_line.setCurrentIndex(1)
    assert not page.other.isEnabled()
    wizard.passphrase_page.first.setText("kurz-aber-jetzt-lang")
    wizard.passphrase_page.second.setText("kurz-aber-jetzt-lang")
    wizard.accept()
    qtbot.waitUntil(lambda: wizard.api is not None, timeout=10000)
    api = wizard.api
    assert api is not None
    try:
        stored = _settings(api._access.vault)
    finally:
        workers.close_on_vault_thread(api.close)  # the vault thread created it
    assert stored["site"] == "Familienzentrum Lirich"
    # The organisation's own line is kept as "other" with its label (a valid profile).
    assert stored["service_line"] == "other"
    assert stored["service_line_other"] == "Lotsendienst Kita und Grundschule"


def test_without_catalogues_the_site_is_free_text_and_the_lines_built_in(
    tmp_path: Path, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    use_policy("[defaults]\nlock_after_minutes = 10\n")
    wizard = FirstStartWizard(tmp_path / "new")
    qtbot.addWidget(wizard)
    page = wizard.profile_page
    assert isinstance(page.site, QLineEdit)
    assert page.service_line.count() == 7
    assert page.service_line.itemData(6) == "other"
    page.service_line.setCurrentIndex(6)
    assert page.other.isEnabled()


def test_settings_offer_the_policy_catalogues_and_keep_the_choice(
    api: VaultAPI, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    use_policy(CATALOGUE_POLICY)
    api.settings.save_profile(
        Profile("Maria", "Rathaus Oberhausen", "other", "Lotsendienst Kita und Grundschule")
    )
    dialog = SettingsDialog(api, api.settings.form())
    qtbot.addWidget(dialog)
    assert isinstance(dialog.site, QComboBox)
    assert dialog.site.currentText() == "Rathaus Oberhausen"
    assert dialog.service_line.currentText() == "Lotsendienst Kita und Grundschule"
    assert [dialog.service_line.itemData(i) for i in range(dialog.service_line.count())] == [
        "",
        "birth_clinic",
        "kita_schule",
    ]
    dialog.site.setCurrentIndex(dialog.site.findText("Familienzentrum Lirich"))
    dialog.service_line.setCurrentIndex(dialog.service_line.findData("birth_clinic"))
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
    assert api.settings.profile() == Profile("Maria", "Familienzentrum Lirich", "birth_clinic", "")


def test_settings_keep_a_site_from_before_the_catalogue(
    api: VaultAPI, qtbot: QtBot, use_policy: UsePolicy
) -> None:
    use_policy(CATALOGUE_POLICY)
    api.settings.save_profile(Profile("Maria", "Altes Büro", "practice", ""))
    dialog = SettingsDialog(api, api.settings.form())
    qtbot.addWidget(dialog)
    assert dialog.site.currentText() == "Altes Büro"
    assert dialog.service_line.currentText() == "Lotsendienst Praxis"
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving(), timeout=15000)
    assert api.settings.profile() == Profile("Maria", "Altes Büro", "practice", "")
