"""The audit log: what was done with the vault, chained so a changed or removed entry shows.

Every consequential action (unlock and failed attempts, passphrase change, import, export,
report, package, erasure, retention run, consent withdrawal, access report, policy
problems …) is one row of ``audit_log``, written with :func:`append` in the transaction
of the action itself. An entry names family *codes* and counts, never a name or any other
personal data.

The chain
    Each entry carries ``mac`` = HMAC-SHA-256 over its id, time, action, details and the
    ``mac`` of the entry before it (by id). The key (:func:`lotse.crypto.keywrap.
    audit_chain_key`) is derived once from the data key and kept in the ``secret`` table,
    so a key rotation keeps the chain and every backup carries it. Entries are sealed when
    their transaction commits (a session hook), so an ``AuditEntry`` added any other way
    is chained too.

The head
    The latest entry's ``mac`` is also kept outside the database, in the vault header's
    ``state.audit_head`` (written after each commit that added an entry; see
    :mod:`lotse.vault.vault`). Entries removed from the end, which the chain alone cannot
    show, leave the header's head pointing at nothing.

Checking (:func:`verify`)
    Recomputes every link: an entry whose content changed, or whose predecessor was
    removed or swapped, no longer matches. At unlock the head is compared with the header:
    missing (entries removed from the end) or behind a cleanly closed header's (entries
    added while the vault was closed). What unlock finds is written into the log itself
    (``audit_log_damaged``, once per finding), so it stays on record after the header has
    moved on; ``lotse audit verify`` reports the chain and every such record (exit 4).

What it cannot do: someone who has the passphrase can open the database with other tools,
derive the key and rewrite the whole chain and the header. It shows changes made without
going to that length (an edited or deleted row, a database put back beside a newer
header), not a determined holder of the key.

Failed unlock attempts happen without the key, so nothing can be written into the
database then: each one is counted in a small file beside the header
(``lotse-unlock-failures.json``, times only), and the next successful unlock moves the
count into the log (``unlock_failed``) and removes the file. Deleting the file removes
that count unnoticed; the README says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from lotse.crypto import keywrap
from lotse.db.models import AuditEntry, Secret, utcnow
from lotse.i18n import N_
from lotse.vault.header import write_private_file

SECRET_KEY = "audit_chain_key"
FAILURES_NAME = "lotse-unlock-failures.json"
#: The action unlock writes when it finds the log changed (see the module docstring).
DAMAGED = "audit_log_damaged"

#: Every action Lotse writes, with its German label (msgid) for the viewer and the report.
ACTIONS: dict[str, str] = {
    "vault_created": N_("Tresor angelegt"),
    "vault_unlocked": N_("Tresor entsperrt"),
    "unlock_failed": N_("Entsperren fehlgeschlagen"),
    "passphrase_changed": N_("Passphrase geändert"),
    "data_key_rotated": N_("Datenschlüssel erneuert"),
    "recovery_key_added": N_("Wiederherstellungsschlüssel hinterlegt"),
    "vault_recovered": N_("Mit dem Wiederherstellungsschlüssel geöffnet"),
    "vault_backup": N_("Sicherung geschrieben"),
    "vault_restored": N_("Sicherung wiederhergestellt"),
    "records_imported": N_("Datensätze eingelesen"),
    "records_exported": N_("Datensätze exportiert"),
    "report_written": N_("Bericht geschrieben"),
    "period_closed": N_("Zeitraum abgeschlossen"),
    "period_reopened": N_("Zeitraum wieder geöffnet"),
    "package_exported": N_("Statistik-Paket geschrieben"),
    "package_sealed": N_("Statistik-Paket verschlüsselt"),
    "packages_received": N_("Statistik-Pakete empfangen"),
    "package_replaced": N_("Statistik-Paket ersetzt"),
    "package_removed": N_("Statistik-Paket entfernt"),
    "card_exported": N_("Kontaktkarte geschrieben"),
    "card_added": N_("Kontaktkarte aufgenommen"),
    "card_updated": N_("Kontaktkarte erneuert"),
    "card_removed": N_("Kontaktkarte entfernt"),
    "family_erased": N_("Familie gelöscht"),
    "personal_data_erased": N_("Persönliche Daten gelöscht"),
    "retention_run": N_("Aufbewahrungsfrist angewendet"),
    "consent_withdrawn": N_("Einwilligung widerrufen"),
    "access_report": N_("Auskunft nach Art. 15 erteilt"),
    "handover_sent": N_("Familie übergeben"),
    "handover_received": N_("Übergabe angenommen"),
    "policy_problem": N_("Problem in der Richtlinie"),
    DAMAGED: N_("Protokoll verändert"),
}


def label(action: str) -> str:
    """The German msgid for ``action`` (an unknown action stands for itself)."""
    return ACTIONS.get(action, action)


# -- the key --------------------------------------------------------------------------------


def chain_key(session: Session) -> bytes | None:
    """The vault's chain key, or ``None`` in a vault that has none yet."""
    stored = session.get(Secret, SECRET_KEY)
    if stored is None or not isinstance(stored.value, str):
        return None
    try:
        key = bytes.fromhex(stored.value)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def ensure_key(session: Session, data_key: bytes) -> bytes:
    """The chain key; derived from the data key and stored if the vault has none yet."""
    key = chain_key(session)
    if key is None:
        key = keywrap.audit_chain_key(data_key)
        row = session.get(Secret, SECRET_KEY)
        if row is None:
            session.add(Secret(key=SECRET_KEY, value=key.hex()))
        else:
            row.value = key.hex()
        session.flush()
    return key


# -- writing --------------------------------------------------------------------------------


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    """``details`` as JSON gives them back (dates as ISO text), so the MAC is stable."""
    plain = json.loads(json.dumps(details, default=_iso, sort_keys=True))
    assert isinstance(plain, dict)
    return plain


def _iso(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"not for the audit log: {type(value).__name__}")


def append(session: Session, action: str, **details: Any) -> AuditEntry:
    """Add one entry to the log in the caller's transaction (sealed when it commits).

    ``details`` are JSON values, dates and lists of them: family codes and counts,
    never a name, phone number, address or note.
    """
    entry = AuditEntry(action=action, details=_plain(details), at=utcnow())
    session.add(entry)
    return entry


def _payload(entry: AuditEntry, prev: str) -> bytes:
    body = {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "action": entry.action,
        "details": entry.details,
        "prev": prev,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def link(key: bytes, entry: AuditEntry, prev: str) -> str:
    """The ``mac`` ``entry`` must carry when ``prev`` is the ``mac`` before it."""
    return hmac.new(key, _payload(entry, prev), hashlib.sha256).hexdigest()


def _previous_mac(session: Session, entry_id: int) -> str:
    mac = session.scalar(
        select(AuditEntry.mac).where(AuditEntry.id < entry_id).order_by(AuditEntry.id.desc())
    )
    return mac or ""


def _seal(session: Session, entries: Iterable[AuditEntry]) -> None:
    pending = sorted((e for e in entries if e.mac is None and e.id is not None), key=_id)
    if not pending:
        return
    key = chain_key(session)
    if key is None:
        # Every vault gets its key when it is opened (Vault._establish): a bug if not.
        raise RuntimeError("the vault's audit chain key is missing")
    prev = _previous_mac(session, pending[0].id)
    for entry in pending:
        if entry.details is None:
            entry.details = {}
        entry.mac = link(key, entry, prev)
        prev = entry.mac


def _id(entry: AuditEntry) -> int:
    return entry.id


_PENDING = "lotse.audit.pending"


@event.listens_for(Session, "before_flush")
def _note_new_entries(session: Session, _context: Any, _instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, AuditEntry)]
    if new:
        session.info.setdefault(_PENDING, []).extend(new)


@event.listens_for(Session, "before_commit")
def _seal_on_commit(session: Session) -> None:
    if not session.info.get(_PENDING) and not any(
        isinstance(obj, AuditEntry) for obj in session.new
    ):
        return
    session.flush()  # ids first: the MAC covers them
    _seal(session, session.info.pop(_PENDING, []))
    session.flush()


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def seal_legacy(session: Session) -> int:
    """Chain the entries of a log that has never been chained (a vault from before).

    Only when no entry carries a ``mac`` yet: unsealed entries beside sealed ones are a
    finding of :func:`verify`, never sealed over. Returns the number of entries sealed.
    """
    if session.scalar(select(AuditEntry.id).where(AuditEntry.mac.is_not(None)).limit(1)):
        return 0
    entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    _seal(session, entries)
    session.flush()
    return len(entries)


# -- reading and checking ----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing :func:`verify` found wrong with the log."""

    #: ``changed`` (an entry no longer matches its link: it, or the one before it, was
    #: changed, removed or moved), ``unsealed`` (an entry without a link, added by hand),
    #: ``tail_removed`` (the header's latest link is not in the log: entries at the end
    #: were removed), ``added_while_closed`` (entries after a cleanly closed header's
    #: latest link) or ``recorded`` (an earlier unlock found and recorded a change).
    kind: str
    #: The entry concerned (``tail_removed``: the entry the log now ends with, 0 if none).
    entry_id: int | None = None
    #: When the finding was recorded (``recorded`` only).
    at: dt.datetime | None = None

    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.entry_id)


@dataclass(frozen=True)
class Verification:
    entries: int
    head: str | None
    findings: tuple[Finding, ...]

    @property
    def intact(self) -> bool:
        return not self.findings


def verify(
    session: Session,
    header_head: str | None = None,
    header_clean: bool = True,
    check_head: bool = False,
) -> Verification:
    """Check every link of the chain (and, with ``check_head``, the header's head).

    ``header_head`` and ``header_clean`` are the header's state as it was read before the
    vault was opened; a header that was not closed cleanly may lag behind the database by
    the entries committed after its last write (a crash), which is no finding.
    """
    key = chain_key(session)
    rows = list(session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())
    findings: list[Finding] = []
    prev = ""
    position: dict[str, int] = {}
    for index, entry in enumerate(rows):
        if entry.mac is None:
            findings.append(Finding("unsealed", entry.id))
        elif key is None or not hmac.compare_digest(entry.mac, link(key, entry, prev)):
            findings.append(Finding("changed", entry.id))
        if entry.mac is not None:
            position[entry.mac] = index
        prev = entry.mac or ""
        if entry.action == DAMAGED:
            findings.append(Finding("recorded", entry.id, entry.at))
    head = rows[-1].mac if rows else None
    if all(r.mac is None for r in rows) and header_head is None:
        # A log from before the chain: nothing sealed yet, nothing to compare.
        findings = [f for f in findings if f.kind != "unsealed"]
    elif check_head and header_head != head:
        if header_head is None or header_head not in position:
            # Named by the entry the log now ends with, so a later removal is a new finding.
            findings.append(Finding("tail_removed", rows[-1].id if rows else 0))
        elif header_clean:
            findings.append(Finding("added_while_closed", rows[position[header_head] + 1].id))
    return Verification(len(rows), head, tuple(findings))


def recorded_findings(session: Session) -> set[tuple[str, int | None]]:
    """The findings earlier unlocks already wrote into the log."""
    found: set[tuple[str, int | None]] = set()
    for details in session.scalars(select(AuditEntry.details).where(AuditEntry.action == DAMAGED)):
        for item in (details or {}).get("findings", []):
            if isinstance(item, dict) and isinstance(item.get("kind"), str):
                entry = item.get("entry")
                found.add((item["kind"], entry if isinstance(entry, int) else None))
    return found


def record_new_findings(session: Session, verification: Verification) -> list[Finding]:
    """Write what :func:`verify` found and no earlier unlock recorded; return those."""
    known = recorded_findings(session)
    new = [f for f in verification.findings if f.kind != "recorded" and f.key() not in known]
    if new:
        append(
            session,
            DAMAGED,
            findings=[{"kind": f.kind, "entry": f.entry_id} for f in new],
        )
    return new


@dataclass(frozen=True)
class LogEntry:
    """One entry as the viewer and ``lotse audit show`` list it."""

    id: int
    at: dt.datetime
    action: str
    details: dict[str, Any]


def entries(
    session: Session,
    actions: Iterable[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[LogEntry]:
    """The entries, oldest first, of the given actions and days (both days included)."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    wanted = list(actions) if actions is not None else None
    if wanted is not None:
        query = query.where(AuditEntry.action.in_(wanted))
    if since is not None:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if until is not None:
        next_day = dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
        query = query.where(AuditEntry.at < next_day)
    return [LogEntry(e.id, e.at, e.action, dict(e.details or {})) for e in session.scalars(query)]


def used_actions(session: Session) -> list[str]:
    """Every action the log holds, in the order of :data:`ACTIONS` (unknown ones last)."""
    found = set(session.scalars(select(AuditEntry.action).distinct()))
    order = {action: i for i, action in enumerate(ACTIONS)}
    return sorted(found, key=lambda a: (order.get(a, len(order)), a))


# -- failed unlock attempts ------------------------------------------------------------------


@dataclass(frozen=True)
class FailedUnlocks:
    count: int
    first: str
    last: str


def note_failed_unlock(folder: Path) -> None:
    """Count one failed unlock in the file beside the header (no database is open)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    known = read_failed_unlocks(folder)
    count = (known.count if known else 0) + 1
    first = known.first if known else now
    data = {"format": "lotse.unlock-failures/1", "count": count, "first": first, "last": now}
    with contextlib.suppress(OSError):  # a read-only folder must not hide the wrong passphrase
        write_private_file(folder / FAILURES_NAME, (json.dumps(data) + "\n").encode("ascii"))


def read_failed_unlocks(folder: Path) -> FailedUnlocks | None:
    try:
        data = json.loads((folder / FAILURES_NAME).read_text("ascii"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    count, first, last = data.get("count"), data.get("first"), data.get("last")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return None
    if not isinstance(first, str) or not isinstance(last, str):
        return None
    return FailedUnlocks(min(count, 10**9), first[:40], last[:40])


def forget_failed_unlocks(folder: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (folder / FAILURES_NAME).unlink()
