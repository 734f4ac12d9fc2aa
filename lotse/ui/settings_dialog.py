"""Settings: language, lock time, organisation and the navigator's profile.

A setting the machine policy locks is shown greyed out with "vom Administrator festgelegt".
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lotse import i18n, settings
from lotse.casework.profile import (
    Profile,
    load_profile,
    save_preferences,
    save_profile,
)
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.profile_fields import (
    ServiceLineField,
    SiteField,
    service_line_catalogue,
    site_catalogue,
)
from lotse.vault import Vault

LANGUAGE_NAMES = (("de", "Deutsch"), ("en", "English"))


def locked_note() -> str:
    return _("vom Administrator festgelegt")


class SettingsDialog(QDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setObjectName("settings_dialog")
        self.setWindowTitle(_("Einstellungen"))
        with vault.session() as session:
            language = settings.get(session, "language") or i18n.current_language()
            minutes = int(settings.get(session, "lock_after_minutes"))
            organisation = str(settings.get(session, "organisation") or "")
            profile = load_profile(session)
            sites = site_catalogue(session)
            service_lines = service_line_catalogue(session)

        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(1, 240)
        self.lock_minutes.setValue(minutes)
        self.lock_minutes.setSuffix(_(" Minuten"))
        self.organisation = QLineEdit(organisation)

        prefs = QGroupBox(_("Allgemein"))
        pf = QFormLayout(prefs)
        self._row(pf, _("&Sprache"), self.language, "language")
        self._row(pf, _("Sperren &nach Untätigkeit"), self.lock_minutes, "lock_after_minutes")
        self._row(pf, _("&Träger / Organisation"), self.organisation, "organisation")

        self.name = QLineEdit(profile.navigator_name)
        self.site_field = SiteField(sites, profile.site)
        self.site = self.site_field.widget
        self.other = QLineEdit(profile.service_line_other)
        self.service_field = ServiceLineField(service_lines, self.other, profile, allow_empty=True)
        self.service_line = self.service_field.widget
        me = QGroupBox(_("Über Sie"))
        mf = QFormLayout(me)
        self._row(mf, _("Ihr &Name"), self.name)
        self._row(mf, _("S&tandort"), self.site)
        self._row(mf, _("&Arbeitsbereich"), self.service_line)
        self._row(mf, _("Sonstiger Arbeitsbereich"), self.other)

        self.problems = QLabel()
        self.problems.setStyleSheet("color: #b3261e;")
        self.problems.setWordWrap(True)
        self.problems.hide()
        buttons = QDialogButtonBox()
        save = buttons.addButton(_("Speichern"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        buttons.addButton(_("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prefs)
        layout.addWidget(me)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.language_changed = False
        self.resize(560, 0)

    def _row(self, form: QFormLayout, text: str, widget: QWidget, key: str | None = None) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", ""))
        if key is not None and settings.is_locked(key):
            widget.setEnabled(False)
            widget.setToolTip(locked_note())
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget, 1)
            note = QLabel(locked_note())
            note.setObjectName(f"locked_{key}")
            note.setStyleSheet("color: palette(mid); font-style: italic;")
            line.addWidget(note)
            form.addRow(label, box)
            return
        form.addRow(label, widget)

    def save(self) -> None:
        language = self.language.currentData()
        values = {
            "language": language,
            "lock_after_minutes": self.lock_minutes.value(),
            "organisation": self.organisation.text().strip(),
        }
        service_line, other = self.service_field.values()
        try:
            save_preferences(self.vault, values)
            with self.vault.transaction() as session:
                save_profile(
                    session,
                    Profile(self.name.text(), self.site_field.text(), service_line, other),
                )
        except LotseError as error:
            self.problems.setText(error.message)
            self.problems.show()
            return
        self.language_changed = (
            not settings.is_locked("language") and language != i18n.current_language()
        )
        self.accept()
