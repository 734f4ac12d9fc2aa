"""The names of the figures (statistics.md): their stable keys, order and German labels.

Keys never change meaning (cli.md); labels are German msgids translated on display.
"""

from __future__ import annotations

from lotse import catalogues, options
from lotse.catalogues import Catalogue
from lotse.i18n import N_, _

#: The totals in the order of the JSON report (cli.md), with their labels.
TOTALS: tuple[tuple[str, str], ...] = (
    ("families_reached", N_("Erreichte Familien")),
    ("new_families", N_("Davon neu erreichte Familien")),
    ("adults_reached", N_("Erreichte Erwachsene")),
    ("children_reached", N_("Erreichte Kinder")),
    ("expected_children", N_("Erwartete Kinder (Schwangerschaften)")),
    ("counselling_contacts", N_("Einzelberatungen")),
    ("counselling_minutes", N_("Minuten Einzelberatung")),
    ("no_shows", N_("Nicht wahrgenommene Termine")),
    ("group_offers", N_("Gruppenangebote")),
    ("group_sessions", N_("Gruppentermine")),
    ("group_participants_adults", N_("Teilnahmen Erwachsener an Gruppenterminen")),
    ("group_participants_children", N_("Teilnahmen von Kindern an Gruppenterminen")),
    ("referrals", N_("Vermittlungen")),
    ("referrals_arrived", N_("Davon angekommene Vermittlungen")),
    ("screenings", N_("Screenings")),
    ("screenings_positive", N_("Davon positive Screenings")),
    ("screenings_positive_reached", N_("Davon positiv und danach beraten")),
    ("families_closed", N_("Abgeschlossene Begleitungen")),
    ("median_days_to_first_contact", N_("Tage bis zum Erstkontakt (Median)")),
    ("median_support_days", N_("Dauer der Begleitung in Tagen (Median)")),
)
TOTAL_KEYS: tuple[str, ...] = tuple(key for key, _label in TOTALS)
#: The totals that are medians of day counts (a number or None), not counts.
MEDIAN_KEYS: tuple[str, ...] = ("median_days_to_first_contact", "median_support_days")
#: The totals that count (whole numbers, added up when packages merge).
COUNT_KEYS: tuple[str, ...] = tuple(key for key in TOTAL_KEYS if key not in MEDIAN_KEYS)

#: The breakdowns in the order of the JSON report, with their labels.
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("families_by_district", N_("Erreichte Familien nach Sozialraum")),
    ("families_by_access_route", N_("Erreichte Familien nach Zugangsweg")),
    ("families_by_sgb2", N_("Erreichte Familien nach SGB-II-Bezug")),
    ("children_by_age_band", N_("Erreichte Kinder nach Alter")),
    ("contacts_by_kind", N_("Einzelberatungen nach Art")),
    ("contacts_by_topic", N_("Einzelberatungen nach Thema")),
    ("referrals_by_target", N_("Vermittlungen nach Ziel")),
    ("referrals_by_status", N_("Vermittlungen nach Stand")),
    ("referrals_by_mode", N_("Vermittlungen nach Art der Vermittlung")),
    ("closures_by_reason", N_("Abgeschlossene Begleitungen nach Grund")),
    ("screening_factors", N_("Screenings nach Belastungsfaktor")),
)
BREAKDOWN_KEYS: tuple[str, ...] = tuple(key for key, _label in BREAKDOWNS)

#: The figures of the course of a case (issue 10): the PDF's page "Screening und Verlauf"
#: and the statistics view's section of that name show these.
CASEWORK_TITLE = N_("Screening und Verlauf")
CASEWORK_TOTALS: tuple[str, ...] = (
    "screenings",
    "screenings_positive",
    "screenings_positive_reached",
    "families_closed",
    *MEDIAN_KEYS,
)
CASEWORK_BREAKDOWNS: tuple[str, ...] = (
    "screening_factors",
    "closures_by_reason",
    "referrals_by_mode",
)
#: Keys a stored set of figures (closed period, package) of an older Lotse may lack.
#: Read as 0, empty distributions (median None) and all-zero breakdowns.
ADDED_IN_V2: frozenset[str] = frozenset((*CASEWORK_TOTALS, *CASEWORK_BREAKDOWNS))

#: Short titles of the breakdowns (spreadsheet tabs allow 31 characters).
SHORT_TITLES: dict[str, str] = {
    "families_by_district": N_("Familien nach Sozialraum"),
    "families_by_access_route": N_("Familien nach Zugangsweg"),
    "families_by_sgb2": N_("Familien nach SGB II"),
    "children_by_age_band": N_("Kinder nach Alter"),
    "contacts_by_kind": N_("Beratungen nach Art"),
    "contacts_by_topic": N_("Beratungen nach Thema"),
    "referrals_by_target": N_("Vermittlungen nach Ziel"),
    "referrals_by_status": N_("Vermittlungen nach Stand"),
    "referrals_by_mode": N_("Vermittlungen nach Art"),
    "closures_by_reason": N_("Abschlüsse nach Grund"),
    "screening_factors": N_("Screenings nach Faktor"),
}

#: Codes every breakdown over an optional value carries for records without one.
UNKNOWN = "unknown"
#: The code counselling contacts without any topic count under.
NO_TOPIC = "none"

#: The code screenings without any burden factor count under (``screening_factors``).
NO_FACTOR = "none"

_EXTRA_LABELS = {UNKNOWN: N_("Unbekannt"), NO_TOPIC: N_("Ohne Thema")}
#: Labels of ``none`` where it is not "no topic".
_NONE_LABELS = {"screening_factors": N_("Ohne Belastungsfaktor")}

COUNSELLING_KINDS = Catalogue(
    "counselling_kind",
    tuple(e for e in catalogues.CONTACT_KINDS.entries if e[0] in catalogues.COUNSELLING_KINDS),
)


def total_label(key: str) -> str:
    """The label of total ``key`` in the current language."""
    return _(dict(TOTALS).get(key, key))


def breakdown_label(key: str) -> str:
    """The title of breakdown ``key`` in the current language."""
    return _(dict(BREAKDOWNS).get(key, key))


def breakdown_short_title(key: str) -> str:
    """A short title of breakdown ``key`` (at most 31 characters in German and English)."""
    return _(SHORT_TITLES.get(key, key))


def breakdown_codes(districts: Catalogue | None = None) -> dict[str, tuple[str, ...]]:
    """Every breakdown's codes in catalogue order (``unknown``/``none`` where they apply)."""
    districts = districts or options.districts()
    return {
        "families_by_district": (*districts.codes, UNKNOWN),
        "families_by_access_route": (*catalogues.ACCESS_ROUTES.codes, UNKNOWN),
        "families_by_sgb2": catalogues.SGB2_VALUES.codes,
        "children_by_age_band": catalogues.AGE_BANDS.codes,
        "contacts_by_kind": COUNSELLING_KINDS.codes,
        "contacts_by_topic": (*catalogues.TOPICS.codes, NO_TOPIC),
        "referrals_by_target": catalogues.REFERRAL_TARGETS.codes,
        "referrals_by_status": catalogues.REFERRAL_STATUSES.codes,
        "referrals_by_mode": (*catalogues.REFERRAL_MODES.codes, UNKNOWN),
        "closures_by_reason": (*catalogues.CLOSURE_REASONS.codes, UNKNOWN),
        "screening_factors": (*catalogues.BURDEN_FACTORS.codes, NO_FACTOR),
    }


_CATALOGUE_OF = {
    "families_by_access_route": catalogues.ACCESS_ROUTES,
    "families_by_sgb2": catalogues.SGB2_VALUES,
    "children_by_age_band": catalogues.AGE_BANDS,
    "contacts_by_kind": catalogues.CONTACT_KINDS,
    "contacts_by_topic": catalogues.TOPICS,
    "referrals_by_target": catalogues.REFERRAL_TARGETS,
    "referrals_by_status": catalogues.REFERRAL_STATUSES,
    "referrals_by_mode": catalogues.REFERRAL_MODES,
    "closures_by_reason": catalogues.CLOSURE_REASONS,
    "screening_factors": catalogues.BURDEN_FACTORS,
}


def code_label(breakdown: str, code: str, districts: Catalogue | None = None) -> str:
    """The label of ``code`` in ``breakdown``, translated (the code itself if unknown).

    ``districts``: the organisation's district catalogue, if not the one installed.
    """
    catalogue = (
        (districts or options.districts())
        if breakdown == "families_by_district"
        else _CATALOGUE_OF.get(breakdown)
    )
    if catalogue is not None and code in catalogue:
        return catalogue.label(code)
    if code == NO_FACTOR and breakdown in _NONE_LABELS:
        return _(_NONE_LABELS[breakdown])
    if code in _EXTRA_LABELS:
        return _(_EXTRA_LABELS[code])
    return code
