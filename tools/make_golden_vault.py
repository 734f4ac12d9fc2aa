"""Make a golden vault: a small real vault of one schema revision, kept for ever in tests/data.

Every later Lotse must open each golden vault, migrate it to its own head and give back
the same records (``tests/db/test_golden_vaults.py``). A golden vault is made once, from a
clean checkout of the commit whose schema it freezes, and committed; it is never remade
(remaking it would hide a migration that lost data).

What it makes, in ``OUT`` (a missing or empty folder)::

    lotse-vault.json        the vault header (Argon2id with kdf.TEST_PARAMS: 8 MiB, t=1, p=1)
    lotse.db                the SQLCipher database, schema at the checkout's head revision
    expected-records.jsonl  what ``lotse export`` wrote from it
    expected-tables.json    every row of every table, as SQLite holds it (values as stored)
    README.md               passphrase, revision, commit and how it was made

The passphrase is :data:`PASSPHRASE`, a throwaway: the data are synthetic (invented
names, ``0208 0…`` phone numbers no real line has, fixed dates in 2024 and 2025). The
data set is deterministic and small: families with children (one expected), consents
(one withdrawn), a screening, contacts with topics, referrals with a status history,
reminders (open and done), an accompaniment closed with its reason, group offers with
sessions, an imported family and offer (external ids), a closed period, the profile and
preferences, the statistics signing key, a sent and a received statistics package and
the audit entries these write. Keys, salts, the vault id and creation timestamps are
random or the clock's, as in any vault. A schema that adds a table needs data for it
here first: ``test_golden_vault_has_rows_in_every_table`` refuses a golden vault with an
empty one.

The data go in the way the window and the command line put them in: through the use-case
API (:class:`lotse.usecases.VaultAPI`), so this script runs against any checkout that has
it (from the renovation of issue 8 on) with the team's use cases (``api.team``, issue 13)
for the statistics packages. The first golden vault, ``0001``, is older: it
was made from commit ``f19bc23`` with the version of this script committed with it
(``git show 3ae43af:tools/make_golden_vault.py``), which called the casework functions
with a vault, as they took one then. That folder stays as it was made.

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
#: The quarter that is closed and sent as a statistics package.
QUARTER = "2025-Q1"

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


def _contact(
    date: dt.date,
    kind: str,
    minutes: int | None = None,
    setting: str | None = None,
    topics: tuple[str, ...] | list[str] = (),
    notes: str | None = None,
) -> Any:
    """A contact's input, by field name (the input types may gain fields and reorder)."""
    from lotse.usecases import ContactInput

    return ContactInput(
        date=date, kind=kind, minutes=minutes, setting=setting, topics=list(topics), notes=notes
    )


def _fill(api: Any, work: Path) -> None:
    """The data set, through the use cases of ``api`` (a :class:`VaultAPI`)."""
    from lotse.domain.entities import ConsentData
    from lotse.stats.period import parse_period
    from lotse.usecases import FamilyInput, Profile, ReferralInput, ReminderInput

    imported = work / "imported.jsonl"
    imported.write_text(IMPORTED, encoding="utf-8")
    api.records.import_file(imported, "golden")

    schaefer = api.families.record_first_contact(
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
            identified=D(2025, 2, 20),
            screening_date=D(2025, 2, 21),
            screening_factors=["single_parent", "financial_strain"],
            consents=[
                ConsentData("documentation", D(2025, 2, 21), form_language="tr"),
                ConsentData("referral", D(2025, 2, 21), recipient="Familienhebamme"),
                ConsentData("statistics", D(2025, 2, 21)),
            ],
            notes="Mutter wünscht Rückruf nach dem Kinderarzttermin.\nZweite Zeile.",
        ),
        _contact(D(2025, 2, 21), "first_contact", 45, "clinic", ["finances", "childcare"]),
        [
            ReferralInput(
                date=D(2025, 2, 21),
                target="family_midwife",
                status="arranged",
                notes="Termin über Klinik",
            )
        ],
    )
    family = schaefer.family_id
    api.followups.add_contact(
        family,
        _contact(D(2025, 3, 5), "home_visit", 60, "home", ["parenting", "health"], "Gut."),
    )
    api.followups.add_contact(family, _contact(D(2025, 3, 19), "no_show"))
    api.followups.add_contact(family, _contact(D(2025, 4, 2), "phone", 15, "phone", ["debt"]))
    jobcenter = api.followups.add_referral(
        family, ReferralInput(date=D(2025, 3, 5), target="jobcenter")
    )
    api.followups.change_referral_status(jobcenter, "arranged", D(2025, 3, 12))
    api.followups.change_referral_status(jobcenter, "arrived", D(2025, 4, 2))
    open_reminder = api.followups.add_reminder(
        family, ReminderInput(due=D(2025, 7, 15), text="Kita-Anmeldung nachfragen")
    )
    done_reminder = api.followups.add_reminder(
        family, ReminderInput(due=D(2025, 3, 10), text="Unterlagen Kinderzuschlag")
    )
    api.followups.set_reminder_done(done_reminder, D(2025, 3, 12))
    assert open_reminder != done_reminder

    anonymous = FamilyInput(
        adults=1,
        children=[D(2025, 5, 30)],
        district="sterkrade_nord",
        access_route="gynaecology_practice",
        consents=[ConsentData("statistics", D(2025, 1, 8))],
    )
    withdrawn = api.families.record_first_contact(
        anonymous,
        _contact(D(2025, 1, 8), "first_contact", 20, "practice", ["pregnancy_birth"]),
    ).family_id
    anonymous.consents = [ConsentData("statistics", D(2025, 1, 8), withdrawn=D(2025, 3, 1))]
    api.families.update(withdrawn, anonymous)
    declined = api.followups.add_referral(
        withdrawn, ReferralInput(date=D(2025, 1, 8), target="pregnancy_counselling")
    )
    api.followups.change_referral_status(declined, "declined", D(2025, 1, 20))
    api.families.close(withdrawn, D(2025, 3, 31), "declined")

    # A family met in the year before, so the closed quarter and the current one differ.
    earlier = api.families.record_first_contact(
        FamilyInput(
            adults=3,
            children=[D(2014, 1, 31), D(2019, 8, 15), D(2024, 12, 1)],
            district="mitte_styrum",
            access_route="self_referral",
            languages=["uk"],
            interpreter=True,
            person_name="Olena Kovalenko",
            person_phone="0208 0987654",
            consents=[ConsentData("documentation", D(2024, 12, 10))],
        ),
        _contact(D(2024, 12, 10), "first_contact", 90, "office", ["residence", "language"]),
    )
    api.followups.add_contact(
        earlier.family_id,
        _contact(D(2025, 1, 14), "accompaniment", 120, "other", ["residence"]),
    )

    cafe = api.groups.create_offer("Babymassage Lirich", "parent_child_group", None)
    for day, adults, children in ((D(2025, 1, 7), 5, 5), (D(2025, 1, 14), 4, 4)):
        api.groups.record_session(cafe, day, 60, adults, children, today=TODAY)
    info = api.groups.create_offer("Infoabend Kita-Anmeldung", "info_event", "ost")
    api.groups.record_session(info, D(2025, 2, 27), None, 11, 0, today=TODAY)

    # Sites are the organisation's now (the machine policy's), no longer a vault's
    # setting: the profile names its site as free text.
    api.settings.save(
        {
            "organisation": "Beispielträger e. V.",
            "lock_after_minutes": 10,
            "language": "de",
            "suppression_threshold": 5,
            "retention_months": 36,
        },
        Profile("Jana Beispiel", "Klinik am Kanal", "birth_clinic", ""),
    )

    quarter = parse_period(QUARTER)
    api.statistics.close_period(quarter, today=TODAY)
    # Writes the vault's signing key and a log entry.
    api.team.export_package(quarter, work / "own-package.json")

    _receive_package_from_another_vault(api, work)


def _receive_package_from_another_vault(api: Any, work: Path) -> None:
    """A team lead's part: one package from a second (throwaway) navigator's vault."""
    from lotse.crypto import kdf
    from lotse.stats.packages import read_package
    from lotse.stats.period import parse_period
    from lotse.usecases import FamilyInput, VaultAPI

    quarter = parse_period(QUARTER)
    path = work / "package.json"
    with VaultAPI.create(work / "other", PASSPHRASE, params=kdf.TEST_PARAMS) as other:
        other.families.record_first_contact(
            FamilyInput(adults=2, district="ost", access_route="kita"),
            _contact(D(2025, 2, 3), "first_contact", 30, "kita", ["childcare"]),
        )
        other.team.export_package(quarter, path)
    api.team.receive([read_package(path, "package.json")], quarter)


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
    from lotse.usecases import VaultAPI
    from lotse.vault.vault import DB_NAME, create_vault

    policy.set_current_policy(None)  # no machine policy may shape the data set
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "vault"
        with create_vault(folder, PASSPHRASE, kdf.TEST_PARAMS) as vault:
            api = VaultAPI(vault)
            _fill(api, work)
            api.records.export(work / "records.jsonl")
            tables = _tables(vault)
            with vault.engine.connect() as conn:
                revision = migrate.current_revision(conn)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("lotse-vault.json", DB_NAME):
            (out / name).write_bytes((folder / name).read_bytes())
        (out / "expected-records.jsonl").write_bytes((work / "records.jsonl").read_bytes())
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
