"""Handing one family over along the prevention chain, with its consent (issue 14).

**Sending** (:meth:`HandoverAPI.export`): one family's ``lotse.records/2`` lines (household,
screening, consents, contacts, referrals with their history, reminders; the notes only
when asked) are sealed to the recipient's contact card and signed by this vault
(:func:`lotse.cards.sealed.seal`, purpose ``lotse.handover``). Refused, with nothing written
and nothing stored, unless the family has a ``transfer`` consent valid today whose recipient
is the card's ``service`` (case-insensitive, runs of spaces as one). In the same
transaction as the audit entry (family code and recipient service, never a name) the
family gets a referral to that service (target ``other``: the catalogue has no code for
"another navigator's service"; the service's name goes into the referral's note when the
documentation consent allows notes) and, when asked, is closed with reason ``handed_over``.

**Receiving** (:meth:`HandoverAPI.open` then :meth:`HandoverAPI.accept`, or
:meth:`HandoverAPI.import_file`): the file must be sealed to this vault and signed by the
card it carries; the family arrives with ``origin`` (the sender's service and the day of
the handover) and keeps the id ``<sender code>@<sender vault>``, so the same family from
the same sender is refused the second time. All or nothing (the records import).

**Whose contacts count** (statistics.md counts a vault's own work): a family's contacts
and referrals dated on or before its ``origin.date`` are the sender's, and the receiving
vault's figures leave them out (:mod:`lotse.stats.figures`); the sender's vault keeps
counting them, so a team merge of both vaults' packages counts each contact once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lotse import options
from lotse.cards.card import ContactCard
from lotse.cards.sealed import PURPOSE_HANDOVER, envelope_of, open_sealed, seal
from lotse.casework.closing import close_family
from lotse.casework.followups import ReferralInput, new_referral
from lotse.db.models import Consent, Family
from lotse.domain.entities import ConsentData
from lotse.domain.mapping import from_row
from lotse.errors import BadInputError
from lotse.fileio import atomic_write, read_input_file
from lotse.i18n import _, ngettext
from lotse.records.exporter import iter_lines
from lotse.records.importer import ImportSummary, store_records
from lotse.records.model import FORMAT, family_ref
from lotse.records.reader import parse_bytes
from lotse.usecases.access import VaultAccess
from lotse.vault import audit

PAYLOAD_FORMAT = "lotse.handover/1"
#: Largest handover file read (one family's records, sealed).
MAX_HANDOVER_BYTES = 16 * 1024 * 1024
MODES = ("information", "contact_made", "accompanied")
#: Keys of a records line that hold free-text notes (left out unless asked for).
_NOTE_KEYS = ("notes",)


def same_service(a: str | None, b: str | None) -> bool:
    """Whether two service names are the same, case-insensitively, runs of spaces as one."""

    def norm(text: str | None) -> str:
        return re.sub(r"\s+", " ", text or "").strip().casefold()

    return bool(norm(a)) and norm(a) == norm(b)


def _valid(consent: ConsentData, day: dt.date) -> bool:
    """Given by ``day`` and not withdrawn by then (the consent register's rule)."""
    return consent.date <= day and (consent.withdrawn is None or consent.withdrawn > day)


def _consents(session: Session, family_id: int) -> list[ConsentData]:
    rows = session.scalars(
        select(Consent).where(Consent.family_id == family_id).order_by(Consent.position)
    )
    return [from_row(ConsentData, row) for row in rows]


def _find(session: Session, ref: str) -> Family:
    """The family whose code or records-file id is ``ref``."""
    text = ref.strip()
    row = session.scalars(
        select(Family).where(or_(Family.code == text, Family.external_ref == text))
    ).first()
    if row is None:
        raise BadInputError(
            _(
                "Zu „{ref}“ gibt es hier keine Familie (weder Code noch Datensatz-ID); "
                "nichts wurde übergeben."
            ).format(ref=text)
        )
    return row


@dataclass(frozen=True)
class HandoverSent:
    """What an export did on the sender's side."""

    code: str
    recipient: str
    fingerprint: str
    lines: int
    closed: bool
    with_notes: bool


@dataclass(frozen=True)
class HandoverFile:
    """A handover file opened by its recipient, checked, not yet stored."""

    name: str
    sender: ContactCard
    family: str
    date: dt.date
    mode: str
    records: bytes
    children: int
    contacts: int
    referrals: int
    reminders: int

    @property
    def family_id(self) -> str:
        """The id the family keeps here: unique per sender vault and family."""
        return f"{self.family}@{self.sender.vault}"

    def contents(self) -> str:
        """What comes with the family, for the window and the command line alike."""
        return ", ".join(
            (
                ngettext("{n} Kind", "{n} Kinder", self.children).format(n=self.children),
                ngettext("{n} Kontakt", "{n} Kontakte", self.contacts).format(n=self.contacts),
                ngettext("{n} Vermittlung", "{n} Vermittlungen", self.referrals).format(
                    n=self.referrals
                ),
                ngettext("{n} Wiedervorlage", "{n} Wiedervorlagen", self.reminders).format(
                    n=self.reminders
                ),
            )
        )


@dataclass(frozen=True)
class HandoverReceived:
    code: str
    sender: str
    summary: ImportSummary


def _family_lines(session: Session, ref: str, with_notes: bool) -> list[str]:
    """The records/2 lines of one family (its id ``ref``), header first."""
    lines = [json.dumps({"format": FORMAT})]
    for text in iter_lines(session):
        line = json.loads(text)
        kind = line.get("type")
        mine = (kind == "family" and line.get("id") == ref) or (
            kind in ("contact", "referral", "reminder") and line.get("family") == ref
        )
        if not mine:
            continue
        if not with_notes:
            for key in _NOTE_KEYS:
                line.pop(key, None)
        lines.append(json.dumps(line, ensure_ascii=False))
    return lines


class HandoverAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    @property
    def _vault_id(self) -> str:
        return self._access.vault.vault_id

    def check(self, family: str, card: ContactCard, today: dt.date | None = None) -> str:
        """The family's code if it may go to ``card``'s holder; else :class:`BadInputError`."""
        today = today or dt.date.today()
        with self._access.read() as session:
            row = _find(session, family)
            consents = _consents(session, row.id)
            code = row.code
        self._check_consent(code, consents, card, today)
        return code

    @staticmethod
    def _check_consent(code: str, consents: Any, card: ContactCard, today: dt.date) -> None:
        if not card.service.strip():
            raise BadInputError(
                _(
                    "Die Kontaktkarte von {who} nennt keinen Dienst; eine Übergabe braucht den "
                    "Namen, den die Einwilligung als Empfänger nennt."
                ).format(who=card.title)
            )
        transfers = [c for c in consents if c.purpose == "transfer" and _valid(c, today)]
        if any(same_service(c.recipient, card.service) for c in transfers):
            return
        named = ", ".join(sorted({c.recipient for c in transfers if c.recipient})) or "–"
        raise BadInputError(
            _(
                "Familie {code} kann nicht an „{service}“ übergeben werden: es gibt keine "
                "gültige Einwilligung zur Weitergabe, die diesen Empfänger nennt (gültige "
                "Einwilligungen zur Weitergabe nennen: {named}). Nichts wurde geschrieben."
            ).format(code=code, service=card.service, named=named)
        )

    def export(
        self,
        family: str,
        card: ContactCard,
        out: Path,
        mode: str = "contact_made",
        close: bool = False,
        with_notes: bool = False,
        today: dt.date | None = None,
    ) -> HandoverSent:
        """Seal family ``family`` to ``card``'s holder into ``out`` (see the module)."""
        today = today or dt.date.today()
        if mode not in MODES:
            raise BadInputError(
                _("Unbekannte Art der Übergabe „{mode}“ (möglich: {modes}).").format(
                    mode=mode, modes=", ".join(MODES)
                )
            )
        with self._access.write() as session:
            row = _find(session, family)
            consents = _consents(session, row.id)
            self._check_consent(row.code, consents, card, today)
            if close and row.closed is not None:
                raise BadInputError(
                    _("Familie {code} ist schon abgeschlossen.").format(code=row.code)
                )
            lines = _family_lines(session, family_ref(row.external_ref, row.code), with_notes)
            payload = {
                "format": PAYLOAD_FORMAT,
                "family": row.code,
                "date": today.isoformat(),
                "mode": mode,
                "records": "\n".join(lines) + "\n",
            }
            data = seal(
                json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                card,
                session,
                self._vault_id,
                PURPOSE_HANDOVER,
            )
            # The service's name is free text: kept only where notes may be stored.
            documented = any(c.purpose == "documentation" and _valid(c, today) for c in consents)
            note = card.service if documented else None
            new_referral(
                session,
                row.id,
                ReferralInput(
                    date=today,
                    target="other",
                    status="suggested" if mode == "information" else "arranged",
                    mode=mode,
                    notes=note,
                ),
            )
            if close:
                close_family(session, row.id, today, "handed_over")
            audit.append(session, "handover_sent", family=row.code, recipient=card.service)
            # Written last, inside the transaction: if writing fails, nothing is stored.
            atomic_write(Path(out), [data])
        return HandoverSent(
            row.code, card.service, card.fingerprint, len(lines) - 1, close, with_notes
        )

    def open(self, path: Path, name: str | None = None) -> HandoverFile:
        """Read and check the handover file ``path`` (sealed to this vault); stores nothing."""
        name = name or Path(path).name
        raw = read_input_file(path, MAX_HANDOVER_BYTES, name)
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            obj = None
        envelope = envelope_of(obj, name)
        if envelope is None:
            raise BadInputError(_("{file} ist keine Übergabe-Datei von Lotse.").format(file=name))
        with self._access.write() as session:  # keys are made on first use
            opened = open_sealed(envelope, session, self._vault_id, PURPOSE_HANDOVER)
        try:
            payload = json.loads(opened.payload)
            if payload["format"] != PAYLOAD_FORMAT:
                raise ValueError(payload["format"])
            family, mode = str(payload["family"]), str(payload["mode"])
            date = dt.date.fromisoformat(payload["date"])
            records_text = str(payload["records"]).encode("utf-8")
        except (KeyError, TypeError, ValueError):
            raise BadInputError(
                _("{file}: unbekannter Inhalt einer Übergabe; nichts wurde übernommen.").format(
                    file=name
                )
            ) from None
        with self._access.read() as session, options.vault_catalogues(session):
            records = parse_bytes(records_text, name)
        if len(records.families) != 1:
            raise BadInputError(
                _("{file}: eine Übergabe enthält genau eine Familie.").format(file=name)
            )
        return HandoverFile(
            name=name,
            sender=opened.sender,
            family=family,
            date=date,
            mode=mode,
            records=records_text,
            children=len(records.families[0].children),
            contacts=len(records.contacts),
            referrals=len(records.referrals),
            reminders=len(records.reminders),
        )

    def accept(self, handover: HandoverFile) -> HandoverReceived:
        """Store the opened handover: the family with its origin, all or nothing."""
        with self._access.read() as session:
            with options.vault_catalogues(session):
                records = parse_bytes(handover.records, handover.name)
            taken = session.scalar(
                select(Family.code).where(Family.external_ref == handover.family_id)
            )
        sender = handover.sender.service or handover.sender.title
        if taken is not None:
            raise BadInputError(
                _(
                    "Familie {family} von {sender} wurde schon übernommen (hier {code}); "
                    "nichts wurde übernommen."
                ).format(family=handover.family, sender=sender, code=taken)
            )
        old = records.families[0].id
        records.families[0] = replace(
            records.families[0],
            id=handover.family_id,
            origin_service=sender,
            origin_date=handover.date,
        )
        for item in (*records.contacts, *records.referrals, *records.reminders):
            if item.family == old:
                item.family = handover.family_id
        with self._access.guarded():
            summary = store_records(self._access.vault, records, handover.name)
        with self._access.write() as session:
            code = session.scalar(
                select(Family.code).where(Family.external_ref == handover.family_id)
            )
            assert code is not None
            audit.append(session, "handover_received", family=code, sender=sender)
        return HandoverReceived(code, sender, summary)

    def import_file(self, path: Path, name: str | None = None) -> HandoverReceived:
        return self.accept(self.open(path, name))
