"""Storing validated records in a vault, in one transaction: all of them or none.

Rows go in with SQLAlchemy Core ``executemany`` and ids assigned here, so 100,000 records
take seconds, not minutes; a record's columns come from the one mapper
(:func:`lotse.domain.mapping.sql_columns`). Ids from the file are kept as external
references; a family id of the pseudonym form (``F-2026-0042``) becomes its code again,
so codes survive a move between laptops (export → import). Screening factors, consents,
each referral's status history and reminders go into their tables as the file has them,
so exporting again gives the same file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lotse.db.models import (
    Child,
    Consent,
    Contact,
    ContactTopic,
    Counter,
    Family,
    GroupOffer,
    GroupSession,
    Referral,
    ReferralStatusChange,
    Reminder,
    ScreeningFactor,
    utcnow,
)
from lotse.domain.mapping import sql_columns
from lotse.i18n import _
from lotse.records.exporter import offer_refs
from lotse.records.model import Records, family_ref
from lotse.records.reader import Problem, RecordsError
from lotse.vault import Vault

CODE_PATTERN = re.compile(r"F-(\d{4})-(\d{4,})")
#: ``counter`` rows of the last family code number handed out, one per year.
COUNTER_PREFIX = "family_code:"

#: Called with (rows done, rows in all) while storing; the GUI shows it as progress.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportSummary:
    families: int
    contacts: int
    referrals: int
    group_offers: int
    group_sessions: int
    reminders: int = 0

    def describe(self) -> str:
        """One line for the user, the same in the window and on the command line."""
        text = _(
            "{families} Familien, {contacts} Kontakte, {referrals} Vermittlungen, "
            "{offers} Gruppenangebote, {sessions} Gruppentermine"
        ).format(
            families=self.families,
            contacts=self.contacts,
            referrals=self.referrals,
            offers=self.group_offers,
            sessions=self.group_sessions,
        )
        if self.reminders:
            text += ", " + _("{n} Wiedervorlagen").format(n=self.reminders)
        return text


class CodeAllocator:
    """Hands out pseudonym codes ``F-<year>-<nnnn>``, continuing each year's numbering.

    The last number handed out for each year is kept in the vault (``counter`` table) and
    only grows: the code of a deleted family is never given to another one, so a code on
    a paper note or in a colleague's mail keeps meaning one family. :meth:`save` writes
    the numbers handed out (in the caller's transaction).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        # External references of the pseudonym form are taken too: a new code equal to one
        # would make two families share an id in the next export.
        self._used: set[str] = set(session.scalars(select(Family.code)))
        self._used |= {ref for ref in session.scalars(select(Family.external_ref)) if ref}
        self._issued: dict[int, int] = {}
        for name, value in session.execute(select(Counter.name, Counter.value)):
            if name.startswith(COUNTER_PREFIX) and name[len(COUNTER_PREFIX) :].isdigit():
                self._issued[int(name[len(COUNTER_PREFIX) :])] = int(value)
        self._stored = dict(self._issued)
        self._next: dict[int, int] = {year: n + 1 for year, n in self._issued.items()}
        for code in self._used:
            match = CODE_PATTERN.fullmatch(code)
            if match:
                year, number = int(match[1]), int(match[2])
                self._next[year] = max(self._next.get(year, 1), number + 1)

    def is_free(self, code: str) -> bool:
        """Neither held now nor ever handed out by this vault (a deleted family's)."""
        if code in self._used:
            return False
        match = CODE_PATTERN.fullmatch(code)
        return not match or int(match[2]) > self._issued.get(int(match[1]), 0)

    def claim(self, code: str) -> str:
        self._used.add(code)
        match = CODE_PATTERN.fullmatch(code)
        if match:
            year, number = int(match[1]), int(match[2])
            self._next[year] = max(self._next.get(year, 1), number + 1)
            self._issued[year] = max(self._issued.get(year, 0), number)
        return code

    def new(self, year: int | None = None) -> str:
        year = year or dt.date.today().year
        number = self._next.get(year, 1)
        while f"F-{year}-{number:04d}" in self._used:
            number += 1
        self._next[year] = number + 1
        return self.claim(f"F-{year}-{number:04d}")

    def save(self) -> None:
        """Store the numbers handed out, so they are never handed out again."""
        for year, number in self._issued.items():
            if self._stored.get(year) == number:
                continue
            name = f"{COUNTER_PREFIX}{year}"
            row = self._session.get(Counter, name)
            if row is None:
                self._session.add(Counter(name=name, value=number))
            else:
                row.value = max(row.value, number)
            self._stored[year] = number
        self._session.flush()


def _check_against_vault(session: Session, records: Records, name: str) -> None:
    problems: list[Problem] = []
    # A file id must not equal the id any stored family is exported under (its external
    # reference, else its code), or a later export would carry one id twice.
    family_ids = {f.id for f in records.families}
    existing = {
        family_ref(ref, code)
        for ref, code in session.execute(select(Family.external_ref, Family.code))
        if family_ref(ref, code) in family_ids
    }
    for family in records.families:
        if family.id in existing:
            problems.append(
                Problem(
                    family.line,
                    _('Familie "{id}" ist im Tresor schon vorhanden').format(id=family.id),
                )
            )
    offer_ids = {o.id for o in records.group_offers}
    taken_offers = set(offer_refs(session).values()) & offer_ids
    for offer in records.group_offers:
        if offer.id in taken_offers:
            problems.append(
                Problem(
                    offer.line,
                    _('Gruppenangebot "{id}" ist im Tresor schon vorhanden').format(id=offer.id),
                )
            )
    if problems:
        raise RecordsError(name, sorted(problems, key=lambda p: p.line))


def store_records(
    vault: Vault, records: Records, name: str = "", progress: Progress | None = None
) -> ImportSummary:
    """Store ``records`` in ``vault`` in one transaction; on any error nothing is stored."""
    total = max(records.count(), 1)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    # DateTime as SQLAlchemy stores it in SQLite
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    with vault.bulk_transaction() as session:
        _check_against_vault(session, records, name)
        codes = CodeAllocator(session)
        next_id = {
            table: (session.scalar(select(func.max(table.id))) or 0) + 1
            for table in (Family, Child, Contact, ContactTopic, Referral, GroupOffer)
        }

        family_pk: dict[str, int] = {}
        family_rows, child_rows, factor_rows, consent_rows = [], [], [], []
        for family in records.families:
            pk = next_id[Family]
            next_id[Family] += 1
            family_pk[family.id] = pk
            if CODE_PATTERN.fullmatch(family.id) and codes.is_free(family.id):
                code = codes.claim(family.id)
            else:
                code = codes.new()
            family_rows.append(
                {
                    "id": pk,
                    "code": code,
                    "external_ref": family.id,
                    **sql_columns(family),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            factor_rows += [
                {"family_id": pk, "position": position, "factor": factor}
                for position, factor in enumerate(family.screening_factors)
            ]
            consent_rows += [
                {"family_id": pk, "position": position, **sql_columns(consent)}
                for position, consent in enumerate(family.consents)
            ]
            for position, birth_date in enumerate(family.children):
                child_rows.append(
                    {
                        "id": next_id[Child],
                        "family_id": pk,
                        "position": position,
                        "birth_date": birth_date.isoformat(),
                    }
                )
                next_id[Child] += 1
        codes.save()
        _insert(session, Family, family_rows)
        _insert(session, Child, child_rows)
        _insert(session, ScreeningFactor, factor_rows)
        _insert(session, Consent, consent_rows)
        step(len(family_rows))

        contact_rows, topic_rows = [], []
        for contact in records.contacts:
            pk = next_id[Contact]
            next_id[Contact] += 1
            contact_rows.append(
                {
                    "id": pk,
                    "family_id": family_pk[contact.family],
                    **sql_columns(contact),
                    "created_at": now,
                }
            )
            for position, topic in enumerate(contact.topics):
                topic_rows.append(
                    {
                        "id": next_id[ContactTopic],
                        "contact_id": pk,
                        "position": position,
                        "topic": topic,
                    }
                )
                next_id[ContactTopic] += 1
        _insert(session, Contact, contact_rows)
        _insert(session, ContactTopic, topic_rows)
        step(len(contact_rows))

        referral_rows, history_rows = [], []
        for referral in records.referrals:
            pk = next_id[Referral]
            next_id[Referral] += 1
            referral_rows.append(
                {
                    "id": pk,
                    "family_id": family_pk[referral.family],
                    **sql_columns(referral),
                    "created_at": now,
                }
            )
            # Without a history (records/1), the current status is its only step.
            steps = [(s.status, s.date) for s in referral.history] or [
                (referral.status, referral.status_date or referral.date)
            ]
            history_rows += [
                {"referral_id": pk, "status": status, "date": date.isoformat(), "created_at": now}
                for status, date in steps
            ]
        _insert(session, Referral, referral_rows)
        _insert(session, ReferralStatusChange, history_rows)
        step(len(referral_rows))

        reminder_rows = [
            {"family_id": family_pk[r.family], **sql_columns(r), "created_at": now}
            for r in records.reminders
        ]
        _insert(session, Reminder, reminder_rows)
        step(len(reminder_rows))

        offer_pk: dict[str, int] = {}
        offer_rows = []
        for offer in records.group_offers:
            pk = next_id[GroupOffer]
            next_id[GroupOffer] += 1
            offer_pk[offer.id] = pk
            offer_rows.append(
                {"id": pk, "external_ref": offer.id, **sql_columns(offer), "created_at": now}
            )
        _insert(session, GroupOffer, offer_rows)
        session_rows = [
            {"offer_id": offer_pk[s.offer], **sql_columns(s)} for s in records.group_sessions
        ]
        _insert(session, GroupSession, session_rows)
        step(len(offer_rows) + len(session_rows))

    return ImportSummary(
        families=len(records.families),
        contacts=len(records.contacts),
        referrals=len(records.referrals),
        group_offers=len(records.group_offers),
        group_sessions=len(records.group_sessions),
        reminders=len(records.reminders),
    )


def _insert(session: Session, model: type, rows: list[dict[str, object]]) -> None:
    """Insert ``rows`` with one plain ``executemany``.

    SQLAlchemy's per-row parameter processing costs more than the encrypted insert itself
    at this volume, so the rows already hold values the way its SQLite types store them
    (dates as ISO text, JSON as text); the round-trip tests read them back through the ORM.
    """
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    columns = list(rows[0])
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    session.connection().exec_driver_sql(sql, [tuple(row.values()) for row in rows])
