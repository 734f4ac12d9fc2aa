"""Settings: language, lock time, organisation and the navigator's profile.

A setting the machine policy locks is shown greyed out with "vom Administrator festgelegt".
The dialog is given the values it shows (read before it opens); saving runs off the UI
thread (:class:`~lotse.ui.ops.VaultOp`), checks every value and stores all or nothing.
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

from lotse import i18n
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.profile_fields import ServiceLineField, SiteField
from lotse.usecases import Profile, SettingsForm, VaultAPI
from lotse.usecases.settings import is_locked

LANGUAGE_NAMES = (("de", "Deutsch"), ("en", "English"))


def locked_note() -> str:
    return _("vom Administrator festgelegt")


class SettingsDialog(QDialog):
    """Shows ``values`` (from :meth:`~lotse.usecases.settings.SettingsAPI.form`)."""

    def __init__(self, api: VaultAPI, values: SettingsForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self._saving = False
        self.setObjectName("settings_dialog")
        self.setWindowTitle(_("Einstellungen"))
        language = values.language
        minutes = values.lock_after_minutes
        organisation = values.organisation
        profile = values.profile
        sites = values.sites
        service_lines = values.service_lines

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
        self.save_button = save
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
        if key is not None and is_locked(key):
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
        """Store off the UI thread; close when stored, or say why not and stay open."""
        if self._saving:
            return
        language = self.language.currentData()
        values = {
            "language": language,
            "lock_after_minutes": self.lock_minutes.value(),
            "organisation": self.organisation.text().strip(),
        }
        service_line, other = self.service_field.values()
        profile = Profile(self.name.text(), self.site_field.text(), service_line, other)
        self._saving = True
        self.save_button.setEnabled(False)
        VaultOp(self, lambda api: api.settings.save(values, profile)).success(
            lambda _none: self._stored(language)
        ).failure(self._refused).run()

    def _stored(self, language: str) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.language_changed = not is_locked("language") and language != i18n.current_language()
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        self.problems.setText("\n".join([error.message, *error.details]))
        self.problems.show()

    def is_saving(self) -> bool:
        return self._saving
