"""Statistics packages: how many navigators' figures become one team report.

A navigator's vault exports a package for a period: the unsuppressed figures (aggregates
only, never a record), signed with the vault's own Ed25519 key. That key is made on the
first export and kept in the vault's ``secret`` table, so it is as safe as the records and
never among the user-visible settings.

A team lead's vault receives packages (``StatisticsPackage``) and adds them up key by
key; suppression comes after merging (statistics.md, "Many navigators"). A package for a
vault and period already received replaces the earlier one when its figures are the same
(no double counting); different figures for the same vault and period are a conflict,
reported and never merged silently. A vault's public key is pinned on its first package:
a later package claiming that vault but signed with another key is refused.

The medians travel as day-count distributions (``figures.distributions``); merging adds
those and takes the median of the merged distribution (:meth:`Figures.add`). A package
of an older Lotse, without the casework figures, still reads and merges: its missing
figures count as 0 (its referrals under mode ``unknown``), its medians as no family, and
the merged report says so in a footnote (``Figures.absent``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse import settings
from lotse.db.models import AuditEntry, Secret, StatisticsPackage, utcnow
from lotse.errors import BadInputError
from lotse.fileio import read_input_file
from lotse.i18n import N_, _
from lotse.stats.figures import Figures, empty_figures, figures_for_period
from lotse.stats.period import Period

PACKAGE_FORMAT = "lotse.stats-package/1"
#: The secret holding the vault's private signing key (base64 of the raw 32 bytes).
SIGNING_KEY_SETTING = "statistics_signing_key"
#: Largest package file read (a package is a few kilobytes).
MAX_PACKAGE_BYTES = 1_000_000

FOOTNOTE_MERGED = N_(
    "Zusammengeführt aus den Statistik-Paketen mehrerer Tresore (Pakete: {n}). Eine Familie, "
    "die in diesem Zeitraum von mehreren Lotsinnen oder Lotsen begleitet wurde, ist bei jeder "
    "und jedem gezählt."
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical(obj: dict[str, Any]) -> bytes:
    """The bytes a package signature covers: the package without its signature."""
    body = {k: v for k, v in obj.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signing_key(session: Session) -> Ed25519PrivateKey:
    """The vault's signing key, made and stored on first use."""
    stored = session.get(Secret, SIGNING_KEY_SETTING)
    if stored is not None:
        return Ed25519PrivateKey.from_private_bytes(_unb64(str(stored.value)))
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes_raw()
    session.add(Secret(key=SIGNING_KEY_SETTING, value=_b64(raw)))
    session.flush()
    return key


def make_package(session: Session, vault_id: str, period: Period) -> dict[str, Any]:
    """The signed package of ``period`` (stored figures if the period is closed)."""
    key = signing_key(session)
    figures = figures_for_period(session, period)
    package: dict[str, Any] = {
        "format": PACKAGE_FORMAT,
        "vault": vault_id,
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "created": utcnow().isoformat(timespec="seconds"),
        "figures": figures.to_dict(),
        "public_key": _b64(key.public_key().public_bytes_raw()),
    }
    package["signature"] = _b64(key.sign(canonical(package)))
    session.add(AuditEntry(action="package_exported", details={"period": period.label}))
    return package


@dataclass(frozen=True)
class Package:
    """A package read from a file, its signature checked."""

    name: str
    vault: str
    period: Period
    figures: Figures
    public_key: str
    payload: dict[str, Any]


def _damaged(name: str, why: str) -> BadInputError:
    return BadInputError(
        _("{file}: kein gültiges Statistik-Paket ({why}).").format(file=name, why=why)
    )


def read_package(path: Path | str, name: str | None = None) -> Package:
    """Read and verify the package in ``path``; any problem is a clear :class:`BadInputError`."""
    name = name or str(path)
    raw = read_input_file(path, MAX_PACKAGE_BYTES, name)  # a FIFO or /dev/zero is refused
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # also a number too long, or nesting too deep
        raise _damaged(name, _("kein JSON")) from None
    if not isinstance(obj, dict) or obj.get("format") != PACKAGE_FORMAT:
        raise _damaged(name, _("unbekanntes Format"))
    try:
        public = Ed25519PublicKey.from_public_bytes(_unb64(obj["public_key"]))
        public.verify(_unb64(obj["signature"]), canonical(obj))
    except (KeyError, TypeError, ValueError, AttributeError, InvalidSignature):
        raise _damaged(name, _("Signatur fehlt oder stimmt nicht; verändert?")) from None
    try:
        period = Period(
            str(obj["period"]["label"]),
            dt.date.fromisoformat(obj["period"]["start"]),
            dt.date.fromisoformat(obj["period"]["end"]),
        )
        figures = Figures.from_dict(obj["figures"])
        vault = str(obj["vault"])
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):  # Infinity
        raise _damaged(name, _("Angaben fehlen")) from None
    if (
        any(isinstance(n, int) and n < 0 for n in figures.totals.values())
        or any(n < 0 for cells in figures.breakdowns.values() for n in cells.values())
        or any(
            days < 0 or n < 0 for dist in figures.distributions.values() for days, n in dist.items()
        )
    ):
        raise _damaged(name, _("negative Zahlen"))
    return Package(name, vault, period, figures, obj["public_key"], obj)


@dataclass
class ReceiveSummary:
    """What receiving packages did."""

    added: int = 0
    replaced: int = 0


def receive_packages(session: Session, packages: list[Package], period: Period) -> ReceiveSummary:
    """Store ``packages`` of ``period``; conflicts and strangers are refused, nothing stored."""
    problems: list[str] = []
    seen: dict[str, Package] = {}
    for p in packages:
        if (p.period.start, p.period.end) != (period.start, period.end):
            problems.append(
                _("{file}: das Paket gilt für {other}, nicht für {period}.").format(
                    file=p.name, other=p.period.label, period=period.label
                )
            )
            continue
        earlier = seen.get(p.vault)
        if earlier is not None and earlier.figures != p.figures:
            problems.append(
                _(
                    "Konflikt: {first} und {second} kommen beide aus dem Tresor {vault} für "
                    "{period}, aber mit verschiedenen Zahlen."
                ).format(first=earlier.name, second=p.name, vault=p.vault, period=period.label)
            )
        seen.setdefault(p.vault, p)
    stored = {
        row.source_vault: row
        for row in session.scalars(
            # By dates, not label: 2026-Q3 and 2026-07-01..2026-09-30 are one period.
            select(StatisticsPackage).where(
                StatisticsPackage.start == period.start, StatisticsPackage.end == period.end
            )
        )
    }
    for vault, p in seen.items():
        row = stored.get(vault)
        pinned = _pinned_key(session, vault)
        if pinned is not None and pinned != p.public_key:
            problems.append(
                _(
                    "{file}: das Paket gibt sich als Tresor {vault} aus, ist aber mit einem "
                    "anderen Schlüssel signiert als dessen frühere Pakete."
                ).format(file=p.name, vault=vault)
            )
        elif row is not None and Figures.from_dict(row.payload["figures"]) != p.figures:
            problems.append(
                _(
                    "Konflikt: {file} kommt aus dem Tresor {vault} für {period}, dessen Paket "
                    "schon mit anderen Zahlen vorliegt (erhalten am {received})."
                ).format(
                    file=p.name,
                    vault=vault,
                    period=period.label,
                    received=row.received_at.strftime("%d.%m.%Y"),
                )
            )
    if problems:
        raise BadInputError(
            _("Die Pakete wurden nicht übernommen; nichts wurde gespeichert."), problems
        )
    summary = ReceiveSummary()
    for vault, p in seen.items():
        row = stored.get(vault)
        if row is None:
            session.add(
                StatisticsPackage(
                    source_vault=vault,
                    period_label=period.label,
                    start=period.start,
                    end=period.end,
                    payload=p.payload,
                    received_at=utcnow(),
                )
            )
            summary.added += 1
        else:
            # The same figures again: the newer package replaces the earlier one.
            row.payload = p.payload
            row.received_at = utcnow()
            summary.replaced += 1
    session.add(
        AuditEntry(
            action="packages_received",
            details={"period": period.label, "added": summary.added, "replaced": summary.replaced},
        )
    )
    session.flush()
    return summary


def _pinned_key(session: Session, vault: str) -> str | None:
    row = session.scalar(
        select(StatisticsPackage)
        .where(StatisticsPackage.source_vault == vault)
        .order_by(StatisticsPackage.received_at)
        .limit(1)
    )
    return None if row is None else str(row.payload.get("public_key"))


def merged_figures(session: Session, period: Period) -> tuple[Figures, int]:
    """All received packages of ``period`` added up key by key, and how many there were.

    Medians are those of the merged day-count distributions.
    """
    total = empty_figures(settings.catalogue(session, "districts"))
    rows = session.scalars(
        select(StatisticsPackage).where(
            StatisticsPackage.start == period.start, StatisticsPackage.end == period.end
        )
    ).all()
    for row in rows:
        total.add(Figures.from_dict(row.payload["figures"]))
    return total, len(rows)
