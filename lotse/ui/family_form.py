"""The one form for a new first contact (household, person, consent, contact, referrals).

The same form edits a family's household later (without the contact part). It is made to
be used with the keyboard only: Tab follows the form as it is laid out (also after
children were added or removed), Enter saves (Enter on a focused button presses that
button), Esc cancels (asking first when anything was typed), each group and most fields
have a mnemonic, and typing in a check-box grid moves to the box whose label starts so.
A first contact with no household data, no contact details and no topic is saved only
after asking. While a name or phone number is typed the form lists families that may be
the same one; each of them opens with a click (or Tab and Enter).

What is typed is kept as a draft in the vault as it is typed (:mod:`lotse.ui.drafts`):
the lock closes the form without losing it, and the window offers it back.

The form is given what it shows (the stored family, or the preselection of a new first
contact); looking for duplicates and saving run off the UI thread
(:class:`~lotse.ui.ops.VaultOp`), and the form closes once the vault has stored it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lotse.casework.validation import parse_languages
from lotse.catalogues import (
    ACCESS_ROUTES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
)
from lotse.domain.fields import ADULTS, CHILDREN, MINUTES
from lotse.i18n import _
from lotse.ui.catalogues import districts
from lotse.ui.consent_widget import ConsentEditor, anonymous_note
from lotse.ui.drafts import DraftKeeper, KeepsDraft
from lotse.ui.ops import VaultOp
from lotse.ui.referral_modes import ReferralModes
from lotse.ui.saving import SavesInPlace
from lotse.ui.screening_block import ScreeningBlock
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

#: The unchanged number of adults of a new first contact (not yet household data).
DEFAULT_ADULTS = 1


class ChildrenEditor(QWidget):
    """Birth dates (or due dates) of the children, one date field each.

    Emits :attr:`changed` after a child was added or removed (the form then puts the new
    fields into its Tab order).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.rows: list[tuple[QWidget, DateEdit, QPushButton]] = []
        self.add_button = QPushButton(_("&Kind hinzufügen"), self)
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
        self.rows.append((row, edit, remove))
        remove.clicked.connect(lambda: self._remove(row))
        self._limit()
        self.changed.emit()
        edit.setFocus()
        return edit

    def _remove(self, row: QWidget) -> None:
        self.rows = [r for r in self.rows if r[0] is not row]
        # Out of the Tab chain at once (deleteLater leaves it there until the event loop).
        row.hide()
        row.setParent(None)
        row.deleteLater()
        self._renumber()
        self._limit()
        self.changed.emit()
        self.add_button.setFocus()

    def _limit(self) -> None:
        # No more children than a family may have (domain CHILDREN).
        self.add_button.setEnabled(len(self.rows) < CHILDREN.high)

    def _renumber(self) -> None:
        for number, (row, edit, remove) in enumerate(self.rows, start=1):
            label = row.findChild(QLabel)
            if label is not None:
                label.setText(_("Kind {n}").format(n=number))
            edit.setAccessibleName(_("Geburtsdatum oder Termin Kind {n}").format(n=number))
            remove.setAccessibleName(_("Kind {n} entfernen").format(n=number))

    def focus_order(self) -> list[QWidget]:
        """The fields in the order they are shown: each child's date and button, then Add."""
        order: list[QWidget] = []
        for _row, edit, remove in self.rows:
            order += [edit, remove]
        return [*order, self.add_button]

    def dates(self) -> list[dt.date]:
        return [edit.date_value() for _row, edit, _remove in self.rows]

    def set_dates(self, dates: list[dt.date]) -> None:
        for row, _edit, _remove in self.rows:
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for birth_date in dates:
            self.add_child(birth_date)
        self._limit()
        self.changed.emit()


class FamilyForm(SavesInPlace, KeepsDraft, QDialog):
    """New first contact (``family`` None) or editing the household of ``family``.

    ``defaults`` (access route, setting) preselects a new first contact. ``draft_id`` and
    ``state`` open the form again on a draft kept at a lock. After a duplicate hint was
    followed, the form is closed (its input kept as a draft) and :attr:`open_family_id`
    names the family to show.
    """

    def __init__(
        self,
        api: VaultAPI,
        family: FamilyDetails | None = None,
        defaults: tuple[str | None, str | None] = (None, None),
        parent: QWidget | None = None,
        draft_id: str | None = None,
        state: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.family_id = family.id if family is not None else None
        # What the form does not show (closing, origin …) is kept as stored.
        self._base = family.data if family is not None else FamilyInput()
        self.created: Created | None = None
        #: A family a duplicate hint opened (the window shows it once the form is closed).
        self.open_family_id: int | None = None
        # Duplicate hints asked for before the latest one are stale.
        self._dup_generation = 0
        is_new = family is None
        self.is_new = is_new
        if family is None:
            self.setWindowTitle(_("Neuer Erstkontakt"))
        else:
            self.setWindowTitle(
                _("Familie {code} bearbeiten").format(code=family.code)
                + (f" – {family.data.person_name}" if family.data.person_name else "")
            )
        self.setObjectName("family_form")

        # -- household ------------------------------------------------------------------
        household = QGroupBox(_("&Haushalt"))
        hf = QFormLayout(household)
        self.adults = QSpinBox()
        self.adults.setRange(ADULTS.low, ADULTS.high)
        self.adults.setValue(DEFAULT_ADULTS)
        add_row(hf, _("&Erwachsene"), self.adults)
        self.children = ChildrenEditor()
        add_row(hf, _("Kinder"), self.children)
        self.children.setAccessibleName(_("Kinder"))
        self.children.changed.connect(self._chain)
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

        # -- person -----------------------------------------------------------------------
        person = QGroupBox(_("Kont&aktperson (freiwillig)"))
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
        self.duplicates.setTextFormat(Qt.TextFormat.RichText)
        self.duplicates.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.duplicates.setAccessibleName(_("Mögliche Doppelerfassungen"))
        self.duplicates.linkActivated.connect(self._open_duplicate)
        self.duplicates.hide()
        pf.addRow(self.duplicates)

        # -- screening and identified date -------------------------------------------------
        self.screening = ScreeningBlock(api)
        self.screening.changed.connect(self._chain)

        # -- consent: what may be stored (casework/consent.py) ------------------------------
        self.consent_editor = ConsentEditor()

        left = QVBoxLayout()
        left.addWidget(household)
        # Consent before the contact person: it decides whether a name may be stored.
        left.addWidget(self.consent_editor)
        left.addWidget(person)
        left.addWidget(self.screening)
        left.addStretch(1)

        right = QVBoxLayout()
        if is_new:
            contact = QGroupBox(_("E&rstkontakt"))
            kf = QFormLayout(contact)
            self.contact_date = DateEdit()
            add_row(kf, _("&Datum"), self.contact_date)
            self.contact_date.setAccessibleName(_("Datum des Erstkontakts"))
            self.contact_date.dateChanged.connect(
                lambda _d: self.screening.follow_contact_date(self.contact_date.date_value())
            )
            self.minutes = QSpinBox()
            self.minutes.setRange(MINUTES.low, MINUTES.high)
            self.minutes.setValue(30)
            self.minutes.setSuffix(_(" Min."))
            add_row(kf, _("Da&uer"), self.minutes)
            self.setting = CodeCombo(SETTINGS, _("– nicht angegeben –"))
            add_row(kf, _("&Ort"), self.setting)
            self.topics = CheckGrid(TOPICS, columns=2)
            add_row(kf, _("The&men"), self.topics)
            self.topics.setAccessibleName(_("Themen"))
            self.contact_notes = QLineEdit()
            add_row(kf, _("Notiz"), self.contact_notes)
            self.contact_notes.setAccessibleName(_("Notiz zum Kontakt"))
            right.addWidget(contact)

            referrals = QGroupBox(_("&Vermittlungen beim Erstkontakt (freiwillig)"))
            rf = QFormLayout(referrals)
            self.referral_targets = CheckGrid(REFERRAL_TARGETS, columns=2)
            self.referral_targets.setAccessibleName(_("Vermittelt an"))
            rf.addRow(self.referral_targets)
            # How each ticked referral is made, beside it.
            self.referral_modes = ReferralModes(self.referral_targets)
            self.referral_modes.changed.connect(self._chain)
            rf.addRow(self.referral_modes)
            self.referral_status = CodeCombo(REFERRAL_STATUSES)
            add_row(rf, _("Stand"), self.referral_status)
            self.referral_status.setAccessibleName(_("Stand der Vermittlungen"))
            right.addWidget(referrals)
        else:
            more = QGroupBox(_("&Begleitung"))
            mf = QFormLayout(more)
            # Closing (with its reason) and reopening: in the family view.
            self.notes = QLineEdit()
            add_row(mf, _("Notiz"), self.notes)
            self.notes.setAccessibleName(_("Notiz zur Familie"))
            right.addWidget(more)
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
        # The scroll area itself is no Tab stop (it would be an invisible one).
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll = scroll

        self.problems = QLabel()
        self.problems.setObjectName("form_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.problems.setAccessibleName(_("Fehler in der Eingabe"))
        self.problems.hide()

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Speichern"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(
            _("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole
        )
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
        self._chain()

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(150)
        self._dup_timer.timeout.connect(self.update_duplicates)
        self.name.textChanged.connect(self._dup_timer.start)
        self.phone.textChanged.connect(self._dup_timer.start)
        self.consent_editor.changed.connect(self._consents_changed)
        self._consents_changed()

        if family is not None:
            self._load(family.data)
        else:
            route, setting = defaults
            self.access_route.set_code(route)
            self.setting.set_code(setting)
        self.keeper = DraftKeeper(
            self,
            api,
            "first_contact" if is_new else "family",
            self.draft_state,
            family_id=self.family_id,
            draft_id=draft_id,
        )
        if state:
            self.apply_state(state)
        self.keeper.start(restored=bool(state))
        self.resize(self._fitting_width(), 680 if is_new else 600)
        self.adults.setFocus()
        self.adults.selectAll()

    def focus_order(self) -> list[QWidget]:
        """Every field and button in the order the form shows them (Tab follows it)."""
        order: list[QWidget] = [self.adults, *self.children.focus_order()]
        order += [self.district, self.access_route, self.sgb2_known, self.sgb2]
        order += [self.languages, self.interpreter, *self.consent_editor.focus_order()]
        order += [self.name, self.phone, self.address]
        order += [self.duplicates, *self.screening.focus_order()]
        if self.is_new:
            order += [self.contact_date, self.minutes, self.setting, *self.topics.widgets()]
            order += [self.contact_notes, *self.referral_targets.widgets()]
            order += [*self.referral_modes.widgets(), self.referral_status]
        else:
            order += [self.notes]
        return [*order, self.save_button, self.cancel_button]

    def _chain(self) -> None:
        if hasattr(self, "save_button"):
            chain_tab_order(self.focus_order())

    def _personal_fields(self) -> list[QLineEdit]:
        fields = [self.name, self.phone, self.address]
        return fields + ([self.contact_notes] if self.is_new else [self.notes])

    def _consents_changed(self) -> None:
        """Without a valid documentation consent the personal fields stay closed (what is
        stored already is shown, and kept unchanged); the consent part says why."""
        documented = self.consent_editor.documented()
        for field in self._personal_fields():
            field.setEnabled(documented)
            field.setToolTip("" if documented else anonymous_note())
        self.consent_editor.show_note(not documented)

    # -- drafts -------------------------------------------------------------------------------

    def draft_state(self) -> dict[str, Any]:
        """The form's fields as plain values (what a draft keeps)."""
        state: dict[str, Any] = {
            "adults": self.adults.value(),
            "children": [d.isoformat() for d in self.children.dates()],
            "district": self.district.code(),
            "access_route": self.access_route.code(),
            "sgb2_known": self.sgb2_known.isChecked(),
            "sgb2": self.sgb2.isChecked(),
            "languages": self.languages.text(),
            "interpreter": self.interpreter.isChecked(),
            "name": self.name.text(),
            "phone": self.phone.text(),
            "address": self.address.text(),
            "screening": self.screening.state(),
            "consents": self.consent_editor.state(),
        }
        if self.is_new:
            state |= {
                "contact_date": self.contact_date.date_value().isoformat(),
                "minutes": self.minutes.value(),
                "setting": self.setting.code(),
                "topics": self.topics.codes(),
                "contact_notes": self.contact_notes.text(),
                "referral_targets": self.referral_targets.codes(),
                "referral_modes": self.referral_modes.modes(),
                "referral_status": self.referral_status.code(),
            }
        else:
            state |= {
                "notes": self.notes.text(),
            }
        return state

    def apply_state(self, state: dict[str, Any]) -> None:
        """Fill the form from a draft (what :meth:`draft_state` returned); unknown keys and
        values that no longer fit are left out."""

        def date(key: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(str(state[key]))
            except (KeyError, ValueError):
                return None

        def text(key: str) -> str:
            value = state.get(key)
            return value if isinstance(value, str) else ""

        def codes(key: str) -> list[str]:
            value = state.get(key)
            return [c for c in value if isinstance(c, str)] if isinstance(value, list) else []

        if isinstance(state.get("adults"), int):
            self.adults.setValue(state["adults"])
        children = state.get("children")
        if isinstance(children, list):
            dates = []
            for value in children:
                try:
                    dates.append(dt.date.fromisoformat(str(value)))
                except ValueError:
                    continue
            self.children.set_dates(dates)
        self.district.set_code(state.get("district"))
        self.access_route.set_code(state.get("access_route"))
        self.sgb2_known.setChecked(bool(state.get("sgb2_known")))
        self.sgb2.setChecked(bool(state.get("sgb2")))
        self.languages.setText(text("languages"))
        self.interpreter.setChecked(bool(state.get("interpreter")))
        self.name.setText(text("name"))
        self.phone.setText(text("phone"))
        self.address.setText(text("address"))
        if isinstance(state.get("screening"), dict):
            self.screening.apply_state(state["screening"])
        self.consent_editor.apply_state(state.get("consents"))
        if self.is_new:
            if (contact_date := date("contact_date")) is not None:
                self.contact_date.set_date(contact_date)
            if isinstance(state.get("minutes"), int):
                self.minutes.setValue(state["minutes"])
            self.setting.set_code(state.get("setting"))
            self.topics.set_codes(codes("topics"))
            self.contact_notes.setText(text("contact_notes"))
            self.referral_targets.set_codes(codes("referral_targets"))
            modes = state.get("referral_modes")
            if isinstance(modes, dict):
                self.referral_modes.set_modes(
                    {k: v for k, v in modes.items() if isinstance(v, str) or v is None}
                )
            if state.get("referral_status"):
                self.referral_status.set_code(state.get("referral_status"))
        else:
            self.notes.setText(text("notes"))

    # -- loading and saving -----------------------------------------------------------------

    def _load(self, data: FamilyInput) -> None:
        self.adults.setValue(data.adults)
        self.children.set_dates(list(data.children))
        self.district.set_code(data.district)
        self.access_route.set_code(data.access_route)
        self.sgb2_known.setChecked(data.sgb2 is not None)
        self.sgb2.setChecked(bool(data.sgb2))
        self.languages.setText(", ".join(data.languages))
        self.interpreter.setChecked(bool(data.interpreter))
        self.name.setText(data.person_name or "")
        self.phone.setText(data.person_phone or "")
        self.address.setText(data.person_address or "")
        self.consent_editor.set_consents(data.consents)
        self.screening.load(data)
        self.notes.setText(data.notes or "")
        self.duplicates.hide()

    def family_input(self) -> FamilyInput:
        return dataclasses.replace(
            self._base,
            **self.screening.values(),
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
            consents=self.consent_editor.consents(),
            notes=self.notes.text() if self.family_id is not None else None,
        )

    def _fitting_width(self) -> int:
        """Wide enough that neither column is cut off (German labels are long), but not
        wider than the screen unless the screen is narrower than the form's usual 1120."""
        body = self.scroll.widget()
        margins = self.layout().contentsMargins() if self.layout() is not None else None
        frame = (margins.left() + margins.right()) if margins is not None else 0
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        needed = body.sizeHint().width() + bar + frame + 4
        screen = self.screen()
        available = screen.availableGeometry().width() if screen is not None else needed
        return min(max(1120, needed), max(1120, available))

    def is_empty_first_contact(self) -> bool:
        """No household data, no contact details and no topic: most likely an accident."""
        if not self.is_new:
            return False
        household = (
            self.adults.value() != DEFAULT_ADULTS
            or self.children.rows
            or self.district.code() is not None
            or self.sgb2_known.isChecked()
            or self.languages.text().strip()
            or self.interpreter.isChecked()
        )
        details = any(f.text().strip() for f in (self.name, self.phone, self.address))
        return not (household or details or self.topics.codes())

    def _confirm_empty(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Leeren Erstkontakt speichern?"),
            _(
                "Dieser Erstkontakt enthält keine Angaben zum Haushalt, keine Kontaktdaten "
                "und kein Thema. Trotzdem als neue Familie speichern?"
            ),
            parent=self,
        )
        save = box.addButton(_("Trotzdem speichern"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(_("Zurück zum Formular"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is save

    def save(self) -> None:
        """Store off the UI thread; close when stored, or list the problems and stay open."""
        if self.is_saving():
            return  # one save at a time: a second Enter must not record the family twice
        if self.is_empty_first_contact() and not self._confirm_empty():
            self.adults.setFocus()
            return
        if self._closing_for_lock or not self.isVisible():
            return  # the lock came while the question was open
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
                ReferralInput(
                    date=date,
                    target=t,
                    status=self.referral_status.code() or "",
                    mode=self.referral_modes.mode(t),
                )
                for t in self.referral_targets.codes()
            ]
            op = VaultOp(
                self, lambda api: api.families.record_first_contact(data, contact, referrals)
            )
        else:
            op = VaultOp(self, lambda api: api.families.update(family_id, data))
        self._start_saving()
        op.success(self._stored).failure(self._refused).run()

    def _stored(self, created: Created | None) -> None:
        self._saved()
        self.created = created
        self.stored()
        QDialog.accept(self)

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
        lines = [
            f'<a href="family:{r.id}">{_escape(r.code)}  {_escape(r.name)}</a>'
            + (f"  ({_escape(r.phone)})" if r.phone else "")
            for r in found
        ]
        self.duplicates.setText(
            _escape(_("Vielleicht schon erfasst (öffnen mit Klick oder Enter):"))
            + "<br>"
            + "<br>".join(lines)
        )
        self.duplicates.show()

    def _open_duplicate(self, link: str) -> None:
        """Close the form (what was typed stays a draft) and show the family named."""
        if not link.startswith("family:"):
            return
        self.open_family_id = int(link.removeprefix("family:"))
        self.close_for_lock()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            # Enter on a focused button presses that button ("Kind hinzufügen" adds a
            # child, it does not save the form); on a duplicate hint it opens the family.
            if isinstance(focused, QPushButton) and focused.isEnabled():
                focused.click()
                return
            if focused is self.duplicates:
                super().keyPressEvent(event)
                return
            # Enter saves from every other field, check boxes and dates included.
            self.save()
            return
        super().keyPressEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
