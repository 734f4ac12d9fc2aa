"""The screening block of the family form: when the service learned of the family, and the
short screening at the bedside or in the practice (issue 10).

Burden factors as check boxes in two columns, "Sorge des Fachpersonals" and "Wunsch der
Eltern", and the result, positive or not, shown as it is ticked, by the rule of records.md
(:func:`lotse.catalogues.screening_positive`) with the threshold in force (the
``screening_threshold`` option, read off the UI thread when the block is made).

Keyboard only, and quick: while "Screening" is not ticked, its fields are disabled, so Tab
passes over them. A new first contact's dates follow the contact's date until they are
changed by hand (a contact documented a day later was still identified that day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from lotse.catalogues import BURDEN_FACTORS, screening_positive
from lotse.i18n import _
from lotse.ui.ops import VaultOp
from lotse.ui.widgets import CheckGrid, DateEdit, add_row
from lotse.usecases import FamilyInput, VaultAPI
from lotse.usecases.settings import machine_value

POSITIVE_STYLE = "color: #8a4b00; font-weight: bold;"
NEGATIVE_STYLE = "color: palette(mid);"


class ScreeningBlock(QGroupBox):
    """Identified date and screening of one family; :meth:`values` gives the form's fields.

    Emits :attr:`changed` when the fields that take part in Tab change (the form then
    chains its Tab order again).
    """

    changed = Signal()

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(_("S&creening"), parent)
        self.setObjectName("screening_block")
        self.api = api
        # The machine's value until the vault's is read.
        self.threshold: int = int(machine_value("screening_threshold"))
        # Dates changed by hand no longer follow the contact's date.
        self._touched: set[str] = set()
        self._following = False
        self._identified_given = True

        form = QFormLayout(self)
        self.identified = DateEdit()
        add_row(form, _("Bekannt seit"), self.identified)
        self.identified.setToolTip(
            _(
                "Der Tag, an dem der Dienst von der Familie erfuhr: Screening, Hinweis aus "
                "Klinik oder Praxis, Anfrage der Familie"
            )
        )
        self.screened = QCheckBox(_("Screening durchgeführt"))
        self.screened.setAccessibleName(_("Screening durchgeführt"))
        self.date = DateEdit()
        self.date.setAccessibleName(_("Datum des Screenings"))
        top = QWidget()
        line = QHBoxLayout(top)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.screened)
        line.addWidget(QLabel(_("am")))
        line.addWidget(self.date, 1)
        form.addRow(top)
        self.factors = CheckGrid(BURDEN_FACTORS, columns=2)
        self.factors.setAccessibleName(_("Belastungsfaktoren"))
        form.addRow(self.factors)
        self.staff_concern = QCheckBox(_("Sorge des Fachpersonals"))
        self.staff_concern.setAccessibleName(_("Sorge des Fachpersonals"))
        self.own_request = QCheckBox(_("Wunsch der Eltern"))
        self.own_request.setAccessibleName(_("Wunsch der Eltern"))
        flags = QWidget()
        row = QHBoxLayout(flags)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.staff_concern)
        row.addWidget(self.own_request)
        row.addStretch(1)
        form.addRow(flags)
        self.result = QLabel()
        self.result.setObjectName("screening_result")
        self.result.setAccessibleName(_("Ergebnis des Screenings"))
        form.addRow(self.result)

        self.screened.toggled.connect(self._screened_toggled)
        for box in (*self.factors.boxes.values(), self.staff_concern, self.own_request):
            box.toggled.connect(self._show_result)
        self.identified.dateChanged.connect(lambda _d: self._touch("identified"))
        self.date.dateChanged.connect(lambda _d: self._touch("date"))
        self._screened_toggled(False)

        # Should the vault's value not be read, the machine's stays: nothing to say then.
        VaultOp(self, lambda api: api.settings.preference("screening_threshold")).success(
            self.set_threshold
        ).failure(lambda _error: None).run()

    # -- showing ------------------------------------------------------------------------------

    def set_threshold(self, threshold: Any) -> None:
        """Use ``threshold`` burden factors for a positive result (the option in force)."""
        self.threshold = int(threshold)
        self._show_result()

    def is_positive(self) -> bool:
        return self.screened.isChecked() and screening_positive(
            len(self.factors.codes()),
            self.staff_concern.isChecked(),
            self.own_request.isChecked(),
            self.threshold,
        )

    def _show_result(self, *_args: object) -> None:
        if not self.screened.isChecked():
            self.result.setText(_("Kein Screening"))
            self.result.setStyleSheet(NEGATIVE_STYLE)
        elif self.is_positive():
            self.result.setText(_("Screening positiv"))
            self.result.setStyleSheet(POSITIVE_STYLE)
        else:
            self.result.setText(
                _(
                    "Screening nicht positiv (positiv ab {n} Faktoren oder bei Sorge oder Wunsch)"
                ).format(n=self.threshold)
            )
            self.result.setStyleSheet(NEGATIVE_STYLE)
        self.result.setAccessibleDescription(self.result.text())

    def _screened_toggled(self, on: bool) -> None:
        for widget in (self.date, *self.factors.widgets(), self.staff_concern, self.own_request):
            widget.setEnabled(on)
        self._show_result()
        self.changed.emit()

    def _touch(self, which: str) -> None:
        if self._following:
            return
        self._touched.add(which)
        if which == "identified":
            self._identified_given = True
            # The screening is most often what made the family known: its date follows.
            self._follow("date", self.identified.date_value())

    def _follow(self, which: str, day: dt.date) -> None:
        if which in self._touched:
            return
        self._following = True
        try:
            (self.identified if which == "identified" else self.date).set_date(day)
        finally:
            self._following = False

    def follow_contact_date(self, day: dt.date) -> None:
        """A new first contact's date changed: dates not changed by hand follow it."""
        self._follow("identified", day)
        self._follow("date", self.identified.date_value())

    # -- the form's fields --------------------------------------------------------------------

    def focus_order(self) -> list[QWidget]:
        """The block's fields in the order shown (disabled ones are passed over by Tab)."""
        return [
            self.identified,
            self.screened,
            self.date,
            *self.factors.widgets(),
            self.staff_concern,
            self.own_request,
        ]

    def load(self, data: FamilyInput) -> None:
        """Show a stored family's identified date and screening."""
        self._following = True
        try:
            self._identified_given = data.identified is not None
            if data.identified is not None:
                self.identified.set_date(data.identified)
            self.screened.setChecked(data.screening_date is not None)
            if data.screening_date is not None:
                self.date.set_date(data.screening_date)
            self.factors.set_codes(data.screening_factors)
            self.staff_concern.setChecked(data.screening_staff_concern)
            self.own_request.setChecked(data.screening_own_request)
        finally:
            self._following = False
        # A stored family's dates never follow anything.
        self._touched = {"identified", "date"}
        self._show_result()

    def values(self) -> dict[str, Any]:
        """The :class:`FamilyInput` fields the block holds."""
        screened = self.screened.isChecked()
        return {
            # A stored family without the date keeps none unless it is set here.
            "identified": self.identified.date_value() if self._identified_given else None,
            "screening_date": self.date.date_value() if screened else None,
            "screening_factors": self.factors.codes() if screened else [],
            "screening_staff_concern": screened and self.staff_concern.isChecked(),
            "screening_own_request": screened and self.own_request.isChecked(),
        }

    def state(self) -> dict[str, Any]:
        """What a draft keeps of the block (plain values)."""
        return {
            "identified": self.identified.date_value().isoformat(),
            "identified_given": self._identified_given,
            "screened": self.screened.isChecked(),
            "screening_date": self.date.date_value().isoformat(),
            "screening_factors": self.factors.codes(),
            "staff_concern": self.staff_concern.isChecked(),
            "own_request": self.own_request.isChecked(),
        }

    def apply_state(self, state: dict[str, Any]) -> None:
        """Fill the block from a draft; values that no longer fit are left out."""
        for key, edit in (("identified", self.identified), ("screening_date", self.date)):
            try:
                day = dt.date.fromisoformat(str(state[key]))
            except (KeyError, ValueError):
                continue
            self._following = True
            try:
                edit.set_date(day)
            finally:
                self._following = False
            self._touched.add("identified" if key == "identified" else "date")
        self._identified_given = bool(state.get("identified_given", True))
        self.screened.setChecked(bool(state.get("screened")))
        factors = state.get("screening_factors")
        if isinstance(factors, list):
            self.factors.set_codes([c for c in factors if isinstance(c, str)])
        self.staff_concern.setChecked(bool(state.get("staff_concern")))
        self.own_request.setChecked(bool(state.get("own_request")))
        self._show_result()
