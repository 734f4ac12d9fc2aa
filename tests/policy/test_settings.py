"""Settings in force: locked policy > vault setting > policy default > built-in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lotse import settings
from lotse.catalogues import DEFAULT_DISTRICTS, SERVICE_LINES
from lotse.db.models import Setting
from lotse.errors import EXIT_BAD_INPUT, BadInputError
from lotse.policy import Policy, set_current_policy
from lotse.settings import SettingLockedError
from lotse.vault import Vault


def _stored(vault: Vault, key: str) -> object:
    with vault.session() as session:
        return session.scalar(select(Setting.value).where(Setting.key == key))


def test_resolution_order(vault: Vault) -> None:
    set_current_policy(
        Policy(
            locked={"suppression_threshold": 5},
            defaults={"lock_after_minutes": 10, "suppression_threshold": 4},
        )
    )
    with vault.transaction() as session:
        settings.put(session, "lock_after_minutes", 20)
    with vault.session() as session:
        assert settings.get(session, "suppression_threshold") == 5  # locked
        assert settings.get(session, "lock_after_minutes") == 20  # the vault's own
        assert settings.get(None, "lock_after_minutes") == 10  # policy default
        assert settings.get(session, "retention_months") == 0  # built-in
    assert settings.machine_value("suppression_threshold") == 5
    assert settings.machine_value("lock_after_minutes") == 10
    assert settings.is_locked("suppression_threshold")
    assert not settings.is_locked("lock_after_minutes")


def test_a_locked_value_cannot_be_stored(vault: Vault) -> None:
    set_current_policy(Policy(locked={"suppression_threshold": 5}))
    with pytest.raises(SettingLockedError) as refused, vault.transaction() as session:
        settings.put(session, "suppression_threshold", 7)
    assert refused.value.exit_code == EXIT_BAD_INPUT
    assert refused.value.message == (
        "„Schwelle der Geheimhaltung“ ist vom Administrator festgelegt und kann nicht "
        "geändert werden."
    )
    assert _stored(vault, "suppression_threshold") is None


def test_a_vault_value_below_a_lock_does_not_count(vault: Vault) -> None:
    # Stored before IT locked the key (or by an older Lotse): the lock still wins.
    with vault.transaction() as session:
        settings.put(session, "suppression_threshold", 4)
    set_current_policy(Policy(locked={"suppression_threshold": 8}))
    with vault.session() as session:
        assert settings.get(session, "suppression_threshold") == 8


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("suppression_threshold", 2, "darf nie unter 3 liegen"),
        ("retention_months", -1, "nicht im erlaubten Bereich 0 bis 1200"),
        ("organisation", "Stadt\nBottrop", "der Text darf keine Zeilenumbrüche enthalten"),
        ("language", "xx", 'Sprache: erlaubt sind "de", "en" oder ""'),
        ("lock_after_minutes", "10", "erwartet eine ganze Zahl"),
        ("colour", "blue", "Unbekannte Einstellung „colour“."),
        ("districts", {"nord": "Nord"}, "„Sozialräume“ legt nur die Richtlinie"),
    ],
)
def test_a_value_breaking_its_rule_is_refused_and_nothing_stored(
    vault: Vault, key: str, value: object, fragment: str
) -> None:
    with pytest.raises(BadInputError) as refused, vault.transaction() as session:
        settings.put(session, key, value)
    assert fragment in refused.value.message
    assert _stored(vault, key) is None


def test_a_stored_value_breaking_the_rules_is_not_used(vault: Vault) -> None:
    with vault.transaction() as session:
        session.add(Setting(key="suppression_threshold", value=1))
    with vault.session() as session:
        assert settings.get(session, "suppression_threshold") == 3


def test_put_stores_the_clean_form_and_replaces(vault: Vault) -> None:
    with vault.transaction() as session:
        assert settings.put(session, "organisation", "  Stadt Bottrop ") == "Stadt Bottrop"
    with vault.transaction() as session:
        settings.put(session, "organisation", "Stadt Gladbeck")
    assert _stored(vault, "organisation") == "Stadt Gladbeck"


def test_catalogues_come_from_the_policy_alone(vault: Vault) -> None:
    assert settings.catalogue(None, "districts") == DEFAULT_DISTRICTS
    assert settings.catalogue(None, "service_lines") == SERVICE_LINES
    assert settings.catalogue(None, "sites").entries == ()
    set_current_policy(Policy(defaults={"sites": [["rathaus", "Rathaus"]]}))
    with pytest.raises(BadInputError, match="nur die Richtlinie"), vault.transaction() as s:
        settings.put(s, "sites", {"fz": "Familienzentrum"})
    with vault.transaction() as session:
        # Even a row written behind the registry's back does not make a vault disagree.
        session.add(Setting(key="districts", value=[["nord", "Nord"]]))
    with vault.session() as session:
        sites = settings.catalogue(session, "sites")
        assert settings.catalogue(session, "districts") == DEFAULT_DISTRICTS
    assert sites.codes == ("rathaus",)
    assert sites.label("rathaus") == "Rathaus"
