"""Dialogs of the group offers view: create or edit an offer, confirm a deletion.

The offer dialog stores through the use-case API, off the UI thread
(:class:`~lotse.ui.ops.VaultOp`), and closes once the vault has stored it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from lotse.catalogues import GROUP_CATEGORIES, Catalogue
from lotse.domain.fields import TITLE_LENGTH
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.catalogues import districts
from lotse.ui.ops import VaultOp, show_failure
from lotse.usecases import OfferRow, VaultAPI

ERROR_STYLE = "color: #b00020;"


def catalogue_combo(catalogue: Catalogue, current: str | None, parent: QWidget) -> QComboBox:
    """A combo box over a catalogue's labels, with "keine Angabe" (no value) first."""
    combo = QComboBox(parent)
    combo.addItem(_("– keine Angabe –"), None)
    for code in catalogue.codes:
        combo.addItem(catalogue.label(code), code)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    return combo


class OfferDialog(QDialog):
    """Create or edit a group offer; stays open and says why if the input is refused."""

    def __init__(self, api: VaultAPI, offer: OfferRow | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.api = api
        self._offer = offer
        self._saving = False
        #: the offer's id once it is stored (a new offer's id is known only then)
        self.offer_id: int | None = offer.id if offer else None
        self.setWindowTitle(_("Gruppenangebot bearbeiten") if offer else _("Neues Gruppenangebot"))
        self.setMinimumWidth(460)

        self.title_edit = QLineEdit(offer.title if offer else "", self)
        self.title_edit.setMaxLength(TITLE_LENGTH + 50)  # longer is refused with a message
        self.title_edit.setPlaceholderText(_("z. B. Elterncafé Lirich"))
        self.title_edit.setAccessibleName(_("Titel"))
        self.category_combo = catalogue_combo(
            GROUP_CATEGORIES, offer.category if offer else None, self
        )
        self.category_combo.setAccessibleName(_("Angebotsart"))
        self.district_combo = catalogue_combo(districts(), offer.district if offer else None, self)
        self.district_combo.setAccessibleName(_("Sozialraum"))

        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(_("&Titel:"), self.title_edit)
        form.addRow(_("&Angebotsart:"), self.category_combo)
        form.addRow(_("&Sozialraum:"), self.district_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.title_edit.setFocus()

    def accept(self) -> None:
        """Store off the UI thread; close when stored, or say why not and stay open."""
        if self._saving:
            return
        title = self.title_edit.text()
        category = self.category_combo.currentData()
        district = self.district_combo.currentData()
        offer = self._offer
        if offer is None:
            op = VaultOp(self, lambda api: api.groups.create_offer(title, category, district))
        else:

            def update(api: VaultAPI) -> int:
                api.groups.update_offer(offer.id, title, category, district)
                return offer.id

            op = VaultOp(self, update)
        self._saving = True
        op.success(self._stored).failure(self._refused).run()

    def _stored(self, offer_id: int) -> None:
        self._saving = False
        self.offer_id = offer_id
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self._saving = False
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        self.error_label.setText(error.message)
        self.error_label.show()
        self.title_edit.setFocus()

    def is_saving(self) -> bool:
        return self._saving


def confirm_deletion(parent: QWidget, title: str, text: str) -> bool:
    """Ask before deleting; "Abbrechen" is the default so Enter never deletes by accident."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    delete = box.addButton(_("Löschen"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete
