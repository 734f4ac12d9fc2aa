"""Importing into a real vault: all or nothing, codes, round trip through export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lotse.catalogues import (
    CLOSURE_REASONS,
    CONTACT_KINDS,
    REFERRAL_MODES,
    TOPICS,
    screening_positive,
)
from lotse.db.models import (
    Consent,
    Contact,
    Family,
    Referral,
    ReferralStatusChange,
    Reminder,
    ScreeningFactor,
)
from lotse.demo import generate_records
from lotse.records.exporter import export_records, iter_lines
from lotse.records.importer import store_records
from lotse.records.reader import RecordsError, parse_bytes, read_records
from lotse.vault import create_vault
from tests.conftest import PASSPHRASE

TODAY = dt.date(2026, 11, 21)


def _export_text(vault) -> str:
    with vault.session() as s:
        return "\n".join(iter_lines(s))


def test_demo_export_import_export_is_identical(vault, tmp_path: Path) -> None:
    store_records(vault, generate_records(60, seed=7, today=TODAY))
    first = tmp_path / "first.jsonl"
    export_records(vault, first)
    other = create_vault(tmp_path / "other", PASSPHRASE)
    try:
        store_records(other, read_records(first))
        second = tmp_path / "second.jsonl"
        export_records(other, second)
    finally:
        other.close()
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text().splitlines()) > 60


def test_export_file_is_private(vault, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    export_records(vault, out)
    assert out.stat().st_mode & 0o077 == 0
    assert out.read_text() == '{"format": "lotse.records/2"}\n'


def test_failed_import_leaves_vault_exactly_as_it_was(vault, tmp_path: Path) -> None:
    store_records(vault, generate_records(20, seed=1, today=TODAY))
    before = _export_text(vault)

    def explode(done: int, total: int) -> None:
        if done > 0:  # after families and children went in, inside the transaction
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        store_records(vault, generate_records(20, seed=2, today=TODAY), progress=explode)
    assert _export_text(vault) == before


def test_family_already_in_vault_refuses_whole_file(vault) -> None:
    records = generate_records(5, seed=1, today=TODAY)
    store_records(vault, records)
    before = _export_text(vault)
    with pytest.raises(RecordsError) as err:
        store_records(vault, generate_records(5, seed=1, today=TODAY), "again.jsonl")
    assert err.value.details[0] == 'again.jsonl:0: Familie "demo-1-1" ist im Tresor schon vorhanden'
    assert _export_text(vault) == before


def test_pseudonym_codes_are_assigned_and_kept(vault) -> None:
    raw = "\n".join(
        [
            '{"format": "lotse.records/1"}',
            '{"type": "family", "id": "F-2024-0042", "adults": 1, "children": []}',
            '{"type": "family", "id": "x", "adults": 1, "children": []}',
        ]
    ).encode()
    store_records(vault, parse_bytes(raw, "r"))
    with vault.session() as s:
        codes = dict(s.execute(select(Family.external_ref, Family.code)).all())
    assert codes["F-2024-0042"] == "F-2024-0042"
    assert codes["x"] == f"F-{dt.date.today().year}-0001"


def test_referral_history_starts_with_imported_status(vault) -> None:
    store_records(vault, generate_records(30, seed=3, today=TODAY))
    with vault.session() as s:
        assert s.scalar(select(func.count(ReferralStatusChange.id))) > 0


def test_a_version_1_file_imports_as_before_and_exports_as_version_2(vault) -> None:
    raw = _file(
        {
            "type": "family",
            "id": "f-1",
            "adults": 1,
            "children": [],
            "consent": {"date": "2026-05-03", "scope": ["documentation", "referral"]},
        },
        {
            "type": "referral",
            "family": "f-1",
            "date": "2026-05-10",
            "target": "jobcenter",
            "status": "arrived",
        },
    )
    store_records(vault, parse_bytes(raw, "v1"))
    with vault.session() as s:
        consents = s.execute(select(Consent.purpose, Consent.date).order_by(Consent.position))
        assert [(p, d.isoformat()) for p, d in consents] == [
            ("documentation", "2026-05-03"),
            ("referral", "2026-05-03"),
        ]
        history = s.execute(select(ReferralStatusChange.status, ReferralStatusChange.date)).all()
        assert [(st_, d.isoformat()) for st_, d in history] == [("arrived", "2026-05-10")]
    lines = [json.loads(line) for line in _export_text(vault).splitlines()]
    assert lines[0] == {"format": "lotse.records/2"}
    assert lines[1]["consents"] == [
        {"purpose": "documentation", "date": "2026-05-03"},
        {"purpose": "referral", "date": "2026-05-03"},
    ]
    assert "consent" not in lines[1]
    assert lines[2]["history"] == [{"status": "arrived", "date": "2026-05-10"}]
    assert "status_date" not in lines[2]  # as the file had it


def test_the_export_carries_screenings_histories_and_reminders(vault, tmp_path: Path) -> None:
    """What records/1 dropped (issue 10): every line type and key of version 2 comes back."""
    records = generate_records(120, seed=5, today=TODAY)
    store_records(vault, records)
    with vault.session() as s:
        assert s.scalar(select(func.count(Reminder.id))) == len(records.reminders) > 0
        assert s.scalar(select(func.count(ScreeningFactor.id))) == sum(
            len(f.screening_factors) for f in records.families
        )
        steps = sum(len(r.history) for r in records.referrals)
        assert s.scalar(select(func.count(ReferralStatusChange.id))) == steps
        assert set(s.scalars(select(Referral.mode))) <= {*REFERRAL_MODES.codes, None}
    text = _export_text(vault)
    kinds = [json.loads(line).get("type") for line in text.splitlines()[1:]]
    assert kinds.count("reminder") == len(records.reminders)
    for key in ("screening", "identified", "closure_reason", "origin", "consents"):
        assert f'"{key}": ' in text, key
    for key in ('"mode": ', '"history": ', '"done": '):
        assert key in text
    first = tmp_path / "first.jsonl"
    first.write_text(text + "\n")
    other = create_vault(tmp_path / "other", PASSPHRASE)
    try:
        store_records(other, read_records(first))
        assert _export_text(other) == text
    finally:
        other.close()


def test_the_same_seed_gives_the_same_records() -> None:
    a = generate_records(40, seed=5, today=TODAY)
    b = generate_records(40, seed=5, today=TODAY)
    c = generate_records(40, seed=6, today=TODAY)
    assert a == b
    assert a != c


def test_demo_data_is_plausible(vault) -> None:
    records = generate_records(300, seed=11, today=TODAY)
    assert all(c.date <= TODAY for c in records.contacts)
    assert all(c.date >= TODAY - dt.timedelta(days=731) for c in records.contacts)
    assert {c.kind for c in records.contacts} == set(CONTACT_KINDS.codes)
    assert any(b > TODAY for f in records.families for b in f.children)  # pregnancies
    assert any(f.person_name is None for f in records.families)  # anonymous families
    assert records.group_sessions
    store_records(vault, records)
    with vault.session() as s:
        assert s.scalar(select(func.count(Contact.id))) == len(records.contacts)


def test_demo_casework_looks_like_a_clinics_documentation() -> None:
    records = generate_records(400, seed=11, today=TODAY)
    families = records.families
    screened = [f for f in families if f.screening_date is not None]
    positive = [
        f
        for f in screened
        if screening_positive(
            len(f.screening_factors), f.screening_staff_concern, f.screening_own_request, 2
        )
    ]
    assert 0.4 < len(screened) / len(families) < 0.6  # roughly half screened
    assert len(positive) / len(screened) > 0.75  # most of them positive
    first: dict[str, dt.date] = {}
    for c in records.contacts:
        first[c.family] = min(first.get(c.family, c.date), c.date)
    # The service learns of a family before (or on the day of) the first contact.
    known = [f for f in families if f.identified and f.id in first]
    assert len(known) > 0.8 * len(first)
    assert all(f.identified <= first[f.id] for f in known)
    assert sum(f.identified < first[f.id] for f in known) > len(known) / 2
    # Some screened families were never reached: no contact, closed as declined or unreachable.
    unreached = [f for f in screened if f.id not in first]
    assert unreached
    assert {f.closure_reason for f in unreached} <= {"declined", "unreachable"}
    closed = [f for f in families if f.closed]
    reasons = {f.closure_reason for f in closed}
    assert reasons >= {"completed", "handed_over", "unreachable"}
    assert reasons <= {*CLOSURE_REASONS.codes, None}
    assert all(f.closed <= TODAY for f in closed)
    assert {r.mode for r in records.referrals} >= set(REFERRAL_MODES.codes)
    assert all(r.history and r.history[-1].status == r.status for r in records.referrals)
    assert any(len(r.history) == 3 for r in records.referrals)
    assert any(m.done is None and m.due >= TODAY for m in records.reminders)
    assert any(m.done is not None for m in records.reminders)
    assert any(f.origin_service for f in families)


# -- round trip of arbitrary valid records --------------------------------------------------------

dates = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
family_lines = st.builds(
    lambda i, adults, kids, notes, name, sgb2: {
        "type": "family",
        "id": f"f{i}",
        **({"sgb2": sgb2} if sgb2 is not None else {}),
        "adults": adults,
        "children": [{"birth_date": d} for d in kids],
        **({"person": {"name": name}} if name else {}),
        **({"notes": notes} if notes else {}),
    },
    st.integers(0, 5),
    st.integers(0, 20),
    st.lists(dates, max_size=3),
    text,
    text,
    st.none() | st.booleans(),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    families=st.lists(family_lines, min_size=1, max_size=4, unique_by=lambda f: f["id"]),
    contacts=st.lists(
        st.tuples(
            st.integers(0, 3),
            dates,
            st.sampled_from(CONTACT_KINDS.codes),
            st.lists(st.sampled_from(TOPICS.codes), unique=True, max_size=3),
        ),
        max_size=6,
    ),
)
def test_any_valid_file_round_trips(tmp_path_factory, families, contacts) -> None:
    lines = [{"format": "lotse.records/2"}, *families]
    for index, date, kind, topics in contacts:
        family = families[index % len(families)]["id"]
        line = {"type": "contact", "family": family, "date": date, "kind": kind}
        if topics:
            line["topics"] = topics
        lines.append(line)
    raw = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    folder = tmp_path_factory.mktemp("rt")
    v1 = create_vault(folder / "a", PASSPHRASE)
    v2 = create_vault(folder / "b", PASSPHRASE)
    try:
        store_records(v1, parse_bytes(raw.encode(), "gen"))
        first = _export_text(v1)
        assert first == raw.rstrip("\n")  # families and contacts keep their order and keys
        store_records(v2, parse_bytes((first + "\n").encode(), "first"))
        assert _export_text(v2) == first
    finally:
        v1.close()
        v2.close()


def _file(*lines: dict) -> bytes:
    return "\n".join(json.dumps(x) for x in [{"format": "lotse.records/1"}, *lines]).encode()


def test_file_id_equal_to_a_stored_familys_code_is_refused(vault) -> None:
    with vault.transaction() as s:
        s.add(Family(code="F-2026-0003", adults=1))  # created in the window: no external ref
    raw = _file({"type": "family", "id": "F-2026-0003", "adults": 2, "children": []})
    with pytest.raises(RecordsError, match="1 Fehler") as err:
        store_records(vault, parse_bytes(raw, "r"), "r")
    assert err.value.details == ['r:2: Familie "F-2026-0003" ist im Tresor schon vorhanden']


def test_new_codes_avoid_external_refs_of_code_form(vault) -> None:
    with vault.transaction() as s:
        s.add(Family(code="F-2026-0001", external_ref="x", adults=1))
    # F-2026-0001 is taken as a code, so this family keeps the id only as external ref
    store_records(
        vault,
        parse_bytes(
            _file(
                {"type": "family", "id": "F-2026-0002", "adults": 1, "children": []},
                {"type": "family", "id": "y", "adults": 1, "children": []},
            ),
            "r",
        ),
    )
    with vault.session() as s:
        codes = sorted(s.scalars(select(Family.code)))
    assert len(set(codes)) == 3 and "F-2026-0002" in codes
    text = _export_text(vault)
    ids = [json.loads(line)["id"] for line in text.splitlines()[1:]]
    assert len(ids) == len(set(ids))


def test_offer_ids_stay_unique_between_imported_and_window_offers(vault, tmp_path) -> None:
    from lotse.db.models import GroupOffer

    store_records(
        vault, parse_bytes(_file({"type": "group_offer", "id": "G-2", "title": "A"}), "r")
    )
    with vault.transaction() as s:
        s.add(GroupOffer(title="B"))  # pk 2, exported as G-2 were it not taken
    raw = _file({"type": "group_offer", "id": "G-2", "title": "C"})
    with pytest.raises(RecordsError):
        store_records(vault, parse_bytes(raw, "r"))
    first = _export_text(vault)
    ids = [json.loads(line)["id"] for line in first.splitlines()[1:]]
    assert ids == ["G-2", "G-2-2"]
    other = create_vault(tmp_path / "o", PASSPHRASE)
    try:
        store_records(other, parse_bytes((first + "\n").encode(), "first"))
        assert _export_text(other) == first
    finally:
        other.close()
