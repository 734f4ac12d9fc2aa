"""Realistic synthetic records for demos, tests and benchmarks (never real data).

Invented German-, Turkish-, Arabic- and Eastern-European-looking names, Oberhausen's six
social areas, first contacts spread over the two years before ``today``, follow-ups,
no-shows, referrals whose status moves on with time, and group offers with weekly
sessions. The same ``seed`` and ``today`` give the same records.

The course of each case looks like a clinic navigator's documentation (issue 10): about
half the families were screened (most at the birth clinic, fewer through practices and
kitas), most screenings positive, since a screening is what brings a family to a
navigator; some screened families were never reached. The day the service learned of a
family lies some days before the first contact; accompaniments end for the reasons
evaluations report (mostly completed or handed over); referrals are made as information,
by contacting the service, or by going along, each with its status history; reminders are
open or done. These come from a second random stream, so the households, contacts and
group offers of a seed are the ones earlier versions made.

Phone numbers are of the form ``0208 0…``: German subscriber numbers never start with 0,
so none of them can reach a real person.
"""

from __future__ import annotations

import datetime as dt
import random

from lotse.catalogues import DEFAULT_DISTRICTS, TOPICS
from lotse.domain.entities import ConsentData, StatusStep
from lotse.records.model import (
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    GroupSessionRecord,
    Records,
    ReferralRecord,
    ReminderRecord,
)

FIRST_NAMES = [
    "Anna",
    "Lena",
    "Sophie",
    "Marie",
    "Julia",
    "Laura",
    "Sarah",
    "Lisa",
    "Katharina",
    "Jana",
    "Nadine",
    "Melanie",
    "Sandra",
    "Ayşe",
    "Elif",
    "Zeynep",
    "Fatma",
    "Emine",
    "Merve",
    "Leyla",
    "Amira",
    "Fatima",
    "Yasmin",
    "Rania",
    "Noura",
    "Aleksandra",
    "Kasia",
    "Olena",
    "Iryna",
    "Daria",
    "Elena",
    "Ioana",
    "Maria",
    "Svetlana",
    "Jennifer",
    "Kevin",
    "Daniel",
    "Thomas",
    "Michael",
    "Mehmet",
    "Ahmet",
    "Ali",
    "Mustafa",
    "Omar",
    "Karim",
    "Tomasz",
    "Andrzej",
    "Bogdan",
    "Dmytro",
    "Sergej",
    "Jan",
    "Lukas",
]
LAST_NAMES = [
    "Schäfer",
    "Becker",
    "Wagner",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Brandt",
    "Vogel",
    "Winkler",
    "Lorenz",
    "Kaya",
    "Yılmaz",
    "Demir",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Aydın",
    "Arslan",
    "Haddad",
    "Khalil",
    "Nasser",
    "Saleh",
    "Darwish",
    "Kowalski",
    "Nowak",
    "Wiśniewska",
    "Kovalenko",
    "Shevchenko",
    "Popescu",
    "Ionescu",
    "Petrov",
    "Iwanowa",
    "Dimitrov",
    "Kamińska",
]
STREETS = (
    "Lindenweg",
    "Ahornstraße",
    "Am Wiesengrund",
    "Birkenallee",
    "Zechenstraße",
    "Hüttenweg",
    "Kanalstraße",
    "Brückenstraße",
    "Gartenstraße",
    "Im Kamp",
    "Kirchweg",
    "Mühlenstraße",
    "Am Förderturm",
    "Lerchenweg",
)
LANGUAGE_MIX = (
    ("tr", 8),
    ("ar", 8),
    ("pl", 4),
    ("ru", 4),
    ("ro", 4),
    ("bg", 3),
    ("uk", 4),
    ("fa", 2),
    ("ku", 2),
    ("en", 2),
)
OFFER_TEMPLATES = (
    ("Elterncafé {area}", "parent_cafe"),
    ("Babymassage {area}", "parent_child_group"),
    ("Eltern-Kind-Gruppe {area}", "parent_child_group"),
    ("Sprachcafé für Mütter {area}", "course"),
    ("Infoabend Kita-Anmeldung {area}", "info_event"),
    ("Familienausflug {area}", "excursion"),
    ("Erste-Hilfe am Kind {area}", "course"),
)
NOTES = (
    "Unterlagen für Kinderzuschlag gemeinsam gesichtet.",
    "Familie wünscht Rückruf nach dem Kinderarzttermin.",
    "Antrag auf Bildung und Teilhabe besprochen.",
    "Termin bei der Familienhebamme vereinbart.",
    "Mutter fühlt sich erschöpft, Entlastung besprochen.",
    "Kita-Platz-Suche: Anmeldung im Kita-Navigator erklärt.",
    "",
)

ACCESS_WEIGHTS = (
    ("birth_clinic", 30),
    ("paediatric_practice", 14),
    ("gynaecology_practice", 9),
    ("kita", 20),
    ("family_centre", 10),
    ("primary_school", 3),
    ("self_referral", 6),
    ("other_service", 6),
    ("other", 2),
)
SETTING_FOR_ROUTE = {
    "birth_clinic": "clinic",
    "paediatric_practice": "practice",
    "gynaecology_practice": "practice",
    "kita": "kita",
    "family_centre": "family_centre",
    "primary_school": "school",
}
KIND_WEIGHTS = (
    ("counselling", 45),
    ("phone", 20),
    ("home_visit", 14),
    ("accompaniment", 9),
    ("no_show", 12),
)
TARGET_WEIGHTS = (
    ("early_help", 12),
    ("family_midwife", 10),
    ("midwife", 5),
    ("pregnancy_counselling", 4),
    ("parenting_counselling", 8),
    ("youth_welfare_office", 3),
    ("jobcenter", 9),
    ("family_benefits", 10),
    ("education_participation", 8),
    ("childcare_place", 12),
    ("family_education", 5),
    ("language_course", 4),
    ("debt_counselling", 4),
    ("migration_counselling", 3),
    ("health_service", 2),
    ("paediatrician", 2),
    ("other", 2),
)
TOPIC_WEIGHTS = {
    code: w
    for code, w in zip(TOPICS.codes, (14, 8, 7, 8, 10, 8, 10, 3, 4, 3, 5, 4, 3, 5, 2), strict=True)
}

#: How likely a family that came this way was screened first (the bedside screening
#: sheet is the clinic's routine; practices and kitas screen less often).
SCREENED_BY_ROUTE = {
    "birth_clinic": 0.85,
    "gynaecology_practice": 0.6,
    "paediatric_practice": 0.55,
    "kita": 0.25,
    "family_centre": 0.25,
    "primary_school": 0.2,
    "self_referral": 0.2,
    "other_service": 0.3,
    "other": 0.2,
}
#: Days from the service learning of a family to the first contact, by access route.
DAYS_TO_FIRST_CONTACT = {
    "birth_clinic": (0, 4),
    "gynaecology_practice": (2, 21),
    "paediatric_practice": (2, 21),
    "kita": (3, 30),
    "family_centre": (3, 30),
    "primary_school": (5, 40),
    "self_referral": (0, 8),
    "other_service": (3, 25),
    "other": (1, 30),
}
FACTOR_WEIGHTS = (
    ("young_parent", 10),
    ("single_parent", 15),
    ("partnership_conflict", 12),
    ("financial_strain", 30),
    ("housing_problem", 12),
    ("daily_coping", 22),
    ("mental_strain", 16),
    ("addiction", 3),
    ("violence", 3),
    ("child_health", 12),
    ("pregnancy_complications", 8),
    ("language_barrier", 14),
    ("social_isolation", 14),
    ("other", 4),
)
CLOSURE_WEIGHTS = (
    ("completed", 45),
    ("handed_over", 18),
    ("declined", 7),
    ("unreachable", 12),
    ("already_supported", 5),
    ("moved_away", 8),
    ("child_protection", 2),
    ("other", 3),
)
#: How referrals to a kind of service are made: most by contacting the service, going
#: along where a first appointment is hard (youth welfare office, jobcenter, debt advice),
#: information where the family applies on its own (benefits, education package).
MODE_WEIGHTS = {
    "accompanying": (("information", 15), ("contact_made", 40), ("accompanied", 40), ("other", 5)),
    "contacting": (("information", 25), ("contact_made", 60), ("accompanied", 12), ("other", 3)),
    "informing": (("information", 65), ("contact_made", 25), ("accompanied", 7), ("other", 3)),
}
MODE_GROUP = {
    "youth_welfare_office": "accompanying",
    "jobcenter": "accompanying",
    "debt_counselling": "accompanying",
    "migration_counselling": "accompanying",
    "family_benefits": "informing",
    "education_participation": "informing",
    "family_education": "informing",
    "language_course": "informing",
}
#: Services families are handed over from, and over to.
SERVICES = (
    "Frühe Hilfen Oberhausen",
    "Schwangerschaftsberatung donum vitae",
    "Familienhebammen-Zentrale",
    "Kinderklinik Sterkrade",
    "Familienzentrum Lirich",
    "Erziehungsberatungsstelle Mitte",
)
REMINDER_TEXTS = (
    "Rückruf wegen Kita-Platz",
    "Antrag Bildung und Teilhabe nachfragen",
    "Termin Familienhebamme nachfragen",
    "Bescheid Kinderzuschlag prüfen",
    "Nach der U-Untersuchung anrufen",
    "Unterlagen für Wohngeld mitbringen lassen",
    "Nachfragen, ob der Termin beim Jobcenter geklappt hat",
)
#: Modes that pass a family's data on: the family consented to referrals (issue 11).
MODES_PASSING_DATA = ("contact_made", "accompanied")


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    codes, weights = zip(*weighted, strict=True)
    return rng.choices(codes, weights)[0]


def generate_records(
    families: int,
    seed: int = 1,
    today: dt.date | None = None,
    mean_contacts: float = 6.0,
) -> Records:
    """``families`` synthetic families with their contacts, referrals, and group offers."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    start = today - dt.timedelta(days=730)
    records = Records()
    districts = DEFAULT_DISTRICTS.codes
    district_weights = (18, 22, 14, 15, 17, 14)

    for n in range(1, families + 1):
        fid = f"demo-{seed}-{n}"
        route = _pick(rng, ACCESS_WEIGHTS)
        first = start + dt.timedelta(days=rng.randrange(730))
        adults = rng.choices((1, 2, 3), (30, 65, 5))[0]
        children: list[dt.date] = []
        if route in ("birth_clinic", "gynaecology_practice") and rng.random() < 0.5:
            # met during pregnancy: the child is (or will be) born some weeks later
            children.append(first + dt.timedelta(days=rng.randrange(7, 150)))
        elif route == "birth_clinic":
            children.append(first - dt.timedelta(days=rng.randrange(0, 5)))
        for _ in range(rng.choices((0, 1, 2, 3), (25, 40, 25, 10))[0]):
            children.append(first - dt.timedelta(days=rng.randrange(300, 365 * 12)))
        children.sort(reverse=True)
        languages = ["de"]
        if rng.random() < 0.45:
            other = _pick(rng, LANGUAGE_MIX)
            languages = [other, "de"] if rng.random() < 0.6 else [other]
        anonymous = rng.random() < 0.15
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        family = FamilyRecord(
            id=fid,
            adults=adults,
            children=children,
            district=rng.choices(districts, district_weights)[0] if rng.random() < 0.95 else None,
            access_route=route,
            sgb2=rng.choices((True, False, None), (55, 30, 15))[0],
            languages=languages,
            interpreter=("de" not in languages) and rng.random() < 0.7,
            person_name=None if anonymous else name,
            person_phone=None if anonymous else f"0208 0{rng.randrange(100000, 999999)}",
            person_address=None if anonymous or rng.random() < 0.5 else _address(rng),
            consents=[
                ConsentData(purpose, first)
                for purpose in ["documentation", "statistics"]
                + (["referral"] if rng.random() < 0.85 else [])
            ],
            notes=rng.choice(NOTES) or None,
        )
        records.families.append(family)

        setting = SETTING_FOR_ROUTE.get(route, "office")
        day = first
        records.contacts.append(
            ContactRecord(
                fid, first, "first_contact", rng.randrange(20, 75, 5), setting, _topics(rng), None
            )
        )
        last = first
        for _ in range(max(0, int(rng.expovariate(1 / max(mean_contacts - 1, 0.1))))):
            day = day + dt.timedelta(days=rng.randrange(3, 45))
            if day > today:
                break
            kind = _pick(rng, KIND_WEIGHTS)
            records.contacts.append(
                ContactRecord(
                    fid,
                    day,
                    kind,
                    None if kind == "no_show" else rng.randrange(10, 95, 5),
                    {"phone": "phone", "home_visit": "home"}.get(kind, setting),
                    [] if kind == "no_show" else _topics(rng),
                    rng.choice(NOTES) or None if rng.random() < 0.2 else None,
                )
            )
            last = day
        for _ in range(rng.choices((0, 1, 2, 3), (35, 40, 18, 7))[0]):
            made = first + dt.timedelta(days=rng.randrange(0, max(1, (last - first).days + 1)))
            age = (today - made).days
            if age < 14:
                status, status_date = rng.choice(("suggested", "arranged")), None
            else:
                status = rng.choices(
                    ("arrived", "not_arrived", "declined", "arranged"), (60, 15, 10, 15)
                )[0]
                status_date = made + dt.timedelta(days=rng.randrange(3, min(age, 60) + 1))
            records.referrals.append(
                ReferralRecord(
                    fid,
                    made,
                    _pick(rng, TARGET_WEIGHTS),
                    status=status,
                    status_date=status_date,
                )
            )

    _group_offers(rng, records, families, seed, start, today)
    _casework(random.Random(f"casework-{seed}"), records, today)
    return records


def _casework(rng: random.Random, records: Records, today: dt.date) -> None:
    """Screenings, the course of each case, referral modes and histories, reminders."""
    contacts: dict[str, list[ContactRecord]] = {}
    for contact in records.contacts:
        contacts.setdefault(contact.family, []).append(contact)
    referrals: dict[str, list[ReferralRecord]] = {}
    for referral in records.referrals:
        referrals.setdefault(referral.family, []).append(referral)
    unreached: set[str] = set()
    for family in records.families:
        own = contacts[family.id]
        first, last = own[0].date, own[-1].date
        route = family.access_route or "other"
        low, high = DAYS_TO_FIRST_CONTACT[route]
        identified = first - dt.timedelta(days=rng.randint(low, high))
        if rng.random() < 0.12:
            identified = None  # not documented
        if rng.random() < SCREENED_BY_ROUTE[route]:
            _screen(rng, family, identified or first)
            identified = family.screening_date
            if rng.random() < 0.1:
                # screened, but the family was never reached: declined at the bedside or
                # not reachable afterwards
                unreached.add(family.id)
                family.closed = min(today, identified + dt.timedelta(days=rng.randint(1, 21)))
                family.closure_reason = rng.choices(("declined", "unreachable"), (60, 40))[0]
                family.identified = identified
                # what they agreed to at the bedside
                family.consents = [ConsentData(c.purpose, identified) for c in family.consents[:2]]
                continue
        family.identified = identified
        if route == "other_service" and identified is not None:
            family.origin_service = rng.choice(SERVICES)
            family.origin_date = identified
        consented = {c.purpose for c in family.consents}
        for referral in referrals.get(family.id, []):
            _refer(rng, referral, "referral" in consented)
        # Cases end some weeks after the last contact, for the reasons evaluations report.
        if (today - last).days > 90 and rng.random() < 0.65:
            family.closed = min(today, last + dt.timedelta(days=rng.randint(14, 45)))
            family.closure_reason = _pick(rng, CLOSURE_WEIGHTS)
            if rng.random() < 0.05:
                family.closure_reason = None  # closed before reasons were documented
            if family.closure_reason == "handed_over":
                family.consents.append(
                    ConsentData("transfer", family.closed, recipient=rng.choice(SERVICES))
                )
        _reminders(rng, records, family, own, today)
    records.contacts = [c for c in records.contacts if c.family not in unreached]
    records.referrals = [r for r in records.referrals if r.family not in unreached]
    records.reminders = [r for r in records.reminders if r.family not in unreached]


def _screen(rng: random.Random, family: FamilyRecord, date: dt.date) -> None:
    k = rng.choices((0, 1, 2, 3, 4, 5), (8, 17, 30, 25, 13, 7))[0]
    codes, weights = zip(*FACTOR_WEIGHTS, strict=True)
    factors: list[str] = []
    while len(factors) < k:
        factor = rng.choices(codes, weights)[0]
        if factor not in factors:
            factors.append(factor)
    family.screening_date = date
    family.screening_factors = factors
    family.screening_staff_concern = rng.random() < 0.3
    family.screening_own_request = rng.random() < 0.25


def _refer(rng: random.Random, referral: ReferralRecord, consented: bool) -> None:
    """The referral's mode, and the status history that led to its status."""
    mode = _pick(rng, MODE_WEIGHTS[MODE_GROUP.get(referral.target, "contacting")])
    if mode in MODES_PASSING_DATA and not consented:
        mode = "information"  # without consent to referrals, no data are passed on
    referral.mode = mode if rng.random() < 0.95 else None
    made, status = referral.date, referral.status
    if status == "suggested":
        referral.history = [StatusStep("suggested", made)]
        return
    since = referral.status_date or made
    referral.status_date = since
    steps = [StatusStep("suggested", made)]
    if status in ("arrived", "not_arrived") and (since - made).days >= 2:
        steps.append(
            StatusStep(
                "arranged", made + dt.timedelta(days=rng.randint(1, (since - made).days - 1))
            )
        )
    steps.append(StatusStep(status, since))
    referral.history = steps


def _reminders(
    rng: random.Random,
    records: Records,
    family: FamilyRecord,
    contacts: list[ContactRecord],
    today: dt.date,
) -> None:
    """Done reminders along the case, and an open one for some open cases."""
    for contact in rng.sample(
        contacts, k=min(len(contacts), rng.choices((0, 1, 2), (50, 35, 15))[0])
    ):
        due = contact.date + dt.timedelta(days=rng.randint(5, 21))
        done = due + dt.timedelta(days=rng.randint(-4, 3))
        if done > today or (family.closed is not None and done > family.closed):
            continue
        records.reminders.append(
            ReminderRecord(family.id, due, rng.choice(REMINDER_TEXTS), max(done, contact.date))
        )
    if family.closed is None and rng.random() < 0.4:
        due = today + dt.timedelta(days=rng.randint(-10, 30))
        records.reminders.append(ReminderRecord(family.id, due, rng.choice(REMINDER_TEXTS)))


def _address(rng: random.Random) -> str:
    street, number, postcode = rng.choice(STREETS), rng.randrange(1, 120), rng.randrange(45, 49)
    return f"{street} {number}, 460{postcode} Oberhausen"


def _topics(rng: random.Random) -> list[str]:
    if rng.random() < 0.05:
        return []
    k = rng.choices((1, 2, 3), (50, 35, 15))[0]
    codes, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
    chosen: list[str] = []
    while len(chosen) < k:
        topic = rng.choices(codes, weights)[0]
        if topic not in chosen:
            chosen.append(topic)
    return chosen


def _group_offers(
    rng: random.Random,
    records: Records,
    families: int,
    seed: int,
    start: dt.date,
    today: dt.date,
) -> None:
    areas = DEFAULT_DISTRICTS
    for n in range(1, families // 25 + 4):
        district = rng.choice(areas.codes)
        template, category = rng.choice(OFFER_TEMPLATES)
        label = areas.entries[areas.codes.index(district)][1]
        offer = GroupOfferRecord(
            f"demo-{seed}-g{n}", template.format(area=label), category, district
        )
        records.group_offers.append(offer)
        day = start + dt.timedelta(days=rng.randrange(0, 700))
        one_off = category in ("info_event", "excursion")
        for _ in range(1 if one_off else rng.randrange(4, 40)):
            if day > today:
                break
            records.group_sessions.append(
                GroupSessionRecord(
                    offer.id,
                    date=day,
                    adults=rng.randrange(2, 14),
                    children=rng.randrange(0, 16),
                    minutes=rng.choice((60, 90, 120)),
                )
            )
            day += dt.timedelta(days=rng.choice((7, 7, 14)))
