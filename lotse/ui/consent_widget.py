"""The consent register in the window: the form's editor, the family's panel, withdrawal.

- :class:`ConsentEditor` (in the family form): the consents recorded so far, one line
  each, and the purposes given today (none ticked in advance: the family chooses). It
  says, beside the contact person, why name, phone, address and notes stay closed while
  there is no valid consent to documentation (:mod:`lotse.casework.consent`).
- :class:`ConsentPanel` (in the family's pane): the register as it stands, with
  "Widerruf erfassen …" and "Auskunft (Art. 15) …".
- :class:`WithdrawDialog`: which consent, since when; withdrawing ``documentation``
  offers to erase the personal data at once (ticked: what the family usually wants).

Every change goes through the use cases off the UI thread (:class:`~lotse.ui.ops.VaultOp`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lotse.catalogues import CONSENT_PURPOSES
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.widgets import CheckGrid, DateEdit, add_row, german_date
from lotse.usecases import VaultAPI
from lotse.usecases.consent import ConsentAPI, ConsentInput, Withdrawal

#: Purposes that name a recipient (required for ``transfer``).
_WITH_RECIPIENT = ("referral", "transfer")


def consent_line(consent: ConsentInput) -> str:
    """One consent in a line: purpose, since when, for whom, withdrawn when."""
    text = _("{purpose} seit {date}").format(
        purpose=CONSENT_PURPOSES.label(consent.purpose), date=german_date(consent.date)
    )
    if consent.recipient:
        text += " · " + _("an {recipient}").format(recipient=consent.recipient)
    if consent.form_language:
        text += " · " + _("Formular: {code}").format(code=consent.form_language)
    if consent.withdrawn:
        text += " · " + _("widerrufen am {date}").format(date=german_date(consent.withdrawn))
    return text


def anonymous_note() -> str:
    return _(
        "Ohne gültige Einwilligung zur Dokumentation bleibt die Familie anonym: Name, "
        "Telefon, Adresse und Notizen werden nicht gespeichert (nur Code und Angaben für "
        "die Statistik)."
    )


class ConsentEditor(QGroupBox):
    """The form's consent part; :attr:`changed` when what it would store changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("E&inwilligungen"), parent)
        self.setObjectName("consent_editor")
        self._stored: list[ConsentInput] = []
        self.recorded = QListWidget()
        self.recorded.setObjectName("consents_recorded")
        self.recorded.setAccessibleName(_("Erfasste Einwilligungen"))
        self.recorded.setMaximumHeight(74)
        self.remove_button = QPushButton(_("Entfernen"))
        self.remove_button.setObjectName("consent_remove")
        self.remove_button.setAccessibleName(_("Erfasste Einwilligung entfernen"))
        self.remove_button.setToolTip(
            _("Eine versehentlich erfasste Einwilligung entfernen (ein Widerruf bleibt)")
        )
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._remove_selected)
        self.recorded.currentRowChanged.connect(lambda _row: self._update_remove())

        self.purposes = CheckGrid(CONSENT_PURPOSES, columns=2)
        for box in self.purposes.widgets():
            box.toggled.connect(self._purposes_changed)
        self.date = DateEdit()
        self.date.setAccessibleName(_("Datum der neuen Einwilligung"))
        self.date.dateChanged.connect(lambda _d: self.changed.emit())
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText(_("Stelle, an die Daten gehen dürfen"))
        self.form_language = QLineEdit()
        self.form_language.setMaxLength(2)
        self.form_language.setPlaceholderText(_("z. B. de, tr"))
        self.note = QLabel(anonymous_note())
        self.note.setObjectName("anonymous_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a4b00;")

        recorded_row = QHBoxLayout()
        recorded_row.addWidget(self.recorded, 1)
        recorded_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        add_row(form, _("Neu erteilt für"), self.purposes)
        add_row(form, _("am"), self.date)
        add_row(form, _("Empfänger"), self.recipient)
        add_row(form, _("Sprache des Formulars"), self.form_language)
        layout = QVBoxLayout(self)
        layout.addLayout(recorded_row)
        layout.addLayout(form)
        layout.addWidget(self.note)
        self._show_recorded()
        self._purposes_changed()

    # -- what it holds --------------------------------------------------------------------

    def set_consents(self, consents: list[ConsentInput]) -> None:
        """The consents recorded so far (stored, or from a draft)."""
        self._stored = list(consents)
        self._show_recorded()
        self.changed.emit()

    def recorded_consents(self) -> list[ConsentInput]:
        return list(self._stored)

    def new_consents(self) -> list[ConsentInput]:
        """One consent per purpose ticked, given on the date chosen."""
        recipient = self.recipient.text().strip() or None
        language = self.form_language.text().strip().lower() or None
        return [
            ConsentInput(
                code,
                self.date.date_value(),
                recipient=recipient if code in _WITH_RECIPIENT else None,
                form_language=language,
            )
            for code in self.purposes.codes()
        ]

    def consents(self) -> list[ConsentInput]:
        """What the form stores: the recorded consents and the new ones."""
        return self.recorded_consents() + self.new_consents()

    def documented(self, today: dt.date | None = None) -> bool:
        """Whether personal data may be stored with these consents today."""
        return ConsentAPI.may_document(self.consents(), today or dt.date.today())

    def state(self) -> dict[str, Any]:
        """The editor's content for a draft (plain JSON values)."""
        return {
            "recorded": [_plain(c) for c in self._stored],
            "purposes": self.purposes.codes(),
            "date": self.date.date_value().isoformat(),
            "recipient": self.recipient.text(),
            "form_language": self.form_language.text(),
        }

    def apply_state(self, state: Any) -> None:
        if not isinstance(state, dict):
            return
        recorded = [c for c in map(_consent, state.get("recorded") or []) if c is not None]
        codes = state.get("purposes")
        self.purposes.set_codes(
            [c for c in codes if isinstance(c, str)] if isinstance(codes, list) else []
        )
        date = _date(state.get("date"))
        if date is not None:
            self.date.set_date(date)
        self.recipient.setText(str(state.get("recipient") or ""))
        self.form_language.setText(str(state.get("form_language") or ""))
        self.set_consents(recorded)

    def focus_order(self) -> list[QWidget]:
        return [
            self.recorded,
            self.remove_button,
            *self.purposes.widgets(),
            self.date,
            self.recipient,
            self.form_language,
        ]

    # -- behaviour --------------------------------------------------------------------------

    def _show_recorded(self) -> None:
        self.recorded.clear()
        for consent in self._stored:
            item = QListWidgetItem(consent_line(consent))
            if consent.withdrawn:
                item.setForeground(Qt.GlobalColor.gray)
            self.recorded.addItem(item)
        if not self._stored:
            self.recorded.addItem(QListWidgetItem(_("Noch keine Einwilligung erfasst")))
        self.recorded.setEnabled(bool(self._stored))
        self._update_remove()

    def _update_remove(self) -> None:
        row = self.recorded.currentRow()
        removable = 0 <= row < len(self._stored) and self._stored[row].withdrawn is None
        self.remove_button.setEnabled(removable)

    def _remove_selected(self) -> None:
        row = self.recorded.currentRow()
        if 0 <= row < len(self._stored) and self._stored[row].withdrawn is None:
            del self._stored[row]
            self._show_recorded()
            self.changed.emit()

    def _purposes_changed(self) -> None:
        codes = self.purposes.codes()
        named = any(code in _WITH_RECIPIENT for code in codes)
        self.recipient.setEnabled(named)
        self.date.setEnabled(bool(codes))
        self.form_language.setEnabled(bool(codes))
        self.changed.emit()

    def show_note(self, anonymous: bool) -> None:
        self.note.setVisible(anonymous)


def _plain(consent: ConsentInput) -> dict[str, Any]:
    return {
        "purpose": consent.purpose,
        "date": consent.date.isoformat(),
        "recipient": consent.recipient,
        "withdrawn": consent.withdrawn.isoformat() if consent.withdrawn else None,
        "form_language": consent.form_language,
    }


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _consent(value: Any) -> ConsentInput | None:
    if not isinstance(value, dict) or not isinstance(value.get("purpose"), str):
        return None
    date = _date(value.get("date"))
    if date is None:
        return None
    recipient, language = value.get("recipient"), value.get("form_language")
    return ConsentInput(
        value["purpose"],
        date,
        recipient=recipient if isinstance(recipient, str) else None,
        withdrawn=_date(value.get("withdrawn")),
        form_language=language if isinstance(language, str) else None,
    )


# -- the family's pane ---------------------------------------------------------------------


class ConsentPanel(QWidget):
    """The family's consents and data-protection actions; :attr:`changed` after one."""

    changed = Signal()

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("consent_panel")
        self.family_id: int | None = None
        self.code = ""
        self._consents: list[ConsentInput] = []
        self.lines = QLabel()
        self.lines.setObjectName("consent_lines")
        self.lines.setWordWrap(True)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.withdraw_button = QPushButton(_("Widerruf erfassen …"))
        self.withdraw_button.setObjectName("withdraw_consent")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.report_button = QPushButton(_("Auskunft (Art. 15) …"))
        self.report_button.setObjectName("access_report")
        self.report_button.setToolTip(
            _("Alles, was über die Familie gespeichert ist, als PDF für die Familie")
        )
        self.report_button.clicked.connect(self.access_report)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(QLabel(_("Datenschutz:")))
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lines)
        layout.addLayout(buttons)
        self.clear()

    def clear(self) -> None:
        self.family_id, self.code, self._consents = None, "", []
        self.lines.clear()
        self.withdraw_button.setEnabled(False)
        self.report_button.setEnabled(False)

    def show_family(self, family_id: int, code: str, consents: list[ConsentInput]) -> None:
        self.family_id, self.code, self._consents = family_id, code, list(consents)
        today = dt.date.today()
        if consents:
            text = _("Einwilligungen: {list}").format(
                list="; ".join(consent_line(c) for c in consents)
            )
        else:
            text = _("Keine Einwilligung erfasst")
        if not ConsentAPI.may_document(consents, today):
            text += "\n" + _(
                "Die Familie wird anonym geführt (keine gültige Einwilligung zur Dokumentation)."
            )
        self.lines.setText(text)
        self.withdraw_button.setEnabled(any(c.withdrawn is None for c in consents))
        self.report_button.setEnabled(True)

    def withdraw(self) -> None:
        if self.family_id is None:
            return
        dialog = WithdrawDialog(self.api, self.family_id, self.code, self._consents, self)
        # Once stored, even if the dialog was closed while the vault was still at it.
        dialog.withdrawn.connect(lambda _result: self.changed.emit())
        dialog.exec()
        dialog.deleteLater()

    def access_report(self) -> None:
        if self.family_id is not None:
            save_access_report(self, self.family_id, self.code)


class WithdrawDialog(QDialog):
    """Record a withdrawal: which consent, since when, and (documentation) erase now?

    Emits :attr:`withdrawn` once the vault has stored it, then closes.
    """

    withdrawn = Signal(object)

    def __init__(
        self,
        api: VaultAPI,
        family_id: int,
        code: str,
        consents: list[ConsentInput],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.family_id = family_id
        self.result_: Withdrawal | None = None
        self._saving = False
        self.setObjectName("withdraw_dialog")
        self.setWindowTitle(_("Widerruf erfassen – {code}").format(code=code))
        self._indexes = [i for i, c in enumerate(consents) if c.withdrawn is None]
        self._consents = consents
        self.which = QListWidget()
        self.which.setObjectName("withdraw_which")
        self.which.setAccessibleName(_("Einwilligung, die widerrufen wird"))
        for i in self._indexes:
            self.which.addItem(consent_line(consents[i]))
        self.which.setCurrentRow(0)
        self.which.setMaximumHeight(110)
        self.date = DateEdit()
        self.erase = QCheckBox(_("Persönliche Daten der Familie jetzt löschen"))
        self.erase.setObjectName("withdraw_erase")
        self.erase.setChecked(True)
        self.erase_hint = QLabel(
            _(
                "Name, Telefon, Adresse und alle Notizen und Texte der Familie werden "
                "gelöscht; Code und Angaben für die Statistik bleiben. Das wird protokolliert "
                "(nur mit dem Code)."
            )
        )
        self.erase_hint.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("form_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.problems.hide()
        form = QFormLayout()
        add_row(form, _("Einwilligung"), self.which)
        add_row(form, _("Widerrufen am"), self.date)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            _("Widerruf speichern"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(_("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.erase)
        layout.addWidget(self.erase_hint)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.which.currentRowChanged.connect(lambda _row: self._update_erase())
        self._update_erase()
        self.resize(560, 0)

    def chosen(self) -> int | None:
        row = self.which.currentRow()
        return self._indexes[row] if 0 <= row < len(self._indexes) else None

    def _update_erase(self) -> None:
        index = self.chosen()
        documentation = index is not None and self._consents[index].purpose == "documentation"
        self.erase.setVisible(documentation)
        self.erase_hint.setVisible(documentation)

    def save(self) -> None:
        index = self.chosen()
        if index is None:
            return
        family_id, date = self.family_id, self.date.date_value()
        erase = self.erase.isVisible() and self.erase.isChecked()
        self.save_button.setEnabled(False)
        self._saving = True

        def refused(error: BaseException) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            if not isinstance(error, LotseError):
                show_failure(self, error)
                return
            self.problems.setText("\n".join([error.message, *error.details]))
            self.problems.show()

        VaultOp(self, lambda api: api.consents.withdraw(family_id, index, date, erase)).success(
            self._stored
        ).failure(refused).run()

    def is_saving(self) -> bool:
        """Whether the withdrawal is on its way to the vault (the dialog closes then)."""
        return self._saving

    def _stored(self, result: Withdrawal) -> None:
        self._saving = False
        self.result_ = result
        self.withdrawn.emit(result)
        self.accept()


def save_access_report(
    parent: QWidget, family_id: int, code: str, done: Callable[[Path], None] | None = None
) -> None:
    """Ask where, then write the family's access report (PDF, or JSON by the name)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Auskunft (Art. 15) speichern"),
        str(Path.home() / f"Auskunft-{code}.pdf"),
        _("PDF (*.pdf)") + ";;" + _("JSON (*.json)"),
    )
    if not name:
        return
    path = Path(name)

    def written(_fmt: str) -> None:
        QMessageBox.information(
            parent,
            _("Auskunft (Art. 15)"),
            _("Die Auskunft über Familie {code} ist gespeichert: {file}").format(
                code=code, file=path
            )
            + "\n\n"
            + _("Achtung: die Datei enthält personenbezogene Daten unverschlüsselt."),
        )
        if done is not None:
            done(path)

    VaultOp(parent, lambda api: api.access_report.write(family_id, path)).success(written).run()
