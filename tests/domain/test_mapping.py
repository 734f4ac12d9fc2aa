"""The one mapper: input → row → input and record → row → record, on a real vault."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from lotse.casework.families import FamilyInput
from lotse.casework.followups import ContactInput
from lotse.db.models import Child, Consent, Contact, ContactTopic, Family
from lotse.domain import mapping
from lotse.domain.entities import ConsentData
from lotse.records.model import ContactRecord, FamilyRecord
from lotse.vault import Vault

D = dt.date(2026, 5, 4)


def _family() -> FamilyInput:
    return FamilyInput(
        adults=2,
        children=[dt.date(2020, 1, 1), dt.date(2026, 8, 1)],
        district="osterfeld",
        sgb2=False,
        languages=["tr", "de", "tr"],
        person_name="  Erika Testfrau ",
        person_phone="   ",
        consents=[
            ConsentData("documentation", D, form_language="tr"),
            ConsentData("referral", D, recipient="  Jugendamt  "),
        ],
        notes="",
    )


def test_normalised_tidies_what_a_person_typed() -> None:
    clean = mapping.normalised(_family())
    assert isinstance(clean, FamilyInput)
    assert clean.person_name == "Erika Testfrau"
    assert clean.person_phone is None and clean.notes is None
    assert clean.languages == ["tr", "de"]
    # The consents are tidied as well (one per purpose, in the order given).
    assert [c.purpose for c in clean.consents] == ["documentation", "referral"]
    assert clean.consents[1].recipient == "Jugendamt"
    assert clean.children == [dt.date(2026, 8, 1), dt.date(2020, 1, 1)]
    assert clean.sgb2 is False  # false is a value, not "not given"


def test_normalised_leaves_the_input_alone() -> None:
    data = _family()
    mapping.normalised(data)
    assert data.person_name == "  Erika Testfrau "


def test_blank_text_becomes_the_fields_default() -> None:
    contact = mapping.normalised(ContactInput(date=D, notes="  "))
    assert contact.notes is None


def test_columns_leave_related_tables_to_the_caller() -> None:
    cols = mapping.columns(ContactInput(date=D, topics=["debt"], minutes=0))
    assert cols == {
        "date": D,
        "kind": "first_contact",
        "minutes": 0,
        "setting": None,
        "notes": None,
    }


def test_sql_columns_are_stored_text() -> None:
    record = FamilyRecord(
        "f", adults=1, languages=["de"], closed=D, consents=[ConsentData("statistics", D)]
    )
    cols = mapping.sql_columns(record)
    assert cols["closed"] == "2026-05-04"
    assert json.loads(cols["languages"]) == ["de"]
    # Children and consents are rows of their own tables, written by the caller.
    assert "children" not in cols and "consents" not in cols and "id" not in cols


def test_input_to_row_and_back_on_a_real_vault(vault: Vault) -> None:
    data = mapping.normalised(_family())
    with vault.transaction() as session:
        row = Family(code="F-2026-0001")
        mapping.apply(row, data)
        row.children = [Child(position=i, birth_date=d) for i, d in enumerate(data.children)]
        row.consents = [
            Consent(position=i, **mapping.columns(c)) for i, c in enumerate(data.consents)
        ]
        session.add(row)
    with vault.session() as session:
        stored = session.scalars(select(Family)).one()
        back = mapping.from_row(FamilyInput, stored)
        # The form's lists are its own: editing them does not touch the row.
        back.languages.append("ar")
        assert stored.languages == ["tr", "de"]
    back.languages.pop()
    assert back == data


def test_row_to_record_with_what_the_caller_loaded(vault: Vault) -> None:
    with vault.transaction() as session:
        family = Family(code="F-2026-0001", adults=1, languages=[])
        session.add(family)
        session.flush()
        contact = Contact(family_id=family.id, date=D, kind="phone", minutes=5)
        contact.topics = [ContactTopic(position=0, topic="debt")]
        session.add(contact)
    with vault.session() as session:
        row = session.scalars(select(Contact)).one()
        record = mapping.from_row(ContactRecord, row, family="F-2026-0001")
        bulk = mapping.from_row(ContactRecord, row, family="x", topics=["health"])
    assert record == ContactRecord("F-2026-0001", D, "phone", 5, None, ["debt"], None)
    assert bulk.topics == ["health"]
