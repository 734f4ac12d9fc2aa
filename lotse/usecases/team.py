"""Use cases of a team: contact cards, sending packages, and the team lead's store.

A navigator exports her contact card and sends her statistics package, plain or sealed
to the team lead's card. A team lead opens package files (sealed ones with her vault),
receives them into her store (the vault, or a shared PostgreSQL database given as
``store``), corrects, lists and removes them, and gets the merged figures, the delivery
matrix and the merged report. For the level above (municipality → Land) she sends the
merged figures as a package of her own vault (:meth:`TeamAPI.export_merged_package`).

Every change writes its audit entries into the team lead's vault in the same transaction
as the change (with a PostgreSQL store: the vault's transaction commits right after the
database's). A report file is written inside both transactions: when it cannot be
written, no package is kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from lotse import options, settings
from lotse.cards import address_book
from lotse.cards.address_book import StoredCard
from lotse.cards.card import ContactCard, make_card, parse_card, read_card, service_line_label
from lotse.cards.keys import b64
from lotse.cards.sealed import PURPOSE_PACKAGE, Envelope, open_sealed, seal
from lotse.errors import BadInputError
from lotse.fileio import atomic_write
from lotse.i18n import _
from lotse.report import write_data
from lotse.report.model import (
    ReportData,
    SourcePackage,
    data_from_figures,
    report_author,
    report_organisation,
    report_threshold,
)
from lotse.stats.figures import Figures
from lotse.stats.packages import (
    FOOTNOTE_MERGED,
    Package,
    make_merged_package,
    make_package,
    package_bytes,
    parse_package,
    read_package_file,
)
from lotse.stats.period import Period
from lotse.stats.periods_closed import is_closed, list_closed
from lotse.team import store as stores
from lotse.team.delivery import DeliveryRow, delivery_matrix
from lotse.team.pg_store import PostgresStore
from lotse.team.store import (
    Merged,
    PinnedKeyInfo,
    ReceivedPackage,
    ReceivePlan,
    ReceiveSummary,
    SqlPackageStore,
)
from lotse.usecases.access import VaultAccess
from lotse.usecases.audit import append_report
from lotse.usecases.settings import districts
from lotse.vault import audit

__all__ = [
    "ContactCard",
    "DeliveryRow",
    "Envelope",
    "Loaded",
    "MergeResult",
    "MergedExport",
    "Package",
    "PinnedKeyInfo",
    "ReceivePlan",
    "ReceivedPackage",
    "StoredCard",
    "TeamAPI",
    "TeamFigures",
]


@dataclass(frozen=True)
class MergeResult:
    """What merging packages did: new, the same again, corrections, packages in the report."""

    added: int
    replaced: int
    packages: int
    corrected: int = 0


@dataclass(frozen=True)
class MergedExport:
    """A merged package written: the received packages in it, the navigators' behind them."""

    packages: int
    navigators: int


@dataclass(frozen=True)
class Loaded:
    """Package files read: the good packages, and why each other file was refused."""

    packages: list[Package]
    problems: list[str]


@dataclass(frozen=True)
class TeamFigures:
    """A period's merged figures as the team tab shows them (exact, unsuppressed)."""

    period: Period
    figures: Figures
    sources: list[ReceivedPackage]
    by_site: dict[str, Figures]
    by_service_line: dict[str, Figures]
    threshold: int
    organisation: str
    closed: bool


def sources_of(held: Iterable[ReceivedPackage]) -> list[SourcePackage]:
    """The packages a merged report lists (navigator, site, service line, made, received)."""
    return [
        SourcePackage(p.title, p.site, service_line_label(p.service_line), p.created, p.received_at)
        for p in held
    ]


class TeamAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    @property
    def _vault_id(self) -> str:
        return self._access.vault.vault_id

    # -- contact cards ---------------------------------------------------------------------
    def own_card(self, service: str | None = None) -> ContactCard:
        """This vault's card (its keys are made on first use)."""
        with self._access.write() as session:
            return make_card(session, self._vault_id, service)

    def export_card(self, out: Path, service: str | None = None) -> ContactCard:
        """Write this vault's card to ``out``; logged."""
        with self._access.write() as session:
            card = make_card(session, self._vault_id, service)
            audit.append(session, "card_exported", fingerprint=card.fingerprint)
            atomic_write(out, [card.text()])
            return card

    def add_card(self, card: ContactCard) -> bool:
        """Keep a received card in the address book; True if it updated an older one."""
        with self._access.write() as session:
            return address_book.add_card(session, card, self._vault_id)

    def cards(self) -> list[StoredCard]:
        with self._access.read() as session:
            return address_book.list_cards(session)

    def remove_card(self, card_id: int) -> ContactCard:
        with self._access.write() as session:
            return address_book.remove_card(session, card_id)

    def team_lead_card(self) -> ContactCard | None:
        """The team lead's card the machine policy names (``team_lead_card``), if any."""
        text = str(settings.machine_value("team_lead_card") or "")
        if not text:
            return None
        return parse_card(text, _("Kontaktkarte der Teamleitung (Richtlinie)"))

    # -- a navigator's package -------------------------------------------------------------
    def export_package(self, period: Period, out: Path, to: ContactCard | None = None) -> None:
        """Write this vault's signed package of ``period`` to ``out``; sealed to ``to``'s
        holder if given. Logged (with the recipient's fingerprint)."""
        if to is not None and to.vault == self._vault_id:
            raise BadInputError(
                _("Das ist die Kontaktkarte dieses Tresors selbst; wählen Sie die der Teamleitung.")
            )
        with self._access.write() as session:
            package = make_package(session, self._vault_id, period)
            data = package_bytes(package)
            if to is not None:
                data = seal(data, to, session, self._vault_id, PURPOSE_PACKAGE)
                audit.append(
                    session, "package_sealed", period=period.label, recipient=to.fingerprint
                )
            # Inside the transaction: if writing fails, no key and no log entry stay.
            atomic_write(out, [data])

    def export_merged_package(
        self,
        period: Period,
        out: Path,
        to: ContactCard | None = None,
        store: str | None = None,
    ) -> MergedExport:
        """Write the merge of the received packages of ``period`` as a signed package of
        this vault for the level above; sealed to ``to``'s holder if given. Logged."""
        if to is not None and to.vault == self._vault_id:
            raise BadInputError(
                _(
                    "Das ist die Kontaktkarte dieses Tresors selbst; wählen Sie die der "
                    "nächsten Ebene."
                )
            )
        with self._access.write() as session, self._store(session, store) as st:
            merged = stores.merge(st, period, districts(session))
            if not merged.sources:
                raise BadInputError(
                    _(
                        "Für {period} liegen keine empfangenen Pakete vor; ein Gesamtpaket "
                        "braucht mindestens eines (lotse package merge)."
                    ).format(period=period.label)
                )
            sources = stores.flattened_sources(st, period)
            package = make_merged_package(session, self._vault_id, period, merged.figures, sources)
            data = package_bytes(package)
            if to is not None:
                data = seal(data, to, session, self._vault_id, PURPOSE_PACKAGE)
                audit.append(
                    session, "package_sealed", period=period.label, recipient=to.fingerprint
                )
            # Inside the transaction: if writing fails, no key and no log entry stay.
            atomic_write(out, [data])
            return MergedExport(len(merged.sources), len(sources))

    # -- the team lead's packages ----------------------------------------------------------
    def open_packages(self, found: Sequence[Package | Envelope]) -> list[Package]:
        """The packages of read files, sealed ones opened with this vault's key.

        Every file is tried; any that fails refuses the lot, naming each problem.
        """
        packages, problems = self._open_each(found)
        if problems:
            if len(problems) == 1:
                raise BadInputError(problems[0])
            raise BadInputError(_("Nicht alle Pakete lassen sich öffnen:"), problems)
        return packages

    def _open_each(self, found: Sequence[Package | Envelope]) -> tuple[list[Package], list[str]]:
        if all(isinstance(f, Package) for f in found):
            return list(found), []  # type: ignore[arg-type]
        packages: list[Package] = []
        problems: list[str] = []
        with self._access.write() as session:
            for item in found:
                if isinstance(item, Package):
                    packages.append(item)
                    continue
                try:
                    opened = open_sealed(item, session, self._vault_id, PURPOSE_PACKAGE)
                    package = parse_package(opened.payload, item.name)
                except BadInputError as error:
                    problems.append(error.message)
                    continue
                if package.public_key != b64(opened.sender.ed25519) or (
                    package.vault != opened.sender.vault
                ):
                    problems.append(
                        _(
                            "{file}: das Paket darin stammt nicht aus dem Tresor, der es "
                            "verschlüsselt hat; es wurde abgewiesen."
                        ).format(file=item.name)
                    )
                    continue
                packages.append(package)
        return packages, problems

    def load(self, paths: Sequence[Path | str]) -> Loaded:
        """Read package files (plain, or sealed to this vault), each on its own: the
        window takes the good ones and shows why each other one was refused."""
        found: list[Package | Envelope] = []
        problems: list[str] = []
        for path in paths:
            try:
                found.append(read_package_file(Path(path), Path(path).name))
            except BadInputError as error:
                problems.append(error.message)
        packages, more = self._open_each(found)
        return Loaded(packages, problems + more)

    @contextlib.contextmanager
    def _store(self, session: Session, url: str | None) -> Iterator[SqlPackageStore]:
        if url is None:
            yield stores.vault_store(session)
            return
        # A connection per use case, closed after it: the window may stay open for hours.
        with PostgresStore(url) as pg, pg.transaction() as store:
            yield store

    @staticmethod
    def _card_keys(session: Session) -> dict[str, str]:
        return {c.card.vault: b64(c.card.ed25519) for c in address_book.list_cards(session)}

    def plan(
        self,
        packages: Sequence[Package],
        period: Period,
        replace: bool = False,
        store: str | None = None,
    ) -> ReceivePlan:
        """What receiving would do (nothing is stored): the window asks before corrections."""
        with self._access.read() as session, self._store(session, store) as st:
            return stores.plan(
                st, packages, period, replace, is_closed(session, period), self._card_keys(session)
            )

    def _receive(
        self,
        session: Session,
        st: SqlPackageStore,
        packages: Sequence[Package],
        period: Period,
        replace: bool,
        url: str | None,
    ) -> ReceiveSummary:
        plan = stores.plan(
            st, packages, period, replace, is_closed(session, period), self._card_keys(session)
        )
        summary = stores.apply(st, plan)
        where = "vault" if url is None else "postgresql"
        audit.append(
            session,
            "packages_received",
            period=period.label,
            added=summary.added,
            replaced=summary.replaced,
            corrected=len(summary.corrected),
            store=where,
        )
        for old, new in summary.corrected:
            # Both packages stay on record: the one replaced and the correction.
            audit.append(
                session,
                "package_replaced",
                period=period.label,
                vault=new.vault,
                store=where,
                replaced_created=_iso(old.created),
                replaced_received=_iso(old.received_at),
                created=_iso(new.created),
                digest=stores.digest(new.payload),
            )
        return summary

    def receive(
        self,
        packages: Sequence[Package],
        period: Period,
        replace: bool = False,
        store: str | None = None,
    ) -> ReceiveSummary:
        """Keep ``packages``; any problem refuses them all (nothing stored)."""
        with self._access.write() as session, self._store(session, store) as st:
            return self._receive(session, st, packages, period, replace, store)

    def merge(
        self,
        packages: Sequence[Package],
        period: Period,
        fmt: str,
        out: Path | str,
        publish: bool = False,
        replace: bool = False,
        store: str | None = None,
    ) -> MergeResult:
        """Keep ``packages`` and write the report merged from every package of ``period``."""
        with self._access.write() as session, self._store(session, store) as st:
            summary = self._receive(session, st, packages, period, replace, store)
            merged = stores.merge(st, period, districts(session))
            data = self._report(session, period, merged, publish)
            # Inside the transactions: if the report cannot be written, no package is kept.
            write_data(data, fmt, out)
            append_report(session, period.label, fmt, publish, merged_packages=len(merged.sources))
            return MergeResult(
                summary.added, summary.replaced, len(merged.sources), len(summary.corrected)
            )

    @staticmethod
    def _report(session: Session, period: Period, merged: Merged, publish: bool) -> ReportData:
        # A merged report names no single site (its packages list theirs); an internal one
        # names the team lead who made it.
        return data_from_figures(
            merged.figures,
            period,
            publish,
            report_threshold(session),
            report_organisation(session),
            notes=[_(FOOTNOTE_MERGED).format(n=len(merged.sources))],
            districts=districts(session),
            sources=sources_of(merged.sources),
            navigator=report_author(session),
        )

    def write_report(
        self,
        period: Period,
        fmt: str,
        out: Path | str,
        publish: bool = False,
        store: str | None = None,
    ) -> None:
        """Write the merged report of the held packages of ``period``."""
        with self._access.write() as session, self._store(session, store) as st:
            merged = stores.merge(st, period, districts(session))
            write_data(self._report(session, period, merged, publish), fmt, out)
            append_report(session, period.label, fmt, publish, merged_packages=len(merged.sources))

    def figures(self, period: Period, store: str | None = None) -> TeamFigures:
        """The merged figures of ``period``, also per site and per service line."""
        with self._access.read() as session, self._store(session, store) as st:
            merged = stores.merge(st, period, districts(session))
            return TeamFigures(
                period,
                merged.figures,
                merged.sources,
                merged.by_site,
                merged.by_service_line,
                report_threshold(session),
                report_organisation(session),
                is_closed(session, period),
            )

    def held(self, period: Period | None = None, store: str | None = None) -> list[ReceivedPackage]:
        """The held packages (of ``period``), by period and navigator."""
        with self._access.read() as session, self._store(session, store) as st:
            return st.held(period)

    def wanted(self) -> bool:
        """Whether the window shows the team tab: the profile says team lead, or the vault
        holds received packages."""
        with self._access.read() as session:
            if options.get(session, "role") == "team_lead":
                return True
            return bool(stores.vault_store(session).held())

    def has_received(self) -> bool:
        """Whether the vault holds any received package (the window then shows the team tab)."""
        with self._access.read() as session:
            return bool(stores.vault_store(session).held())

    def remove(self, package_id: int, store: str | None = None) -> ReceivedPackage:
        """Remove a held package; refused in a closed period. Logged."""
        with self._access.write() as session, self._store(session, store) as st:
            closed = [info.period for info in list_closed(session)]
            removed = stores.remove(st, package_id, closed)
            audit.append(
                session,
                "package_removed",
                period=removed.period.label,
                vault=removed.vault,
                created=_iso(removed.created),
                received=_iso(removed.received_at),
                store="vault" if store is None else "postgresql",
            )
            return removed

    def delivery(
        self, period: Period, conflicting: Iterable[str] = (), store: str | None = None
    ) -> list[DeliveryRow]:
        """Who delivered for ``period``, who is missing, whose package waits (``conflicting``)."""
        with self._access.read() as session, self._store(session, store) as st:
            cards = [c.card for c in address_book.list_cards(session)]
            return delivery_matrix(period, st.held(), cards, conflicting)

    def pinned_keys(self, store: str | None = None) -> list[PinnedKeyInfo]:
        with self._access.read() as session, self._store(session, store) as st:
            return st.pinned_keys()


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def load_card(path: Path | str) -> ContactCard:
    """A card file, checked (before any vault is unlocked)."""
    return read_card(path)
