"""Make a golden vault: a small real vault of one schema revision, kept for ever in tests/data.

Every later Lotse must open each golden vault, migrate it to its own head and give back
the same records (``tests/db/test_golden_vaults.py``). A golden vault is made once, from a
clean checkout of the commit whose schema it freezes, and committed; it is never remade
(remaking it would hide a migration that lost data).

What it makes, in ``OUT`` (a missing or empty folder)::

    lotse-vault.json        the vault header (Argon2id with kdf.TEST_PARAMS: 8 MiB, t=1, p=1)
    lotse.db                the SQLCipher database, schema at the checkout's head revision
    expected-records.jsonl  what ``lotse export`` wrote from it (lotse.records/1 at 0001)
    expected-tables.json    every row of every table, as SQLite holds it (values as stored)
    README.md               passphrase, revision, commit and how it was made

The passphrase is :data:`PASSPHRASE`, a throwaway: the data are synthetic (invented
names, ``0208 0…`` phone numbers no real line has, fixed dates in 2024 and 2025). The
data set is deterministic and small, and it touches every table: families with children
(one expected), contacts with topics, referrals with a status history, reminders (open
and done), group offers with sessions, an imported family and offer (external ids), a
closed period, the profile and preferences, the statistics signing key, a received
statistics package and the audit entries these write. Keys, salts, the vault id and
creation timestamps are random or the clock's, as in any vault.

Run it against the commit to freeze, not against a working tree (the schema must be
that commit's)::

    git worktree add /tmp/golden-src <commit>
    PYTHONPATH=/tmp/golden-src .venv/bin/python tools/make_golden_vault.py \\
        --source /tmp/golden-src tests/data/golden/<revision>
    git worktree remove /tmp/golden-src
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

#: The throwaway passphrase of every golden vault. Not a secret: the data are synthetic.
PASSPHRASE = "golden vault, synthetic data only"

D = dt.date
#: The "today" the data set is made under, so every check of "not in the future" agrees.
TODAY = D(2025, 6, 30)

IMPORTED = """\
{"format": "lotse.records/1"}
{"type": "family", "id": "alt-0007", "district": "osterfeld", "access_route": "kita", \
"sgb2": false, "adults": 1, "children": [{"birth_date": "2021-09-09"}], \
"languages": ["ar"], "interpreter": true, \
"person": {"name": "Rania Haddad", "phone": "0208 0334455"}, \
"consent": {"date": "2024-11-04", "scope": ["documentation"]}}
{"type": "contact", "family": "alt-0007", "date": "2024-11-04", "kind": "first_contact", \
"minutes": 30, "setting": "kita", "topics": ["childcare", "language"]}
{"type": "referral", "family": "alt-0007", "date": "2024-11-04", "target": "language_course", \
"status": "arrived", "status_date": "2024-12-02"}
{"type": "group_offer", "id": "alt-g1", "title": "Elterncafé Osterfeld", \
"category": "parent_cafe", "district": "osterfeld"}
{"type": "group_session", "offer": "alt-g1", "date": "2024-11-20", "adults": 6, \
"children": 4, "minutes": 90}
"""


def _fill(vault: Any) -> None:
    from lotse import settings
    from lotse.casework import followups, groups, profile
    from lotse.casework.families import FamilyInput, record_first_contact, update_family
    from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput
    from lotse.records.importer import store_records
    from lotse.records.reader import parse_bytes
    from lotse.stats import packages, periods_closed
    from lotse.stats.period import parse_period

    store_records(vault, parse_bytes(IMPORTED.encode(), "golden"), "golden")

    schaefer = record_first_contact(
        vault,
        FamilyInput(
            adults=2,
            children=[D(2023, 4, 12), D(2025, 2, 20)],
            district="alstaden_lirich",
            access_route="birth_clinic",
            sgb2=True,
            languages=["de", "tr"],
            interpreter=False,
            person_name="Ayşe Schäfer-Yılmaz",
            person_phone="0208 0123456",
            person_address="Lindenweg 12, 46045 Oberhausen",
            consent_date=D(2025, 2, 21),
            consent_scope=["documentation", "referral", "statistics"],
            notes="Mutter wünscht Rückruf nach dem Kinderarzttermin.\nZweite Zeile.",
        ),
        ContactInput(D(2025, 2, 21), "first_contact", 45, "clinic", ["finances", "childcare"]),
        [ReferralInput(D(2025, 2, 21), "family_midwife", "arranged", "Termin über Klinik")],
    )
    followups.add_contact(
        vault,
        schaefer.family_id,
        ContactInput(D(2025, 3, 5), "home_visit", 60, "home", ["parenting", "health"], "Gut."),
    )
    followups.add_contact(vault, schaefer.family_id, ContactInput(D(2025, 3, 19), "no_show"))
    followups.add_contact(
        vault, schaefer.family_id, ContactInput(D(2025, 4, 2), "phone", 15, "phone", ["debt"])
    )
    jobcenter = followups.add_referral(
        vault, schaefer.family_id, ReferralInput(D(2025, 3, 5), "jobcenter")
    )
    followups.change_referral_status(vault, jobcenter, "arranged", D(2025, 3, 12))
    followups.change_referral_status(vault, jobcenter, "arrived", D(2025, 4, 2))
    open_reminder = followups.add_reminder(
        vault, schaefer.family_id, ReminderInput(D(2025, 7, 15), "Kita-Anmeldung nachfragen")
    )
    done_reminder = followups.add_reminder(
        vault, schaefer.family_id, ReminderInput(D(2025, 3, 10), "Unterlagen Kinderzuschlag")
    )
    followups.set_reminder_done(vault, done_reminder, D(2025, 3, 12))
    assert open_reminder != done_reminder

    anonymous = record_first_contact(
        vault,
        FamilyInput(
            adults=1,
            children=[D(2025, 5, 30)],
            district="sterkrade_nord",
            access_route="gynaecology_practice",
            consent_date=D(2025, 1, 8),
            consent_scope=["statistics"],
        ),
        ContactInput(D(2025, 1, 8), "first_contact", 20, "practice", ["pregnancy_birth"]),
    )
    update_family(
        vault,
        anonymous.family_id,
        FamilyInput(
            adults=1,
            children=[D(2025, 5, 30)],
            district="sterkrade_nord",
            access_route="gynaecology_practice",
            consent_date=D(2025, 1, 8),
            consent_scope=["statistics"],
            consent_withdrawn=D(2025, 3, 1),
            closed=D(2025, 3, 31),
        ),
    )
    declined = followups.add_referral(
        vault, anonymous.family_id, ReferralInput(D(2025, 1, 8), "pregnancy_counselling")
    )
    followups.change_referral_status(vault, declined, "declined", D(2025, 1, 20))

    # A family met in the year before, so the closed quarter and the current one differ.
    earlier = record_first_contact(
        vault,
        FamilyInput(
            adults=3,
            children=[D(2014, 1, 31), D(2019, 8, 15), D(2024, 12, 1)],
            district="mitte_styrum",
            access_route="self_referral",
            languages=["uk"],
            interpreter=True,
            person_name="Olena Kovalenko",
            person_phone="0208 0987654",
        ),
        ContactInput(D(2024, 12, 10), "first_contact", 90, "office", ["residence", "language"]),
    )
    followups.add_contact(
        vault,
        earlier.family_id,
        ContactInput(D(2025, 1, 14), "accompaniment", 120, "other", ["residence"]),
    )

    with vault.transaction() as session:
        cafe = groups.create_offer(session, "Babymassage Lirich", "parent_child_group", None)
        for day, adults, children in ((D(2025, 1, 7), 5, 5), (D(2025, 1, 14), 4, 4)):
            groups.record_session(session, cafe, day, 60, adults, children, today=TODAY)
        info = groups.create_offer(session, "Infoabend Kita-Anmeldung", "info_event", "ost")
        groups.record_session(session, info, D(2025, 2, 27), None, 11, 0, today=TODAY)

        profile.save_profile(
            session,
            profile.Profile("Jana Beispiel", "Klinik am Kanal", "birth_clinic", ""),
        )
        settings.put(session, "organisation", "Beispielträger e. V.")
        settings.put(session, "lock_after_minutes", 10)
        settings.put(session, "language", "de")
        settings.put(session, "suppression_threshold", 5)
        settings.put(session, "retention_months", 36)
        settings.put(session, "sites", [["kanal", "Klinik am Kanal"]])

        periods_closed.close_period(session, parse_period("2025-Q1"), today=TODAY)
        # Writes the vault's signing key (a setting at 0001) and a log entry.
        packages.make_package(session, vault.vault_id, parse_period("2025-Q1"))

    _receive_package_from_another_vault(vault)


def _receive_package_from_another_vault(vault: Any) -> None:
    """A team lead's part: one package from a second (throwaway) navigator's vault."""
    from lotse.casework.families import FamilyInput, record_first_contact
    from lotse.casework.followups import ContactInput
    from lotse.crypto import kdf
    from lotse.stats import packages
    from lotse.stats.period import parse_period
    from lotse.vault.vault import create_vault

    period = parse_period("2025-Q1")
    with tempfile.TemporaryDirectory() as tmp:
        other = create_vault(Path(tmp) / "other", PASSPHRASE, kdf.TEST_PARAMS)
        with other:
            record_first_contact(
                other,
                FamilyInput(adults=2, district="ost", access_route="kita"),
                ContactInput(D(2025, 2, 3), "first_contact", 30, "kita", ["childcare"]),
            )
            with other.transaction() as session:
                package = packages.make_package(session, other.vault_id, period)
        path = Path(tmp) / "package.json"
        path.write_text(json.dumps(package), encoding="utf-8")
        received = packages.read_package(path, "package.json")
    with vault.transaction() as session:
        packages.receive_packages(session, [received], period)


def _tables(vault: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (but Alembic's), by rowid, with values as SQLite holds them."""
    out: dict[str, list[dict[str, Any]]] = {}
    with vault.engine.connect() as conn:
        names = [
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        for name in names:
            result = conn.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY rowid')
            columns = list(result.keys())
            out[name] = [dict(zip(columns, row, strict=True)) for row in result]
    return out


README = """\
# Golden vault, schema {revision}

A real Lotse vault of schema revision `{revision}`, kept so that every later Lotse is
tested to open and migrate it (`tests/db/test_golden_vaults.py`). Never regenerate it:
a new schema gets a new folder beside this one.

- Passphrase: `{passphrase}` (a throwaway; the data are synthetic)
- Key derivation: Argon2id, {memory_kib} KiB, {iterations} pass(es), {lanes} lane(s)
  (`kdf.TEST_PARAMS`: cheap, but the real algorithm)
- Made from commit `{commit}`
  with `tools/make_golden_vault.py` (see its docstring) on {made};
  "today" for the data set: {today}
- `expected-records.jsonl`: what `lotse export` wrote from this vault
- `expected-tables.json`: every row of every table as SQLite stored it

Open a copy, never this folder itself: opening migrates the schema in place.
"""


def _commit(source: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(source), "status", "--porcelain", "--untracked-files=no"],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"cannot read the commit of {source}: {exc}") from exc
    if dirty.stdout.strip():
        raise SystemExit(f"{source} has uncommitted changes; use a clean checkout")
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (missing or empty)")
    parser.add_argument(
        "--source",
        type=Path,
        required=True,
        help="the clean checkout on PYTHONPATH whose schema is frozen",
    )
    args = parser.parse_args(argv)

    import lotse

    source = args.source.resolve()
    loaded = Path(lotse.__file__).resolve().parent.parent
    if loaded != source:
        raise SystemExit(f"lotse is imported from {loaded}, not {source}: set PYTHONPATH")
    commit = _commit(source)
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty; a golden vault is never remade")

    from lotse import policy
    from lotse.crypto import kdf
    from lotse.db import migrate
    from lotse.records.exporter import export_records
    from lotse.vault.vault import DB_NAME, create_vault

    policy.set_current_policy(None)  # no machine policy may shape the data set
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "vault"
        with create_vault(folder, PASSPHRASE, kdf.TEST_PARAMS) as vault:
            _fill(vault)
            tables = _tables(vault)
            with vault.engine.connect() as conn:
                revision = migrate.current_revision(conn)
            export_records(vault, Path(tmp) / "records.jsonl")
        out.mkdir(parents=True, exist_ok=True)
        for name in ("lotse-vault.json", DB_NAME):
            (out / name).write_bytes((folder / name).read_bytes())
        (out / "expected-records.jsonl").write_bytes((Path(tmp) / "records.jsonl").read_bytes())
    (out / "expected-tables.json").write_text(
        json.dumps(tables, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "README.md").write_text(
        README.format(
            revision=revision,
            passphrase=PASSPHRASE,
            memory_kib=kdf.TEST_PARAMS.memory_kib,
            iterations=kdf.TEST_PARAMS.iterations,
            lanes=kdf.TEST_PARAMS.lanes,
            commit=commit,
            made=dt.date.today().isoformat(),
            today=TODAY.isoformat(),
        ),
        encoding="utf-8",
    )
    print(f"golden vault of schema {revision} written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
