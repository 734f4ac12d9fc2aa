"""The navigator's profile and preferences, kept as ``setting`` rows in the vault.

Keys: ``navigator_name``, ``site``, ``service_line`` (a code of :data:`SERVICE_LINES`),
``service_line_other`` (free text for "other"), and the preferences ``language``,
``lock_after_minutes``, ``organisation``. Values a machine policy locks are never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lotse import settings
from lotse.catalogues import Catalogue
from lotse.db.models import Setting
from lotse.errors import BadInputError
from lotse.i18n import N_, _
from lotse.vault import Vault

SERVICE_LINES = Catalogue(
    "service_line",
    (
        ("birth_clinic", N_("Lotsendienst Geburtsklinik")),
        ("practice", N_("Lotsendienst Praxis")),
        ("kita_family_centre", N_("Kita-Sozialarbeit/Familienzentrum")),
        ("family_primary_school", N_("Familiengrundschulzentrum")),
        ("family_office", N_("Familienbüro")),
        ("outreach", N_("Aufsuchende Arbeit")),
        ("other", N_("Sonstiges")),
    ),
)


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


def check_profile(profile: Profile) -> None:
    if profile.service_line and profile.service_line not in SERVICE_LINES:
        raise BadInputError(
            _("Unbekannter Arbeitsbereich: {value}.").format(value=profile.service_line)
        )


def _store(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def save_profile(session: Session, profile: Profile) -> None:
    check_profile(profile)
    _store(session, "navigator_name", profile.navigator_name.strip())
    _store(session, "site", profile.site.strip())
    _store(session, "service_line", profile.service_line)
    other = profile.service_line_other.strip() if profile.service_line == "other" else ""
    _store(session, "service_line_other", other)


def load_profile(session: Session) -> Profile:
    def value(key: str) -> str:
        row = session.get(Setting, key)
        return str(row.value) if row is not None and row.value is not None else ""

    return Profile(
        value("navigator_name"), value("site"), value("service_line"), value("service_line_other")
    )


def set_preference(session: Session, key: str, value: Any) -> None:
    """Store a preference unless the machine policy locks it (then it is left alone)."""
    if settings.is_locked(key):
        return
    _store(session, key, value)


def preference(vault: Vault, key: str) -> Any:
    with vault.session() as session:
        return settings.get(session, key)


def save_preferences(vault: Vault, values: dict[str, Any]) -> None:
    minutes = values.get("lock_after_minutes")
    if minutes is not None and not 1 <= int(minutes) <= 240:
        raise BadInputError(_("Sperren nach: erlaubt sind 1 bis 240 Minuten."))
    with vault.transaction() as session:
        for key, value in values.items():
            set_preference(session, key, value)


def form_defaults(vault: Vault) -> tuple[str | None, str | None]:
    """Access route and setting to preselect in a new first contact (from the service line)."""
    with vault.session() as session:
        return FORM_DEFAULTS.get(load_profile(session).service_line, (None, None))
