"""The navigator's profile and preferences, kept as ``setting`` rows in the vault.

Keys (declared with their rules in :mod:`lotse.options`): ``navigator_name``, ``site``,
``service_line`` (a code of :data:`SERVICE_LINES`), ``service_line_other`` (free text for
"other"), and the preferences ``language``, ``lock_after_minutes``, ``organisation``.
Every value is validated on the way in; values a machine policy locks are never written.
The functions take the caller's session and never commit: the use cases
(:mod:`lotse.usecases.settings`) own the transaction, so a save is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lotse import options
from lotse.catalogues import SERVICE_LINES

__all__ = [
    "FORM_DEFAULTS",
    "SERVICE_LINES",
    "Profile",
    "check_profile",
    "load_profile",
    "save_profile",
    "set_preference",
]

#: What a new first contact most likely is, by service line: (access route, setting).
FORM_DEFAULTS: dict[str, tuple[str | None, str | None]] = {
    "birth_clinic": ("birth_clinic", "clinic"),
    "practice": ("paediatric_practice", "practice"),
    "kita_family_centre": ("kita", "kita"),
    "family_primary_school": ("primary_school", "school"),
    "family_office": (None, "office"),
    "outreach": (None, "home"),
}


@dataclass
class Profile:
    navigator_name: str = ""
    site: str = ""
    service_line: str = ""
    service_line_other: str = ""


def _values(profile: Profile) -> dict[str, str]:
    other = profile.service_line_other if profile.service_line == "other" else ""
    return {
        "navigator_name": profile.navigator_name,
        "site": profile.site,
        "service_line": profile.service_line,
        "service_line_other": other,
    }


def check_profile(profile: Profile) -> None:
    """:class:`BadInputError` naming the first field that breaks its rule."""
    for key, value in _values(profile).items():
        options.check(key, value)


def save_profile(session: Session, profile: Profile) -> None:
    """Store the profile (the caller commits); nothing is stored if a field is wrong."""
    check_profile(profile)
    for key, value in _values(profile).items():
        options.put(session, key, value)


def load_profile(session: Session) -> Profile:
    return Profile(
        options.get(session, "navigator_name"),
        options.get(session, "site"),
        options.get(session, "service_line"),
        options.get(session, "service_line_other"),
    )


def set_preference(session: Session, key: str, value: Any) -> None:
    """Store a preference unless the machine policy locks it (then it is left alone).

    The window shows a locked field greyed out and hands its value back unchanged; a
    wrong value raises :class:`BadInputError` and nothing is stored.
    """
    if options.is_locked(key):
        return
    options.put(session, key, value)
