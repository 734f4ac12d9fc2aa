"""The one form for a new first contact (household, person, consent, contact, referrals).

The same form edits a family's household later (without the contact part). It is made to
be used with the keyboard only: Tab follows the form, Enter saves, Esc cancels. While a
name or phone number is typed it lists families that may be the same one.

The form is given what it shows (the stored family, or the preselection of a new first
contact); looking for duplicates and saving run off the UI thread
(:class:`~lotse.ui.ops.VaultOp`), and the form closes once the vault has stored it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lotse.casework.validation import parse_languages
from lotse.catalogues import (
    ACCESS_ROUTES,
    CONSENT_SCOPES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
)
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.widgets import CheckGrid, CodeCombo, DateEdit, add_row, chain_tab_order
from lotse.usecases import (
    ContactInput,
    Created,
    FamilyDetails,
    FamilyInput,
    FamilyRow,
    ReferralInput,
    VaultAPI,
)
from lotse.usecases.settings import districts


class ChildrenEditor(QWidget):
    """Birth dates (or due dates) of the children, one date field each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.rows: list[tuple[QWidget, DateEdit]] = []
        self.add_button = QPushButton(_("Kind hinzufügen"), self)
        self.add_button.setAutoDefault(False)
        self.add_button.setAccessibleName(_("Kind hinzufügen"))
        self.add_button.clicked.connect(lambda: self.add_child())
        self._layout.addWidget(self.add_button)

    def add_child(self, birth_date: dt.date | None = None) -> DateEdit:
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        edit = DateEdit(birth_date, row)
        number = len(self.rows) + 1
        edit.setAccessibleName(_("Geburtsdatum oder Termin Kind {n}").format(n=number))
        edit.setToolTip(_("Geburtsdatum, bei einer Schwangerschaft der errechnete Termin"))
        remove = QPushButton(_("Entfernen"), row)
        remove.setAutoDefault(False)
        remove.setAccessibleName(_("Kind {n} entfernen").format(n=number))
        line.addWidget(QLabel(_("Kind {n}").format(n=number)))
        line.addWidget(edit, 1)
        line.addWidget(remove)
        self._layout.insertWidget(len(self.rows), row)
        self.rows.append((row, edit))
        remove.clicked.connect(lambda: self._remove(row))
        edit.setFocus()
        return edit

    def _remove(self, row: QWidget) -> None:
        self.rows = [(r, e) for r, e in self.rows if r is not row]
        row.deleteLater()
        self.add_button.setFocus()

    def dates(self) -> list[dt.date]:
        return [edit.date_value() for _row, edit in self.rows]


class FamilyForm(QDialog):
    """New first contact (``family`` None) or editing the household of ``family``.

    ``defaults`` (access route, setting) preselects a new first contact.
    """

    def __init__(
        self,
        api: VaultAPI,
        family: FamilyDetails | None = None,
        defaults: tuple[str | None, str | None] = (None, None),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.family_id = family.id if family is not None else None
        self.created: Created | None = None
        self._saving = False
        # Duplicate hints asked for before the latest one are stale.
        self._dup_generation = 0
        is_new = family is None
        self.setWindowTitle(_("Neuer Erstkontakt") if is_new else _("Familie bearbeiten"))
        self.setObjectName("family_form")

        order: list[QWidget] = []

        # -- household ------------------------------------------------------------------
        household = QGroupBox(_("Haushalt"))
        hf = QFormLayout(household)
        self.adults = QSpinBox()
        self.adults.setRange(0, 20)
        self.adults.setValue(1)
        add_row(hf, _("&Erwachsene"), self.adults)
        self.children = ChildrenEditor()
        add_row(hf, _("Kinder"), self.children)
        self.children.setAccessibleName(_("Kinder"))
        self.district = CodeCombo(districts(), _("– nicht angegeben –"))
        add_row(hf, _("&Sozialraum"), self.district)
        self.access_route = CodeCombo(ACCESS_ROUTES, _("– nicht angegeben –"))
        add_row(hf, _("&Zugangsweg"), self.access_route)
        self.sgb2 = QCheckBox(_("bezieht Bürgergeld (SGB II)"))
        self.sgb2_known = QCheckBox(_("bekannt"))
        self.sgb2_known.setAccessibleName(_("SGB-II-Bezug bekannt"))
        self.sgb2.setAccessibleName(_("bezieht Bürgergeld (SGB II)"))
        self.sgb2.setEnabled(False)
        self.sgb2_known.toggled.connect(self.sgb2.setEnabled)
        sgb2_box = QWidget()
        sl = QHBoxLayout(sgb2_box)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.sgb2_known)
        sl.addWidget(self.sgb2, 1)
        hf.addRow(QLabel(_("SGB II")), sgb2_box)
        self.languages = QLineEdit()
        self.languages.setPlaceholderText(_("z. B. de, tr, ar"))
        add_row(hf, _("S&prachen"), self.languages)
        self.interpreter = QCheckBox(_("Dolmetschung nötig"))
        self.interpreter.setAccessibleName(_("Dolmetschung nötig"))
        hf.addRow("", self.interpreter)
        order += [self.adults, self.children.add_button, self.district, self.access_route]
        order += [self.sgb2_known, self.sgb2, self.languages, self.interpreter]

        # -- person -----------------------------------------------------------------------
        person = QGroupBox(_("Kontaktperson (freiwillig)"))
        pf = QFormLayout(person)
        self.name = QLineEdit()
        add_row(pf, _("&Name"), self.name)
        self.phone = QLineEdit()
        add_row(pf, _("&Telefon"), self.phone)
        self.address = QLineEdit()
        add_row(pf, _("Adresse"), self.address)
        self.duplicates = QLabel()
        self.duplicates.setObjectName("duplicate_hint")
        self.duplicates.setWordWrap(True)
        self.duplicates.setStyleSheet("color: #8a4b00;")
        self.duplicates.setAccessibleName(_("Mögliche Doppelerfassungen"))
        self.duplicates.hide()
        pf.addRow(self.duplicates)
        order += [self.name, self.phone, self.address]

        # -- consent ----------------------------------------------------------------------
        consent = QGroupBox(_("Einwilligung"))
        cf = QFormLayout(consent)
        self.consent_given = QCheckBox(_("Einwilligung liegt vor"))
        self.consent_given.setAccessibleName(_("Einwilligung liegt vor"))
        cf.addRow(self.consent_given)
        self.consent_date = DateEdit()
        add_row(cf, _("Datum"), self.consent_date)
        self.consent_date.setAccessibleName(_("Datum der Einwilligung"))
        self.consent_scope = CheckGrid(CONSENT_SCOPES, columns=2)
        add_row(cf, _("Umfang"), self.consent_scope)
        self.consent_given.toggled.connect(self._consent_toggled)
        self._consent_toggled(False)
        order += [self.consent_given, self.consent_date, *self.consent_scope.widgets()]

        left = QVBoxLayout()
        left.addWidget(household)
        left.addWidget(person)
        left.addWidget(consent)
        left.addStretch(1)

        right = QVBoxLayout()
        if is_new:
            contact = QGroupBox(_("Erstkontakt"))
            kf = QFormLayout(contact)
            self.contact_date = DateEdit()
            add_row(kf, _("&Datum"), self.contact_date)
            self.contact_date.setAccessibleName(_("Datum des Erstkontakts"))
            self.minutes = QSpinBox()
            self.minutes.setRange(0, 600)
            self.minutes.setValue(30)
            self.minutes.setSuffix(_(" Min."))
            add_row(kf, _("Dauer"), self.minutes)
            self.setting = CodeCombo(SETTINGS, _("– nicht angegeben –"))
            add_row(kf, _("&Ort"), self.setting)
            self.topics = CheckGrid(TOPICS, columns=2)
            add_row(kf, _("Themen"), self.topics)
            self.contact_notes = QLineEdit()
            add_row(kf, _("Notiz"), self.contact_notes)
            self.contact_notes.setAccessibleName(_("Notiz zum Kontakt"))
            right.addWidget(contact)
            order += [self.contact_date, self.minutes, self.setting, *self.topics.widgets()]
            order.append(self.contact_notes)

            referrals = QGroupBox(_("Vermittlungen beim Erstkontakt (freiwillig)"))
            rf = QFormLayout(referrals)
            self.referral_targets = CheckGrid(REFERRAL_TARGETS, columns=2)
            rf.addRow(self.referral_targets)
            self.referral_status = CodeCombo(REFERRAL_STATUSES)
            add_row(rf, _("Stand"), self.referral_status)
            self.referral_status.setAccessibleName(_("Stand der Vermittlungen"))
            right.addWidget(referrals)
            order += [*self.referral_targets.widgets(), self.referral_status]
        else:
            more = QGroupBox(_("Begleitung"))
            mf = QFormLayout(more)
            self.is_closed = QCheckBox(_("Begleitung abgeschlossen"))
            self.is_closed.setAccessibleName(_("Begleitung abgeschlossen"))
            mf.addRow(self.is_closed)
            self.closed_date = DateEdit()
            add_row(mf, _("Abgeschlossen am"), self.closed_date)
            self.is_closed.toggled.connect(self.closed_date.setEnabled)
            self.closed_date.setEnabled(False)
            self.notes = QLineEdit()
            add_row(mf, _("Notiz"), self.notes)
            self.notes.setAccessibleName(_("Notiz zur Familie"))
            right.addWidget(more)
            order += [self.is_closed, self.closed_date, self.notes]
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.problems = QLabel()
        self.problems.setObjectName("form_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.problems.setAccessibleName(_("Fehler in der Eingabe"))
        self.problems.hide()

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Speichern"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        cancel = buttons.addButton(_("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        hint = QLabel(_("Enter speichert, Esc bricht ab."))
        hint.setStyleSheet("color: palette(mid);")

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        order += [self.save_button, cancel]
        chain_tab_order(order)

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(150)
        self._dup_timer.timeout.connect(self.update_duplicates)
        self.name.textChanged.connect(self._dup_timer.start)
        self.phone.textChanged.connect(self._dup_timer.start)

        if family is not None:
            self._load(family.data)
        else:
            route, setting = defaults
            self.access_route.set_code(route)
            self.setting.set_code(setting)
        self.resize(1120, 680 if is_new else 600)
        self.adults.setFocus()
        self.adults.selectAll()

    def _consent_toggled(self, on: bool) -> None:
        self.consent_date.setEnabled(on)
        for box in self.consent_scope.widgets():
            box.setEnabled(on)
        if on and not self.consent_scope.codes():
            self.consent_scope.set_codes(["documentation", "referral", "statistics"])

    # -- loading and saving -----------------------------------------------------------------

    def _load(self, data: FamilyInput) -> None:
        self.adults.setValue(data.adults)
        for birth_date in data.children:
            self.children.add_child(birth_date)
        self.district.set_code(data.district)
        self.access_route.set_code(data.access_route)
        self.sgb2_known.setChecked(data.sgb2 is not None)
        self.sgb2.setChecked(bool(data.sgb2))
        self.languages.setText(", ".join(data.languages))
        self.interpreter.setChecked(bool(data.interpreter))
        self.name.setText(data.person_name or "")
        self.phone.setText(data.person_phone or "")
        self.address.setText(data.person_address or "")
        self.consent_given.setChecked(data.consent_date is not None)
        if data.consent_date:
            self.consent_date.set_date(data.consent_date)
        self.consent_scope.set_codes(data.consent_scope)
        self._withdrawn = data.consent_withdrawn
        self.is_closed.setChecked(data.closed is not None)
        if data.closed:
            self.closed_date.set_date(data.closed)
        self.notes.setText(data.notes or "")
        self.duplicates.hide()

    def family_input(self) -> FamilyInput:
        consent = self.consent_given.isChecked()
        return FamilyInput(
            adults=self.adults.value(),
            children=self.children.dates(),
            district=self.district.code(),
            access_route=self.access_route.code(),
            sgb2=self.sgb2.isChecked() if self.sgb2_known.isChecked() else None,
            languages=parse_languages(self.languages.text()),
            interpreter=self.interpreter.isChecked() or None,
            person_name=self.name.text(),
            person_phone=self.phone.text(),
            person_address=self.address.text(),
            consent_date=self.consent_date.date_value() if consent else None,
            consent_scope=self.consent_scope.codes() if consent else [],
            consent_withdrawn=getattr(self, "_withdrawn", None),
            closed=(
                self.closed_date.date_value()
                if self.family_id is not None and self.is_closed.isChecked()
                else None
            ),
            notes=self.notes.text() if self.family_id is not None else None,
        )

    def save(self) -> None:
        """Store off the UI thread; close when stored, or list the problems and stay open."""
        if self._saving:
            return  # one save at a time: a second Enter must not record the family twice
        data = self.family_input()
        family_id = self.family_id
        if family_id is None:
            date = self.contact_date.date_value()
            contact = ContactInput(
                date=date,
                kind="first_contact",
                minutes=self.minutes.value(),
                setting=self.setting.code(),
                topics=self.topics.codes(),
                notes=self.contact_notes.text(),
            )
            referrals = [
                ReferralInput(date=date, target=t, status=self.referral_status.code() or "")
                for t in self.referral_targets.codes()
            ]
            op = VaultOp(
                self, lambda api: api.families.record_first_contact(data, contact, referrals)
            )
        else:
            op = VaultOp(self, lambda api: api.families.update(family_id, data))
        self._saving = True
        self.save_button.setEnabled(False)
        op.success(self._stored).failure(self._refused).run()

    def _stored(self, created: Created | None) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.created = created
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

    def update_duplicates(self) -> None:
        """Look for families with the name or phone typed so far (off the UI thread)."""
        self._dup_generation += 1
        generation = self._dup_generation
        name, phone, family_id = self.name.text(), self.phone.text(), self.family_id

        def show(found: list[FamilyRow]) -> None:
            if generation == self._dup_generation:
                self._show_duplicates(found)

        VaultOp(self, lambda api: api.families.duplicates(name, phone, family_id)).success(
            show
        ).run()

    def _show_duplicates(self, found: list[FamilyRow]) -> None:
        if not found:
            self.duplicates.hide()
            self.duplicates.clear()
            return
        lines = [f"{r.code}  {r.name}" + (f"  ({r.phone})" if r.phone else "") for r in found]
        self.duplicates.setText(_("Vielleicht schon erfasst:") + "\n" + "\n".join(lines))
        self.duplicates.show()

    def keyPressEvent(self, event) -> None:
        # Enter saves from every field, also from check boxes and the children's dates.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        super().keyPressEvent(event)
