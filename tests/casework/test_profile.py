"""The navigator's profile and preferences in setting rows, respecting the machine policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lotse import options
from lotse.casework.profile import Profile, load_profile, save_profile, set_preference
from lotse.errors import BadInputError
from lotse.policy import Policy, set_current_policy
from lotse.vault import Vault


@pytest.fixture
def locked_language() -> Iterator[None]:
    set_current_policy(Policy(locked={"language": "de"}))
    yield
    set_current_policy(None)


def test_profile_round_trip(vault: Vault) -> None:
    with vault.transaction() as s:
        save_profile(s, Profile(" Maria Muster ", "EKO", "other", "Stadtteilbüro"))
    with vault.session() as s:
        assert load_profile(s) == Profile("Maria Muster", "EKO", "other", "Stadtteilbüro")


def test_unknown_service_line_refused(vault: Vault) -> None:
    with pytest.raises(BadInputError, match="Unbekannter Arbeitsbereich"), vault.transaction() as s:
        save_profile(s, Profile(service_line="pilot"))
    with vault.session() as s:
        assert load_profile(s) == Profile()


def _save_preferences(vault: Vault, values: dict[str, object]) -> None:
    """Several preferences in one transaction, as the settings use case stores them."""
    with vault.transaction() as s:
        for key, value in values.items():
            set_preference(s, key, value)


def _preference(vault: Vault, key: str) -> object:
    with vault.session() as s:
        return options.get(s, key)


def test_preferences(vault: Vault) -> None:
    assert _preference(vault, "lock_after_minutes") == 5
    _save_preferences(vault, {"lock_after_minutes": 12, "language": "en"})
    assert _preference(vault, "lock_after_minutes") == 12
    with pytest.raises(BadInputError, match="1 bis 240"):
        _save_preferences(vault, {"lock_after_minutes": 0})
    assert _preference(vault, "lock_after_minutes") == 12


def test_locked_preference_is_not_written(vault: Vault, locked_language: None) -> None:
    _save_preferences(vault, {"language": "en"})
    assert options.is_locked("language")
    assert _preference(vault, "language") == "de"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"organisation": "Stadt\nBottrop"},
            "Träger / Organisation: der Text darf keine Zeilenumbrüche enthalten.",
        ),
        (
            {"lock_after_minutes": 12, "language": "xx"},
            'Sprache: erlaubt sind "de", "en" oder "" (aus der Umgebung), nicht \'xx\'.',
        ),
    ],
)
def test_wrong_preferences_are_refused_and_none_is_stored(
    vault: Vault, values: dict[str, object], message: str
) -> None:
    _save_preferences(vault, {"organisation": "Stadt Bottrop", "lock_after_minutes": 7})
    with pytest.raises(BadInputError) as refused:
        _save_preferences(vault, values)
    assert refused.value.message == message
    assert _preference(vault, "organisation") == "Stadt Bottrop"
    assert _preference(vault, "lock_after_minutes") == 7
    assert _preference(vault, "language") == ""


def test_a_wrong_profile_field_stores_no_field(vault: Vault) -> None:
    with vault.transaction() as s:
        save_profile(s, Profile("Maria Muster", "EKO"))
    refused = pytest.raises(BadInputError, match="Standort: der Text darf keine Zeilenumbrüche")
    with refused, vault.transaction() as s:
        save_profile(s, Profile("Erika Beispiel", "Rathaus\nNord"))
    with vault.session() as s:
        assert load_profile(s) == Profile("Maria Muster", "EKO")


def test_the_other_service_line_text_is_kept_only_for_other(vault: Vault) -> None:
    with vault.transaction() as s:
        save_profile(s, Profile(service_line="outreach", service_line_other="Stadtteilbüro"))
    with vault.session() as s:
        assert load_profile(s) == Profile(service_line="outreach")
