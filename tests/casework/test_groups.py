"""Group offers and sessions on a real vault: the operations and their input checks."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from lotse import i18n
from lotse.casework import groups
from lotse.db.models import GroupOffer, GroupSession
from lotse.errors import BadInputError
from lotse.vault import Vault

TODAY = dt.date(2026, 8, 15)


def _counts(vault: Vault) -> tuple[int, int]:
    with vault.session() as s:
        return (
            s.scalar(select(func.count(GroupOffer.id))) or 0,
            s.scalar(select(func.count(GroupSession.id))) or 0,
        )


def _offer(vault: Vault, title: str = "Elterncafé Lirich") -> int:
    with vault.transaction() as s:
        return groups.create_offer(s, title, "parent_cafe", "alstaden_lirich")


def test_create_list_and_edit_an_offer(vault: Vault) -> None:
    offer_id = _offer(vault, "  Elterncafé   Lirich ")
    with vault.transaction() as s:
        groups.create_offer(s, "Babymassage", None, None)
    with vault.session() as s:
        rows = groups.list_offers(s)
    assert [r.title for r in rows] == ["Babymassage", "Elterncafé Lirich"]
    cafe = rows[1]
    assert (cafe.id, cafe.category, cafe.district) == (offer_id, "parent_cafe", "alstaden_lirich")
    assert (cafe.sessions, cafe.last_session) == (0, None)

    with vault.transaction() as s:
        groups.update_offer(s, offer_id, "Elterncafé Styrum", "course", "mitte_styrum")
    with vault.session() as s:
        row = groups.get_offer(s, offer_id)
    assert (row.title, row.category, row.district) == (
        "Elterncafé Styrum",
        "course",
        "mitte_styrum",
    )


def test_sessions_are_counted_listed_newest_first_and_edited(vault: Vault) -> None:
    offer_id = _offer(vault)
    with vault.transaction() as s:
        first = groups.record_session(s, offer_id, dt.date(2026, 7, 1), 90, 5, 7, TODAY)
        groups.record_session(s, offer_id, dt.date(2026, 8, 12), "", "3", " 4 ", TODAY)
    with vault.session() as s:
        row = groups.get_offer(s, offer_id)
        sessions = groups.list_sessions(s, offer_id)
    assert (row.sessions, row.last_session) == (2, dt.date(2026, 8, 12))
    assert [(x.date, x.minutes, x.adults, x.children) for x in sessions] == [
        (dt.date(2026, 8, 12), None, 3, 4),
        (dt.date(2026, 7, 1), 90, 5, 7),
    ]

    with vault.transaction() as s:
        groups.update_session(s, first, dt.date(2026, 7, 2), "60", 6, 0, TODAY)
    with vault.session() as s:
        changed = groups.list_sessions(s, offer_id)[1]
    assert (changed.date, changed.minutes, changed.adults, changed.children) == (
        dt.date(2026, 7, 2),
        60,
        6,
        0,
    )

    with vault.transaction() as s:
        groups.delete_session(s, first)
    assert _counts(vault) == (1, 1)


def test_deleting_an_offer_takes_its_sessions_and_says_how_many(vault: Vault) -> None:
    offer_id = _offer(vault)
    other = _offer(vault, "Sprachkurs")
    with vault.transaction() as s:
        for day in (1, 8, 15):
            groups.record_session(s, offer_id, dt.date(2026, 7, day), 90, 5, 7, TODAY)
        groups.record_session(s, other, dt.date(2026, 7, 3), 90, 5, 7, TODAY)
    with vault.session() as s:
        assert groups.count_sessions(s, offer_id) == 3
    with vault.transaction() as s:
        assert groups.delete_offer(s, offer_id) == 3
    assert _counts(vault) == (1, 1)
    with vault.session() as s:
        assert [r.title for r in groups.list_offers(s)] == ["Sprachkurs"]


@pytest.mark.parametrize(
    ("title", "category", "district", "message"),
    [
        ("   ", None, None, "Bitte geben Sie dem Gruppenangebot einen Titel."),
        ("x" * 201, None, None, "Der Titel ist zu lang: höchstens 200 Zeichen (eingegeben: 201)."),
        ("Kurs", "yoga", None, 'Die Art "yoga" gibt es nicht.'),
        ("Kurs", None, "mars", 'Den Sozialraum "mars" gibt es nicht.'),
    ],
)
def test_bad_offer_input_is_refused_and_nothing_changes(
    vault: Vault, title: str, category: str | None, district: str | None, message: str
) -> None:
    offer_id = _offer(vault)
    with pytest.raises(BadInputError) as created, vault.transaction() as s:
        groups.create_offer(s, title, category, district)
    assert message in created.value.message
    with pytest.raises(BadInputError) as updated, vault.transaction() as s:
        groups.update_offer(s, offer_id, title, category, district)
    assert message in updated.value.message
    with vault.session() as s:
        assert [(r.title, r.category) for r in groups.list_offers(s)] == [
            ("Elterncafé Lirich", "parent_cafe")
        ]


@pytest.mark.parametrize(
    ("date", "minutes", "adults", "children", "message"),
    [
        (None, 90, 1, 1, "Bitte geben Sie das Datum des Termins an."),
        (dt.date(2026, 8, 16), 90, 1, 1, "Das Datum 16.08.2026 liegt in der Zukunft."),
        (dt.date(1999, 12, 31), 90, 1, 1, "Das Datum 31.12.1999 liegt vor 01.01.2000"),
        (TODAY, "anderthalb", 1, 1, 'Dauer in Minuten: "anderthalb" ist keine ganze Zahl.'),
        (TODAY, 601, 1, 1, "Dauer in Minuten: 601 geht nicht. Bitte eine Zahl von 0 bis 600."),
        (TODAY, 90, "", 1, "Erwachsene: bitte eine Zahl angeben."),
        (TODAY, 90, -1, 1, "Erwachsene: -1 geht nicht. Bitte eine Zahl von 0 bis 500."),
        (TODAY, 90, 1, "2,5", 'Kinder: "2,5" ist keine ganze Zahl.'),
        (TODAY, 90, 1, 501, "Kinder: 501 geht nicht."),
    ],
)
def test_bad_session_input_is_refused_and_nothing_changes(
    vault: Vault,
    date: dt.date | None,
    minutes: int | str,
    adults: int | str,
    children: int | str,
    message: str,
) -> None:
    offer_id = _offer(vault)
    with vault.transaction() as s:
        kept = groups.record_session(s, offer_id, dt.date(2026, 7, 1), 90, 5, 7, TODAY)
    with pytest.raises(BadInputError) as recorded, vault.transaction() as s:
        groups.record_session(s, offer_id, date, minutes, adults, children, TODAY)
    assert message in recorded.value.message
    with pytest.raises(BadInputError) as updated, vault.transaction() as s:
        groups.update_session(s, kept, date, minutes, adults, children, TODAY)
    assert message in updated.value.message
    with vault.session() as s:
        rows = groups.list_sessions(s, offer_id)
    assert [(r.date, r.minutes, r.adults, r.children) for r in rows] == [
        (dt.date(2026, 7, 1), 90, 5, 7)
    ]


def test_all_session_problems_are_reported_together() -> None:
    with pytest.raises(BadInputError) as caught:
        groups.check_session(None, "x", "", 999, TODAY)
    assert len(caught.value.details) == 4
    assert caught.value.message.count("\n") == 3


def test_an_offer_or_session_that_is_gone_says_so(vault: Vault) -> None:
    gone_offer = pytest.raises(BadInputError, match="Dieses Gruppenangebot gibt es nicht mehr")
    with gone_offer, vault.transaction() as s:
        groups.record_session(s, 999, TODAY, 90, 1, 1, TODAY)
    gone_session = pytest.raises(BadInputError, match="Diesen Gruppentermin gibt es nicht mehr")
    with gone_session, vault.transaction() as s:
        groups.delete_session(s, 999)
    gone_offer = pytest.raises(BadInputError, match="Dieses Gruppenangebot gibt es nicht mehr")
    with gone_offer, vault.transaction() as s:
        groups.delete_offer(s, 999)
    assert _counts(vault) == (0, 0)


def test_messages_are_translated_to_english() -> None:
    i18n.set_language("en")
    with pytest.raises(BadInputError) as caught:
        groups.check_session(TODAY, 90, "", 1, TODAY)
    assert caught.value.message == "Adults: please enter a number."
