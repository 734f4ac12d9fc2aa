"""The main window navigators live in: Heute, Familien, Gruppenangebote, Statistik.

Locking (Ctrl+L, also while a form is open, or after idle minutes) keeps every open form
as a draft in the vault and the view (tab, family, search) beside it, closes the forms,
clears every view that shows personal data and emits :attr:`MainWindow.locked`; the
application then closes the vault and shows the unlock window. After unlocking, the
window comes back to that view and a banner offers the drafts ("Entwurf
wiederherstellen"); "Heute" lists them too. Switching the language rebuilds the views in
the new language.

The window and its views reach the vault only through the use-case API
(:class:`~lotse.usecases.VaultAPI`), each use case run off the UI thread by
:class:`~lotse.ui.ops.VaultOp`.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lotse import __version__
from lotse.i18n import _
from lotse.ui import clipboard, passphrase_dialog, team_view, workers
from lotse.ui.audit_view import AuditDialog
from lotse.ui.backup_dialog import BackupDialog
from lotse.ui.catalogues import set_districts
from lotse.ui.draft_restore import DraftBanner, LockKeys
from lotse.ui.drafts import KeepsDraft
from lotse.ui.families_view import FamiliesView
from lotse.ui.family_form import FamilyForm
from lotse.ui.group_offers_view import GroupOffersView
from lotse.ui.handover_dialogs import AcceptHandoverDialog
from lotse.ui.idle import IdleWatcher
from lotse.ui.ops import VaultOp
from lotse.ui.plain_export import ask_plain_export
from lotse.ui.qt_app import app_icon
from lotse.ui.records_io import ask_import
from lotse.ui.settings_dialog import SettingsDialog
from lotse.ui.statistics_view import StatisticsView
from lotse.ui.today_view import TodayView
from lotse.usecases import FamilyDetails, SettingsForm, VaultAPI, WindowSettings
from lotse.usecases.audit import describe
from lotse.usecases.drafts import DraftData, DraftInfo, Resume
from lotse.usecases.settings import SERVICE_LINES, machine_value


def idle_ms(minutes: int) -> int:
    """The idle time before the lock; ``LOTSE_TEST_IDLE_MS`` may only make it shorter.

    For the GUI test under Xvfb, which cannot wait a minute: a shorter lock is never less
    safe, so the variable cannot weaken anything (a longer value is ignored).
    """
    import os

    configured = max(minutes, 1) * 60_000
    try:
        shorter = int(os.environ.get("LOTSE_TEST_IDLE_MS", ""))
    except ValueError:
        return configured
    return min(configured, max(shorter, 500))


class MainWindow(QMainWindow):
    locked = Signal()
    #: emitted after the language was switched in the settings (the app re-applies it)
    language_chosen = Signal(str)

    def __init__(
        self,
        api: VaultAPI,
        parent: QWidget | None = None,
        window_settings: WindowSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("main_window")
        self.setWindowIcon(app_icon())
        self._is_locked = False
        self._window_settings = window_settings
        minutes = (
            window_settings.lock_after_minutes
            if window_settings
            else int(machine_value("lock_after_minutes"))
        )
        self.idle = IdleWatcher(idle_ms(minutes), self)
        self.idle.idle.connect(self.lock)
        self.lock_keys = LockKeys(self.lock, self)
        # The vault's own districts, before the views that offer them are built.
        set_districts(window_settings.districts if window_settings else None)
        self._drafts: tuple[DraftInfo, ...] = ()
        clipboard.watch()  # what is copied from the window is cleared again on lock
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.build()
        self.resize(1280, 720)
        if window_settings is None:
            self.load_window_settings()
        # The view at the last lock, and the forms left open then.
        VaultOp(self, lambda api: api.drafts.resume()).success(self._resume).run()
        if self.api.audit.found_at_unlock():
            QTimer.singleShot(0, self.warn_audit_findings)

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

        self.today = TodayView(self.api)
        self.families = FamiliesView(self.api)
        self.groups = GroupOffersView(self.api, self)
        self.statistics = StatisticsView(self.api, self, compute_now=False)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.addTab(self.today, _("Heute"))
        self.tabs.addTab(self.families, _("Familien"))
        self.tabs.addTab(self.groups, _("Gruppenangebote"))
        self.tabs.addTab(self.statistics, _("Statistik"))
        self.team = team_view.install(self)  # its tab appears for a team lead (issue 13)
        self.banner = DraftBanner()
        self.banner.restore_requested.connect(self.restore_draft)
        self.banner.discard_requested.connect(self.discard_draft)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.today.open_family.connect(self.open_family)
        self.today.open_draft.connect(self.restore_draft)
        # Coming back to "Heute" (perhaps the next morning): show what is due now.
        self.tabs.currentChanged.connect(
            lambda index: self.today.reload() if self.tabs.widget(index) is self.today else None
        )
        self.families.changed.connect(self.today.reload)
        self.today.backup_reminder.backup_requested.connect(self.open_backup)
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
        file_menu.addAction(self._action(_("Datensätze ein&lesen …"), self.import_records))
        file_menu.addAction(self._action(_("Datensätze e&xportieren …"), self.export_records))
        file_menu.addAction(self._action(_("Ü&bergabe annehmen …"), self.accept_handover))
        team_view.add_file_actions(self, file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("Si&cherung …"), self.open_backup))
        file_menu.addAction(self._action(_("Passph&rase ändern …"), self.change_passphrase))
        file_menu.addAction(self._action(_("Pro&tokoll …"), self.open_audit))
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Einstellungen …"), self.open_settings, "Ctrl+,"))
        self.lock_action = self._action(_("&Sperren"), self.lock, "Ctrl+L")
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self._action(_("Been&den"), self.close, "Ctrl+Q"))

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
            self._action(_("Familie su&chen"), self.focus_search, QKeySequence.StandardKey.Find)
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
                getattr(self, "team", None),
            )
            if v is not None
        ]

    def load_window_settings(self) -> None:
        """Read the idle lock time and the profile again (after the settings changed)."""
        VaultOp(self, lambda api: api.settings.window()).success(self._apply_settings).run()

    def _apply_settings(self, window_settings: WindowSettings) -> None:
        self._window_settings = window_settings
        self.idle.set_timeout_ms(idle_ms(window_settings.lock_after_minutes))
        if set_districts(window_settings.districts):
            self.retranslate()  # the views offer the new districts
        self._update_status()

    def _update_status(self) -> None:
        parts: list[str] = []
        if self._window_settings is not None:
            parts = self._profile_parts(self._window_settings)
        parts.append(_("Sperren: Strg+L"))
        self.status_label.setText(" · ".join(parts))

    @staticmethod
    def _profile_parts(window_settings: WindowSettings) -> list[str]:
        profile = window_settings.profile
        parts = [p for p in (profile.navigator_name, profile.site) if p]
        if profile.service_line:
            parts.append(
                profile.service_line_other
                if profile.service_line == "other" and profile.service_line_other
                else SERVICE_LINES.label(profile.service_line)
            )
        return parts

    # -- actions ------------------------------------------------------------------------------

    def refresh(self, family_id: int | None = None) -> None:
        """Read the views again; ``family_id``: only that family changed (one list row)."""
        if family_id is None:
            self.families.reload()
        else:
            self.families.refresh_family(family_id)
        self.today.reload()
        self.reload_drafts()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._is_locked:
            self.idle.start()

    def new_first_contact(self) -> None:
        """Open the first-contact form, preselected from the navigator's service line."""
        if self._is_locked:
            return
        VaultOp(self, lambda api: api.settings.form_defaults()).success(
            self._new_first_contact
        ).run()

    def _new_first_contact(self, defaults: tuple[str | None, str | None]) -> None:
        if self._is_locked:
            return
        self._family_form_done(FamilyForm(self.api, defaults=defaults, parent=self))

    def _family_form_done(self, form: FamilyForm) -> None:
        """Run the form; then show the family stored, or the one a duplicate hint opened."""
        stored = bool(form.exec())
        if self._is_locked:
            return
        if stored and form.created is not None:
            self.refresh(form.created.family_id)
            self.tabs.setCurrentWidget(self.families)
            self.families.select_family(form.created.family_id)
            self.statusBar().showMessage(
                _("Familie {code} gespeichert.").format(code=form.created.code), 5000
            )
        elif stored and form.family_id is not None:
            self.refresh(form.family_id)
            self.families.select_family(form.family_id)
        elif form.open_family_id is not None:
            self.reload_drafts()
            self.open_family(form.open_family_id)
            self.statusBar().showMessage(
                _("Der Erstkontakt ist als Entwurf aufbewahrt (siehe „Heute“)."), 8000
            )
        else:
            self.reload_drafts()

    def edit_family(self, family_id: int) -> None:
        """Read the family, then open the form on it."""
        VaultOp(self, lambda api: api.families.get(family_id)).success(self._edit_family).run()

    def _edit_family(self, family: FamilyDetails) -> None:
        if self._is_locked:
            return
        self._family_form_done(FamilyForm(self.api, family, parent=self))

    # -- drafts and the view at the lock ----------------------------------------------------------

    def reload_drafts(self) -> None:
        VaultOp(self, lambda api: api.drafts.list()).success(self._show_drafts).run()

    def _show_drafts(self, drafts: list[DraftInfo] | tuple[DraftInfo, ...]) -> None:
        self._drafts = tuple(drafts)
        if not drafts or self.banner.isVisible():
            self.banner.show_drafts(drafts)
        self.today.show_drafts(list(drafts))

    def _resume(self, resume: Resume) -> None:
        self.apply_view(resume.view)
        self._show_drafts(resume.drafts)
        self.banner.show_drafts(resume.drafts)

    def view_state(self) -> dict[str, object]:
        """The tab, the family shown and the search, as the lock keeps them."""
        return {
            "tab": self.tabs.currentIndex(),
            "family": self.families.detail.wanted_id(),
            "search": self.families.search.text(),
        }

    def apply_view(self, view: dict[str, object]) -> None:
        """Come back to the view kept at the lock (tab, family, search text)."""
        search, family, tab = view.get("search"), view.get("family"), view.get("tab")
        if isinstance(search, str) and search:
            self.families.search.setText(search)
        if isinstance(family, int) and not isinstance(family, bool):
            self.families.show_family_keeping_search(family)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def restore_draft(self, draft_id: str) -> None:
        """Open the form a draft was kept from, filled as it was."""
        if self._is_locked:
            return
        self.banner.hide()
        VaultOp(self, lambda api: api.drafts.get(draft_id)).success(self._reopen).run()

    def discard_draft(self, draft_id: str) -> None:
        VaultOp(self, lambda api: api.drafts.discard(draft_id)).success(
            lambda _none: self.reload_drafts()
        ).run()
        self.banner.hide()

    def _reopen(self, draft: DraftData) -> None:
        from lotse.ui.followup_dialogs import (
            ContactDialog,
            ReferralDialog,
            ReminderDialog,
            StatusDialog,
        )

        if self._is_locked:
            return
        info, state = draft.info, draft.state
        if info.kind == "first_contact":
            form = FamilyForm(self.api, parent=self, draft_id=info.id, state=state)
            self._family_form_done(form)
            return
        family_id = info.family_id
        if family_id is None:
            return
        if info.kind == "family":

            def edit(family: FamilyDetails) -> None:
                if not self._is_locked:
                    form = FamilyForm(self.api, family, self, draft_id=info.id, state=state)
                    self._family_form_done(form)

            VaultOp(self, lambda api: api.families.get(family_id)).success(edit).run()
            return
        self.open_family(family_id)
        subject = " · ".join(p for p in (info.family_code or "", info.name) if p)
        detail = self.families.detail
        common = {"subject": subject, "draft_id": info.id, "state": state}
        dialog: QDialog
        if info.kind == "contact":
            dialog = ContactDialog(self.api, family_id, info.ref_id, None, detail, **common)
        elif info.kind == "referral":
            dialog = ReferralDialog(self.api, family_id, info.ref_id, None, detail, **common)
        elif info.kind == "reminder":
            dialog = ReminderDialog(self.api, family_id, info.ref_id, None, detail, **common)
        elif info.kind == "status" and info.ref_id is not None:
            status = str(state.get("status") or "")
            dialog = StatusDialog(
                self.api, info.ref_id, status, detail, family_id=family_id, **common
            )
        else:
            return
        stored = bool(dialog.exec())
        if self._is_locked:
            return
        if stored:
            self.refresh(family_id)
            self.families.select_family(family_id)
        else:
            self.reload_drafts()

    def open_family(self, family_id: int) -> None:
        self.tabs.setCurrentWidget(self.families)
        self.families.select_family(family_id)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.families)
        self.families.focus_search()

    def import_records(self) -> None:
        ask_import(self, lambda ok: ok and self.refresh())

    def accept_handover(self) -> None:
        """Take in a family another service handed over (issue 14)."""
        dialog = AcceptHandoverDialog(self.api, self)
        if dialog.exec() and dialog.received is not None:
            self.refresh()
        dialog.deleteLater()

    def export_records(self) -> None:
        # Plain personal data leaves the vault: passphrase again, no synced folder.
        ask_plain_export(self, lambda _ok: None)

    def open_audit(self) -> None:
        """The audit log with its filter and its check (issue 11)."""
        if self._is_locked:
            return
        dialog = AuditDialog(self.api, self)
        dialog.exec()
        dialog.deleteLater()

    def warn_audit_findings(self) -> None:
        """Say once after unlock that the check found the log changed (and recorded it)."""
        findings = self.api.audit.found_at_unlock()
        if findings:
            QMessageBox.warning(
                self,
                _("Protokoll verändert"),
                _(
                    "Beim Entsperren fiel auf, dass das Protokoll des Tresors verändert "
                    "wurde. Das ist im Protokoll vermerkt (Datei → Protokoll …)."
                )
                + "\n\n"
                + "\n".join(describe(f) for f in findings),
            )

    def open_backup(self) -> None:
        if self._is_locked:
            return
        dialog = BackupDialog(self.api, self)
        dialog.backed_up.connect(lambda _info: self.today.reload())
        dialog.exec()
        dialog.deleteLater()

    def change_passphrase(self) -> None:
        if not self._is_locked:
            passphrase_dialog.change_passphrase(
                self, lambda said: self.statusBar().showMessage(said, 5000)
            )

    def open_settings(self) -> None:
        """Read the settings, then open the dialog on them."""
        VaultOp(self, lambda api: api.settings.form()).success(self._open_settings).run()

    def _open_settings(self, values: SettingsForm) -> None:
        if self._is_locked:
            return
        dialog = SettingsDialog(self.api, values, self)
        if dialog.exec():
            self.load_window_settings()
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
        self.lock_keys.remove()
        # The view comes back after unlocking (kept in the vault, not in this process).
        view = self.view_state()
        VaultOp(self, lambda api: api.drafts.save_view(view)).failure(lambda _e: None).run()
        # An open form or question may show personal data: it goes first. A form keeps
        # what was typed as a draft (saved before the vault closes); the rest is cancelled.
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and isinstance(dialog, KeepsDraft):
                dialog.close_for_lock()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and not isinstance(dialog, QProgressDialog):
                dialog.reject()
        workers.wait_all()
        for view in self._views():
            view.clear()
        clipboard.clear_if_ours()
        self.locked.emit()

    def is_locked(self) -> bool:
        return self._is_locked

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.stop()
        self.lock_keys.remove()
        workers.wait_all()
        clipboard.clear_if_ours()
        super().closeEvent(event)
