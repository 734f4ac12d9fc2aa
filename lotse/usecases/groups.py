"""Use cases of group offers and their sessions (anonymous head counts)."""

from __future__ import annotations

import datetime as dt

from lotse.casework import groups
from lotse.casework.groups import OfferRow, SessionRow
from lotse.usecases.access import VaultAccess


class GroupsAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def offers(self) -> list[OfferRow]:
        """Every group offer with its number of sessions and last date, by title."""
        with self._access.read() as session:
            return groups.list_offers(session)

    def offer(self, offer_id: int) -> OfferRow:
        with self._access.read() as session:
            return groups.get_offer(session, offer_id)

    def sessions(self, offer_id: int) -> list[SessionRow]:
        """The sessions of one offer, newest first."""
        with self._access.read() as session:
            return groups.list_sessions(session, offer_id)

    def count_sessions(self, offer_id: int) -> int:
        with self._access.read() as session:
            return groups.count_sessions(session, offer_id)

    def create_offer(
        self, title: str, category: str | None = None, district: str | None = None
    ) -> int:
        with self._access.write() as session:
            return groups.create_offer(session, title, category, district)

    def update_offer(
        self, offer_id: int, title: str, category: str | None = None, district: str | None = None
    ) -> None:
        with self._access.write() as session:
            groups.update_offer(session, offer_id, title, category, district)

    def delete_offer(self, offer_id: int) -> int:
        """Delete the offer with its sessions; returns how many sessions went with it."""
        with self._access.write() as session:
            return groups.delete_offer(session, offer_id)

    def record_session(
        self,
        offer_id: int,
        date: dt.date | None,
        minutes: int | str | None,
        adults: int | str | None,
        children: int | str | None,
        today: dt.date | None = None,
    ) -> int:
        with self._access.write() as session:
            return groups.record_session(session, offer_id, date, minutes, adults, children, today)

    def update_session(
        self,
        session_id: int,
        date: dt.date | None,
        minutes: int | str | None,
        adults: int | str | None,
        children: int | str | None,
        today: dt.date | None = None,
    ) -> None:
        with self._access.write() as session:
            groups.update_session(session, session_id, date, minutes, adults, children, today)

    def delete_session(self, session_id: int) -> None:
        with self._access.write() as session:
            groups.delete_session(session, session_id)
