"""The child of the crash torture: every write path of a vault, one after the other, until
the parent kills it.

Each change is one use case (:class:`lotse.usecases.VaultAPI`, or the vault's own
passphrase change, key rotation and backup, which the command line calls the same way).
Before a change the child appends an ``intent`` line to the ledger, after the use case
returned an ``ack`` line; both are fsync'd, so an ``ack`` in the ledger is a commit the
user was told about. Every change carries a unique marker (``op``) in a field of what it
stores, so the parent can tell what of it reached the vault (:mod:`tests.torture.check`).

Runs in a process forked from a server that imported all of this once
(:mod:`multiprocessing`'s forkserver), so a cycle does not pay Python's start-up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import random
import time
import traceback
from pathlib import Path
from typing import Any

from lotse import policy
from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.stats.period import parse_period
from lotse.usecases import ContactInput, FamilyInput, ReferralInput, ReminderInput, VaultAPI
from lotse.vault import Vault, header, open_vault
from tests.conftest import documented

#: The two passphrases a vault alternates between (a passphrase change swaps them).
PASSPHRASES = ("Folter-Passphrase-Eins-2026", "Folter-Passphrase-Zwei-2026")
#: Every torture family's person_name starts so; the rest is the marker of its first contact.
FAMILY_PREFIX = "Folter "
OFFER_PREFIX = "Folter-Angebot "
#: Dates of everything the child stores: in the past, and each status date after the
#: referral's date.
DAY0 = dt.date(2024, 1, 1)
#: Status dates move on from DAY0 but stay before this (no date in the future).
LAST_DAY = dt.date(2026, 6, 30)
#: Backups go to this many names in turn, so the folder stays small.
BACKUP_NAMES = 3
#: Changes that store notes (the marker): only for a family whose consent allows them.
WRITES_NOTES = ("contact", "referral", "reminder", "update_family", "draft")
#: A child that outlives this (its parent died) stops by itself.
MAX_SECONDS = 120.0

REFERRAL_TARGETS = ("early_help", "family_midwife", "midwife", "pregnancy_counselling")
STATUSES = ("arranged", "arrived", "not_arrived")
TOPICS = ("finances", "housing", "health")

#: Each kind of change and how often the child picks it (relative weights).
WEIGHTS: dict[str, int] = {
    "first_contact": 6,
    "contact": 5,
    "referral": 3,
    "status": 5,
    "reminder": 3,
    "reminder_done": 3,
    "update_family": 2,
    "delete_family": 2,
    "erase_family": 1,
    "withdraw_consent": 1,
    "draft": 3,
    "discard_draft": 2,
    "offer": 1,
    "group_session": 4,
    "import": 2,
    "close_period": 2,
    "settings": 1,
    "passphrase": 1,
    "rotate_key": 1,
    "backup": 1,
}


class Ledger:
    """Append-only, one JSON object a line, each line on disk before ``write`` returns."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, **entry: Any) -> None:
        os.write(self._fd, (json.dumps(entry, sort_keys=True) + "\n").encode())
        os.fsync(self._fd)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n % 600)


class Child:
    """What the child knows of the vault (read once at start) and the changes it makes."""

    def __init__(self, vault: Vault, ledger: Ledger, backups: Path, passphrase: str) -> None:
        self.vault = vault
        self.api = VaultAPI(vault)
        self.ledger = ledger
        self.backups = backups
        self.passphrase = passphrase
        self.families: dict[str, int] = {}  # marker -> id
        self.referrals: dict[str, tuple[int, str]] = {}  # marker -> (id, family marker)
        self.open_reminders: dict[str, tuple[int, str]] = {}
        self.offers: dict[str, int] = {}
        self.closed: set[str] = set()
        #: draft id -> family marker, and the families whose consent is withdrawn
        self.drafts: dict[str, str] = {}
        self.withdrawn: set[str] = set()
        #: referral marker -> the date of its last status (a new one may not be earlier)
        self.status_dates: dict[str, dt.date] = {}
        self._load()

    def _load(self) -> None:
        with self.vault.session() as s:
            conn = s.connection()
            for fid, name in conn.exec_driver_sql(
                "SELECT id, person_name FROM family WHERE person_name LIKE 'Folter %'"
            ):
                self.families[name.removeprefix(FAMILY_PREFIX)] = fid
            by_id = {fid: marker for marker, fid in self.families.items()}
            for rid, fid, notes, status_date in conn.exec_driver_sql(
                "SELECT id, family_id, notes, status_date FROM referral WHERE notes IS NOT NULL"
            ):
                if fid in by_id:
                    self.referrals[notes] = (rid, by_id[fid])
                    self.status_dates[notes] = dt.date.fromisoformat(status_date or str(DAY0))
            for rid, fid, text in conn.exec_driver_sql(
                "SELECT id, family_id, text FROM reminder WHERE done IS NULL"
            ):
                if fid in by_id:
                    self.open_reminders[text] = (rid, by_id[fid])
            for oid, title in conn.exec_driver_sql(
                "SELECT id, title FROM group_offer WHERE title LIKE 'Folter-Angebot %'"
            ):
                self.offers[title.removeprefix(OFFER_PREFIX)] = oid
            for draft_id, fid in conn.exec_driver_sql("SELECT id, family_id FROM draft"):
                if fid in by_id:
                    self.drafts[draft_id] = by_id[fid]
            for (fid,) in conn.exec_driver_sql(
                "SELECT family_id FROM consent WHERE withdrawn IS NOT NULL"
            ):
                if fid in by_id:
                    self.withdrawn.add(by_id[fid])
            self.closed = {
                label for (label,) in conn.exec_driver_sql("SELECT label FROM closed_period")
            }

    def _forget_family(self, marker: str) -> None:
        del self.families[marker]
        self.referrals = {k: v for k, v in self.referrals.items() if v[1] != marker}
        self.open_reminders = {k: v for k, v in self.open_reminders.items() if v[1] != marker}
        self.drafts = {k: v for k, v in self.drafts.items() if v != marker}
        self.withdrawn.discard(marker)

    def possible(self, kind: str) -> bool:
        if kind in ("delete_family", "erase_family"):
            return bool(self.families)
        if kind in (*WRITES_NOTES, "withdraw_consent"):
            return bool(self.consenting())
        if kind == "discard_draft":
            return bool(self.drafts)
        if kind == "status":
            return bool(self.referrals)
        if kind == "reminder_done":
            return bool(self.open_reminders)
        if kind == "group_session":
            return bool(self.offers)
        return True

    def consenting(self) -> list[str]:
        """Families whose consent still allows notes (every change marks its notes)."""
        return sorted(set(self.families) - self.withdrawn)

    def step(self, rng: random.Random, op: str, serial: int) -> None:
        """Pick one change that is possible now, log the intent, make it, log the ack."""
        kinds = [k for k in WEIGHTS if self.possible(k)]
        kind = rng.choices(kinds, [WEIGHTS[k] for k in kinds])[0]
        getattr(self, "do_" + kind)(rng, op, serial)

    # -- the changes ------------------------------------------------------------------------
    def do_first_contact(self, rng: random.Random, op: str, serial: int) -> None:
        targets = rng.sample(REFERRAL_TARGETS, rng.randint(0, 2))
        adults = rng.randint(1, 3)
        self.ledger.write(t="intent", op=op, kind="first_contact", adults=adults, targets=targets)
        created = self.api.families.record_first_contact(
            FamilyInput(
                adults=adults,
                person_name=FAMILY_PREFIX + op,
                notes=op,
                consents=documented(),
            ),
            ContactInput(date=DAY0, topics=[rng.choice(TOPICS)], notes=op),
            [
                ReferralInput(date=DAY0, target=t, status="suggested", notes=f"{op}/r{i}")
                for i, t in enumerate(targets)
            ],
        )
        self.ledger.write(t="ack", op=op, id=created.family_id)
        self.families[op] = created.family_id
        with self.vault.session() as s:
            for rid, notes in s.connection().exec_driver_sql(
                "SELECT id, notes FROM referral WHERE family_id = ?", (created.family_id,)
            ):
                self.referrals[notes] = (rid, op)

    def do_contact(self, rng: random.Random, op: str, serial: int) -> None:
        family = rng.choice(self.consenting())
        self.ledger.write(t="intent", op=op, kind="contact", family=family)
        cid = self.api.followups.add_contact(
            self.families[family],
            ContactInput(date=day(serial), kind="counselling", minutes=30, notes=op),
        )
        self.ledger.write(t="ack", op=op, id=cid)

    def do_referral(self, rng: random.Random, op: str, serial: int) -> None:
        family = rng.choice(self.consenting())
        target = rng.choice(REFERRAL_TARGETS)
        self.ledger.write(t="intent", op=op, kind="referral", family=family, target=target)
        rid = self.api.followups.add_referral(
            self.families[family], ReferralInput(date=DAY0, target=target, notes=op)
        )
        self.ledger.write(t="ack", op=op, id=rid)
        self.referrals[op] = (rid, family)

    def do_status(self, rng: random.Random, op: str, serial: int) -> None:
        referral = rng.choice(sorted(self.referrals))
        status = rng.choice(STATUSES)
        last = self.status_dates.get(referral, DAY0)
        date = (
            min(last + dt.timedelta(days=rng.randint(0, 2)), LAST_DAY) if last < LAST_DAY else last
        )
        self.ledger.write(
            t="intent", op=op, kind="status", referral=referral, status=status, date=str(date)
        )
        self.api.followups.change_referral_status(self.referrals[referral][0], status, date)
        self.ledger.write(t="ack", op=op)
        self.status_dates[referral] = date

    def do_reminder(self, rng: random.Random, op: str, serial: int) -> None:
        family = rng.choice(self.consenting())
        self.ledger.write(t="intent", op=op, kind="reminder", family=family)
        rid = self.api.followups.add_reminder(
            self.families[family], ReminderInput(due=day(serial), text=op)
        )
        self.ledger.write(t="ack", op=op, id=rid)
        self.open_reminders[op] = (rid, family)

    def do_reminder_done(self, rng: random.Random, op: str, serial: int) -> None:
        reminder = rng.choice(sorted(self.open_reminders))
        date = day(serial)
        self.ledger.write(
            t="intent", op=op, kind="reminder_done", reminder=reminder, date=str(date)
        )
        self.api.followups.set_reminder_done(self.open_reminders[reminder][0], date)
        self.ledger.write(t="ack", op=op)
        del self.open_reminders[reminder]

    def do_update_family(self, rng: random.Random, op: str, serial: int) -> None:
        family = rng.choice(self.consenting())
        adults = rng.randint(1, 9)
        self.ledger.write(t="intent", op=op, kind="update_family", family=family, adults=adults)
        fid = self.families[family]
        data = self.api.families.get(fid).data
        self.api.families.update(fid, dataclasses.replace(data, adults=adults, notes=op))
        self.ledger.write(t="ack", op=op)

    def do_delete_family(self, rng: random.Random, op: str, serial: int) -> None:
        family = rng.choice(sorted(self.families))
        self.ledger.write(t="intent", op=op, kind="delete_family", family=family)
        self.api.families.delete(self.families[family])
        self.ledger.write(t="ack", op=op)
        self._forget_family(family)

    def do_erase_family(self, rng: random.Random, op: str, serial: int) -> None:
        """Erasure on request (GDPR Art. 17): gone like a deletion, logged, on the erased list."""
        family = rng.choice(sorted(self.families))
        self.ledger.write(t="intent", op=op, kind="erase_family", family=family)
        self.api.erasure.erase(self.families[family])
        self.ledger.write(t="ack", op=op)
        self._forget_family(family)

    def do_withdraw_consent(self, rng: random.Random, op: str, serial: int) -> None:
        family = rng.choice(self.consenting())
        date = day(serial)
        self.ledger.write(t="intent", op=op, kind="withdraw_consent", family=family, date=str(date))
        self.api.consents.withdraw(self.families[family], 0, date)
        self.ledger.write(t="ack", op=op)
        self.withdrawn.add(family)

    def do_draft(self, rng: random.Random, op: str, serial: int) -> None:
        """A form kept as it is typed: a new draft, or one saved again."""
        family = rng.choice(self.consenting())
        ours = [d for d, f in self.drafts.items() if f == family]
        draft_id = rng.choice(ours) if ours and rng.random() < 0.5 else "d" + op
        self.ledger.write(t="intent", op=op, kind="draft", family=family, draft=draft_id)
        stored = self.api.drafts.save(
            draft_id, "contact", {"notes": op}, family_id=self.families[family]
        )
        assert stored
        self.ledger.write(t="ack", op=op)
        self.drafts[draft_id] = family

    def do_discard_draft(self, rng: random.Random, op: str, serial: int) -> None:
        draft_id = rng.choice(sorted(self.drafts))
        self.ledger.write(t="intent", op=op, kind="discard_draft", draft=draft_id)
        self.api.drafts.discard(draft_id)
        self.ledger.write(t="ack", op=op)
        del self.drafts[draft_id]

    def do_offer(self, rng: random.Random, op: str, serial: int) -> None:
        self.ledger.write(t="intent", op=op, kind="offer")
        oid = self.api.groups.create_offer(OFFER_PREFIX + op)
        self.ledger.write(t="ack", op=op, id=oid)
        self.offers[op] = oid

    def do_group_session(self, rng: random.Random, op: str, serial: int) -> None:
        offer = rng.choice(sorted(self.offers))
        adults, children = rng.randint(0, 20), rng.randint(0, 20)
        date = day(serial)
        self.ledger.write(
            t="intent",
            op=op,
            kind="group_session",
            offer=offer,
            date=str(date),
            adults=adults,
            children=children,
        )
        sid = self.api.groups.record_session(self.offers[offer], date, 90, adults, children)
        self.ledger.write(t="ack", op=op, id=sid)

    def do_import(self, rng: random.Random, op: str, serial: int) -> None:
        # The records' ids are "demo-<seed>-…": the seed makes this import's rows findable.
        seed = serial * 10 + 7
        records = generate_records(rng.randint(2, 8), seed=seed, today=dt.date(2026, 6, 30))
        self.ledger.write(
            t="intent",
            op=op,
            kind="import",
            seed=seed,
            families=len(records.families),
            contacts=len(records.contacts),
            referrals=len(records.referrals),
            offers=len(records.group_offers),
            sessions=len(records.group_sessions),
        )
        self.api.records.store(records, f"torture-{op}.jsonl")
        self.ledger.write(t="ack", op=op)

    def do_close_period(self, rng: random.Random, op: str, serial: int) -> None:
        while True:
            start = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 9000))
            label = f"{start}..{start + dt.timedelta(days=rng.randint(0, 365))}"
            if label not in self.closed:
                break
        self.ledger.write(t="intent", op=op, kind="close_period", label=label)
        self.api.statistics.close_period(parse_period(label))
        self.ledger.write(t="ack", op=op)
        self.closed.add(label)

    def do_settings(self, rng: random.Random, op: str, serial: int) -> None:
        self.ledger.write(t="intent", op=op, kind="settings", organisation=f"Träger {op}")
        self.api.settings.save({"organisation": f"Träger {op}"})
        self.ledger.write(t="ack", op=op)

    def _other_passphrase(self) -> str:
        return PASSPHRASES[1] if self.passphrase == PASSPHRASES[0] else PASSPHRASES[0]

    def do_passphrase(self, rng: random.Random, op: str, serial: int) -> None:
        new = self._other_passphrase()
        self.ledger.write(t="intent", op=op, kind="passphrase", new=new)
        self.api.vault_admin.change_passphrase(self.passphrase, new)
        self.ledger.write(t="ack", op=op)
        self.passphrase = new

    def do_rotate_key(self, rng: random.Random, op: str, serial: int) -> None:
        """The window's key rotation (same passphrase), or the command line's with a new
        passphrase (``lotse passphrase --rotate-key``, on the vault as the CLI does)."""
        new = self._other_passphrase() if rng.random() < 0.5 else self.passphrase
        self.ledger.write(t="intent", op=op, kind="rotate_key", new=new)
        if new == self.passphrase:
            self.api.vault_admin.rotate_key(self.passphrase)
        else:
            self.vault.rotate_key(self.passphrase, new, kdf.TEST_PARAMS)
        self.ledger.write(t="ack", op=op)
        self.passphrase = new

    def do_backup(self, rng: random.Random, op: str, serial: int) -> None:
        name = f"backup-{serial % BACKUP_NAMES}.lotse-backup"
        self.ledger.write(t="intent", op=op, kind="backup", name=name, passphrase=self.passphrase)
        info = self.api.vault_admin.backup(self.backups / name)
        self.ledger.write(t="ack", op=op, writes=info.writes, families=info.families)


def rotate_and_die(folder: str, crash_at: int, when: str, old: str, new: str) -> None:
    """Rotate the key with a new passphrase; die (as hard as SIGKILL for the files) just
    ``when`` ("before" or "after") the ``crash_at``-th write of the header."""
    os.environ["LOTSE_POLICY"] = ""
    policy.reset_for_tests()
    vault = open_vault(Path(folder), old)
    write, calls = header.write_header, [0]

    def dying_write(*args: Any) -> None:
        calls[0] += 1
        if calls[0] == crash_at and when == "before":
            os._exit(9)
        write(*args)
        if calls[0] == crash_at:
            os._exit(9)

    header.write_header = dying_write
    vault.rotate_key(old, new, kdf.TEST_PARAMS)
    os._exit(0)


def forkserver() -> Any:
    """The multiprocessing context whose children fork from a server that imported this."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def run(
    folder: str, ledger_path: str, backups: str, passphrase: str, seed: int, cycle: int
) -> None:
    """The child's whole life: open the vault, change it until killed (or MAX_SECONDS)."""
    os.environ["LOTSE_POLICY"] = ""  # no machine policy (and no recovery key) of this host
    policy.reset_for_tests()
    ledger = Ledger(Path(ledger_path))
    rng = random.Random(seed)
    try:
        vault = open_vault(Path(folder), passphrase)
        ledger.write(t="opened", cycle=cycle)
        child = Child(vault, ledger, Path(backups), passphrase)
        started = time.monotonic()
        serial = 0
        while time.monotonic() - started < MAX_SECONDS:
            serial += 1
            child.step(rng, f"{cycle}.{serial}", cycle * 100_000 + serial)
    except BaseException:
        ledger.write(t="error", cycle=cycle, trace=traceback.format_exc())
        os._exit(1)
    os._exit(0)
