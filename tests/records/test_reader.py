"""The records reader: every kind of bad input gets its own clear FILE:LINE message."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse import i18n
from lotse.records.reader import RecordsError, parse_bytes

HEADER = '{"format": "lotse.records/1"}'
FAMILY = {"type": "family", "id": "f-1", "adults": 2, "children": [{"birth_date": "2025-01-02"}]}
CONTACT = {"type": "contact", "family": "f-1", "date": "2026-05-03", "kind": "first_contact"}


def _file(*lines: object) -> bytes:
    return "\n".join([HEADER, *(json.dumps(x) for x in lines)]).encode() + b"\n"


def _problems(raw: bytes, name: str = "r.jsonl") -> list[str]:
    with pytest.raises(RecordsError) as err:
        parse_bytes(raw, name)
    return err.value.details


def test_a_valid_file_with_every_type_and_key() -> None:
    raw = _file(
        {
            **FAMILY,
            "district": "osterfeld",
            "access_route": "kita",
            "sgb2": None,
            "languages": ["de", "tr"],
            "interpreter": False,
            "person": {"name": "Erika Testfrau", "phone": "0208 0", "address": "Weg 1"},
            "consent": {"date": "2026-05-03", "scope": ["documentation"], "withdrawn": None},
            "closed": None,
            "notes": "x",
        },
        {**CONTACT, "minutes": 40, "setting": "kita", "topics": ["finances", "housing"]},
        {
            "type": "referral",
            "family": "f-1",
            "date": "2026-05-10",
            "target": "jobcenter",
            "status": "arrived",
            "status_date": "2026-05-24",
            "notes": "",
        },
        {
            "type": "group_offer",
            "id": "g-1",
            "title": "Elterncafé",
            "category": "parent_cafe",
            "district": "ost",
        },
        {
            "type": "group_session",
            "offer": "g-1",
            "date": "2026-05-12",
            "minutes": 90,
            "adults": 7,
            "children": 9,
        },
    )
    records = parse_bytes(raw, "r.jsonl")
    assert records.families[0].languages == ["de", "tr"]
    assert records.families[0].children == [dt.date(2025, 1, 2)]
    assert records.contacts[0].topics == ["finances", "housing"]
    assert records.referrals[0].status_date == dt.date(2026, 5, 24)
    assert records.group_sessions[0].children == 9
    assert records.count() == 5


def test_lines_may_refer_forward() -> None:
    records = parse_bytes(_file(CONTACT, FAMILY), "r.jsonl")
    assert len(records.contacts) == 1


def test_the_spec_example_message_in_english() -> None:
    i18n.set_language("en")
    problems = _problems(_file(FAMILY, {**CONTACT, "family": "f-99"}), "records.jsonl")
    assert problems == ['records.jsonl:3: contact refers to unknown family "f-99"']


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({**FAMILY, "colour": "blue"}, 'r.jsonl:2: unbekannter Schlüssel "colour" in Familie'),
        (
            {k: v for k, v in FAMILY.items() if k != "adults"},
            'r.jsonl:2: Pflichtschlüssel "adults" fehlt in Familie',
        ),
        ({**FAMILY, "adults": 21}, '"adults" muss eine ganze Zahl von 0 bis 20 sein (ist 21)'),
        ({**FAMILY, "adults": True}, '"adults" muss eine ganze Zahl von 0 bis 20 sein'),
        ({**FAMILY, "adults": 2.0}, '"adults" muss eine ganze Zahl von 0 bis 20 sein'),
        ({**FAMILY, "district": "mars"}, '"district": unbekannter Code "mars"'),
        ({**FAMILY, "access_route": "ufo"}, '"access_route": unbekannter Code "ufo"'),
        ({**FAMILY, "sgb2": "yes"}, '"sgb2" muss true oder false sein'),
        ({**FAMILY, "languages": ["deu"]}, "kein Sprachcode nach ISO 639-1"),
        ({**FAMILY, "languages": ["de", "de"]}, '"languages" enthält einen Eintrag doppelt'),
        (
            {**FAMILY, "children": [{"birth_date": "02.05.2026"}]},
            '"birth_date": "02.05.2026" ist kein Datum der Form JJJJ-MM-TT',
        ),
        (
            {**FAMILY, "children": [{"birth_date": "2026-02-30"}]},
            '"birth_date": "2026-02-30" ist kein gültiges Kalenderdatum',
        ),
        ({**FAMILY, "children": [{"born": "2026-02-01"}]}, 'genau den Schlüssel "birth_date"'),
        (
            {**FAMILY, "person": {"name": "A", "email": "a@b"}},
            'unbekannter Schlüssel "email" in "person"',
        ),
        ({**FAMILY, "consent": {"date": "2026-01-01"}}, '"consent" braucht den Schlüssel "scope"'),
        (
            {**FAMILY, "consent": {"date": "2026-01-01", "scope": ["marketing"]}},
            '"scope": unbekannter Code "marketing"',
        ),
        (
            {**FAMILY, "consent": {"date": "2026-02-01", "scope": [], "withdrawn": "2026-01-01"}},
            "vor ihrem Datum widerrufen",
        ),
        ({**FAMILY, "id": ""}, '"id" darf nicht leer sein'),
        ({**FAMILY, "id": "f" * 201}, '"id" ist länger als 200 Zeichen'),
        (
            {**FAMILY, "children": [{"birth_date": "2020-01-01"}] * 21},
            '"children" darf höchstens 20 Einträge haben (hat 21)',
        ),
        ({**FAMILY, "person": "Erika"}, '"person" muss ein Objekt sein'),
        ({**FAMILY, "id": 17}, '"id" muss ein Text sein'),
        ({**FAMILY, "id": None}, '"id" darf nicht null sein'),
        ({"type": "visit"}, 'unbekannter Typ "visit"'),
        (
            {**FAMILY, "consent": {"date": None, "scope": [], "withdrawn": "2026-03-01"}},
            '"consent.date" darf nicht null sein',
        ),
        ({"family": "f-1"}, 'der Schlüssel "type" fehlt'),
    ],
)
def test_family_line_problems(line: dict, expected: str) -> None:
    problems = _problems(_file(line))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("r.jsonl:2: ") for p in problems), problems


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({**CONTACT, "kind": "chat"}, '"kind": unbekannter Code "chat"'),
        ({**CONTACT, "minutes": 601}, '"minutes" muss eine ganze Zahl von 0 bis 600 sein'),
        ({**CONTACT, "setting": "beach"}, '"setting": unbekannter Code "beach"'),
        ({**CONTACT, "topics": ["weather"]}, '"topics": unbekannter Code "weather"'),
        ({**CONTACT, "topics": "finances"}, '"topics" muss eine Liste sein'),
        ({**CONTACT, "date": "2026-13-01"}, "kein gültiges Kalenderdatum"),
        ({**CONTACT, "date": "1899-12-31"}, "kein plausibles Datum"),
        (
            {
                "type": "referral",
                "family": "f-1",
                "date": "2026-05-10",
                "target": "moon",
                "status": "arrived",
            },
            '"target": unbekannter Code "moon"',
        ),
        (
            {
                "type": "referral",
                "family": "f-1",
                "date": "2026-05-10",
                "target": "jobcenter",
                "status": "lost",
            },
            '"status": unbekannter Code "lost"',
        ),
        (
            {
                "type": "referral",
                "family": "f-1",
                "date": "2026-05-10",
                "target": "jobcenter",
                "status": "arrived",
                "status_date": "2026-05-01",
            },
            "liegt vor dem Datum",
        ),
        ({"type": "group_offer", "id": "g", "title": " "}, '"title" darf nicht leer sein'),
        (
            {"type": "group_offer", "id": "g", "title": "T" * 201},
            '"title" ist länger als 200 Zeichen',
        ),
        (
            {
                "type": "group_session",
                "offer": "g-0",
                "date": "2026-01-01",
                "adults": 1,
                "children": 501,
            },
            '"children" muss eine ganze Zahl von 0 bis 500 sein',
        ),
    ],
)
def test_other_line_problems(line: dict, expected: str) -> None:
    problems = _problems(_file(FAMILY, line))
    assert any(expected in p for p in problems), problems


def test_dangling_references_and_duplicates_are_all_reported() -> None:
    problems = _problems(
        _file(
            FAMILY,
            FAMILY,
            {**CONTACT, "family": "f-99"},
            {
                "type": "referral",
                "family": "nobody",
                "date": "2026-05-10",
                "target": "jobcenter",
                "status": "arrived",
            },
            {"type": "group_offer", "id": "g-1", "title": "A"},
            {"type": "group_offer", "id": "g-1", "title": "B"},
            {
                "type": "group_session",
                "offer": "g-2",
                "date": "2026-01-01",
                "adults": 1,
                "children": 1,
            },
        )
    )
    assert problems == [
        'r.jsonl:3: Familien-ID "f-1" kommt doppelt vor (zuerst in Zeile 2)',
        'r.jsonl:4: Kontakt verweist auf unbekannte Familie "f-99"',
        'r.jsonl:5: Vermittlung verweist auf unbekannte Familie "nobody"',
        'r.jsonl:7: Gruppenangebots-ID "g-1" kommt doppelt vor (zuerst in Zeile 6)',
        'r.jsonl:8: Gruppentermin verweist auf unbekanntes Gruppenangebot "g-2"',
    ]


def test_every_problem_is_reported_not_only_the_first() -> None:
    lines = [{**CONTACT, "kind": f"bad{i}"} for i in range(50)]
    problems = _problems(_file(FAMILY, *lines))
    assert len(problems) == 50
    assert problems[-1].startswith("r.jsonl:52: ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "r.jsonl:1: die Datei ist leer"),
        (b"\n  \n", "r.jsonl:1: die Datei ist leer"),
        (b'{"format": "lotse.records/3"}\n', "r.jsonl:1: die erste Zeile muss der Kopf"),
        (json.dumps(FAMILY).encode(), "r.jsonl:1: die erste Zeile muss der Kopf"),
        (b"%PDF-1.7\n\x00\x01\x02", "r.jsonl:2: die Datei ist keine Textdatei"),
        (HEADER.encode() + b'\n{"type": "family", "id": "f\xe9"}', "kein gültiges UTF-8"),
        (HEADER.encode() + b"\n{not json}", "r.jsonl:2: kein gültiges JSON"),
        (HEADER.encode() + b"\n[1, 2]", "r.jsonl:2: die Zeile ist kein JSON-Objekt"),
    ],
)
def test_file_level_problems(raw: bytes, expected: str) -> None:
    problems = _problems(raw)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            b'{"type": "family", "id": "a", "adults": 1, "children": [], "notes": "\\ud800"}',
            "einzelnes Surrogat",
        ),
        (b"[" * 100_000, "zu tief verschachtelt"),
        (b'{"adults": ' + b"9" * 5000 + b"}", "Zahl zu lang"),
        (
            b'{"type": "family", "id": "a", "id": "b", "adults": 1, "children": []}',
            'der Schlüssel "id" kommt doppelt vor',
        ),
    ],
)
def test_json_that_python_cannot_take_as_text(line: bytes, expected: str) -> None:
    problems = _problems(HEADER.encode() + b"\n" + line)
    assert len(problems) == 1
    assert problems[0].startswith("r.jsonl:2: ")
    assert expected in problems[0]


def test_a_valid_surrogate_pair_is_fine() -> None:
    line = b'{"type": "family", "id": "a", "adults": 1, "children": [], "notes": "\\ud83d\\ude00"}'
    records = parse_bytes(HEADER.encode() + b"\n" + line, "r")
    assert records.families[0].notes == "\U0001f600"


def test_bom_and_crlf_are_accepted() -> None:
    raw = b"\xef\xbb\xbf" + _file(FAMILY, CONTACT).replace(b"\n", b"\r\n")
    assert len(parse_bytes(raw, "r.jsonl").contacts) == 1


# -- property tests ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_reader(raw: bytes) -> None:
    try:
        parse_bytes(raw, "x")
    except RecordsError as err:
        assert err.details and all(d.startswith("x:") for d in err.details)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "id",
                    "family",
                    "date",
                    "kind",
                    "adults",
                    "children",
                    "offer",
                    "title",
                    "target",
                    "status",
                    "minutes",
                    "topics",
                    "person",
                    "consent",
                    "zzz",
                ]
            ),
            json_values,
            max_size=6,
        ),
        max_size=6,
    )
)
def test_arbitrary_json_lines_are_accepted_or_refused_with_line_numbers(lines) -> None:
    raw = "\n".join([HEADER, *(json.dumps(x) for x in lines)]).encode()
    try:
        records = parse_bytes(raw, "x")
    except RecordsError as err:
        numbers = {int(d.split(":")[1]) for d in err.details}
        assert numbers <= set(range(1, len(lines) + 2))
    else:
        assert records.count() <= len(lines)


@settings(max_examples=100, deadline=None)
@given(
    adults=st.integers(0, 20),
    births=st.lists(st.dates(dt.date(1950, 1, 1), dt.date(2100, 1, 1)), max_size=5),
    minutes=st.none() | st.integers(0, 600),
    notes=st.text(),
)
def test_valid_values_are_read_back_exactly(adults, births, minutes, notes) -> None:
    family = {
        "type": "family",
        "id": "f",
        "adults": adults,
        "children": [{"birth_date": b.isoformat()} for b in births],
        "notes": notes,
    }
    contact = {**CONTACT, "family": "f", "minutes": minutes}
    records = parse_bytes(_file(family, contact), "x")
    assert records.families[0].adults == adults
    assert records.families[0].children == births
    assert records.families[0].notes == notes
    assert records.contacts[0].minutes == minutes


# -- lotse.records/2 ------------------------------------------------------------------------------

HEADER_V2 = '{"format": "lotse.records/2"}'
REFERRAL = {
    "type": "referral",
    "family": "f-1",
    "date": "2026-05-10",
    "target": "family_midwife",
    "status": "arrived",
    "status_date": "2026-05-24",
}
HISTORY = [
    {"status": "suggested", "date": "2026-05-10"},
    {"status": "arranged", "date": "2026-05-12"},
    {"status": "arrived", "date": "2026-05-24"},
]


def _file_v2(*lines: object) -> bytes:
    return "\n".join([HEADER_V2, *(json.dumps(x) for x in lines)]).encode() + b"\n"


def test_a_version_2_file_with_every_new_key() -> None:
    """The example of records.md, line for line."""
    raw = _file_v2(
        {
            **FAMILY,
            "identified": "2026-05-02",
            "screening": {
                "date": "2026-05-02",
                "factors": ["financial_strain", "young_parent"],
                "staff_concern": False,
                "own_request": False,
            },
            "consents": [
                {"purpose": "documentation", "date": "2026-05-03"},
                {"purpose": "referral", "date": "2026-05-03", "form_language": "tr"},
                {
                    "purpose": "transfer",
                    "date": "2026-05-03",
                    "recipient": "Familienzentrum Lirich",
                    "withdrawn": "2026-06-01",
                },
            ],
            "closed": "2026-07-01",
            "closure_reason": "handed_over",
            "origin": {"service": "Frühe Hilfen", "date": "2026-04-30"},
        },
        {**REFERRAL, "mode": "accompanied", "history": HISTORY, "notes": ""},
        {
            "type": "reminder",
            "family": "f-1",
            "due": "2026-06-02",
            "text": "Rückruf wegen Kita-Platz",
            "done": None,
        },
        {"type": "reminder", "family": "f-1", "due": "2026-05-20", "done": "2026-05-19"},
    )
    records = parse_bytes(raw, "r.jsonl")
    family = records.families[0]
    assert family.identified == dt.date(2026, 5, 2)
    assert family.screening_date == dt.date(2026, 5, 2)
    assert family.screening_factors == ["financial_strain", "young_parent"]
    assert (family.screening_staff_concern, family.screening_own_request) == (False, False)
    assert [(c.purpose, c.recipient, c.withdrawn, c.form_language) for c in family.consents] == [
        ("documentation", None, None, None),
        ("referral", None, None, "tr"),
        ("transfer", "Familienzentrum Lirich", dt.date(2026, 6, 1), None),
    ]
    assert (family.closed, family.closure_reason) == (dt.date(2026, 7, 1), "handed_over")
    assert (family.origin_service, family.origin_date) == ("Frühe Hilfen", dt.date(2026, 4, 30))
    referral = records.referrals[0]
    assert referral.mode == "accompanied"
    assert [(s.status, s.date.day) for s in referral.history] == [
        ("suggested", 10),
        ("arranged", 12),
        ("arrived", 24),
    ]
    assert [(r.due.day, r.text, r.done) for r in records.reminders] == [
        (2, "Rückruf wegen Kita-Platz", None),
        (20, "", dt.date(2026, 5, 19)),
    ]
    assert records.count() == 4


def test_a_version_1_consent_is_one_consents_entry_per_scope_code() -> None:
    consent = {"date": "2026-05-03", "scope": ["documentation", "statistics"]}
    family = parse_bytes(_file({**FAMILY, "consent": {**consent, "withdrawn": "2026-06-01"}}), "r")
    assert [(c.purpose, c.date, c.withdrawn) for c in family.families[0].consents] == [
        ("documentation", dt.date(2026, 5, 3), dt.date(2026, 6, 1)),
        ("statistics", dt.date(2026, 5, 3), dt.date(2026, 6, 1)),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({**FAMILY, "identified": "2026-01-01"}, 'unbekannter Schlüssel "identified" in Familie'),
        (
            {**FAMILY, "screening": {"date": "2026-01-01"}},
            'unbekannter Schlüssel "screening" in Familie',
        ),
        ({**FAMILY, "consents": []}, 'unbekannter Schlüssel "consents" in Familie'),
        ({**REFERRAL, "mode": "information"}, 'unbekannter Schlüssel "mode" in Vermittlung'),
        ({"type": "reminder", "family": "f-1", "due": "2026-01-01"}, 'unbekannter Typ "reminder"'),
    ],
)
def test_a_version_1_file_has_nothing_version_2_added(line: dict, expected: str) -> None:
    problems = _problems(_file(FAMILY, line) if line.get("type") != "family" else _file(line))
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            {**FAMILY, "consent": {"date": "2026-01-01", "scope": []}},
            'unbekannter Schlüssel "consent" in Familie',
        ),
        (
            {**FAMILY, "screening": {"factors": ["young_parent"]}},
            '"screening" braucht den Schlüssel "date"',
        ),
        (
            {**FAMILY, "screening": {"date": "2026-01-01", "factors": ["tired"]}},
            '"factors": unbekannter Code "tired"',
        ),
        (
            {**FAMILY, "screening": {"date": "2026-01-01", "staff_concern": "yes"}},
            '"staff_concern" muss true oder false sein',
        ),
        (
            {**FAMILY, "closure_reason": "completed"},
            '"closure_reason" gibt es nur zusammen mit "closed"',
        ),
        (
            {**FAMILY, "closed": "2026-02-01", "closure_reason": "bored"},
            '"closure_reason": unbekannter Code "bored"',
        ),
        (
            {**FAMILY, "origin": {"service": "Frühe Hilfen"}},
            '"origin" braucht den Schlüssel "date"',
        ),
        ({**FAMILY, "consents": {"purpose": "documentation"}}, '"consents" muss eine Liste sein'),
        (
            {**FAMILY, "consents": ["documentation"]},
            '"consents": jeder Eintrag muss ein Objekt sein',
        ),
        (
            {**FAMILY, "consents": [{"purpose": "documentation"}]},
            '"consents" braucht den Schlüssel "date"',
        ),
        (
            {**FAMILY, "consents": [{"purpose": "ads", "date": "2026-01-01"}]},
            '"purpose": unbekannter Code "ads"',
        ),
        (
            {**FAMILY, "consents": [{"purpose": "transfer", "date": "2026-01-01"}]},
            'eine Einwilligung zur Weitergabe ("transfer") braucht "recipient"',
        ),
        (
            {
                **FAMILY,
                "consents": [{"purpose": "statistics", "date": "2026-01-01", "recipient": "X"}],
            },
            '"recipient" gibt es nur bei den Zwecken "referral" und "transfer"',
        ),
        (
            {
                **FAMILY,
                "consents": [
                    {"purpose": "statistics", "date": "2026-02-01", "withdrawn": "2026-01-01"}
                ],
            },
            "die Einwilligung wurde vor ihrem Datum widerrufen",
        ),
        (
            {**FAMILY, "consents": [{"purpose": "referral", "date": "2026-01-01", "by": "x"}]},
            'unbekannter Schlüssel "by" in "consents"',
        ),
        (
            {
                **FAMILY,
                "consents": [
                    {"purpose": "referral", "date": "2026-01-01", "form_language": "turkish"}
                ],
            },
            '"form_language": "turkish" ist kein Sprachcode',
        ),
    ],
)
def test_version_2_family_problems(line: dict, expected: str) -> None:
    problems = _problems(_file_v2(line))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("r.jsonl:2: ") for p in problems), problems


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({**REFERRAL, "mode": "telepathy"}, '"mode": unbekannter Code "telepathy"'),
        (
            {**REFERRAL, "history": [HISTORY[0], HISTORY[2], HISTORY[1]]},
            '"history" muss nach Datum geordnet sein',
        ),
        (
            {**REFERRAL, "history": [{"status": "suggested", "date": "2026-05-01"}, HISTORY[2]]},
            'ein Stand in "history" liegt vor dem Datum der Vermittlung',
        ),
        ({**REFERRAL, "history": HISTORY[:2]}, 'der letzte Stand in "history" muss "status"'),
        (
            {**REFERRAL, "history": [{"status": "lost", "date": "2026-05-24"}]},
            '"status": unbekannter Code "lost"',
        ),
        (
            {**REFERRAL, "history": [{"status": "arrived"}]},
            '"history" braucht den Schlüssel "date"',
        ),
        (
            {"type": "reminder", "family": "f-1", "due": "2026-13-01"},
            '"due": "2026-13-01" ist kein gültiges Kalenderdatum',
        ),
        ({"type": "reminder", "family": "f-1"}, 'Pflichtschlüssel "due" fehlt in Wiedervorlage'),
        (
            {"type": "reminder", "family": "f-1", "due": "2026-01-01", "snooze": 3},
            'unbekannter Schlüssel "snooze" in Wiedervorlage',
        ),
    ],
)
def test_version_2_referral_and_reminder_problems(line: dict, expected: str) -> None:
    problems = _problems(_file_v2(FAMILY, line))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("r.jsonl:3: ") for p in problems), problems


def test_a_history_without_status_date_ends_on_the_referral_date() -> None:
    line = {k: v for k, v in REFERRAL.items() if k != "status_date"}
    records = parse_bytes(
        _file_v2(FAMILY, {**line, "history": [{"status": "arrived", "date": "2026-05-10"}]}), "r"
    )
    assert records.referrals[0].status_date is None
    problems = _problems(
        _file_v2(FAMILY, {**line, "history": [{"status": "arrived", "date": "2026-05-11"}]})
    )
    assert problems == [
        'r.jsonl:3: der letzte Stand in "history" muss "status" und "status_date" der '
        "Vermittlung sein"
    ]


def test_a_reminder_of_an_unknown_family() -> None:
    problems = _problems(_file_v2({"type": "reminder", "family": "f-9", "due": "2026-01-01"}))
    assert problems == ['r.jsonl:2: Wiedervorlage verweist auf unbekannte Familie "f-9"']
