"""The received-packages store: what a team lead keeps of her navigators' packages.

One set of rules (statistics.md, "Many navigators"), two places to keep the packages:
the team lead's vault (:func:`vault_store`, the default) or a PostgreSQL database a
coordination office shares (:mod:`lotse.team.pg_store`). Both are a
:class:`SqlPackageStore` over two tables of the same shape; everything else here is the
same for both.

Receiving (:func:`plan` then :func:`receive`): a package of a vault and period not yet
held is added; the same figures again replace the held package (no double counting);
different figures are a conflict, unless the team lead replaces the held package on
purpose (``replace``) with a newer one (by the time each was made: a correction), which
a closed period of hers refuses. A vault's signing key is pinned on its first package (or
its contact card): a later package claiming that vault with another key is refused.
Nothing is stored when any package is refused.

A team lead's merged package (the level above: municipality → Land) names the navigators'
packages inside it; a lot whose packages would count one navigator twice (a merged
package together with one of its sources, or two merged packages sharing one) is refused
(status ``double``). Merging adds the held packages of a period key by key (suppression
comes later, on the merged figures). A shared database can be changed behind Lotse's
back, so a store made with ``verify=True`` checks every package's signature and pinned
key again as it reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from lotse.cards.card import display_fingerprint, service_line_key
from lotse.cards.keys import unb64
from lotse.catalogues import Catalogue
from lotse.crypto import sealing
from lotse.db.models import PinnedKey, StatisticsPackage, utcnow
from lotse.errors import EXIT_DAMAGED, BadInputError, LotseError
from lotse.i18n import _
from lotse.stats.figures import Figures, empty_figures
from lotse.stats.packages import (
    Package,
    SourceRef,
    covered_vaults,
    package_from_dict,
    parse_sources,
)
from lotse.stats.period import Period

#: Statuses of a package in a :class:`ReceivePlan` that store nothing and refuse the lot.
PROBLEMS = frozenset({"period", "conflict", "older", "closed", "key", "double"})


class StoreDamagedError(LotseError):
    """A package in a shared store fails its signature or pinned key: changed outside Lotse."""

    exit_code = EXIT_DAMAGED


@dataclass(frozen=True)
class ReceivedPackage:
    """A held package as lists, the delivery matrix and reports show it."""

    id: int
    vault: str
    period: Period
    navigator: str
    site: str
    service_line: str
    created: dt.datetime | None
    received_at: dt.datetime
    #: A merged package's navigator packages (empty: a navigator's own package).
    sources: tuple[SourceRef, ...] = ()

    @property
    def title(self) -> str:
        """The navigator's name, or the start of the vault id for an older package; a
        merged package says how many navigators it holds."""
        name = self.navigator or _("Tresor {id}").format(id=self.vault[:8])
        if not self.sources:
            return name
        return _("{name} (Gesamtpaket aus {n} Paketen)").format(name=name, n=len(self.sources))

    @property
    def covers(self) -> frozenset[str]:
        """The navigators' vaults whose figures this package holds."""
        return covered_vaults(self.vault, self.sources)


def key_fingerprint(public_key: str) -> str:
    """A signing key's fingerprint as shown (eight groups of four hex digits)."""
    try:
        raw = unb64(public_key)
    except ValueError:  # not base64: still show something to compare
        raw = public_key.encode("utf-8", "replace")
    return display_fingerprint(sealing.fingerprint(b"ed25519", raw))


@dataclass(frozen=True)
class PinnedKeyInfo:
    """A vault's pinned signing key, with its fingerprint as shown."""

    vault: str
    public_key: str
    pinned_at: dt.datetime

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_key)


@dataclass(frozen=True)
class _Row:
    """A stored package with its payload (inside this module only)."""

    info: ReceivedPackage
    payload: dict[str, Any]


class SqlPackageStore:
    """Packages and pinned keys in two tables on one connection or session.

    The caller owns the transaction: it commits the store's changes, or rolls them back.
    """

    def __init__(
        self,
        conn: Session | Connection,
        packages: Table,
        pins: Table,
        verify: bool = False,
        name: str = "",
    ) -> None:
        self.conn = conn
        self.packages = packages
        self.pins_table = pins
        self.verify = verify
        #: How messages name the store ("" for the vault).
        self.name = name

    # -- reading ---------------------------------------------------------------------------
    def _rows(self, where: Iterable[Any] = ()) -> list[_Row]:
        t = self.packages
        stmt = select(t).where(*where).order_by(t.c.start, t.c.navigator, t.c.received_at, t.c.id)
        rows = [self._row(r) for r in self.conn.execute(stmt).mappings()]
        if self.verify:
            pins = self.pins()
            for row in rows:
                self._check(row, pins)
        return rows

    @staticmethod
    def _row(r: Any) -> _Row:
        payload = r["payload"]
        if isinstance(payload, str):
            payload = json.loads(payload)
        info = ReceivedPackage(
            id=r["id"],
            vault=r["source_vault"],
            period=Period(r["period_label"], r["start"], r["end"]),
            navigator=r["navigator"] or "",
            site=r["site"] or "",
            service_line=r["service_line"] or "",
            created=r["created"],
            received_at=r["received_at"],
            sources=_sources(payload),
        )
        return _Row(info, payload)

    def _check(self, row: _Row, pins: dict[str, str]) -> None:
        """A stored package must still be the signed package of its vault and period."""
        try:
            package = package_from_dict(row.payload, str(row.info.id))
        except BadInputError:
            package = None
        if (
            package is None
            or package.vault != row.info.vault
            or (package.period.start, package.period.end)
            != (row.info.period.start, row.info.period.end)
            or pins.get(package.vault, package.public_key) != package.public_key
        ):
            raise StoreDamagedError(
                _(
                    "Im gemeinsamen Speicher {store} wurde das Paket Nr. {id} ({who}, {period}) "
                    "außerhalb von Lotse verändert: seine Signatur oder sein Schlüssel stimmt "
                    "nicht mehr. Lotse rechnet nicht damit; entfernen Sie es und lassen Sie es "
                    "neu schicken."
                ).format(
                    store=self.name,
                    id=row.info.id,
                    who=row.info.title,
                    period=row.info.period.label,
                )
            )

    def held(self, period: Period | None = None) -> list[ReceivedPackage]:
        """The held packages (of ``period``, by its dates), by period and navigator."""
        where = [] if period is None else self._same_dates(period)
        t = self.packages
        stmt = select(t).where(*where).order_by(t.c.start, t.c.navigator, t.c.received_at, t.c.id)
        return [self._row(r).info for r in self.conn.execute(stmt).mappings()]

    def _same_dates(self, period: Period) -> list[Any]:
        # By dates, not label: 2026-Q3 and 2026-07-01..2026-09-30 are one period.
        t = self.packages
        return [t.c.start == period.start, t.c.end == period.end]

    def rows_of(self, period: Period) -> list[_Row]:
        return self._rows(self._same_dates(period))

    def get(self, package_id: int) -> ReceivedPackage | None:
        found = self._rows([self.packages.c.id == package_id])
        return found[0].info if found else None

    def pins(self) -> dict[str, str]:
        t = self.pins_table
        return {r.source_vault: r.public_key for r in self.conn.execute(select(t))}

    def pinned_keys(self) -> list[PinnedKeyInfo]:
        t = self.pins_table
        rows = self.conn.execute(select(t).order_by(t.c.pinned_at, t.c.source_vault))
        return [PinnedKeyInfo(r.source_vault, r.public_key, r.pinned_at) for r in rows]

    # -- writing ---------------------------------------------------------------------------
    @staticmethod
    def _values(p: Package, received: dt.datetime) -> dict[str, Any]:
        return {
            "source_vault": p.vault,
            "period_label": p.period.label,
            "start": p.period.start,
            "end": p.period.end,
            "payload": p.payload,
            "received_at": received,
            "created": p.created,
            "navigator": p.about("navigator_name") or None,
            "site": p.about("site") or None,
            "service_line": service_line_key(p.about("service_line"), p.about("service_line_other"))
            or None,
        }

    def add(self, p: Package, received: dt.datetime) -> None:
        self.conn.execute(insert(self.packages).values(**self._values(p, received)))

    def replace(self, package_id: int, p: Package, received: dt.datetime) -> None:
        t = self.packages
        self.conn.execute(update(t).where(t.c.id == package_id).values(**self._values(p, received)))

    def remove(self, package_id: int) -> None:
        t = self.packages
        self.conn.execute(delete(t).where(t.c.id == package_id))

    def pin(self, vault: str, public_key: str, at: dt.datetime) -> None:
        self.conn.execute(
            insert(self.pins_table).values(source_vault=vault, public_key=public_key, pinned_at=at)
        )


def _sources(payload: Any) -> tuple[SourceRef, ...]:
    try:
        return parse_sources(payload.get("sources"))
    except (ValueError, AttributeError):
        return ()  # a damaged row: the verifying read (``_check``) says so


def vault_store(session: Session) -> SqlPackageStore:
    """The store in the team lead's own vault (tables of migration 0005_team)."""
    return SqlPackageStore(session, StatisticsPackage.__table__, PinnedKey.__table__)


# -- receiving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """What receiving would do with one package.

    ``status``: ``new`` (added), ``again`` (the same figures again: replaces, no double
    counting), ``correction`` (newer, different figures: replaces only on purpose),
    ``superseded`` (an older one of the same vault in the same lot, left out because a
    newer one replaces it), or a problem: ``period``, ``conflict``, ``older``, ``closed``,
    ``key`` (see :data:`PROBLEMS`). ``message`` says the problem in the user's language.
    """

    package: Package
    status: str
    held: ReceivedPackage | None = None
    message: str = ""
    #: The fingerprints of the pinned and the offered key (status ``key`` only).
    keys: tuple[str, str] | None = None


@dataclass
class ReceivePlan:
    period: Period
    entries: list[Planned] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [e.message for e in self.entries if e.status in PROBLEMS]

    @property
    def corrections(self) -> list[Planned]:
        return [e for e in self.entries if e.status == "correction"]


@dataclass
class ReceiveSummary:
    """What receiving did: packages added, the same again, corrections replacing older."""

    added: int = 0
    replaced: int = 0
    corrected: list[tuple[ReceivedPackage, Package]] = field(default_factory=list)


def _date(moment: dt.datetime | None) -> str:
    return moment.strftime("%d.%m.%Y %H:%M") if moment else "?"


def _who(p: Package) -> str:
    return p.about("navigator_name") or _("Tresor {id}").format(id=p.vault[:8])


def plan(
    store: SqlPackageStore,
    packages: Iterable[Package],
    period: Period,
    replace: bool = False,
    closed: bool = False,
    card_keys: dict[str, str] | None = None,
) -> ReceivePlan:
    """What receiving ``packages`` for ``period`` would do (nothing is changed).

    ``replace``: corrections may replace older packages; ``closed``: the team lead's
    period is closed (no replacing); ``card_keys``: signing keys of the address book's
    cards by vault (they pin like a first package).
    """
    result = ReceivePlan(period)
    newest: dict[str, Package] = {}
    for p in packages:
        if (p.period.start, p.period.end) != (period.start, period.end):
            result.entries.append(
                Planned(
                    p,
                    "period",
                    message=_("{file}: das Paket gilt für {other}, nicht für {period}.").format(
                        file=p.name, other=p.period.label, period=period.label
                    ),
                )
            )
            continue
        earlier = newest.get(p.vault)
        if earlier is None or earlier.figures == p.figures:
            newest.setdefault(p.vault, p)
            continue
        ordered = sorted((earlier, p), key=lambda q: q.created or dt.datetime.min)
        if replace and ordered[0].created != ordered[1].created:
            newest[p.vault] = ordered[1]
            result.entries.append(Planned(ordered[0], "superseded"))
            continue
        result.entries.append(
            Planned(
                p,
                "conflict",
                message=_(
                    "Konflikt: {first} und {second} kommen beide aus dem Tresor {vault} für "
                    "{period}, aber mit verschiedenen Zahlen."
                ).format(first=earlier.name, second=p.name, vault=_who(p), period=period.label),
            )
        )
    held = {row.info.vault: row for row in store.rows_of(period)}
    pins = store.pins() | (card_keys or {})
    for vault, p in newest.items():
        row = held.get(vault)
        pinned = pins.get(vault)
        if pinned is not None and pinned != p.public_key:
            keys = (key_fingerprint(pinned), key_fingerprint(p.public_key))
            result.entries.append(
                Planned(
                    p,
                    "key",
                    message=_(
                        "{file}: das Paket gibt sich als Tresor {vault} aus, ist aber mit einem "
                        "anderen Schlüssel signiert als dessen frühere Pakete (bekannt: {pinned}, "
                        "dieses: {offered}). Es wurde abgewiesen."
                    ).format(file=p.name, vault=_who(p), pinned=keys[0], offered=keys[1]),
                    keys=keys,
                )
            )
        elif row is None:
            result.entries.append(Planned(p, "new"))
        elif Figures.from_dict(row.payload["figures"]) == p.figures:
            result.entries.append(Planned(p, "again", row.info))
        elif p.created is None or (row.info.created is not None and p.created <= row.info.created):
            result.entries.append(
                Planned(
                    p,
                    "older",
                    row.info,
                    _(
                        "Konflikt: {file} kommt aus dem Tresor {vault} für {period}, dessen Paket "
                        "schon mit anderen Zahlen vorliegt (erhalten am {received}), und ist "
                        "nicht neuer (erstellt {created}, das vorliegende {held})."
                    ).format(
                        file=p.name,
                        vault=_who(p),
                        period=period.label,
                        received=_date(row.info.received_at),
                        created=_date(p.created),
                        held=_date(row.info.created),
                    ),
                )
            )
        elif not replace:
            result.entries.append(
                Planned(
                    p,
                    "conflict",
                    row.info,
                    _(
                        "Konflikt: {file} kommt aus dem Tresor {vault} für {period}, dessen Paket "
                        "schon mit anderen Zahlen vorliegt (erhalten am {received}). Das neue "
                        "ist eine Korrektur (erstellt {created}): es ersetzt das ältere nur, "
                        "wenn Sie das ausdrücklich wählen (lotse package merge --replace; "
                        "im Fenster: Ersetzen bestätigen)."
                    ).format(
                        file=p.name,
                        vault=_who(p),
                        period=period.label,
                        received=_date(row.info.received_at),
                        created=_date(p.created),
                    ),
                )
            )
        elif closed:
            result.entries.append(
                Planned(
                    p,
                    "closed",
                    row.info,
                    _(
                        "{file}: der Zeitraum {period} ist abgeschlossen; sein Paket von {vault} "
                        "lässt sich nicht mehr ersetzen. Öffnen Sie den Zeitraum zuerst wieder "
                        "(lotse period reopen {period})."
                    ).format(file=p.name, period=period.label, vault=_who(p)),
                )
            )
        else:
            result.entries.append(Planned(p, "correction", row.info))
    _refuse_double_counting(result, held, newest)
    return result


def _refuse_double_counting(
    result: ReceivePlan, held: dict[str, _Row], newest: dict[str, Package]
) -> None:
    """Mark each package that would count a navigator a second time (status ``double``):
    a merged package with one of its sources, or two merged packages sharing one."""
    taken = {e.package.vault for e in result.entries if e.status in ("new", "again", "correction")}
    # What the period would hold: the held packages, the lot's taken ones in their place.
    after: dict[str, tuple[str, frozenset[str]]] = {
        vault: (row.info.title, row.info.covers) for vault, row in held.items()
    }
    for vault in taken:
        p = newest[vault]
        after[vault] = (_title(p), p.covers)
    for i, entry in enumerate(result.entries):
        p = entry.package
        if p.vault not in taken or entry.status not in ("new", "again", "correction"):
            continue
        for other, (title, covers) in after.items():
            shared = covers & p.covers
            if other == p.vault or not shared:
                continue
            result.entries[i] = Planned(
                p,
                "double",
                entry.held,
                _(
                    "{file}: {who} und {other} enthalten beide die Zahlen von {n} Lotsinnen "
                    "oder Lotsen (Tresor {vaults}); zusammen wären sie doppelt gezählt. "
                    "Übernehmen Sie entweder das Gesamtpaket oder die einzelnen Pakete, "
                    "nicht beide (ein vorliegendes entfernen: lotse package remove)."
                ).format(
                    file=p.name,
                    who=_title(p),
                    other=title,
                    n=len(shared),
                    vaults=", ".join(sorted(v[:8] for v in shared)),
                ),
            )
            break


def _title(p: Package) -> str:
    if not p.sources:
        return _who(p)
    return _("{name} (Gesamtpaket aus {n} Paketen)").format(name=_who(p), n=len(p.sources))


def flattened_sources(store: SqlPackageStore, period: Period) -> list[SourceRef]:
    """The navigators' packages inside the held packages of ``period``: a merged package's
    own sources, a navigator's package itself (what a merged package of them lists)."""
    found: list[SourceRef] = []
    for row in store.rows_of(period):
        info = row.info
        if info.sources:
            found.extend(info.sources)
            continue
        created = "" if info.created is None else info.created.isoformat(timespec="microseconds")
        found.append(SourceRef(info.vault, info.navigator, info.site, info.service_line, created))
    return found


def refused(plan_: ReceivePlan) -> BadInputError:
    return BadInputError(
        _("Die Pakete wurden nicht übernommen; nichts wurde gespeichert."), plan_.problems
    )


def apply(store: SqlPackageStore, plan_: ReceivePlan) -> ReceiveSummary:
    """Carry out ``plan_`` (which must have no problems)."""
    if plan_.problems:
        raise refused(plan_)
    summary = ReceiveSummary()
    now = utcnow()
    pins = store.pins()
    for entry in plan_.entries:
        p = entry.package
        if entry.status == "new":
            store.add(p, now)
            summary.added += 1
        elif entry.status == "again":
            assert entry.held is not None
            store.replace(entry.held.id, p, now)
            summary.replaced += 1
        elif entry.status == "correction":
            assert entry.held is not None
            store.replace(entry.held.id, p, now)
            summary.corrected.append((entry.held, p))
        else:
            continue
        if p.vault not in pins:
            store.pin(p.vault, p.public_key, now)
            pins[p.vault] = p.public_key
    return summary


def receive(
    store: SqlPackageStore,
    packages: Iterable[Package],
    period: Period,
    replace: bool = False,
    closed: bool = False,
    card_keys: dict[str, str] | None = None,
) -> ReceiveSummary:
    """Keep ``packages`` of ``period``; any problem refuses them all, nothing stored."""
    return apply(store, plan(store, packages, period, replace, closed, card_keys))


def digest(payload: dict[str, Any]) -> str:
    """SHA-256 of a package as signed (for the log: which package was replaced by which)."""
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


# -- merging -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """A period's packages added up, and the packages they came from."""

    figures: Figures
    sources: list[ReceivedPackage]
    #: Per site and per service line ("" where a package names none): their packages added.
    by_site: dict[str, Figures]
    by_service_line: dict[str, Figures]


def merge(store: SqlPackageStore, period: Period, districts: Catalogue | None = None) -> Merged:
    """Every held package of ``period`` added up key by key (medians from the merged
    day counts), also per site and per service line."""
    total = empty_figures(districts)
    by_site: dict[str, Figures] = {}
    by_line: dict[str, Figures] = {}
    rows = store.rows_of(period)
    for row in rows:
        figures = Figures.from_dict(row.payload["figures"])
        total.add(figures)
        for groups, key in ((by_site, row.info.site), (by_line, row.info.service_line)):
            if key not in groups:
                groups[key] = empty_figures(districts)
            groups[key].add(figures)
    return Merged(
        total,
        [row.info for row in rows],
        dict(sorted(by_site.items())),
        dict(sorted(by_line.items())),
    )


def remove(
    store: SqlPackageStore, package_id: int, closed_periods: Iterable[Period]
) -> ReceivedPackage:
    """Remove held package ``package_id``; refused in a closed period of the team lead."""
    held = store.get(package_id)
    if held is None:
        raise BadInputError(
            _("Ein empfangenes Paket mit der Nummer {id} gibt es nicht.").format(id=package_id)
        )
    for closed in closed_periods:
        if (closed.start, closed.end) == (held.period.start, held.period.end):
            raise BadInputError(
                _(
                    "Der Zeitraum {period} ist abgeschlossen; seine Pakete bleiben, wie sie "
                    "sind. Öffnen Sie ihn zuerst wieder (lotse period reopen {period})."
                ).format(period=held.period.label)
            )
    store.remove(package_id)
    return held
