"""Handing a family over between two real vaults: consent check, sealing, origin, figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lotse.cards.card import ContactCard
from lotse.crypto import kdf
from lotse.db.models import AuditEntry, Contact, Family, Referral
from lotse.errors import BadInputError
from lotse.stats.packages import read_package_file
from lotse.stats.period import parse_period
from lotse.usecases import Profile, VaultAPI
from lotse.usecases.handover import same_service
from tests.conftest import PASSPHRASE

HANDOVER_DAY = dt.date(2026, 6, 10)
Q2 = parse_period("2026-Q2")
CENTRE = "Familienzentrum  LIRICH"  # spaced and cased unlike the consent


def family_file(path: Path, transfer_to: str | None = "Familienzentrum Lirich") -> Path:
    """A screened, counselled family as a records/2 file (synthetic)."""
    consents = [{"purpose": "documentation", "date": "2026-05-02"}]
    if transfer_to:
        consents.append({"purpose": "transfer", "date": "2026-05-03", "recipient": transfer_to})
    lines = [
        {"format": "lotse.records/2"},
        {
            "type": "family",
            "id": "f-1",
            "adults": 2,
            "children": [{"birth_date": "2026-04-20"}],
            "person": {"name": "Erika Beispiel"},
            "identified": "2026-05-02",
            "screening": {"date": "2026-05-02", "factors": [], "staff_concern": True},
            "consents": consents,
            "notes": "private note about the family",
        },
        {
            "type": "contact",
            "family": "f-1",
            "date": "2026-05-04",
            "kind": "first_contact",
            "minutes": 40,
            "notes": "contact note",
        },
        {
            "type": "contact",
            "family": "f-1",
            "date": "2026-05-20",
            "kind": "counselling",
            "minutes": 30,
        },
        {
            "type": "referral",
            "family": "f-1",
            "date": "2026-05-10",
            "target": "family_midwife",
            "mode": "information",
            "status": "arrived",
            "status_date": "2026-05-24",
            "history": [
                {"status": "suggested", "date": "2026-05-10"},
                {"status": "arrived", "date": "2026-05-24"},
            ],
        },
        {"type": "reminder", "family": "f-1", "due": "2026-06-30", "text": "Rückruf"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[tuple[VaultAPI, VaultAPI, VaultAPI]]:
    """The clinic navigator, the family centre and a third service."""
    apis = []
    for name, site, line in (
        ("Nora", "Klinik Nord", "birth_clinic"),
        ("Paula", "Familienzentrum Lirich", "kita_family_centre"),
        ("Otto", "Kita Süd", "kita_family_centre"),
    ):
        api = VaultAPI.create(tmp_path / name, PASSPHRASE, params=kdf.TEST_PARAMS)
        api.settings.save_profile(Profile(name, site, line))
        apis.append(api)
    yield tuple(apis)  # type: ignore[misc]
    for api in apis:
        api.close()


def _audit(api: VaultAPI) -> list[tuple[str, dict[str, object]]]:
    with api._access.vault.session() as s:
        return [
            (e.action, e.details) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def _card(api: VaultAPI, service: str = CENTRE) -> ContactCard:
    return api.team.own_card(service=service)


def test_same_service_ignores_case_and_runs_of_spaces() -> None:
    assert same_service(" Familienzentrum  LIRICH ", "familienzentrum lirich")
    assert not same_service("Familienzentrum Lirich", "Familienzentrum Alstaden")
    assert not same_service("", "")


def test_a_family_goes_over_with_its_origin_history_and_audit(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paula, _otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    out = tmp_path / "handover.lotse"
    sent = nora.handover.export(
        "f-1", _card(paula), out, mode="accompanied", close=True, today=HANDOVER_DAY
    )
    assert (sent.lines, sent.closed, sent.with_notes) == (5, True, False)
    text = out.read_text("utf-8")
    assert "Erika" not in text and "counselling" not in text  # sealed
    # Sender: a referral to the service, closed as handed over, logged without names.
    with nora._access.vault.session() as s:
        family = s.scalars(select(Family)).one()
        assert (family.closed, family.closure_reason) == (HANDOVER_DAY, "handed_over")
        referral = s.scalars(select(Referral).order_by(Referral.id.desc())).first()
        assert referral is not None
        assert (referral.target, referral.mode, referral.status, referral.date) == (
            "other",
            "accompanied",
            "arranged",
            HANDOVER_DAY,
        )
        assert referral.notes == CENTRE
    action, details = _audit(nora)[-1]
    assert action == "handover_sent"
    assert details == {"family": family.code, "recipient": CENTRE}

    opened = paula.handover.open(out)
    assert opened.sender.name == "Nora" and opened.sender.service == "Klinik Nord"
    assert (opened.children, opened.contacts, opened.referrals, opened.reminders) == (1, 2, 1, 1)
    assert opened.contents() == "1 Kind, 2 Kontakte, 1 Vermittlung, 1 Wiedervorlage"
    received = paula.handover.accept(opened)
    assert received.sender == "Klinik Nord"
    with paula._access.vault.session() as s:
        got = s.scalars(select(Family)).one()
        assert (got.origin_service, got.origin_date) == ("Klinik Nord", HANDOVER_DAY)
        assert got.code == received.code
        assert got.person_name == "Erika Beispiel"
        assert got.notes is None  # notes stay behind unless asked for
        assert got.closed is None  # the recipient's accompaniment is open
        assert [c.notes for c in s.scalars(select(Contact).order_by(Contact.date))] == [None, None]
        assert len(s.scalars(select(Referral)).all()) == 1
    action, details = _audit(paula)[-1]
    assert action == "handover_received"
    assert details == {"family": received.code, "sender": "Klinik Nord"}

    # Twice: refused, nothing more stored.
    with pytest.raises(BadInputError, match="schon übernommen"):
        paula.handover.import_file(out)
    with paula._access.vault.session() as s:
        assert len(s.scalars(select(Family)).all()) == 1


def test_notes_travel_only_when_asked(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paula, _otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    out = tmp_path / "h.lotse"
    nora.handover.export("f-1", _card(paula), out, with_notes=True, today=HANDOVER_DAY)
    paula.handover.import_file(out)
    with paula._access.vault.session() as s:
        assert s.scalars(select(Family.notes)).one() == "private note about the family"


@pytest.mark.parametrize("transfer_to", [None, "Familienzentrum Alstaden"])
def test_without_a_transfer_consent_for_that_service_nothing_is_written(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path, transfer_to: str | None
) -> None:
    nora, paula, _otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl", transfer_to))
    before = _audit(nora)
    out = tmp_path / "h.lotse"
    with pytest.raises(BadInputError, match="keine gültige Einwilligung zur Weitergabe"):
        nora.handover.export("f-1", _card(paula), out, close=True, today=HANDOVER_DAY)
    assert not out.exists()
    assert _audit(nora) == before
    with nora._access.vault.session() as s:
        assert len(s.scalars(select(Referral)).all()) == 1
        assert s.scalars(select(Family.closed)).one() is None


def test_a_withdrawn_transfer_consent_refuses(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paula, _otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    with pytest.raises(BadInputError):
        nora.handover.export(
            "f-1",
            _card(paula),
            tmp_path / "h",
            today=dt.date(2026, 5, 1),  # before the consent
        )


def test_a_file_for_another_recipient_or_changed_is_refused(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paula, otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    out = tmp_path / "h.lotse"
    nora.handover.export("f-1", _card(paula), out, today=HANDOVER_DAY)
    with pytest.raises(BadInputError, match="anderen Empfänger"):
        otto.handover.import_file(out)
    envelope = json.loads(out.read_text("utf-8"))
    cipher = bytearray(envelope["ciphertext"].encode())
    cipher[20] = ord("A") if cipher[20] != ord("A") else ord("B")
    envelope["ciphertext"] = cipher.decode()
    changed = tmp_path / "changed.lotse"
    changed.write_text(json.dumps(envelope), "utf-8")
    with pytest.raises(BadInputError, match="verändert"):
        paula.handover.import_file(changed)
    for api in (paula, otto):
        with api._access.vault.session() as s:
            assert s.scalars(select(Family)).all() == []


def test_the_team_merge_counts_each_contact_once(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    nora, paula, otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    out = tmp_path / "h.lotse"
    nora.handover.export("f-1", _card(paula), out, close=True, today=HANDOVER_DAY)
    received = paula.handover.import_file(out)
    with paula._access.vault.session() as s:
        family_id = s.scalars(select(Family.id).where(Family.code == received.code)).one()
    from lotse.casework.followups import ContactInput

    paula.followups.add_contact(
        family_id, ContactInput(date=dt.date(2026, 6, 12), kind="counselling", minutes=45)
    )
    assert nora.statistics.figures(Q2).figures.totals["counselling_contacts"] == 2
    assert paula.statistics.figures(Q2).figures.totals["counselling_contacts"] == 1
    assert paula.statistics.figures(Q2).figures.totals["counselling_minutes"] == 45
    assert paula.statistics.figures(Q2).figures.totals["referrals"] == 0
    lead = otto
    nora.team.export_package(Q2, tmp_path / "nora.json")
    paula.team.export_package(Q2, tmp_path / "paula.json")
    packages = lead.team.open_packages(
        [read_package_file(tmp_path / n) for n in ("nora.json", "paula.json")]
    )
    lead.team.merge(packages, Q2, "json", tmp_path / "team.json")
    report = json.loads((tmp_path / "team.json").read_text("utf-8"))
    assert report["totals"]["counselling_contacts"] == 3
    assert report["totals"]["counselling_minutes"] == 40 + 30 + 45
    # The family-midwife referral and the handover referral, each once (both Nora's).
    assert report["totals"]["referrals"] == 2


def test_the_senders_history_stays_as_handed_over_and_own_work_goes_on(
    vaults: tuple[VaultAPI, VaultAPI, VaultAPI], tmp_path: Path
) -> None:
    from lotse.usecases import ContactInput, ReferralInput

    nora, paula, _otto = vaults
    nora.records.import_file(family_file(tmp_path / "f.jsonl"))
    out = tmp_path / "handover.lotse"
    nora.handover.export("f-1", _card(paula), out, mode="information", today=HANDOVER_DAY)
    paula.handover.import_file(out)
    family_id = paula.families.rows()[0].id
    timeline = paula.families.timeline(family_id)
    # Contacts, referral and its status: the sender's, marked; the reminder is Paula's now.
    assert {(e.kind.value, e.sender) for e in timeline} == {
        ("contact", "Klinik Nord"),
        ("referral", "Klinik Nord"),
        ("status", "Klinik Nord"),
        ("reminder", ""),
    }
    contact = next(e for e in timeline if e.kind.value == "contact")
    referral = next(e for e in timeline if e.kind.value == "referral")
    before = paula.families.timeline(family_id)
    refused = (
        lambda: paula.followups.delete_contact(contact.ref_id),
        lambda: paula.followups.update_contact(
            contact.ref_id, ContactInput(date=contact.date, minutes=90)
        ),
        lambda: paula.followups.delete_referral(referral.ref_id),
        lambda: paula.followups.change_referral_status(
            referral.ref_id, "not_arrived", HANDOVER_DAY
        ),
        lambda: paula.followups.add_contact(family_id, ContactInput(date=HANDOVER_DAY)),
        lambda: paula.followups.add_referral(
            family_id, ReferralInput(date=dt.date(2026, 6, 1), target="jobcenter")
        ),
    )
    for attempt in refused:
        with pytest.raises(BadInputError, match=r"Klinik Nord die Familie begleitet.*11\.06\.2026"):
            attempt()
    assert paula.families.timeline(family_id) == before  # nothing half-changed

    # Paula's own contact the day after the handover is hers: editable and counted by her.
    own = paula.followups.add_contact(
        family_id, ContactInput(date=HANDOVER_DAY + dt.timedelta(days=1), minutes=45)
    )
    mine = next(e for e in paula.families.timeline(family_id) if e.ref_id == own)
    assert mine.editable and mine.sender == ""
    paula.followups.update_contact(own, ContactInput(date=mine.date, minutes=50))
    totals = paula.statistics.figures(Q2).figures.totals
    assert (totals["counselling_contacts"], totals["counselling_minutes"]) == (1, 50)
