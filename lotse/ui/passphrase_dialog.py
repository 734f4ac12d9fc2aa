"""Choosing a passphrase: the fields with their live strength estimate, and changing it.

:class:`NewPassphraseFields` is what the first-start wizard and the passphrase dialog
share: the new passphrase twice, zxcvbn's estimate (with German words) as a meter, the
first rule it breaks (the policy's minimum length, or what makes it guessable), and
"Passphrase vorschlagen", which fills in five random German words and shows them once so
they can be written down. The suggestion is shown as plain text that cannot be selected,
and the password fields do not copy: it does not go through the clipboard, and whatever
equals it is cleared from the clipboard when the fields are done.

:class:`PassphraseDialog` (Datei → Passphrase ändern …) re-wraps the data key under the
new passphrase; :func:`change_passphrase` then offers to renew the data key, which
re-encrypts the whole vault on the vault thread behind a modal busy indicator, so nothing
else reaches the vault until it is done.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lotse.errors import LotseError, WrongPassphraseError
from lotse.i18n import _
from lotse.ui import clipboard
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.window_fit import fit_height
from lotse.usecases import VaultAPI, vault_admin
from lotse.usecases.settings import min_passphrase_length

ERROR_STYLE = "color: #b3261e;"
GOOD_STYLE = "color: #1b6e20;"
_METER = (
    "QProgressBar {{ border: 1px solid palette(mid); border-radius: 3px; text-align: center; "
    "background: palette(base); }} QProgressBar::chunk {{ background-color: {colour}; }}"
)
METER_GOOD = _METER.format(colour="#8bc98e")
METER_WEAK = _METER.format(colour="#ef9a9a")


def password_field(name: str, accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)  # Qt copies nothing out of these
    field.setAccessibleName(accessible)
    return field


class NewPassphraseFields(QWidget):
    """A new passphrase twice, its strength and the rule it breaks; emits :attr:`changed`."""

    changed = Signal()

    def __init__(self, min_length: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_length = min_length
        self._suggested = ""
        self.first = password_field("new_passphrase", _("Neue Passphrase"))
        self.second = password_field("repeat_passphrase", _("Passphrase wiederholen"))
        self.meter = QProgressBar()
        self.meter.setObjectName("passphrase_meter")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName(_("Stärke der Passphrase"))
        self.rule = QLabel()
        self.rule.setObjectName("passphrase_rule")
        self.rule.setWordWrap(True)
        self.suggest_button = QPushButton(_("Passphrase &vorschlagen"))
        self.suggest_button.setObjectName("suggest_passphrase")
        self.suggest_button.clicked.connect(self.suggest)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("passphrase_suggestion")
        self.suggestion.setWordWrap(True)
        # Shown to be written down, not copied: no selection, so no clipboard.
        self.suggestion.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion.hide()

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        l1, l2 = QLabel(_("&Passphrase")), QLabel(_("&Wiederholen"))
        l1.setBuddy(self.first)
        l2.setBuddy(self.second)
        first_row = QHBoxLayout()
        first_row.addWidget(self.first, 1)
        first_row.addWidget(self.suggest_button)
        form.addRow(l1, first_row)
        form.addRow(self.suggestion)
        form.addRow(l2, self.second)
        form.addRow(QLabel(_("Stärke")), self.meter)
        form.addRow(self.rule)
        self.first.textChanged.connect(self._changed)
        self.second.textChanged.connect(self._changed)
        self._changed()

    def passphrase(self) -> str:
        return self.first.text()

    def suggest(self) -> None:
        """Fill in random German words and show them to be written down (and typed again)."""
        words = vault_admin.suggest_passphrase()
        self._suggested = words
        self.first.setText(words)
        self.second.clear()
        shown = (
            "<span style='font-family: monospace; font-size: large'>"
            f"<b>{html.escape(words)}</b></span>"
        )
        advice = _(
            "Schreiben Sie ihn auf und geben Sie ihn zur Bestätigung unten noch einmal ein "
            "({bits} Bit Zufall)."
        ).format(bits=vault_admin.suggestion_bits())
        self.suggestion.setText(
            html.escape(_("Vorschlag:")) + " " + shown + "<br>" + html.escape(advice)
        )
        self.suggestion.show()
        self.second.setFocus()
        self.changed.emit()

    def problem(self) -> str | None:
        """The first rule the entries break (translated), or ``None``."""
        text = self.first.text()
        try:
            vault_admin.check_new_passphrase(text, self.min_length)
        except LotseError as error:
            return error.message
        if not self.second.text():
            return _("Geben Sie die Passphrase zur Bestätigung noch einmal ein.")
        if self.second.text() != text:
            return _("Die beiden Eingaben stimmen nicht überein.")
        return None

    def _changed(self) -> None:
        text = self.first.text()
        if self._suggested and text != self._suggested:
            self._suggested = ""  # typed over: the words shown no longer apply
            self.suggestion.clear()
            self.suggestion.hide()
        estimate = vault_admin.strength(text)
        self.meter.setValue(estimate.score)
        # zxcvbn's "gut" (score 3) is still below Lotse's bar: say so on the meter itself.
        enough = estimate.acceptable and bool(text)
        if not text:
            self.meter.setFormat("")
        elif enough:
            self.meter.setFormat(estimate.label)
        else:
            self.meter.setFormat(_("{label} – reicht nicht").format(label=estimate.label))
        self.meter.setStyleSheet(METER_GOOD if enough else METER_WEAK)
        problem = self.problem() if text else None
        if problem:
            self.rule.setStyleSheet(ERROR_STYLE)
            self.rule.setText(problem)
        elif text:
            self.rule.setStyleSheet(GOOD_STYLE)
            self.rule.setText(_("Die Passphrase erfüllt alle Regeln."))
        else:
            self.rule.clear()
        self.changed.emit()

    def is_complete(self) -> bool:
        return self.problem() is None

    def forget(self) -> None:
        """Clear the fields and the suggestion; clear the clipboard if it holds either."""
        clipboard.clear_if_equal(self.first.text(), self.second.text(), self._suggested)
        self._suggested = ""
        self.suggestion.clear()
        self.suggestion.hide()
        self.first.clear()
        self.second.clear()


class PassphraseDialog(QDialog):
    """Datei → Passphrase ändern …: the current passphrase, the new one twice.

    Accepted once the vault's header has the new passphrase; :attr:`new_passphrase` then
    holds it until :func:`change_passphrase` has offered the key rotation.
    """

    def __init__(
        self, api: VaultAPI, parent: QWidget | None = None, min_length: int | None = None
    ) -> None:
        super().__init__(parent)
        self.api = api
        self._saving = False
        self.new_passphrase = ""
        self.setObjectName("passphrase_dialog")
        self.setWindowTitle(_("Passphrase ändern"))
        length = min_passphrase_length() if min_length is None else min_length
        intro = QLabel(
            _(
                "Die neue Passphrase öffnet den Tresor ab sofort; die bisherige nicht mehr. "
                "Mindestens {n} Zeichen. Mehrere zufällige Wörter sind gut zu merken und "
                "schwer zu erraten."
            ).format(n=length)
        )
        intro.setWordWrap(True)
        self.old = password_field("old_passphrase", _("Bisherige Passphrase"))
        self.fields = NewPassphraseFields(length)
        old_form = QFormLayout()
        old_label = QLabel(_("&Bisherige Passphrase"))
        old_label.setBuddy(self.old)
        old_form.addRow(old_label, self.old)
        self.progress = QProgressBar()
        self.progress.setObjectName("passphrase_progress")
        self.progress.setRange(0, 0)  # busy: Argon2id takes a moment by design
        self.progress.setFormat(_("Passphrase wird geändert …"))
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("passphrase_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Passphrase ändern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(old_form)
        layout.addWidget(self.fields)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.old.textChanged.connect(self._update)
        self.fields.changed.connect(self._update)
        self._update()
        self.resize(620, 0)
        self.old.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def _update(self) -> None:
        self.ok_button.setEnabled(
            not self._saving and bool(self.old.text()) and self.fields.is_complete()
        )
        if self.isVisible():
            fit_height(self)  # the rule or the suggestion may need another line

    def is_saving(self) -> bool:
        return self._saving

    def accept(self) -> None:
        """Re-wrap the data key under the new passphrase on the vault thread."""
        if self._saving or not self.ok_button.isEnabled():
            return
        old, new = self.old.text(), self.fields.passphrase()
        self._set_saving(True)
        VaultOp(self, lambda api: api.vault_admin.change_passphrase(old, new)).success(
            lambda _none: self._changed(new)
        ).failure(self._failed).run()

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        self.progress.setVisible(on)
        for widget in (self.old, self.fields, self.buttons):
            widget.setEnabled(not on)
        if on:
            self.message.clear()
        self._update()

    def _changed(self, new: str) -> None:
        self._set_saving(False)
        self.new_passphrase = new
        self._forget()
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, WrongPassphraseError):
            self.message.setText(error.message)
            self.old.selectAll()
            self.old.setFocus()
        elif isinstance(error, LotseError):
            self.message.setText(error.message)
        else:
            show_failure(self, error)
        fit_height(self)

    def _forget(self) -> None:
        clipboard.clear_if_equal(self.old.text())
        self.old.clear()
        self.fields.forget()

    def reject(self) -> None:
        if self._saving:
            return  # the header is being written: it finishes, then the dialog closes
        self._forget()
        super().reject()


def ask_rotation(parent: QWidget) -> bool:
    """Whether to renew the data key too (asked after a passphrase change; "no" is default)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Passphrase geändert"),
        _("Auch den Datenschlüssel erneuern?"),
        parent=parent,
    )
    box.setObjectName("rotation_question")
    box.setInformativeText(
        _(
            "Die neue Passphrase gilt. Ältere Kopien der Datei lotse-vault.json (etwa in "
            "einer Datensicherung des Rechners) öffnen den Tresor aber weiter mit der alten "
            "Passphrase: der Datenschlüssel darunter ist derselbe geblieben."
        )
        + "\n\n"
        + _(
            "Erneuern Sie ihn, wenn die alte Passphrase jemand anderem bekannt sein "
            "könnte: Lotse verschlüsselt dann den ganzen Tresor neu, und alte Kopien von "
            "lotse-vault.json öffnen ihn nicht mehr. Ihre bisherigen Sicherungen sind eigene "
            "Dateien und öffnen sich weiter mit der alten Passphrase: schreiben Sie danach "
            "eine neue Sicherung und vernichten Sie die alten. Bei großen Tresoren dauert "
            "das einige Sekunden."
        )
    )
    renew = box.addButton(_("Datenschlüssel erneuern"), QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton(_("Nicht jetzt"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(later)
    box.exec()
    return box.clickedButton() is renew


def rotate_key(
    parent: QWidget,
    passphrase: str,
    done: Callable[[bool], None] | None = None,
) -> QProgressDialog:
    """Re-encrypt the vault under a new data key, behind a modal busy indicator.

    Runs as one job on the vault thread, where every use case runs one after the other,
    and the indicator is application-modal without a cancel button: nothing else reaches
    the vault until it is done. The idle lock of ``parent`` (if it has one) waits too.
    ``done(True)`` after success; a failure is shown and gives ``done(False)``.
    """
    dialog = QProgressDialog(
        _("Der Tresor wird mit einem neuen Datenschlüssel verschlüsselt …"), "", 0, 0, parent
    )
    dialog.setObjectName("rotation_progress")
    dialog.setWindowTitle(_("Datenschlüssel erneuern"))
    dialog.setCancelButton(None)  # a rekey cannot stop half-way
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.show()
    idle = getattr(parent, "idle", None)
    if idle is not None:
        idle.stop()

    def finish(ok: bool) -> None:
        dialog.close()
        dialog.deleteLater()
        if idle is not None:
            idle.start()
        if done is not None:
            done(ok)

    def failed(error: BaseException) -> None:
        finish(False)
        show_failure(parent, error)

    VaultOp(parent, lambda api: api.vault_admin.rotate_key(passphrase)).success(
        lambda _none: finish(True)
    ).failure(failed).run()
    return dialog


def change_passphrase(parent: QWidget, after: Callable[[str], None] | None = None) -> None:
    """The whole flow of Datei → Passphrase ändern …; ``parent.api`` is the vault's API.

    ``after`` gets a line for the status bar once everything is done.
    """
    api: VaultAPI = parent.api  # type: ignore[attr-defined]
    dialog = PassphraseDialog(api, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    new, dialog.new_passphrase = dialog.new_passphrase, ""
    dialog.deleteLater()
    if not accepted or not new:
        return
    if not ask_rotation(parent):
        if after is not None:
            after(_("Die Passphrase wurde geändert."))
        return

    def rotated(ok: bool) -> None:
        if not ok:
            return
        QMessageBox.information(
            parent,
            _("Datenschlüssel erneuern"),
            _(
                "Der Datenschlüssel ist erneuert: ältere Kopien von lotse-vault.json öffnen "
                "den Tresor nicht mehr. Schreiben Sie jetzt eine neue Sicherung (Datei → "
                "Sicherung …) und vernichten Sie die alten: sie öffnen sich weiter mit der "
                "alten Passphrase."
            ),
        )
        if after is not None:
            after(_("Passphrase geändert und Datenschlüssel erneuert."))

    rotate_key(parent, new, rotated)
