"""Use cases of families: the list, one family, first contact, editing, deleting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lotse.casework import closing, families
from lotse.casework.duplicates import possible_duplicates
from lotse.casework.families import Created, FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput
from lotse.casework.listing import FamilyRow, load_page, load_people, load_row, load_rows
from lotse.casework.timeline import Entry, family_timeline
from lotse.usecases.access import VaultAccess
from lotse.usecases.erasure import erase_family


@dataclass(frozen=True)
class FamilyDetails:
    """One stored family: its code and the values the form shows (a copy, not a row)."""

    id: int
    code: str
    data: FamilyInput


@dataclass(frozen=True)
class FamilyPage:
    """What the detail pane shows of one family, read in one snapshot."""

    family: FamilyDetails
    timeline: tuple[Entry, ...]


class FamiliesAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def rows(self) -> list[FamilyRow]:
        """Every family as a row of the families list, in code order."""
        with self._access.read() as session:
            return load_rows(session)

    def rows_page(self, after: str | None, limit: int, descending: bool = False) -> list[FamilyRow]:
        """Up to ``limit`` list rows in code order after the code ``after`` (None: from
        the first; ``descending``: backwards from the last): the window reads a whole
        city's list page by page, a screenful first."""
        with self._access.read() as session:
            return load_page(session, after, limit, descending)

    def row(self, family_id: int) -> FamilyRow | None:
        """One family as a row of the families list (after it changed); None if it is gone."""
        with self._access.read() as session:
            return load_row(session, family_id)

    def get(self, family_id: int) -> FamilyDetails:
        """One family (raises :class:`~lotse.errors.BadInputError` if it is gone)."""
        with self._access.read() as session:
            row = families.get_family(session, family_id)
            return FamilyDetails(row.id, row.code, families.family_input(row))

    def timeline(self, family_id: int) -> list[Entry]:
        """Everything that happened with the family, newest first."""
        with self._access.read() as session:
            return family_timeline(session, family_id)

    def page(self, family_id: int) -> FamilyPage:
        """The family and its timeline together (one read, so they agree)."""
        with self._access.read() as session:
            row = families.get_family(session, family_id)
            details = FamilyDetails(row.id, row.code, families.family_input(row))
            return FamilyPage(details, tuple(family_timeline(session, family_id)))

    def record_first_contact(
        self,
        family: FamilyInput,
        contact: ContactInput,
        referrals: Sequence[ReferralInput] = (),
    ) -> Created:
        """Store a new family with its first contact and referrals, all or nothing."""
        with self._access.write() as session:
            return families.record_first_contact(session, family, contact, list(referrals))

    def update(self, family_id: int, data: FamilyInput) -> None:
        with self._access.write() as session:
            families.update_family(session, family_id, data)

    def close(self, family_id: int, closed: dt.date, reason: str | None) -> None:
        """End the family's accompaniment on ``closed`` for ``reason`` (a closure reason)."""
        with self._access.write() as session:
            closing.close_family(session, family_id, closed, reason)

    def reopen(self, family_id: int) -> None:
        """Open a closed accompaniment again (its date and reason of closing go)."""
        with self._access.write() as session:
            closing.reopen_family(session, family_id)

    def deletion_summary(self, family_id: int) -> str:
        """The confirmation question: what deleting the family takes with it."""
        with self._access.read() as session:
            return families.deletion_summary(session, family_id)

    def delete(self, family_id: int) -> None:
        """Erase the family with everything recorded about it (GDPR Art. 17); logged and
        put on the erased list, as ``lotse erase`` does (:mod:`lotse.usecases.erasure`)."""
        with self._access.write() as session:
            erase_family(session, self._access.vault, family_id, "request")

    def duplicates(
        self, name: str, phone: str, exclude: int | None = None, limit: int = 8
    ) -> list[FamilyRow]:
        """Stored families that may be the one being recorded (same-sounding name, phone)."""
        # Names and phones only (the rows carry no dates or district): the form asks
        # while it is typed in, with 100,000 families too, and shows code, name and phone.
        with self._access.read() as session:
            found = possible_duplicates(load_people(session), name, phone, limit + 1)
        return [row for row in found if row.id != exclude][:limit]
