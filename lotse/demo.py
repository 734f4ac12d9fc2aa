"""Realistic synthetic records for demos, tests and benchmarks (never real data).

Invented German-, Turkish-, Arabic- and Eastern-European-looking names, Oberhausen's six
social areas, first contacts spread over the two years before ``today``, follow-ups,
no-shows, referrals whose status moves on with time, and group offers with weekly
sessions. The same ``seed`` and ``today`` give the same records.

Phone numbers are of the form ``0208 0…``: German subscriber numbers never start with 0,
so none of them can reach a real person.
"""

from __future__ import annotations

import datetime as dt
import random

from lotse.catalogues import DEFAULT_DISTRICTS, TOPICS
from lotse.records.model import (
    ContactRecord,
    FamilyRecord,
    GroupOfferRecord,
    GroupSessionRecord,
    Records,
    ReferralRecord,
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
            consent_date=first,
            consent_scope=["documentation", "statistics"]
            + (["referral"] if rng.random() < 0.7 else []),
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
                ReferralRecord(fid, made, _pick(rng, TARGET_WEIGHTS), status, status_date, None)
            )
        if (today - last).days > 180 and rng.random() < 0.6:
            family.closed = last + dt.timedelta(days=30)

    _group_offers(rng, records, families, seed, start, today)
    return records


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
