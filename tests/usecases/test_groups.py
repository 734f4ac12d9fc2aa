"""Group offers through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.errors import BadInputError
from lotse.usecases import VaultAPI

TODAY = dt.date(2026, 8, 15)


def test_offer_with_sessions_and_its_deletion(api: VaultAPI) -> None:
    offer = api.groups.create_offer(" Elterncafé  Lirich ", "parent_cafe", "alstaden_lirich")
    api.groups.record_session(offer, dt.date(2026, 7, 1), "90", "5", "7", TODAY)
    session = api.groups.record_session(offer, dt.date(2026, 8, 1), "", 2, 3, TODAY)
    api.groups.update_session(session, dt.date(2026, 8, 2), 60, 2, 3, TODAY)
    [row] = api.groups.offers()
    assert (row.title, row.sessions, row.last_session) == (
        "Elterncafé Lirich",
        2,
        dt.date(2026, 8, 2),
    )
    assert [s.minutes for s in api.groups.sessions(offer)] == [60, 90]
    assert api.groups.count_sessions(offer) == 2
    assert api.groups.delete_offer(offer) == 2
    assert api.groups.offers() == []


def test_a_refused_session_stores_nothing(api: VaultAPI) -> None:
    offer = api.groups.create_offer("Sprachkurs")
    with pytest.raises(BadInputError) as error:
        api.groups.record_session(offer, TODAY + dt.timedelta(days=1), "x", "", "2", TODAY)
    assert len(error.value.details) == 3
    assert api.groups.offer(offer).sessions == 0
