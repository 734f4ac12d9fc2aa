"""The first-start wizard: a passphrase (twice, with its strength) and the navigator's profile.

Finishing creates the vault and stores the profile on the vault thread (Argon2id takes a
moment), where the vault's lock then belongs; the wizard closes once both are done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QWizard,
    QWizardPage,
)

from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui import workers
from lotse.ui.ops import show_failure
from lotse.ui.policy_notice import PolicyNotice
from lotse.ui.profile_fields import ServiceLineField, SiteField
from lotse.usecases import Profile, VaultAPI
from lotse.usecases.settings import (
    check_profile,
    min_passphrase_length,
    service_line_catalogue,
    site_catalogue,
)
from lotse.vault.passphrase import check_passphrase


def strength(passphrase: str) -> tuple[int, str]:
    """A rough strength (0–4) and its word; length counts most, as for passphrases."""
    classes = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    score = min(len(passphrase) // 6, 3) + (1 if classes >= 3 else 0)
    score = min(score, 4)
    words = [_("sehr schwach"), _("schwach"), _("mittel"), _("gut"), _("stark")]
    return score, words[score]


class PassphrasePage(QWizardPage):
    def __init__(self, min_length: int) -> None:
        super().__init__()
        self.min_length = min_length
        self.setTitle(_("Passphrase festlegen"))
        self.setSubTitle(
            _(
                "Lotse verschlüsselt alle Daten mit dieser Passphrase. Ohne sie kommt niemand "
                "an die Daten – auch Sie nicht. Mindestens {n} Zeichen; ein Satz aus mehreren "
                "Wörtern ist gut zu merken."
            ).format(n=min_length)
        )
        self.first = QLineEdit()
        self.first.setObjectName("new_passphrase")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(_("Neue Passphrase"))
        self.second = QLineEdit()
        self.second.setObjectName("repeat_passphrase")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(_("Passphrase wiederholen"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName(_("Stärke der Passphrase"))
        self.rule = QLabel()
        self.rule.setObjectName("passphrase_rule")
        self.rule.setWordWrap(True)
        form = QFormLayout(self)
        l1, l2 = QLabel(_("&Passphrase")), QLabel(_("&Wiederholen"))
        l1.setBuddy(self.first)
        l2.setBuddy(self.second)
        form.addRow(l1, self.first)
        form.addRow(l2, self.second)
        form.addRow(QLabel(_("Stärke")), self.meter)
        form.addRow(self.rule)
        # A bad machine policy is never silently ignored: which lines, and what applies.
        self.policy_notice = PolicyNotice(self)
        form.insertRow(0, self.policy_notice)
        self.first.textChanged.connect(self._changed)
        self.second.textChanged.connect(self._changed)
        self._changed()

    def problem(self) -> str | None:
        text = self.first.text()
        try:
            check_passphrase(text, self.min_length)
        except LotseError as error:
            return error.message
        if self.second.text() != text:
            return _("Die beiden Eingaben stimmen nicht überein.")
        return None

    def _changed(self) -> None:
        score, word = strength(self.first.text())
        self.meter.setValue(score)
        self.meter.setFormat(word)
        problem = self.problem() if self.first.text() else None
        if problem:
            self.rule.setStyleSheet("color: #b3261e;")
            self.rule.setText(problem)
        elif self.first.text():
            self.rule.setStyleSheet("color: #1b6e20;")
            self.rule.setText(_("Die Passphrase erfüllt alle Regeln."))
        else:
            self.rule.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.problem() is None


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

    def __init__(self, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.api: VaultAPI | None = None
        self._creating = False
        self.setObjectName("first_start_wizard")
        self.setWindowTitle(_("Willkommen bei Lotse"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Weiter"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Zurück"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Tresor anlegen"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Abbrechen"))
        self.min_length = min_passphrase_length()
        self.passphrase_page = PassphrasePage(self.min_length)
        self.profile_page = ProfilePage()
        self.addPage(self.passphrase_page)
        self.addPage(self.profile_page)
        intro = QLabel(_("Der Tresor wird angelegt in: {folder}").format(folder=self.folder))
        intro.setWordWrap(True)
        self.profile_page.layout().addRow(intro)
        self.resize(640, 440)

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
        ):
            self.button(which).setEnabled(on)

    def reject(self) -> None:
        if not self._creating:
            super().reject()

    def is_creating(self) -> bool:
        return self._creating

    def _created(self, api: VaultAPI) -> None:
        self._creating = False
        self.api = api
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._creating = False
        self._enable_buttons(True)
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        QMessageBox.warning(self, _("Tresor anlegen"), error.message)
