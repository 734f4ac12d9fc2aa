"""Settings: language, lock time, organisation, the districts and the navigator's profile.

The districts (Sozialräume: code and label) are the vault's own unless the machine
policy locks them for the whole organisation; empty, Oberhausen's six are in force.

A setting the machine policy locks is shown greyed out with "vom Administrator festgelegt".
The dialog is given the values it shows (read before it opens); saving runs off the UI
thread (:class:`~lotse.ui.ops.VaultOp`), checks every value and stores all or nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lotse import i18n
from lotse.catalogues import Catalogue
from lotse.domain.fields import LOCK_MINUTES
from lotse.i18n import _
from lotse.ui.ops import VaultOp
from lotse.ui.profile_fields import ServiceLineField, SiteField
from lotse.ui.saving import SavesInPlace
from lotse.usecases import Profile, SettingsForm, VaultAPI
from lotse.usecases.settings import is_locked

LANGUAGE_NAMES = (("de", "Deutsch"), ("en", "English"))


def locked_note() -> str:
    return _("vom Administrator festgelegt")


class DistrictsEditor(QWidget):
    """The districts as a table of code and label, with buttons to add and remove rows."""

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("districts_table")
        self.table.setHorizontalHeaderLabels([_("Code"), _("Bezeichnung")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 170)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 9)
        for code in catalogue.codes:
            self._append(code, catalogue.label(code))
        self.add_button = QPushButton(_("Sozialraum hin&zufügen"), self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(_("Sozialraum entfernen"), self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_row)
        hint = QLabel(
            _(
                "Code: Kleinbuchstaben, Ziffern, _ und - (bleibt fest, steht in Exporten); "
                "Bezeichnung: wie sie im Fenster und in Berichten erscheint. Leer: die sechs "
                "Sozialräume Oberhausens."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self._shown = self.entries()

    def _append(self, code: str, label: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(code))
        self.table.setItem(row, 1, QTableWidgetItem(label))

    def add_row(self) -> None:
        self._append("", "")
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self.table.editItem(self.table.item(row, 0))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def entries(self) -> list[list[str]]:
        """``[[code, label], …]`` as typed (rows left wholly empty are dropped)."""
        result = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in (0, 1)]
            code, label = (cell.text().strip() if cell else "" for cell in cells)
            if code or label:
                result.append([code, label])
        return result

    def changed(self) -> bool:
        return self.entries() != self._shown

    def set_locked(self) -> None:
        for widget in (self.table, self.add_button, self.remove_button):
            widget.setEnabled(False)


class SettingsDialog(SavesInPlace, QDialog):
    """Shows ``values`` (from :meth:`~lotse.usecases.settings.SettingsAPI.form`)."""

    def __init__(self, api: VaultAPI, values: SettingsForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
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
        self.lock_minutes.setRange(LOCK_MINUTES.low, LOCK_MINUTES.high)
        self.lock_minutes.setValue(minutes)
        self.lock_minutes.setSuffix(_(" Minuten"))
        self.organisation = QLineEdit(organisation)

        prefs = QGroupBox(_("Allgemein"))
        pf = QFormLayout(prefs)
        self._row(pf, _("&Sprache"), self.language, "language")
        self._row(pf, _("Sperren nach &Untätigkeit"), self.lock_minutes, "lock_after_minutes")
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
        self._row(mf, _("Stan&dort"), self.site)
        self._row(mf, _("&Arbeitsbereich"), self.service_line)
        self._row(mf, _("Sonstiger Arbeitsbereich"), self.other)

        self.districts = DistrictsEditor(values.districts)
        self.districts.table.setAccessibleName(_("Sozialräume"))
        areas = QGroupBox(_("S&ozialräume"))
        al = QVBoxLayout(areas)
        if is_locked("districts"):
            self.districts.set_locked()
            note = QLabel(locked_note())
            note.setObjectName("locked_districts")
            note.setStyleSheet("color: palette(mid); font-style: italic;")
            al.addWidget(note)
        al.addWidget(self.districts)

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
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(prefs)
        left.addWidget(me)
        left.addStretch(1)
        top.addLayout(left, 1)
        top.addWidget(areas, 1)
        layout.addLayout(top)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.language_changed = False
        self.resize(1000, 0)

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
        if self.is_saving():
            return
        language = self.language.currentData()
        values = {
            "language": language,
            "lock_after_minutes": self.lock_minutes.value(),
            "organisation": self.organisation.text().strip(),
        }
        if not is_locked("districts") and self.districts.changed():
            values["districts"] = self.districts.entries()
        service_line, other = self.service_field.values()
        profile = Profile(self.name.text(), self.site_field.text(), service_line, other)
        self._start_saving()
        VaultOp(self, lambda api: api.settings.save(values, profile)).success(
            lambda _none: self._stored(language)
        ).failure(self._refused).run()

    def _stored(self, language: str) -> None:
        self._saved()
        self.language_changed = not is_locked("language") and language != i18n.current_language()
        self.accept()
