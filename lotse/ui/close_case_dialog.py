"""Closing a family's accompaniment: the date it ended and why (records.md ``closure_reason``).

Opened from the family detail. Keyboard only: the reason is a list with type-ahead
("an" finds "An eine andere Stelle übergeben"), Enter closes the case, Esc cancels. The
reason must be chosen (the statistics count closures by reason); the case is closed off
the UI thread (:class:`~lotse.ui.ops.VaultOp`) and the dialog closes once it is stored.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lotse.catalogues import CLOSURE_REASONS
from lotse.i18n import _
from lotse.ui.ops import VaultOp
from lotse.ui.saving import SavesInPlace
from lotse.ui.widgets import CodeCombo, DateEdit, add_row, chain_tab_order
from lotse.usecases import VaultAPI


class CloseCaseDialog(SavesInPlace, QDialog):
    """Close the accompaniment of family ``family_id`` (``subject`` names it)."""

    def __init__(
        self,
        api: VaultAPI,
        family_id: int,
        subject: str = "",
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.family_id = family_id
        self.setObjectName("close_case_dialog")
        title = _("Begleitung abschließen")
        self.setWindowTitle(f"{title} – {subject}" if subject else title)
        intro = QLabel(
            _(
                "Die Familie bleibt mit allem Erfassten gespeichert; die Begleitung lässt sich "
                "wieder öffnen."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.date = add_row(form, _("&Abgeschlossen am"), DateEdit(today or dt.date.today()))
        self.reason = add_row(form, _("&Grund"), CodeCombo(CLOSURE_REASONS, _("– bitte wählen –")))
        self.problems = QLabel()
        self.problems.setObjectName("form_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.problems.setAccessibleName(_("Fehler in der Eingabe"))
        self.problems.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            _("Abschließen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(
            _("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        chain_tab_order([self.date, self.reason, self.save_button, self.cancel_button])
        self.setMinimumWidth(460)
        self.reason.setFocus()

    def save(self) -> None:
        """Close the case off the UI thread; close the dialog when stored, else say why."""
        if self.is_saving():
            return  # one save at a time: a second Enter must not store twice
        family_id, day, reason = self.family_id, self.date.date_value(), self.reason.code()
        self._start_saving()
        VaultOp(self, lambda api: api.families.close(family_id, day, reason)).success(
            self._stored
        ).failure(self._refused).run()

    def _stored(self, _result: object) -> None:
        self._saved()
        self.accept()
