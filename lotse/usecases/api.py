"""The use-case API of one open vault: what the window and the command line call.

``VaultAPI`` is the only way from the window (:mod:`lotse.ui`) and the command line
(:mod:`lotse.cli`) to a vault's data. Each method is one use case: it opens one session
or transaction, writes audit entries where the change is logged, maps database failures
to :class:`~lotse.errors.LotseError` and returns plain data (frozen dataclasses, lists of
them, or the input types of the forms), never ORM rows. Calls may come from any thread;
each runs in its own session.

Opening the API on a vault stores its settings at the current version
(:func:`lotse.options.upgrade`), so values an older Lotse wrote without their rules are
stored cleaned at once, not only at the next write.

The methods are grouped by subject::

    api.families    the families list, one family, first contact, edit, delete
    api.followups   contacts, referrals and their status, reminders
    api.groups      group offers and their sessions
    api.today       the "Heute" lists
    api.settings    preferences and profile (read; saving validates)
    api.statistics  figures, reports, closing periods
    api.team        contact cards, sending packages, the team lead's received packages
    api.records     importing and exporting records files
    api.drafts      open forms kept as they are typed, the view at the lock
    api.vault_admin backup and its reminder, passphrase change, key rotation
    api.consents    the consent register: withdrawals, the "Einwilligung fehlt" list
    api.erasure     erasing a family on request (GDPR Art. 17)
    api.retention   erasing families whose retention period has passed
    api.access_report  everything stored about a family (GDPR Art. 15)
    api.audit       the audit log: viewer, check, safeguards of a plain export
    api.handover    handing a family over to another service, taking one in

When the machine policy locks ``retention_months``, opening the API erases the families
whose period has passed (:meth:`RetentionAPI.apply_locked`).
"""

from __future__ import annotations

from pathlib import Path

from lotse import options
from lotse.crypto.kdf import KdfParams
from lotse.usecases.access import VaultAccess
from lotse.usecases.access_report import AccessReportAPI
from lotse.usecases.audit import AuditAPI
from lotse.usecases.consent import ConsentAPI
from lotse.usecases.drafts import DraftsAPI
from lotse.usecases.erasure import ErasureAPI
from lotse.usecases.errors import mapped_errors
from lotse.usecases.families import FamiliesAPI
from lotse.usecases.followups import FollowupsAPI
from lotse.usecases.groups import GroupsAPI
from lotse.usecases.handover import HandoverAPI
from lotse.usecases.records import RecordsAPI
from lotse.usecases.retention import RetentionAPI
from lotse.usecases.settings import SettingsAPI
from lotse.usecases.statistics import StatisticsAPI
from lotse.usecases.team import TeamAPI
from lotse.usecases.today import TodayAPI
from lotse.usecases.vault_admin import VaultAdminAPI
from lotse.vault import Vault, create_vault, open_vault
from lotse.vault.passphrase import DEFAULT_MIN_LENGTH


class VaultAPI:
    """The use cases of one open vault; :meth:`close` locks it again."""

    def __init__(self, vault: Vault) -> None:
        self._access = VaultAccess(vault)
        with self._access.write() as session:
            options.upgrade(session)
        self.families = FamiliesAPI(self._access)
        self.followups = FollowupsAPI(self._access)
        self.groups = GroupsAPI(self._access)
        self.today = TodayAPI(self._access)
        self.settings = SettingsAPI(self._access)
        self.statistics = StatisticsAPI(self._access)
        self.records = RecordsAPI(self._access)
        self.drafts = DraftsAPI(self._access)
        self.vault_admin = VaultAdminAPI(self._access)
        self.team = TeamAPI(self._access)
        self.consents = ConsentAPI(self._access)
        self.erasure = ErasureAPI(self._access)
        self.retention = RetentionAPI(self._access)
        self.access_report = AccessReportAPI(self._access)
        self.audit = AuditAPI(self._access)
        self.handover = HandoverAPI(self._access)
        # A retention the organisation locked is applied at unlock, before anything is shown.
        self.retention.apply_locked()

    @classmethod
    def open(cls, folder: Path, passphrase: str) -> VaultAPI:
        """Unlock the vault in ``folder`` (see :func:`lotse.vault.open_vault`)."""
        with mapped_errors(Path(folder)):  # unlock writes too: a full disk says so
            return cls._over(open_vault(folder, passphrase))

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        min_length: int = DEFAULT_MIN_LENGTH,
        params: KdfParams | None = None,
    ) -> VaultAPI:
        """Create a new, empty vault in ``folder`` and keep it open."""
        with mapped_errors(Path(folder)):
            return cls._over(create_vault(folder, passphrase, params, min_length=min_length))

    @classmethod
    def _over(cls, vault: Vault) -> VaultAPI:
        """The API over a vault opened here: closed again if the API cannot be made."""
        try:
            return cls(vault)
        except BaseException:
            vault.close()
            raise

    @property
    def folder(self) -> Path:
        return self._access.folder

    @property
    def vault_id(self) -> str:
        return self._access.vault.vault_id

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: every use case then refuses to run."""
        return self._access.closed

    def close(self) -> None:
        """Close the vault (checkpoint, drop connections, release its lock); idempotent.

        Call it on the thread that opened the vault: its file lock belongs to that thread.
        """
        if self._access.closed:
            return
        self._access.closed = True
        self._access.vault.close()

    def __enter__(self) -> VaultAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
