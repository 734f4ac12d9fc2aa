"""Statistics packages: how many navigators' figures become one team report.

A navigator's vault exports a package for a period: the unsuppressed figures (aggregates
only, never a record), signed with the vault's own Ed25519 key. That key is made on the
first export and kept in the vault's ``secret`` table, so it is as safe as the records and
never among the user-visible settings.

A package names the navigator who made it (name, organisation, site, service line, as
the profile says) and when it was made (``created``): a team lead sees who delivered, and
a newer package of the same vault and period is a correction. Packages of an older Lotse
lack the navigator; they still read and merge.

A package file is plain (``lotse.stats-package/1``, signed) or sealed to the team lead's
contact card (``lotse.sealed/1`` around the same signed package, :mod:`lotse.cards.sealed`):
:func:`read_package_file` tells them apart; a sealed one is opened with the recipient's
vault. Receiving, replacing, listing and merging packages is :mod:`lotse.team.store`.

The medians travel as day-count distributions (``figures.distributions``); merging adds
those and takes the median of the merged distribution (:meth:`Figures.add`). A package
of an older Lotse, without the casework figures, still reads and merges: its missing
figures count as 0 (its referrals under mode ``unknown``), its medians as no family, and
the merged report says so in a footnote (``Figures.absent``).

Levels (municipality → Land): a team lead sends the merge of the packages she received as
a package of her own vault (:func:`make_merged_package`), signed by her vault and naming
her. Its ``sources`` list every navigator's package inside it (vault id, name, site,
service line, when made), flattened through the levels, so the level above sees how many
navigators it covers and can refuse to count one navigator twice (:mod:`lotse.team.store`).
It keeps the format ``lotse.stats-package/1``: ``sources`` is an optional key, so it merges
like any package, also in an older Lotse (which cannot check for double counting).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from lotse import options
from lotse.cards.keys import SIGNING_KEY_SETTING, signing_key
from lotse.cards.keys import b64 as _b64
from lotse.cards.keys import unb64 as _unb64
from lotse.cards.sealed import Envelope, envelope_of
from lotse.db.models import utcnow
from lotse.errors import BadInputError
from lotse.fileio import read_input_file
from lotse.i18n import N_, _
from lotse.stats.figures import Figures, figures_for_period
from lotse.stats.period import Period
from lotse.vault import audit

__all__ = [
    "FOOTNOTE_MERGED",
    "PACKAGE_FORMAT",
    "SIGNING_KEY_SETTING",
    "Package",
    "SourceRef",
    "canonical",
    "make_merged_package",
    "make_package",
    "package_bytes",
    "package_from_dict",
    "parse_package",
    "read_package",
    "read_package_file",
    "signing_key",
]

PACKAGE_FORMAT = "lotse.stats-package/1"
#: Largest package file read (a package is a few kilobytes).
MAX_PACKAGE_BYTES = 1_000_000
#: What a package says about the navigator (profile keys, :mod:`lotse.options`).
NAVIGATOR_KEYS = ("navigator_name", "organisation", "site", "service_line", "service_line_other")

FOOTNOTE_MERGED = N_(
    "Zusammengeführt aus den Statistik-Paketen mehrerer Tresore (Pakete: {n}). Eine Familie, "
    "die in diesem Zeitraum von mehreren Lotsinnen oder Lotsen begleitet wurde, ist bei jeder "
    "und jedem gezählt."
)


def canonical(obj: dict[str, Any]) -> bytes:
    """The bytes a package signature covers: the package without its signature."""
    body = {k: v for k, v in obj.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


#: Most navigator packages a merged package may list (a Land's year is about 5,000).
MAX_SOURCES = 100_000


@dataclass(frozen=True)
class SourceRef:
    """A navigator's package inside a merged package (as its ``sources`` list it)."""

    vault: str
    navigator: str = ""
    site: str = ""
    service_line: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "vault": self.vault,
            "navigator": self.navigator,
            "site": self.site,
            "service_line": self.service_line,
            "created": self.created,
        }


def make_package(session: Session, vault_id: str, period: Period) -> dict[str, Any]:
    """The signed package of ``period`` (stored figures if the period is closed)."""
    package = _signed(session, vault_id, period, figures_for_period(session, period))
    audit.append(session, "package_exported", period=period.label)
    return package


def make_merged_package(
    session: Session,
    vault_id: str,
    period: Period,
    figures: Figures,
    sources: list[SourceRef],
) -> dict[str, Any]:
    """The signed package of the team lead's vault carrying merged ``figures`` (with their
    distributions) and the navigators' packages they were made from."""
    package = _signed(session, vault_id, period, figures, sources)
    audit.append(session, "package_exported", period=period.label, merged_from=len(sources))
    return package


def _signed(
    session: Session,
    vault_id: str,
    period: Period,
    figures: Figures,
    sources: list[SourceRef] | None = None,
) -> dict[str, Any]:
    key = signing_key(session)
    package: dict[str, Any] = {
        "format": PACKAGE_FORMAT,
        "vault": vault_id,
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        # Microseconds: two corrections made within a second still have an order.
        "created": utcnow().isoformat(timespec="microseconds"),
        "navigator": {k: str(options.get(session, k) or "") for k in NAVIGATOR_KEYS},
        "figures": figures.to_dict(),
        "public_key": _b64(key.public_key().public_bytes_raw()),
    }
    if sources is not None:
        package["sources"] = [s.to_dict() for s in sources]
    package["signature"] = _b64(key.sign(canonical(package)))
    return package


def package_bytes(package: dict[str, Any]) -> bytes:
    """A package as its file holds it."""
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Package:
    """A package read from a file, its signature checked."""

    name: str
    vault: str
    period: Period
    figures: Figures
    public_key: str
    payload: dict[str, Any]
    #: When the navigator's vault made it (None: unreadable in a damaged old package).
    created: dt.datetime | None = None
    #: The navigator's profile as the package names it (empty for an older Lotse's).
    navigator: dict[str, str] | None = None
    #: A merged package's navigator packages (empty: a navigator's own package).
    sources: tuple[SourceRef, ...] = ()

    @property
    def covers(self) -> frozenset[str]:
        """The navigators' vaults whose figures this package holds."""
        return covered_vaults(self.vault, self.sources)

    def about(self, key: str) -> str:
        """One of :data:`NAVIGATOR_KEYS` as the package says it ("" if it does not)."""
        return (self.navigator or {}).get(key, "")


def _damaged(name: str, why: str) -> BadInputError:
    return BadInputError(
        _("{file}: kein gültiges Statistik-Paket ({why}).").format(file=name, why=why)
    )


def _json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # also a number too long, or nesting too deep
        raise _damaged(name, _("kein JSON")) from None


def read_package_file(path: Path | str, name: str | None = None) -> Package | Envelope:
    """The plain package in ``path`` (checked), or the envelope of a sealed one (opened
    later with the recipient's vault, :func:`lotse.cards.sealed.open_sealed`)."""
    name = name or str(path)
    raw = read_input_file(path, MAX_PACKAGE_BYTES, name)  # a FIFO or /dev/zero is refused
    obj = _json(raw, name)
    envelope = envelope_of(obj, name)
    return envelope if envelope is not None else package_from_dict(obj, name)


def read_package(path: Path | str, name: str | None = None) -> Package:
    """Read and verify the plain package in ``path``; any problem (a sealed one too) is a
    clear :class:`BadInputError`."""
    name = name or str(path)
    found = read_package_file(path, name)
    if isinstance(found, Envelope):
        raise BadInputError(
            _("{file} ist verschlüsselt; nur der Tresor des Empfängers kann es öffnen.").format(
                file=name
            )
        )
    return found


def parse_package(raw: bytes, name: str) -> Package:
    """The plain package in ``raw`` (a sealed file's payload), checked."""
    return package_from_dict(_json(raw, name), name)


def package_from_dict(obj: Any, name: str) -> Package:
    """The package in ``obj`` (a parsed file or a stored payload), its signature checked."""
    if not isinstance(obj, dict) or obj.get("format") != PACKAGE_FORMAT:
        if isinstance(obj, dict) and obj.get("format") == "lotse.card/1":
            raise _damaged(name, _("das ist eine Kontaktkarte"))
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
        created = _created(obj.get("created"))
        navigator = _navigator(obj.get("navigator"))
        sources = parse_sources(obj.get("sources"))
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
    return Package(
        name, vault, period, figures, obj["public_key"], obj, created, navigator, sources
    )


def _created(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    created = dt.datetime.fromisoformat(str(value))
    if created.tzinfo is not None:  # stored and compared as naive UTC, as utcnow() gives
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    return created


def _navigator(value: Any) -> dict[str, str]:
    """The navigator's fields (text only, each at most a line of 200 characters)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("navigator")
    found = {key: value.get(key, "") for key in NAVIGATOR_KEYS}
    if not all(isinstance(v, str) and len(v) <= 200 for v in found.values()):
        raise ValueError("navigator")
    return found


def parse_sources(value: Any) -> tuple[SourceRef, ...]:
    """A merged package's ``sources`` (none for a navigator's own package); ValueError if
    they are not a list of navigator packages with text fields."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value or len(value) > MAX_SOURCES:
        raise ValueError("sources")
    found = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("sources")
        fields = {k: item.get(k, "") for k in ("navigator", "site", "service_line", "created")}
        vault = item.get("vault")
        if not isinstance(vault, str) or not vault:
            raise ValueError("sources")
        if not all(isinstance(v, str) and len(v) <= 200 for v in fields.values()):
            raise ValueError("sources")
        found.append(SourceRef(vault, **fields))
    if len({s.vault for s in found}) != len(found):
        raise ValueError("sources")  # a navigator twice: counted twice inside
    return tuple(found)


def covered_vaults(vault: str, sources: tuple[SourceRef, ...]) -> frozenset[str]:
    """The navigators' vaults a package's figures come from: its sources, or its own vault."""
    return frozenset(s.vault for s in sources) if sources else frozenset({vault})
