"""Handing a family over in the window (issue 14): "Übergeben …" and "Übergabe annehmen …".

:class:`HandoverDialog` (from the family detail): choose a card of the address book; the
dialog checks the family's transfer consent against the card's service at once and says
so, offers the mode, whether to close the case and whether notes travel, and lists what
travels. :class:`AcceptHandoverDialog` (from the File menu): open a handover file, see
sender, fingerprint and a summary of the family, then accept. All vault work runs off the
UI thread (:class:`~lotse.ui.ops.VaultOp`); the use cases are
:class:`~lotse.usecases.handover.HandoverAPI`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lotse.catalogues import REFERRAL_MODES
from lotse.errors import LotseError
from lotse.i18n import _
from lotse.ui.ops import VaultOp, show_failure
from lotse.ui.widgets import german_date
from lotse.usecases import VaultAPI
from lotse.usecases.handover import MODES, HandoverFile, HandoverReceived, HandoverSent
from lotse.usecases.team import ContactCard, StoredCard

_OK = "color: #1b5e20;"
_BAD = "color: #b3261e;"


def _message(error: BaseException) -> str:
    if isinstance(error, LotseError):
        return "\n".join([error.message, *error.details])
    return str(error)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class HandoverDialog(QDialog):
    """Hand family ``code`` (``subject`` names it) over to the holder of a card."""

    def __init__(self, api: VaultAPI, code: str, subject: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.api = api
        self.code = code
        self.cards: list[ContactCard] = []
        self.allowed = False
        self.sent: HandoverSent | None = None
        self.setObjectName("handover_dialog")
        title = _("Übergabe einer Familie")
        self.setWindowTitle(f"{title} – {subject}" if subject else title)
        self.card = QComboBox()
        self.card.setObjectName("handover_card")
        self.card.setAccessibleName(_("Empfänger"))
        self.consent = _label("handover_consent")
        self.mode = QComboBox()
        self.mode.setObjectName("handover_mode")
        for code_ in MODES:
            self.mode.addItem(REFERRAL_MODES.label(code_), code_)
        self.mode.setCurrentIndex(MODES.index("contact_made"))
        self.close_case = QCheckBox(_("Begleitung danach abschließen (Grund: übergeben)"))
        self.with_notes = QCheckBox(_("Notizen mitgeben"))
        self.travels = _label("handover_travels")
        self.travels.setText(
            _(
                "Es geht mit: Haushalt und Kinder, Screening, Einwilligungen, Kontakte, "
                "Vermittlungen mit ihrem Verlauf, Wiedervorlagen. Verschlüsselt für die "
                "gewählte Karte und von diesem Tresor unterschrieben. Hier wird eine "
                "Vermittlung an den Dienst vermerkt."
            )
        )
        self.with_notes.toggled.connect(self._show_travels)
        form = QFormLayout()
        form.addRow(_("&Empfänger"), self.card)
        form.addRow("", self.consent)
        form.addRow(_("&Art"), self.mode)
        form.addRow("", self.close_case)
        form.addRow("", self.with_notes)
        self.problems = _label("handover_problems")
        self.problems.setStyleSheet(_BAD)
        self.problems.hide()
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(
            _("Übergeben …"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setEnabled(False)
        buttons.addButton(_("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.travels)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._show_travels()
        self.card.currentIndexChanged.connect(lambda _i: self.check())
        VaultOp(self, lambda api: api.team.cards()).success(self._cards).run()

    def _show_travels(self) -> None:
        notes = (
            _("Die Notizen gehen mit.")
            if self.with_notes.isChecked()
            else _("Die Notizen bleiben hier.")
        )
        text = self.travels.text().split("\n")[0]
        self.travels.setText(f"{text}\n{notes}")

    def _cards(self, stored: list[StoredCard]) -> None:
        self.cards = [s.card for s in stored]
        self.card.blockSignals(True)
        self.card.clear()
        for card in self.cards:
            self.card.addItem(
                f"{card.title} – {card.service} ({card.display_fingerprint[:9]})", card.vault
            )
        self.card.blockSignals(False)
        if not self.cards:
            self.consent.setText(
                _("Das Adressbuch ist leer: übernehmen Sie zuerst die Kontaktkarte des Empfängers.")
            )
            self.consent.setStyleSheet(_BAD)
            return
        self.check()

    def selected(self) -> ContactCard | None:
        i = self.card.currentIndex()
        return self.cards[i] if 0 <= i < len(self.cards) else None

    def check(self) -> None:
        """Check the transfer consent against the chosen card's service."""
        card = self.selected()
        self.allowed = False
        self.send_button.setEnabled(False)
        if card is None:
            return
        code = self.code
        VaultOp(self, lambda api: api.handover.check(code, card)).success(
            lambda _code: self._checked(card, None)
        ).failure(lambda error: self._checked(card, error)).run()

    def _checked(self, card: ContactCard, error: BaseException | None) -> None:
        if card is not self.selected():
            return  # another card was chosen meanwhile
        self.allowed = error is None
        self.send_button.setEnabled(self.allowed)
        if error is None:
            self.consent.setText(
                _("Einwilligung zur Weitergabe an „{service}“ liegt vor.").format(
                    service=card.service
                )
            )
            self.consent.setStyleSheet(_OK)
        else:
            self.consent.setText(_message(error))
            self.consent.setStyleSheet(_BAD)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Übergabe-Datei speichern"), f"{self.code}.lotse", "Lotse (*.lotse)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, out: Path) -> None:
        """Write the handover to ``out`` (off the UI thread); the dialog closes when done."""
        card = self.selected()
        if card is None or not self.allowed:
            return
        code, mode = self.code, self.mode.currentData()
        close, notes = self.close_case.isChecked(), self.with_notes.isChecked()
        self.send_button.setEnabled(False)
        VaultOp(
            self,
            lambda api: api.handover.export(
                code, card, out, mode=mode, close=close, with_notes=notes
            ),
        ).success(self._sent).failure(self._refused).run()

    def _sent(self, sent: HandoverSent) -> None:
        self.sent = sent
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.send_button.setEnabled(self.allowed)
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        self.problems.setText(_message(error))
        self.problems.show()


class AcceptHandoverDialog(QDialog):
    """Open a handover file sealed to this vault, look at it, accept it."""

    def __init__(self, api: VaultAPI, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.opened: HandoverFile | None = None
        self.received: HandoverReceived | None = None
        self.setObjectName("accept_handover_dialog")
        self.setWindowTitle(_("Übergabe annehmen"))
        self.choose_button = QPushButton(_("Datei &wählen …"))
        self.choose_button.clicked.connect(self.choose_file)
        self.sender = _label("handover_sender")
        self.fingerprint = _label("handover_fingerprint")
        self.family = _label("handover_family")
        self.hint = _label("handover_hint")
        self.hint.setText(
            _(
                "Vergleichen Sie den Fingerabdruck am Telefon mit dem Absender. Die Familie "
                "kommt mit ihrer Herkunft; ihr bisheriger Verlauf bleibt als der des Absenders "
                "gekennzeichnet und zählt nicht in Ihrer Statistik."
            )
        )
        self.problems = _label("handover_problems")
        self.problems.setStyleSheet(_BAD)
        self.problems.hide()
        form = QFormLayout()
        form.addRow(_("Absender"), self.sender)
        form.addRow(_("Fingerabdruck"), self.fingerprint)
        form.addRow(_("Familie (Code beim Absender)"), self.family)
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(
            _("Annehmen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_button.setEnabled(False)
        buttons.addButton(_("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.take)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choose_button)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Übergabe-Datei öffnen"), "", "Lotse (*.lotse);;* (*)"
        )
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        """Open and check ``path`` (off the UI thread) and show what it holds."""
        self.opened = None
        self.accept_button.setEnabled(False)
        self.problems.hide()
        VaultOp(self, lambda api: api.handover.open(path)).success(self._show).failure(
            self._refused
        ).run()

    def _show(self, opened: HandoverFile) -> None:
        self.opened = opened
        sender = opened.sender
        self.sender.setText(
            f"{sender.name or sender.title} – {sender.service} ({sender.organisation})"
            if sender.organisation
            else f"{sender.name or sender.title} – {sender.service}"
        )
        self.fingerprint.setText(sender.display_fingerprint)
        self.family.setText(
            _("{family}, übergeben am {date}: {contents}").format(
                family=opened.family, date=german_date(opened.date), contents=opened.contents()
            )
        )
        self.accept_button.setEnabled(True)
        self.accept_button.setFocus()

    def take(self) -> None:
        opened = self.opened
        if opened is None:
            return
        self.accept_button.setEnabled(False)
        VaultOp(self, lambda api: api.handover.accept(opened)).success(self._taken).failure(
            self._refused
        ).run()

    def _taken(self, received: HandoverReceived) -> None:
        self.received = received
        self.accept()

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, LotseError):
            show_failure(self, error)
            return
        self.problems.setText(_message(error))
        self.problems.show()
