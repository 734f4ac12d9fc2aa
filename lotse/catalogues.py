"""The built-in code catalogues (records.md) with their German labels.

Codes are stable forever: they are stored in vaults, written into records files and
reports, and merged across navigators. Labels are German msgids, translated on display
through :mod:`lotse.i18n`. An organisation may set its own districts, sites and service
lines by policy, never rename a code; the catalogue in force is resolved through
:mod:`lotse.options` (``options.catalogue``, ``options.districts``), never kept here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lotse.i18n import N_, _


@dataclass(frozen=True)
class Catalogue:
    """An ordered mapping from code to German label."""

    name: str
    entries: tuple[tuple[str, str], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.entries)

    def __contains__(self, code: object) -> bool:
        return any(code == c for c, _label in self.entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def label(self, code: str) -> str:
        """The label of ``code`` in the current language (the code itself if unknown)."""
        for c, label in self.entries:
            if c == code:
                return _(label)
        return code

    def with_entries(self, extra: tuple[tuple[str, str], ...]) -> Catalogue:
        """This catalogue plus an organisation's own codes (existing codes keep their label)."""
        known = set(self.codes)
        added = tuple((c, label) for c, label in extra if c not in known)
        return Catalogue(self.name, self.entries + added)


ACCESS_ROUTES = Catalogue(
    "access_route",
    (
        ("birth_clinic", N_("Geburtsklinik")),
        ("paediatric_practice", N_("Kinderarztpraxis")),
        ("gynaecology_practice", N_("Frauenarztpraxis")),
        ("kita", N_("Kita")),
        ("family_centre", N_("Familienzentrum")),
        ("primary_school", N_("Grundschule")),
        ("self_referral", N_("Eigeninitiative der Familie")),
        ("other_service", N_("Andere Fachstelle")),
        ("other", N_("Sonstiger Zugang")),
    ),
)

CONTACT_KINDS = Catalogue(
    "contact_kind",
    (
        ("first_contact", N_("Erstkontakt")),
        ("counselling", N_("Beratung")),
        ("home_visit", N_("Hausbesuch")),
        ("phone", N_("Telefonberatung")),
        ("accompaniment", N_("Begleitung")),
        ("no_show", N_("Nicht wahrgenommen")),
    ),
)

#: Contact kinds that count as individual counselling (statistics.md); ``no_show`` never does.
COUNSELLING_KINDS: tuple[str, ...] = (
    "first_contact",
    "counselling",
    "home_visit",
    "phone",
    "accompaniment",
)

SETTINGS = Catalogue(
    "setting",
    (
        ("clinic", N_("Klinik")),
        ("practice", N_("Praxis")),
        ("kita", N_("Kita")),
        ("family_centre", N_("Familienzentrum")),
        ("school", N_("Schule")),
        ("home", N_("Zuhause der Familie")),
        ("phone", N_("Telefon")),
        ("video", N_("Video")),
        ("office", N_("Büro")),
        ("other", N_("Sonstiger Ort")),
    ),
)

TOPICS = Catalogue(
    "topic",
    (
        ("finances", N_("Finanzen")),
        ("housing", N_("Wohnen")),
        ("health", N_("Gesundheit")),
        ("pregnancy_birth", N_("Schwangerschaft und Geburt")),
        ("parenting", N_("Erziehung")),
        ("child_development", N_("Entwicklung des Kindes")),
        ("childcare", N_("Kinderbetreuung")),
        ("school", N_("Schule")),
        ("language", N_("Sprache")),
        ("residence", N_("Aufenthalt")),
        ("work", N_("Arbeit und Ausbildung")),
        ("debt", N_("Schulden")),
        ("family_conflict", N_("Familiäre Konflikte")),
        ("mental_strain", N_("Psychische Belastung")),
        ("other", N_("Sonstiges Thema")),
    ),
)

REFERRAL_TARGETS = Catalogue(
    "referral_target",
    (
        ("early_help", N_("Frühe Hilfen")),
        ("family_midwife", N_("Familienhebamme")),
        ("midwife", N_("Hebamme")),
        ("pregnancy_counselling", N_("Schwangerschaftsberatung")),
        ("parenting_counselling", N_("Erziehungsberatung")),
        ("youth_welfare_office", N_("Jugendamt")),
        ("jobcenter", N_("Jobcenter")),
        ("family_benefits", N_("Familienkasse / Familienleistungen")),
        ("education_participation", N_("Bildung und Teilhabe")),
        ("childcare_place", N_("Kita-Platz / Kindertagespflege")),
        ("family_education", N_("Familienbildung")),
        ("language_course", N_("Sprachkurs")),
        ("debt_counselling", N_("Schuldnerberatung")),
        ("migration_counselling", N_("Migrationsberatung")),
        ("health_service", N_("Gesundheitsamt / Gesundheitsdienst")),
        ("paediatrician", N_("Kinderarzt")),
        ("other", N_("Sonstige Stelle")),
    ),
)

REFERRAL_STATUSES = Catalogue(
    "referral_status",
    (
        ("suggested", N_("Empfohlen")),
        ("arranged", N_("Vereinbart")),
        ("arrived", N_("Angekommen")),
        ("not_arrived", N_("Nicht angekommen")),
        ("declined", N_("Abgelehnt")),
    ),
)

#: How a family was put in touch with a service (records.md, ``referral.mode``).
REFERRAL_MODES = Catalogue(
    "referral_mode",
    (
        ("information", N_("Über das Angebot informiert")),
        ("contact_made", N_("Kontakt hergestellt")),
        ("accompanied", N_("Zum ersten Termin begleitet")),
        ("other", N_("Sonstige Art der Vermittlung")),
    ),
)

GROUP_CATEGORIES = Catalogue(
    "group_category",
    (
        ("parent_cafe", N_("Elterncafé")),
        ("parent_child_group", N_("Eltern-Kind-Gruppe")),
        ("course", N_("Kurs")),
        ("info_event", N_("Informationsveranstaltung")),
        ("excursion", N_("Ausflug")),
        ("other", N_("Sonstiges Angebot")),
    ),
)

#: What a family consented to (records.md, ``consents[].purpose``).
CONSENT_PURPOSES = Catalogue(
    "consent_purpose",
    (
        ("documentation", N_("Dokumentation")),
        ("referral", N_("Vermittlung")),
        ("statistics", N_("Statistik")),
        ("transfer", N_("Weitergabe")),
    ),
)
#: The same codes under the name records/1 gave them (``consent.scope``).
CONSENT_SCOPES = CONSENT_PURPOSES

#: Burden factors a screening notes (records.md, ``screening.factors``): Lotse's own
#: catalogue, not a validated clinical instrument.
BURDEN_FACTORS = Catalogue(
    "burden_factor",
    (
        ("young_parent", N_("Junger Elternteil (unter 21)")),
        ("single_parent", N_("Alleinerziehend")),
        ("partnership_conflict", N_("Konflikte in der Partnerschaft")),
        ("financial_strain", N_("Finanzielle Sorgen")),
        ("housing_problem", N_("Probleme mit der Wohnung")),
        ("daily_coping", N_("Überforderung im Alltag")),
        ("mental_strain", N_("Psychische Belastung")),
        ("addiction", N_("Sucht")),
        ("violence", N_("Gewalt")),
        ("child_health", N_("Frühgeburt, Krankheit oder Behinderung des Kindes")),
        ("pregnancy_complications", N_("Komplikationen in der Schwangerschaft")),
        ("language_barrier", N_("Sprachbarriere")),
        ("social_isolation", N_("Soziale Isolation")),
        ("other", N_("Sonstige Belastung")),
    ),
)


def screening_positive(
    factors: int, staff_concern: bool, own_request: bool, threshold: int
) -> bool:
    """Whether a screening is positive (records.md): at least ``threshold`` burden factors,
    or the staff are concerned, or the parents asked for support themselves.

    ``threshold`` is the ``screening_threshold`` option in force. The statistics count
    the same rule in SQL (:mod:`lotse.stats.figures`); a test holds the two together.
    """
    return factors >= threshold or bool(staff_concern) or bool(own_request)


#: Why an accompaniment ended (records.md, ``closure_reason``).
CLOSURE_REASONS = Catalogue(
    "closure_reason",
    (
        ("completed", N_("Planmäßig beendet")),
        ("handed_over", N_("An eine andere Stelle übergeben")),
        ("declined", N_("Von der Familie abgelehnt")),
        ("unreachable", N_("Nicht mehr erreichbar")),
        ("already_supported", N_("Bereits anderweitig unterstützt")),
        ("moved_away", N_("Weggezogen")),
        ("child_protection", N_("Kinderschutzverfahren (§ 8a SGB VIII)")),
        ("other", N_("Sonstiger Grund")),
    ),
)

#: Oberhausen's six social areas: the district catalogue where an organisation sets none.
DEFAULT_DISTRICTS = Catalogue(
    "district",
    (
        ("alstaden_lirich", "Alstaden/Lirich"),
        ("mitte_styrum", "Oberhausen-Mitte/Styrum"),
        ("ost", "Oberhausen-Ost"),
        ("osterfeld", "Osterfeld"),
        ("sterkrade_mitte", "Sterkrade-Mitte"),
        ("sterkrade_nord", "Sterkrade-Nord"),
    ),
)

#: The built-in service lines (Arbeitsbereiche) a navigator works in, where an organisation
#: sets none of its own.
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

SGB2_VALUES = Catalogue(
    "sgb2",
    (
        ("yes", N_("Ja")),
        ("no", N_("Nein")),
        ("unknown", N_("Unbekannt")),
    ),
)

AGE_BANDS = Catalogue(
    "age_band",
    (
        ("0", N_("unter 1 Jahr")),
        ("1-2", N_("1–2 Jahre")),
        ("3-5", N_("3–5 Jahre")),
        ("6-9", N_("6–9 Jahre")),
        ("10-14", N_("10–14 Jahre")),
        ("15-17", N_("15–17 Jahre")),
        ("18+", N_("18 Jahre und älter")),
    ),
)
