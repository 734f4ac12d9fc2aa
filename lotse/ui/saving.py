"""Dialogs that store through the use cases: one save at a time, refusals shown in place.

Mixed into a :class:`~PySide6.QtWidgets.QDialog` that has ``save_button`` and a hidden
``problems`` label. While a save runs off the UI thread the button is off and a second
Enter does nothing (it must not store twice); a refused save (a
:class:`~lotse.errors.LotseError`) lists its reasons in ``problems`` and the dialog stays
open with everything typed; any other failure is shown as the window shows bugs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from lotse.errors import LotseError
from lotse.ui.ops import show_failure


class SavesInPlace:
    save_button: QPushButton
    problems: QLabel
    _saving = False

    def is_saving(self) -> bool:
        """Whether a save is on its way (the dialog closes itself when it is stored)."""
        return self._saving

    def _start_saving(self) -> None:
        """Mark a save as running (callers asked :meth:`is_saving` before they asked more)."""
        self._saving = True
        self.save_button.setEnabled(False)

    def _saved(self) -> None:
        """The save is over (stored or refused): the button works again."""
        self._saving = False
        self.save_button.setEnabled(True)

    def _refused(self, error: BaseException) -> None:
        self._saved()
        if not isinstance(error, LotseError):
            show_failure(self if isinstance(self, QWidget) else None, error)
            return
        self.problems.setText("\n".join([error.message, *error.details]))
        self.problems.show()
