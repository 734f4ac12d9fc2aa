"""Use cases of drafts: open forms kept in the vault as they are typed, offered back after
unlocking (see :mod:`lotse.casework.drafts`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lotse.casework import drafts
from lotse.casework.drafts import DraftData, DraftInfo
from lotse.usecases.access import VaultAccess

__all__ = ["DraftData", "DraftInfo", "DraftsAPI", "Resume"]


@dataclass(frozen=True)
class Resume:
    """What the window needs right after unlocking: its view at the lock, open drafts."""

    view: dict[str, Any]
    drafts: tuple[DraftInfo, ...]


class DraftsAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def save(
        self,
        draft_id: str,
        kind: str,
        state: dict[str, Any],
        family_id: int | None = None,
        ref_id: int | None = None,
    ) -> bool:
        """Keep the form's fields; False if the family it acts on was deleted meanwhile."""
        with self._access.write() as session:
            return drafts.save_draft(session, draft_id, kind, state, family_id, ref_id)

    def discard(self, draft_id: str) -> None:
        with self._access.write() as session:
            drafts.discard_draft(session, draft_id)

    def list(self) -> list[DraftInfo]:
        """Every open draft, newest first."""
        with self._access.read() as session:
            return drafts.list_drafts(session)

    def get(self, draft_id: str) -> DraftData:
        with self._access.read() as session:
            return drafts.get_draft(session, draft_id)

    def save_view(self, state: dict[str, Any]) -> None:
        with self._access.write() as session:
            drafts.save_view(session, state)

    def resume(self) -> Resume:
        """The view kept at the lock (then forgotten) and the open drafts, in one go."""
        with self._access.write() as session:
            view = drafts.take_view(session)
            return Resume(view, tuple(drafts.list_drafts(session)))
