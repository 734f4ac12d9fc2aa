"""Settings, preferences and the navigator's profile: the one place use cases reach them.

Every call into :mod:`lotse.settings` and :mod:`lotse.casework.profile` from the use
cases, the window and the command line goes through this module, so the options registry
can be re-pointed here alone. Saving goes through the validating write path
(:func:`~lotse.casework.profile.set_preference`, :func:`~lotse.casework.profile.save_profile`):
a value that breaks its rule is refused with a message in the user's language and nothing
is stored; a value the machine policy locks is left as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lotse import i18n, settings
from lotse.casework import profile as profiles
from lotse.casework.profile import FORM_DEFAULTS, SERVICE_LINES, Profile
from lotse.catalogues import Catalogue
from lotse.usecases.access import VaultAccess

#: Preferences the settings dialog edits (the profile keys are saved as a :class:`Profile`).
PREFERENCES = ("language", "lock_after_minutes", "organisation", "districts")


# --- without a vault (machine policy and built-ins) ---------------------------------------


def is_locked(key: str) -> bool:
    """Whether the machine policy locks ``key`` (the window greys the field out)."""
    return settings.is_locked(key)


def machine_value(key: str) -> Any:
    """The value before any vault is open: the policy's, else the built-in one."""
    return settings.machine_value(key)


#: The language before a vault is open: a policy value, else the environment's.
start_language = settings.start_language


def min_passphrase_length() -> int:
    return int(machine_value("min_passphrase_length"))


def check_profile(profile: Profile) -> None:
    """:class:`~lotse.errors.BadInputError` if a field of ``profile`` breaks its rule."""
    profiles.check_profile(profile)


def site_catalogue(session: Session | None = None) -> Catalogue:
    """The organisation's sites (empty: the site is free text)."""
    return settings.catalogue(session, "sites")


def service_line_catalogue(session: Session | None = None) -> Catalogue:
    """The policy's (or vault's) service lines if any are set, else the built-in ones."""
    chosen = settings.catalogue(session, "service_lines")
    return chosen if chosen.entries else SERVICE_LINES


def districts(session: Session | None = None) -> Catalogue:
    """The social areas in force (the vault's, the policy's, else Oberhausen's six)."""
    return settings.catalogue(session, "districts")


# --- plain data the window shows -----------------------------------------------------------


@dataclass(frozen=True)
class SettingsForm:
    """Everything the settings dialog shows, read in one go."""

    language: str
    lock_after_minutes: int
    organisation: str
    profile: Profile
    sites: Catalogue
    service_lines: Catalogue
    #: The districts in force (the vault's own unless the policy locks them).
    districts: Catalogue


@dataclass(frozen=True)
class WindowSettings:
    """What the main window needs at start: idle lock, language, the status line, and
    the vault's districts (its views and forms offer them)."""

    language: str | None
    lock_after_minutes: int
    profile: Profile
    districts: Catalogue
    #: The organisation (the status line names it beside the navigator).
    organisation: str = ""


class SettingsAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def profile(self) -> Profile:
        with self._access.read() as session:
            return profiles.load_profile(session)

    def save_profile(self, profile: Profile) -> None:
        with self._access.write() as session:
            profiles.save_profile(session, profile)

    def preference(self, key: str) -> Any:
        """The value of ``key`` in force for this vault."""
        with self._access.read() as session:
            return settings.get(session, key)

    def language(self) -> str | None:
        """The vault's language if it has chosen one Lotse speaks, else None."""
        value = self.preference("language")
        return value if value in i18n.LANGUAGES else None

    def catalogue(self, key: str) -> Catalogue:
        """``sites``, ``service_lines`` or ``districts`` in force for this vault."""
        with self._access.read() as session:
            return settings.catalogue(session, key)

    def districts(self) -> Catalogue:
        with self._access.read() as session:
            return districts(session)

    def form_defaults(self) -> tuple[str | None, str | None]:
        """Access route and setting to preselect in a new first contact (by service line)."""
        with self._access.read() as session:
            return FORM_DEFAULTS.get(profiles.load_profile(session).service_line, (None, None))

    def window(self) -> WindowSettings:
        with self._access.read() as session:
            language = settings.get(session, "language")
            return WindowSettings(
                language if language in i18n.LANGUAGES else None,
                int(settings.get(session, "lock_after_minutes")),
                profiles.load_profile(session),
                districts(session),
                str(settings.get(session, "organisation") or ""),
            )

    def form(self) -> SettingsForm:
        with self._access.read() as session:
            return SettingsForm(
                language=settings.get(session, "language") or i18n.current_language(),
                lock_after_minutes=int(settings.get(session, "lock_after_minutes")),
                organisation=str(settings.get(session, "organisation") or ""),
                profile=profiles.load_profile(session),
                sites=site_catalogue(session),
                service_lines=service_line_catalogue(session),
                districts=districts(session),
            )

    def save(self, preferences: Mapping[str, Any], profile: Profile | None = None) -> None:
        """Store preferences (and the profile) in one transaction, each value checked.

        A preference the machine policy locks is skipped, as the window shows it greyed
        out; any other value that breaks its rule refuses the whole save.
        """
        with self._access.write() as session:
            for key, value in preferences.items():
                profiles.set_preference(session, key, value)
            if profile is not None:
                profiles.save_profile(session, profile)
