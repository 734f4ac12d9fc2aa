"""Erasing a family (GDPR Art. 17): on request (``lotse erase``, the window's delete) or
when its retention period has passed (:mod:`lotse.usecases.retention`).

Erasing takes every record of the family in one transaction: household, children,
consents, screening, contacts, referrals with their history, reminders, drafts (the
schema's cascades). Its code goes on the vault's list of erased families first
(:func:`lotse.vault.erasures.record_erasure`), so restoring an older backup erases it
again. The audit log gets the code and the counts, never a name. Closed periods keep their
figures: they are anonymous aggregates, frozen when the period was closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lotse.casework.families import get_family
from lotse.db.models import Consent, Contact, Family, Referral, Reminder
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.usecases.access import VaultAccess
from lotse.vault import Vault, audit, erasures


@dataclass(frozen=True)
class FamilyRef:
    """A family found by its code or the id it had in an imported records file."""

    id: int
    code: str


@dataclass(frozen=True)
class Erased:
    """What erasing one family took with it (counts only)."""

    code: str
    contacts: int
    referrals: int
    reminders: int
    consents: int


def find_family(session: Session, ref: str) -> FamilyRef:
    """The family whose code (``F-2026-0001``) or external reference is ``ref``."""
    text = ref.strip()
    row = session.execute(
        select(Family.id, Family.code).where(or_(Family.code == text, Family.external_ref == text))
    ).first()
    if row is None:
        raise BadInputError(
            _(
                "Eine Familie „{ref}“ gibt es in diesem Tresor nicht (Code oder Datensatz-ID)."
            ).format(ref=text)
        )
    return FamilyRef(row[0], row[1])


def _count(session: Session, model: type, family_id: int) -> int:
    column = model.family_id  # type: ignore[attr-defined]
    return session.scalar(select(func.count()).select_from(model).where(column == family_id)) or 0


def counts(session: Session, family_id: int) -> Erased:
    """What erasing the family would take with it."""
    family = get_family(session, family_id)
    return Erased(
        family.code,
        _count(session, Contact, family_id),
        _count(session, Referral, family_id),
        _count(session, Reminder, family_id),
        _count(session, Consent, family_id),
    )


def erase_family(session: Session, vault: Vault, family_id: int, reason: str) -> Erased:
    """Erase the family and every record of it in the caller's transaction; logged.

    ``reason`` is ``request`` (Art. 17) or ``retention``.
    """
    erased = counts(session, family_id)
    # Listed before the delete commits: a crash in between repeats an erasure, never
    # loses one (see record_erasure).
    erasures.record_erasure(vault, erased.code, session)
    session.delete(get_family(session, family_id))
    audit.append(
        session,
        "family_erased",
        family=erased.code,
        reason=reason,
        contacts=erased.contacts,
        referrals=erased.referrals,
        reminders=erased.reminders,
        consents=erased.consents,
    )
    session.flush()
    return erased


class ErasureAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def find(self, ref: str) -> FamilyRef:
        """The family ``ref`` names (its code or its id in an imported records file)."""
        with self._access.read() as session:
            return find_family(session, ref)

    def preview(self, family_id: int) -> Erased:
        """What erasing the family would take with it (for the confirmation)."""
        with self._access.read() as session:
            return counts(session, family_id)

    def erase(self, family_id: int, reason: str = "request") -> Erased:
        """Erase the family with every record of it, in one transaction; logged."""
        with self._access.write() as session:
            return erase_family(session, self._access.vault, family_id, reason)
