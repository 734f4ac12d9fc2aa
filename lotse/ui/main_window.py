"""The main window navigators live in: Heute, Familien, Gruppenangebote, Statistik.

Locking (Ctrl+L or after idle minutes) clears every view that shows personal data and
emits :attr:`MainWindow.locked`; the application then closes the vault and shows the
unlock window. Switching the language rebuilds the views in the new language.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QWidget,
)

from lotse import __version__, settings
from lotse.casework.profile import SERVICE_LINES, load_profile
from lotse.i18n import _
from lotse.ui import workers
from lotse.ui.families_view import FamiliesView
from lotse.ui.family_form import FamilyForm
from lotse.ui.group_offers_view import GroupOffersView
from lotse.ui.idle import IdleWatcher
from lotse.ui.records_io import ask_export, ask_import
from lotse.ui.settings_dialog import SettingsDialog
from lotse.ui.statistics_view import StatisticsView
from lotse.ui.today_view import TodayView
from lotse.vault import Vault


class MainWindow(QMainWindow):
    locked = Signal()
    #: emitted after the language was switched in the settings (the app re-applies it)
    language_chosen = Signal(str)

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setObjectName("main_window")
        from lotse.ui.app import app_icon

        self.setWindowIcon(app_icon())
        self._is_locked = False
        self.idle = IdleWatcher(self._idle_ms(), self)
        self.idle.idle.connect(self.lock)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.build()
        self.resize(1280, 720)

    # -- building (again after a language switch) ---------------------------------------------

    def build(self, tab: int = 0) -> None:
        self.setWindowTitle(_("Lotse – Familien begleiten"))
        self.menuBar().clear()
        for action in self.actions():
            self.removeAction(action)
        old = self.centralWidget()
        if old is not None:
            for view in self._views():
                view.clear()
            old.deleteLater()

        self.today = TodayView(self.vault)
        self.families = FamiliesView(self.vault)
        self.groups = GroupOffersView(self.vault, self)
        self.statistics = StatisticsView(self.vault, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.addTab(self.today, _("Heute"))
        self.tabs.addTab(self.families, _("Familien"))
        self.tabs.addTab(self.groups, _("Gruppenangebote"))
        self.tabs.addTab(self.statistics, _("Statistik"))
        self.setCentralWidget(self.tabs)
        self.today.open_family.connect(self.open_family)
        # Coming back to "Heute" (perhaps the next morning): show what is due now.
        self.tabs.currentChanged.connect(
            lambda index: self.today.reload() if self.tabs.widget(index) is self.today else None
        )
        self.families.changed.connect(self.today.reload)
        self.families.detail.edit_requested.connect(self.edit_family)
        self._build_menus()
        self.refresh()
        self.tabs.setCurrentIndex(tab)
        self._update_status()

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work while any part of the window has focus
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&Datei"))
        self.new_contact_action = self._action(
            _("&Neuer Erstkontakt …"), self.new_first_contact, QKeySequence.StandardKey.New
        )
        file_menu.addAction(self.new_contact_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("Datensätze &einlesen …"), self.import_records))
        file_menu.addAction(self._action(_("Datensätze e&xportieren …"), self.export_records))
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Einstellungen …"), self.open_settings, "Ctrl+,"))
        self.lock_action = self._action(_("&Sperren"), self.lock, "Ctrl+L")
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self._action(_("&Beenden"), self.close, "Ctrl+Q"))

        view_menu = bar.addMenu(_("&Ansicht"))
        for i, text in enumerate(
            (_("&Heute"), _("&Familien"), _("&Gruppenangebote"), _("&Statistik"))
        ):
            view_menu.addAction(
                self._action(
                    text, lambda _c=False, i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}"
                )
            )
        view_menu.addSeparator()
        view_menu.addAction(
            self._action(_("Familie &suchen"), self.focus_search, QKeySequence.StandardKey.Find)
        )
        help_menu = bar.addMenu(_("&Hilfe"))
        help_menu.addAction(self._action(_("&Über Lotse"), self.about))

    def _views(self) -> list[QWidget]:
        return [
            v
            for v in (
                getattr(self, "today", None),
                getattr(self, "families", None),
                getattr(self, "groups", None),
                getattr(self, "statistics", None),
            )
            if v is not None
        ]

    def _idle_ms(self) -> int:
        with self.vault.session() as session:
            minutes = int(settings.get(session, "lock_after_minutes"))
        return max(minutes, 1) * 60_000

    def _update_status(self) -> None:
        with self.vault.session() as session:
            profile = load_profile(session)
        parts = [p for p in (profile.navigator_name, profile.site) if p]
        if profile.service_line:
            parts.append(
                profile.service_line_other
                if profile.service_line == "other" and profile.service_line_other
                else SERVICE_LINES.label(profile.service_line)
            )
        parts.append(_("Sperren: Strg+L"))
        self.status_label.setText(" · ".join(parts))

    # -- actions ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.families.reload()
        self.today.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._is_locked:
            self.idle.start()

    def new_first_contact(self) -> None:
        if self._is_locked:
            return
        form = FamilyForm(self.vault, self.families.rows, parent=self)
        if form.exec() and form.created is not None:
            self.refresh()
            self.tabs.setCurrentWidget(self.families)
            self.families.select_family(form.created.family_id)
            self.statusBar().showMessage(
                _("Familie {code} gespeichert.").format(code=form.created.code), 5000
            )

    def edit_family(self, family_id: int) -> None:
        form = FamilyForm(self.vault, self.families.rows, family_id, parent=self)
        if form.exec():
            self.refresh()
            self.families.select_family(family_id)

    def open_family(self, family_id: int) -> None:
        self.tabs.setCurrentWidget(self.families)
        self.families.select_family(family_id)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.families)
        self.families.focus_search()

    def import_records(self) -> None:
        ask_import(self, self.vault, lambda ok: ok and self.refresh())

    def export_records(self) -> None:
        ask_export(self, self.vault, lambda _ok: None)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.vault, self)
        if dialog.exec():
            self.idle.set_timeout_ms(self._idle_ms())
            self._update_status()
            if dialog.language_changed:
                self.language_chosen.emit(dialog.language.currentData())

    def retranslate(self) -> None:
        """Rebuild every view in the current language, keeping the open tab and family."""
        tab = self.tabs.currentIndex()
        family = self.families.detail.family_id
        self.build(tab)
        if family is not None:
            self.families.select_family(family)

    def about(self) -> None:
        QMessageBox.about(
            self,
            _("Über Lotse"),
            _(
                "Lotse {version}\nDokumentation und Statistik für Lotsendienste.\n"
                "Alle Daten bleiben verschlüsselt auf diesem Gerät."
            ).format(version=__version__),
        )

    def lock(self) -> None:
        """Clear everything personal, then let the application close the vault."""
        if self._is_locked:
            return
        self._is_locked = True
        self.idle.stop()
        # An open form or question may show personal data: it goes first, as if cancelled.
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and not isinstance(dialog, QProgressDialog):
                dialog.reject()
        workers.wait_all()
        for view in self._views():
            view.clear()
        self.locked.emit()

    def is_locked(self) -> bool:
        return self._is_locked

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.stop()
        workers.wait_all()
        super().closeEvent(event)
