"""How each referral of a first contact is made: a mode beside each ticked target.

The first-contact form ticks referral targets in a check-box grid; for each ticked one this
widget shows a line "target: [mode]" (information, contact made, accompanied …; records.md
``referral.mode``), in the grid's order, so Tab goes from the targets to their modes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from lotse.catalogues import REFERRAL_MODES, REFERRAL_TARGETS
from lotse.i18n import _
from lotse.ui.widgets import CheckGrid, CodeCombo


class ReferralModes(QWidget):
    """A mode picker for each target ticked in ``targets``; emits :attr:`changed` when a
    line comes or goes (the form chains its Tab order again)."""

    changed = Signal()

    def __init__(self, targets: CheckGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referral_modes")
        self.targets = targets
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.combos: dict[str, CodeCombo] = {}
        #: Modes chosen for targets ticked off again: ticking them once more brings them back.
        self._remembered: dict[str, str | None] = {}
        for box in targets.boxes.values():
            box.toggled.connect(lambda _on: self._update())
        self.hide()

    def _update(self) -> None:
        ticked = self.targets.codes()
        if list(self.combos) == ticked:
            return
        for code, combo in self.combos.items():
            self._remembered[code] = combo.code()
        while self._layout.rowCount():
            self._layout.removeRow(0)  # deletes the label and the combo
        self.combos = {}
        for code in ticked:
            combo = CodeCombo(REFERRAL_MODES, _("– Art nicht angegeben –"))
            label = REFERRAL_TARGETS.label(code)
            combo.setAccessibleName(_("Art der Vermittlung an {target}").format(target=label))
            combo.set_code(self._remembered.get(code))
            self._layout.addRow(QLabel(label), combo)
            self.combos[code] = combo
        self.setVisible(bool(ticked))
        self.changed.emit()

    def mode(self, target: str) -> str | None:
        """The mode chosen for ``target`` (None: not stated)."""
        combo = self.combos.get(target)
        return combo.code() if combo is not None else None

    def modes(self) -> dict[str, str | None]:
        return {code: combo.code() for code, combo in self.combos.items()}

    def set_modes(self, modes: dict[str, str | None]) -> None:
        """Choose the modes of ticked targets (those of others are kept for when ticked)."""
        self._remembered.update(modes)
        for code, combo in self.combos.items():
            if code in modes:
                combo.set_code(modes[code])

    def widgets(self) -> list[QWidget]:
        return list(self.combos.values())
