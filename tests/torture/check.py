"""The parent's side of the crash torture: what the vault must hold, and what it holds.

:class:`Model` replays the ledger: every acknowledged change, and every change that was
cut off and found complete in the vault afterwards, in the order they were made. After a
kill the parent first settles the one change that was cut off (:meth:`Model.resolve`: all
of it in the vault, or none of it; anything in between is half-written), then compares the
whole vault with the model (:meth:`Model.compare`): what the model has and the vault lacks
is lost, what the vault has beyond it, or a broken link between records, is half-written.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lotse.errors import LotseError, WrongPassphraseError
from lotse.vault import Vault
from lotse.vault.backup import verify_backup
from tests.torture.workload import BACKUP_NAMES, FAMILY_PREFIX, OFFER_PREFIX, PASSPHRASES

History = list[tuple[str, str]]


class HalfWritten(Exception):
    """A change is partly in the vault."""


@dataclass
class Family:
    adults: int
    notes: str
    contacts: set[str] = field(default_factory=set)
    #: referral marker -> status history [(status, date)], oldest first
    referrals: dict[str, History] = field(default_factory=dict)
    #: reminder marker -> the date it was done, or None
    reminders: dict[str, str | None] = field(default_factory=dict)
    #: the date its (documentation) consent was withdrawn
    withdrawn: str | None = None


@dataclass
class Snapshot:
    """What the vault holds of everything the torture child stores."""

    families: dict[str, Family]
    offers: dict[str, Counter[tuple[str, int, int]]]
    imports: dict[int, Counter[str]]
    closed: set[str]
    closed_logged: set[str]
    organisation: str | None
    #: draft id -> (family marker, the notes typed)
    drafts: dict[str, tuple[str, str]]
    problems: list[str]


def _q(vault: Vault, sql: str) -> list[Any]:
    with vault.session() as s:
        return list(s.connection().exec_driver_sql(sql).fetchall())


def _seed_of(ref: str) -> int:
    return int(ref.split("-")[1])


def snapshot(vault: Vault) -> Snapshot:
    problems: list[str] = []
    if _q(vault, "PRAGMA foreign_key_check"):
        problems.append("foreign_key_check: rows pointing to nothing")
    if [r[0] for r in _q(vault, "PRAGMA quick_check")] != ["ok"]:
        problems.append("quick_check failed")
    families: dict[str, Family] = {}
    by_id: dict[int, str] = {}
    for fid, name, adults, notes in _q(
        vault, "SELECT id, person_name, adults, notes FROM family WHERE person_name LIKE 'Folter %'"
    ):
        marker = name.removeprefix(FAMILY_PREFIX)
        families[marker] = Family(adults, notes)
        by_id[fid] = marker
    for fid, notes in _q(vault, "SELECT family_id, notes FROM contact"):
        if fid in by_id:
            families[by_id[fid]].contacts.add(notes)
    history: dict[int, History] = {}
    for rid, status, date in _q(
        vault, "SELECT referral_id, status, date FROM referral_status_change ORDER BY id"
    ):
        history.setdefault(rid, []).append((status, str(date)))
    for rid, fid, notes, status in _q(vault, "SELECT id, family_id, notes, status FROM referral"):
        steps = history.get(rid, [])
        if not steps:
            problems.append(f"referral {rid} ({notes}) without a status history entry")
        elif steps[-1][0] != status:
            problems.append(f"referral {rid} ({notes}): status {status}, history ends {steps[-1]}")
        if fid in by_id:
            families[by_id[fid]].referrals[notes] = steps
    for fid, text, done in _q(vault, "SELECT family_id, text, done FROM reminder"):
        if fid in by_id:
            families[by_id[fid]].reminders[text] = None if done is None else str(done)
    for fid, withdrawn in _q(
        vault, "SELECT family_id, withdrawn FROM consent WHERE withdrawn IS NOT NULL"
    ):
        if fid in by_id:
            families[by_id[fid]].withdrawn = str(withdrawn)
    drafts: dict[str, tuple[str, str]] = {}
    for draft_id, fid, state in _q(vault, "SELECT id, family_id, state FROM draft"):
        if fid in by_id:
            drafts[draft_id] = (by_id[fid], json.loads(state).get("notes", ""))
    for marker, family in families.items():
        if marker not in family.contacts:
            problems.append(f"family {marker} without its first contact")

    offers: dict[str, Counter[tuple[str, int, int]]] = {}
    offer_ids: dict[int, str] = {}
    for oid, title in _q(
        vault, "SELECT id, title FROM group_offer WHERE title LIKE 'Folter-Angebot %'"
    ):
        offers[title.removeprefix(OFFER_PREFIX)] = Counter()
        offer_ids[oid] = title.removeprefix(OFFER_PREFIX)
    imported_offers: dict[int, int] = {}
    imports: dict[int, Counter[str]] = {}
    for oid, ref in _q(
        vault, "SELECT id, external_ref FROM group_offer WHERE external_ref LIKE 'demo-%'"
    ):
        imported_offers[oid] = _seed_of(ref)
        imports.setdefault(_seed_of(ref), Counter())["offers"] += 1
    for oid, date, adults, children in _q(
        vault, "SELECT offer_id, date, adults, children FROM group_session"
    ):
        if oid in offer_ids:
            offers[offer_ids[oid]][(str(date), adults, children)] += 1
        elif oid in imported_offers:
            imports[imported_offers[oid]]["sessions"] += 1
    imported: dict[int, int] = {}
    for fid, ref in _q(
        vault, "SELECT id, external_ref FROM family WHERE external_ref LIKE 'demo-%'"
    ):
        imported[fid] = _seed_of(ref)
        imports.setdefault(_seed_of(ref), Counter())["families"] += 1
    for table in ("contact", "referral"):
        for (fid,) in _q(vault, f"SELECT family_id FROM {table}"):
            if fid in imported:
                imports[imported[fid]][table + "s"] += 1

    closed = {label for (label,) in _q(vault, "SELECT label FROM closed_period")}
    logged: Counter[str] = Counter()
    for action, details in _q(
        vault, "SELECT action, details FROM audit_log WHERE action LIKE 'period_%'"
    ):
        label = json.loads(details)["period"]
        logged[label] += 1 if action == "period_closed" else -1
    organisation = None
    for (value,) in _q(vault, "SELECT value FROM setting WHERE key = 'organisation'"):
        organisation = json.loads(value) if isinstance(value, str) else value
    return Snapshot(
        families,
        offers,
        imports,
        closed,
        {label for label, n in logged.items() if n > 0},
        organisation,
        drafts,
        problems,
    )


class Model:
    """What the vault must hold: the ledger's changes that reached it, replayed in order."""

    def __init__(self) -> None:
        self.families: dict[str, Family] = {}
        self.offers: dict[str, Counter[tuple[str, int, int]]] = {}
        self.imports: dict[int, Counter[str]] = {}
        self.closed: set[str] = set()
        self.organisation: str | None = None
        self.drafts: dict[str, tuple[str, str]] = {}
        self.passphrase = PASSPHRASES[0]
        #: backup file name -> passphrases one of which must open it (a cut-off backup to a
        #: name adds its passphrase: the file at the name may be the one before or this one)
        self.backups: dict[str, set[str]] = {}
        self.acknowledged = 0

    # -- replaying ------------------------------------------------------------------------
    def apply(self, e: dict[str, Any]) -> None:
        """Apply the change of intent ``e`` (it reached the vault)."""
        kind = e["kind"]
        op = e["op"]
        if kind == "first_contact":
            family = Family(e["adults"], op, {op})
            for i, _target in enumerate(e["targets"]):
                family.referrals[f"{op}/r{i}"] = [("suggested", "2024-01-01")]
            self.families[op] = family
        elif kind == "contact":
            self.families[e["family"]].contacts.add(op)
        elif kind == "referral":
            self.families[e["family"]].referrals[op] = [("suggested", "2024-01-01")]
        elif kind == "status":
            self._referral(e["referral"]).append((e["status"], e["date"]))
        elif kind == "reminder":
            self.families[e["family"]].reminders[op] = None
        elif kind == "reminder_done":
            self._reminders_of(e["reminder"])[e["reminder"]] = e["date"]
        elif kind == "update_family":
            family = self.families[e["family"]]
            family.adults, family.notes = e["adults"], op
        elif kind in ("delete_family", "erase_family"):
            del self.families[e["family"]]
            # A family's drafts go with it.
            self.drafts = {k: v for k, v in self.drafts.items() if v[0] != e["family"]}
        elif kind == "withdraw_consent":
            self.families[e["family"]].withdrawn = e["date"]
        elif kind == "draft":
            self.drafts[e["draft"]] = (e["family"], op)
        elif kind == "discard_draft":
            del self.drafts[e["draft"]]
        elif kind == "offer":
            self.offers[op] = Counter()
        elif kind == "group_session":
            self.offers[e["offer"]][(e["date"], e["adults"], e["children"])] += 1
        elif kind == "import":
            self.imports[e["seed"]] = _import_counts(e)
        elif kind == "close_period":
            self.closed.add(e["label"])
        elif kind == "settings":
            self.organisation = e["organisation"]
        elif kind in ("passphrase", "rotate_key"):
            self.passphrase = e["new"]
        elif kind == "backup":
            self.backups[e["name"]] = {e["passphrase"]}

    def _referral(self, marker: str) -> History:
        for family in self.families.values():
            if marker in family.referrals:
                return family.referrals[marker]
        raise KeyError(marker)

    def _reminders_of(self, marker: str) -> dict[str, str | None]:
        for family in self.families.values():
            if marker in family.reminders:
                return family.reminders
        raise KeyError(marker)

    # -- a change that was cut off ----------------------------------------------------------
    def resolve(self, e: dict[str, Any], snap: Snapshot, opened_with: str) -> bool:
        """Whether the cut-off change ``e`` reached the vault; HalfWritten if partly."""
        kind, op = e["kind"], e["op"]
        if kind == "first_contact":
            if op not in snap.families:
                return False
            got = snap.families[op]
            want = {f"{op}/r{i}" for i in range(len(e["targets"]))}
            if got.contacts != {op} or set(got.referrals) != want:
                raise HalfWritten(f"first contact {op}: contacts {got.contacts}, {got.referrals}")
            return True
        if kind in ("contact", "referral", "reminder"):
            family = snap.families.get(e["family"])
            held = family and (
                family.contacts
                if kind == "contact"
                else family.referrals
                if kind == "referral"
                else family.reminders
            )
            return bool(held) and op in held
        if kind == "status":
            want = self._referral(e["referral"])
            got = next(
                f.referrals[e["referral"]]
                for f in snap.families.values()
                if e["referral"] in f.referrals
            )
            if got == [*want, (e["status"], e["date"])]:
                return True
            if got == want:
                return False
            raise HalfWritten(f"status {op}: history {got}, expected {want} (+1)")
        if kind == "reminder_done":
            marker = e["reminder"]
            done = next(
                f.reminders[marker] for f in snap.families.values() if marker in f.reminders
            )
            return done == e["date"]
        if kind == "update_family":
            got = snap.families[e["family"]]
            if (got.adults, got.notes) == (e["adults"], op):
                return True
            want = self.families[e["family"]]
            if (got.adults, got.notes) == (want.adults, want.notes):
                return False
            raise HalfWritten(f"update {op}: {got.adults}, {got.notes}")
        if kind in ("delete_family", "erase_family"):
            return e["family"] not in snap.families
        if kind == "withdraw_consent":
            return snap.families[e["family"]].withdrawn == e["date"]
        if kind == "draft":
            got = snap.drafts.get(e["draft"])
            if got == (e["family"], op):
                return True
            if got == self.drafts.get(e["draft"]):
                return False
            raise HalfWritten(f"draft {op}: {got}")
        if kind == "discard_draft":
            return e["draft"] not in snap.drafts
        if kind == "offer":
            return op in snap.offers
        if kind == "group_session":
            key = (e["date"], e["adults"], e["children"])
            return snap.offers[e["offer"]][key] > self.offers[e["offer"]][key]
        if kind == "import":
            got = snap.imports.get(e["seed"], Counter())
            if not +got:
                return False
            if got == _import_counts(e):
                return True
            raise HalfWritten(f"import {op}: {dict(got)} of {dict(_import_counts(e))}")
        if kind == "close_period":
            stored, logged = e["label"] in snap.closed, e["label"] in snap.closed_logged
            if stored != logged:
                raise HalfWritten(f"close {op}: stored {stored}, logged {logged}")
            return stored
        if kind == "settings":
            return snap.organisation == e["organisation"]
        if kind in ("passphrase", "rotate_key"):
            return opened_with == e["new"]
        if kind == "backup":
            # Either backup (the one before or this one) may be at the name: both must open.
            if e["name"] in self.backups:
                self.backups[e["name"]].add(e["passphrase"])
            return False
        raise AssertionError(kind)

    # -- the whole vault --------------------------------------------------------------------
    def compare(self, snap: Snapshot) -> tuple[list[str], list[str]]:
        """(lost, half-written): differences between the vault and the model."""
        lost: list[str] = []
        extra: list[str] = list(snap.problems)
        for marker, want in self.families.items():
            got = snap.families.get(marker)
            if got is None:
                lost.append(f"family {marker}")
                continue
            if (got.adults, got.notes) != (want.adults, want.notes):
                lost.append(
                    f"family {marker}: {got.adults, got.notes} != {want.adults, want.notes}"
                )
            lost += [f"contact {c} of {marker}" for c in want.contacts - got.contacts]
            extra += [f"contact {c} of {marker}" for c in got.contacts - want.contacts]
            for ref, steps in want.referrals.items():
                if got.referrals.get(ref) != steps:
                    lost.append(f"referral {ref}: {got.referrals.get(ref)} != {steps}")
            extra += [f"referral {r}" for r in set(got.referrals) - set(want.referrals)]
            if got.reminders != want.reminders:
                lost.append(f"reminders of {marker}: {got.reminders} != {want.reminders}")
            if got.withdrawn != want.withdrawn:
                lost.append(f"consent of {marker} withdrawn {got.withdrawn} != {want.withdrawn}")
        extra += [f"family {m}" for m in set(snap.families) - set(self.families)]
        for marker, sessions in self.offers.items():
            got_sessions = snap.offers.get(marker)
            if got_sessions is None:
                lost.append(f"offer {marker}")
            elif got_sessions != sessions:
                (lost if sessions - got_sessions else extra).append(
                    f"sessions of {marker}: {got_sessions} != {sessions}"
                )
        extra += [f"offer {m}" for m in set(snap.offers) - set(self.offers)]
        for seed, counts in self.imports.items():
            if snap.imports.get(seed) != counts:
                lost.append(f"import {seed}: {snap.imports.get(seed)} != {counts}")
        extra += [f"import {s}" for s in set(snap.imports) - set(self.imports)]
        lost += [f"closed period {p}" for p in self.closed - snap.closed]
        extra += [f"closed period {p}" for p in snap.closed - self.closed]
        if snap.closed != snap.closed_logged:
            extra.append(f"closed periods {snap.closed} but logged {snap.closed_logged}")
        for draft_id, want_draft in self.drafts.items():
            if snap.drafts.get(draft_id) != want_draft:
                lost.append(f"draft {draft_id}: {snap.drafts.get(draft_id)} != {want_draft}")
        extra += [f"draft {d}" for d in set(snap.drafts) - set(self.drafts)]
        if snap.organisation != self.organisation:
            lost.append(f"organisation {snap.organisation!r} != {self.organisation!r}")
        return lost, extra

    def check_backups(self, folder: Path) -> list[str]:
        """Every backup at a name the torture writes to opens and checks out."""
        problems = []
        # A backup killed leaves its temporary files until the next backup to its name.
        stale = sorted(p.name for p in folder.glob(".*.tmp*"))
        if len(stale) > 4 * BACKUP_NAMES:
            problems.append(f"stale backup temporaries pile up: {stale}")
        # A file no acknowledged backup wrote (one cut off before its rename, or after it)
        # must open as well.
        found = {p.name: set(PASSPHRASES) for p in folder.glob("backup-*")}
        for name, passphrases in {**found, **self.backups}.items():
            path = folder / name
            if not path.exists():
                problems.append(f"backup {name} missing")
                continue
            for passphrase in sorted(passphrases):
                try:
                    verify_backup(path, passphrase)
                    break
                except WrongPassphraseError:
                    continue
                except LotseError as error:
                    problems.append(f"backup {name}: {error.message}")
                    break
            else:
                problems.append(f"backup {name} opens with none of {sorted(passphrases)}")
        return problems


def _import_counts(e: dict[str, Any]) -> Counter[str]:
    return +Counter({k: e[k] for k in ("families", "contacts", "referrals", "offers", "sessions")})
