""" "An Teamleitung senden …" in the navigator's statistics view.

Writes the vault's statistics package of the period shown, sealed to the team lead's
contact card: the card the machine policy names (``team_lead_card``), else one the
navigator chooses. The file is then handed over by mail or a shared folder; only the
team lead's vault can open it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from lotse.i18n import N_, _
from lotse.stats.period import Period
from lotse.ui.ops import VaultOp
from lotse.usecases import VaultAPI
from lotse.usecases.team import ContactCard, load_card

CARD_FILTER = N_("Kontaktkarten (*.card *.json);;Alle Dateien (*)")


def send_button(view: QWidget, period: Callable[[], Period]) -> QPushButton:
    """The button; ``period`` gives the period the view shows."""
    button = QPushButton(_("An &Teamleitung senden …"), view)
    button.setObjectName("send_to_team_lead")
    button.setToolTip(
        _(
            "Das Statistik-Paket dieses Zeitraums verschlüsselt für die Teamleitung "
            "speichern (nur Summen, keine Datensätze)."
        )
    )
    button.clicked.connect(lambda: ask_send(view, period()))
    return button


def ask_send(view: QWidget, period: Period) -> None:
    """Find the team lead's card (policy, else a file), then ask where to save."""

    def with_card(card: ContactCard | None) -> None:
        if card is None:
            name, _filter = QFileDialog.getOpenFileName(
                view, _("Kontaktkarte der Teamleitung wählen"), "", _(CARD_FILTER)
            )
            if not name:
                return
            VaultOp(view, lambda _api: load_card(name)).success(
                lambda chosen: ask_target(view, period, chosen)
            ).run()
            return
        ask_target(view, period, card)

    VaultOp(view, lambda api: api.team.team_lead_card()).success(with_card).run()


def ask_target(view: QWidget, period: Period, card: ContactCard) -> None:
    name, _filter = QFileDialog.getSaveFileName(
        view,
        _("Statistik-Paket für {who} speichern").format(who=card.title),
        f"Statistik-{period.label}.lotse",
        _("Statistik-Pakete (*.lotse)"),
    )
    if name:
        send(view, period, card, Path(name))


def send(view: QWidget, period: Period, card: ContactCard, path: Path) -> None:
    def write(api: VaultAPI) -> Path:
        api.team.export_package(period, path, to=card)
        return path

    def done(written: Path) -> None:
        QMessageBox.information(
            view,
            _("Statistik-Paket gespeichert"),
            _(
                "Das Paket für {period} ist gespeichert: {file}\n\nVerschlüsselt für {who} "
                "(Fingerabdruck {fingerprint}). Schicken Sie die Datei per E-Mail oder legen "
                "Sie sie in die gemeinsame Ablage."
            ).format(
                period=period.label,
                file=written,
                who=card.title,
                fingerprint=card.display_fingerprint,
            ),
        )

    VaultOp(view, write).success(done).run()
