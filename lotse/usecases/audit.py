"""Use cases of the audit log: the viewer's list, the check, and the safeguards before
personal data leaves the vault in plain form (records export).

The log itself and its chain are :mod:`lotse.vault.audit`. :meth:`AuditAPI.verify` is what
``lotse audit verify`` reports: every link recomputed, and every change an unlock found
and recorded; any finding means the log was changed (exit 4).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.db.models import Family
from lotse.i18n import _
from lotse.records.importer import ImportSummary
from lotse.usecases.access import VaultAccess
from lotse.vault import audit
from lotse.vault.audit import ACTIONS, Finding, LogEntry, label

__all__ = [
    "ACTIONS",
    "AuditAPI",
    "AuditCheck",
    "Finding",
    "LogEntry",
    "append_report",
    "describe",
    "label",
    "log_export",
    "log_import",
    "log_report",
    "synced_folder",
]

#: Folder names of sync services: a file written there leaves the machine.
_SYNCED = re.compile(
    r"(onedrive|dropbox|nextcloud|owncloud|google ?drive|googledrive|my ?drive|icloud"
    r"|mobile documents)",
    re.IGNORECASE,
)


def synced_folder(path: Path) -> str | None:
    """The part of ``path`` that names a folder a sync service uploads, or ``None``."""
    for part in Path(path).expanduser().absolute().parts:
        if _SYNCED.search(part):
            return part
    return None


def log_export(access: VaultAccess, path: Path, records: int) -> None:
    """Log a records export: it carries every family's personal data out in plain form.

    The entry names the families by code and says whether the file went into a folder a
    sync service uploads; never the file's name, which may name a person.
    """
    with access.write() as session:
        codes = list(session.scalars(select(Family.code).order_by(Family.id)))
        audit.append(
            session,
            "records_exported",
            records=records,
            families=codes,
            synced=synced_folder(path) is not None,
        )


def log_report(access: VaultAccess, period: str, fmt: str, published: bool) -> None:
    """Log a statistics report written (anonymous figures; which period, which form)."""
    with access.write() as session:
        append_report(session, period, fmt, published)


def append_report(
    session: Session, period: str, fmt: str, published: bool, **extra: object
) -> None:
    """:func:`log_report` in a transaction of the caller's (a merged report's, say)."""
    audit.append(session, "report_written", period=period, format=fmt, published=published, **extra)


def log_import(access: VaultAccess, summary: ImportSummary) -> None:
    """Log a records import (counts only)."""
    with access.write() as session:
        audit.append(
            session,
            "records_imported",
            families=summary.families,
            contacts=summary.contacts,
            referrals=summary.referrals,
            group_offers=summary.group_offers,
            group_sessions=summary.group_sessions,
        )


@dataclass(frozen=True)
class AuditCheck:
    """What ``lotse audit verify`` says: the entries checked and what was found."""

    entries: int
    findings: tuple[Finding, ...]

    @property
    def intact(self) -> bool:
        return not self.findings


def describe(finding: Finding) -> str:
    """One finding in the user's language."""
    if finding.kind == "changed":
        return _(
            "Eintrag {id} passt nicht mehr zur Kette: er oder der Eintrag davor wurde "
            "verändert, entfernt oder verschoben."
        ).format(id=finding.entry_id)
    if finding.kind == "unsealed":
        return _("Eintrag {id} trägt kein Prüfzeichen: er wurde von außen eingefügt.").format(
            id=finding.entry_id
        )
    if finding.kind == "tail_removed":
        return _(
            "Die letzten Einträge fehlen: der Tresor-Kopf kennt einen neueren Eintrag, als "
            "das Protokoll enthält (es endet jetzt mit Eintrag {id})."
        ).format(id=finding.entry_id)
    if finding.kind == "added_while_closed":
        return _(
            "Ab Eintrag {id} wurden Einträge hinzugefügt, während der Tresor geschlossen war."
        ).format(id=finding.entry_id)
    at = finding.at.strftime("%d.%m.%Y %H:%M") if finding.at else "?"
    return _(
        "Beim Entsperren am {at} (UTC) wurde festgestellt, dass das Protokoll verändert "
        "wurde (Eintrag {id})."
    ).format(at=at, id=finding.entry_id)


class AuditAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def entries(
        self,
        actions: Iterable[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[LogEntry]:
        """The log's entries, oldest first, of ``actions`` between ``since`` and ``until``."""
        with self._access.read() as session:
            return audit.entries(session, actions, since, until)

    def actions(self) -> list[str]:
        """Every action the log holds (for the viewer's filter)."""
        with self._access.read() as session:
            return audit.used_actions(session)

    def verify(self) -> AuditCheck:
        """Every link of the chain checked, with every change unlocks found and recorded."""
        with self._access.read() as session:
            check = audit.verify(session)
        return AuditCheck(check.entries, check.findings)

    def found_at_unlock(self) -> list[Finding]:
        """What the check at this unlock found (and recorded): the window warns of it."""
        return list(self._access.vault.audit_findings)

    def confirm_passphrase(self, passphrase: str) -> bool:
        """Whether ``passphrase`` is the vault's (asked again before a plain export)."""
        from lotse.crypto import keywrap

        try:
            self._access.vault.header.unwrap_with_passphrase(passphrase)
        except keywrap.UnwrapError:
            return False
        return True
