"""The first-start wizard: a passphrase (twice, with its strength) and the navigator's profile.

The passphrase page shows zxcvbn's estimate as it is typed and can suggest five random
German words (:class:`~lotse.ui.passphrase_dialog.NewPassphraseFields`). Finishing creates
the vault and stores the profile on the vault thread (Argon2id takes a moment), where the
vault's lock then belongs; the wizard closes once both are done.

On a new or replaced machine "Aus Sicherung wiederherstellen …" puts a backup into the
vault folder instead (:class:`~lotse.ui.backup_dialog.RestoreDialog`); the wizard then
emits :attr:`FirstStartWizard.restored` and closes, and the navigator unlocks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui import workers
from lotse.ui.backup_dialog import RestoreDialog
from lotse.ui.ops import show_failure
from lotse.ui.passphrase_dialog import NewPassphraseFields
from lotse.ui.policy_notice import PolicyNotice
from lotse.ui.profile_fields import ServiceLineField, SiteField
from lotse.usecases import Profile, VaultAPI
from lotse.usecases.settings import (
    check_profile,
    min_passphrase_length,
    service_line_catalogue,
    site_catalogue,
)


class PassphrasePage(QWizardPage):
    """The new passphrase twice, zxcvbn's estimate and "Passphrase vorschlagen"."""

    def __init__(self, min_length: int) -> None:
        super().__init__()
        self.min_length = min_length
        self.setTitle(_("Passphrase festlegen"))
        self.setSubTitle(
            _(
                "Lotse verschlüsselt alle Daten mit dieser Passphrase. Ohne sie kommt niemand "
                "an die Daten – auch Sie nicht. Mindestens {n} Zeichen; mehrere zufällige "
                "Wörter sind gut zu merken und schwer zu erraten."
            ).format(n=min_length)
        )
        self.fields = NewPassphraseFields(min_length)
        self.first, self.second = self.fields.first, self.fields.second
        self.meter, self.rule = self.fields.meter, self.fields.rule
        layout = QVBoxLayout(self)
        # A bad machine policy is never silently ignored: which lines, and what applies.
        self.policy_notice = PolicyNotice(self)
        layout.addWidget(self.policy_notice)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        self.fields.changed.connect(self.completeChanged)

    def problem(self) -> str | None:
        return self.fields.problem()

    def isComplete(self) -> bool:
        return self.fields.is_complete()


class ProfilePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Über Sie"))
        self.setSubTitle(
            _(
                "Name, Standort und Arbeitsbereich stehen nur in Ihrem Tresor und auf Ihren "
                "Berichten. Sie können sie später in den Einstellungen ändern."
            )
        )
        self.name = QLineEdit()
        # No vault yet: the organisation's catalogues come from the machine policy.
        self.site_field = SiteField(site_catalogue())
        self.site = self.site_field.widget
        self.other = QLineEdit()
        self.other.setPlaceholderText(_("Arbeitsbereich, falls „Sonstiges“"))
        self.service_field = ServiceLineField(service_line_catalogue(), self.other)
        self.service_line = self.service_field.widget
        form = QFormLayout(self)
        for text, widget in (
            (_("Ihr &Name"), self.name),
            (_("&Standort"), self.site),
            (_("&Arbeitsbereich"), self.service_line),
            (_("Sonstiger Arbeitsbereich"), self.other),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)

    def profile(self) -> Profile:
        service_line, other = self.service_field.values()
        return Profile(self.name.text(), self.site_field.text(), service_line, other)


class FirstStartWizard(QWizard):
    """Creates the vault in ``folder``; :attr:`api` is the open vault's API afterwards."""

    #: emitted (before the wizard closes) once a backup was restored into ``folder``
    restored = Signal()

    def __init__(self, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.api: VaultAPI | None = None
        self._creating = False
        self.restored_from_backup = False
        self.setObjectName("first_start_wizard")
        self.setWindowTitle(_("Willkommen bei Lotse"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Weiter"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Zurück"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Tresor anlegen"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Abbrechen"))
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(
            QWizard.WizardButton.CustomButton1, _("Aus Sicherung wiederherstellen …")
        )
        self.button(QWizard.WizardButton.CustomButton1).setObjectName("wizard_restore")
        self.customButtonClicked.connect(lambda _which: self.restore_backup())
        self.currentIdChanged.connect(self._show_restore_button)
        self.min_length = min_passphrase_length()
        self.passphrase_page = PassphrasePage(self.min_length)
        self.profile_page = ProfilePage()
        self.addPage(self.passphrase_page)
        self.addPage(self.profile_page)
        intro = QLabel(_("Der Tresor wird angelegt in: {folder}").format(folder=self.folder))
        intro.setWordWrap(True)
        self.profile_page.layout().addRow(intro)
        self.resize(680, 480)

    def _show_restore_button(self, page_id: int) -> None:
        # Only at the start: once a profile is being entered, a new vault is the plan.
        first = self.pageIds()[0] if self.pageIds() else page_id
        self.button(QWizard.WizardButton.CustomButton1).setVisible(page_id == first)

    def restore_backup(self) -> None:
        """Restore a backup into the folder instead of creating a new vault."""
        if self._creating:
            return
        dialog = RestoreDialog(self.folder, self)
        dialog.exec()
        done = dialog.outcome is not None
        dialog.deleteLater()
        if done:
            self.restored_from_backup = True
            self.passphrase_page.fields.forget()
            self.restored.emit()
            self.done(QDialog.DialogCode.Rejected)

    def accept(self) -> None:
        """Create the vault and store the profile on the vault thread, then close."""
        if self._creating:
            return
        folder, passphrase = self.folder, self.passphrase_page.first.text()
        min_length, profile = self.min_length, self.profile_page.profile()

        def create(_progress: object) -> VaultAPI:
            check_profile(profile)  # before the vault exists: a refused profile leaves none
            api = VaultAPI.create(folder, passphrase, min_length=min_length)
            try:
                api.settings.save_profile(profile)
            except BaseException:
                api.close()
                raise
            return api

        self._creating = True
        self._enable_buttons(False)
        workers.start_on_vault_thread(create, self._created, self._failed)

    def _enable_buttons(self, on: bool) -> None:
        # While the vault is being created, neither finish twice nor cancel half-way.
        for which in (
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.CustomButton1,
        ):
            self.button(which).setEnabled(on)

    def reject(self) -> None:
        if not self._creating:
            self.passphrase_page.fields.forget()
            super().reject()

    def is_creating(self) -> bool:
        return self._creating

    def _created(self, api: VaultAPI) -> None:
        self._creating = False
        self.api = api
        self.passphrase_page.fields.forget()
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._creating = False
        self._enable_buttons(True)
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        QMessageBox.warning(self, _("Tresor anlegen"), error.message)
