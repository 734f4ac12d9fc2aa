"""Settings through the API: checked on the way in, all or nothing, the policy respected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lotse.errors import BadInputError
from lotse.policy import Policy, set_current_policy
from lotse.usecases import Profile, VaultAPI
from lotse.usecases import settings as usecase_settings


@pytest.fixture
def locked_minutes() -> Iterator[None]:
    set_current_policy(Policy(locked={"lock_after_minutes": 3}))
    yield
    set_current_policy(None)


def test_save_stores_preferences_and_profile_together(api: VaultAPI) -> None:
    api.settings.save(
        {"language": "en", "lock_after_minutes": 12, "organisation": "Stadt Oberhausen"},
        Profile("Maria Muster", "EKO", "kita_family_centre", ""),
    )
    form = api.settings.form()
    assert (form.language, form.lock_after_minutes, form.organisation) == (
        "en",
        12,
        "Stadt Oberhausen",
    )
    assert form.profile == Profile("Maria Muster", "EKO", "kita_family_centre", "")
    assert api.settings.language() == "en"
    assert api.settings.form_defaults() == ("kita", "kita")
    window = api.settings.window()
    assert (window.language, window.lock_after_minutes) == ("en", 12)


def test_form_defaults_follow_the_service_line(api: VaultAPI) -> None:
    assert api.settings.form_defaults() == (None, None)
    api.settings.save_profile(Profile(service_line="birth_clinic"))
    assert api.settings.form_defaults() == ("birth_clinic", "clinic")


@pytest.mark.parametrize(
    ("key", "value"),
    [("organisation", "Stadt\nBottrop"), ("language", "xx"), ("lock_after_minutes", 0)],
)
def test_a_bad_value_is_refused_and_nothing_is_stored(
    api: VaultAPI, key: str, value: object
) -> None:
    with pytest.raises(BadInputError):
        api.settings.save(
            {"organisation": "Stadt Oberhausen", key: value}, Profile(navigator_name="Maria")
        )
    assert api.settings.preference("organisation") == ""
    assert api.settings.profile() == Profile()


def test_a_locked_preference_is_left_as_the_policy_says(
    api: VaultAPI, locked_minutes: None
) -> None:
    assert usecase_settings.is_locked("lock_after_minutes")
    api.settings.save({"lock_after_minutes": 30, "organisation": "Stadt Oberhausen"})
    assert api.settings.preference("lock_after_minutes") == 3
    assert api.settings.preference("organisation") == "Stadt Oberhausen"


def test_the_built_in_catalogues_without_a_policy() -> None:
    assert "osterfeld" in usecase_settings.districts().codes
    assert usecase_settings.site_catalogue().entries == ()
    assert "other" in usecase_settings.service_line_catalogue().codes
