"""Contact cards (``lotse.card/1``): who holds a vault, and its public keys.

A card names the navigator (name, organisation, site, service line), the ``service``
a family's consent names as recipient (default: the site), and carries the vault's two
public keys: X25519 (others seal packages and handovers to it) and Ed25519 (it signs
packages, cards and sealed messages). The card holds no secret and is self-signed with
its own Ed25519 key.

The fingerprint is SHA-256 over the card's identity (format, vault id, both public keys),
so a new name or site keeps it while a new key changes it. People compare its first 128
bits by phone, as eight groups of four hex digits (:func:`display_fingerprint`).

Reading a card (:func:`parse_card`) checks everything: the format, every field, the
fingerprint against the keys and the signature over the whole card. A damaged, changed or
foreign file is a :class:`~lotse.errors.BadInputError` that says which.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from lotse import options
from lotse.cards.keys import b64, encryption_key, signing_key, unb64
from lotse.catalogues import SERVICE_LINES
from lotse.crypto import sealing
from lotse.db.models import utcnow
from lotse.errors import BadInputError
from lotse.fileio import read_input_file
from lotse.i18n import _

CARD_FORMAT = "lotse.card/1"
#: Largest card file read (a card is well under a kilobyte).
MAX_CARD_BYTES = 64 * 1024
_MAX_TEXT = 200
_TEXT_FIELDS = ("name", "organisation", "site", "service_line", "service_line_other", "service")


def display_fingerprint(fingerprint: str) -> str:
    """The first 128 bits in eight groups of four, to read out on the phone."""
    head = fingerprint[:32].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def service_line_key(code: str, other: str) -> str:
    """How a service line is kept for grouping: its code, or the text for "other"."""
    return other if code == "other" and other else code


def service_line_label(key: str) -> str:
    """A kept service line (:func:`service_line_key`) in the current language."""
    return SERVICE_LINES.label(key) if key in SERVICE_LINES else key


def card_fingerprint(vault: str, x25519: bytes, ed25519: bytes) -> str:
    return sealing.fingerprint(CARD_FORMAT.encode(), vault.encode("utf-8"), x25519, ed25519)


def _canonical(obj: dict[str, Any]) -> bytes:
    body = {k: v for k, v in obj.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class ContactCard:
    """A checked contact card (own or received)."""

    vault: str
    name: str
    organisation: str
    site: str
    service_line: str
    service_line_other: str
    service: str
    x25519: bytes
    ed25519: bytes
    created: str
    fingerprint: str
    signature: bytes

    @property
    def display_fingerprint(self) -> str:
        return display_fingerprint(self.fingerprint)

    @property
    def line(self) -> str:
        """The service line as lists keep it (:func:`service_line_key`)."""
        return service_line_key(self.service_line, self.service_line_other)

    @property
    def service_line_label(self) -> str:
        """The service line in the current language ("" if none was chosen)."""
        return service_line_label(self.line)

    @property
    def title(self) -> str:
        """How lists name the holder: the name, else the service, else the vault id."""
        return self.name or self.service or self.vault[:8]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CARD_FORMAT,
            "vault": self.vault,
            "name": self.name,
            "organisation": self.organisation,
            "site": self.site,
            "service_line": self.service_line,
            "service_line_other": self.service_line_other,
            "service": self.service,
            "keys": {"x25519": b64(self.x25519), "ed25519": b64(self.ed25519)},
            "created": self.created,
            "fingerprint": self.fingerprint,
            "signature": b64(self.signature),
        }

    def text(self) -> str:
        """The card as the file holds it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"


def make_card(session: Session, vault_id: str, service: str | None = None) -> ContactCard:
    """This vault's card from its profile, signed now (keys made on first use)."""
    sign_key, enc_key = signing_key(session), encryption_key(session)
    site = str(options.get(session, "site") or "")
    service = (site if service is None else service).strip()
    if any(ord(ch) < 32 for ch in service) or len(service) > _MAX_TEXT:
        raise BadInputError(
            _(
                "Der Dienst darf höchstens {n} Zeichen lang sein und keine Zeilenumbrüche haben."
            ).format(n=_MAX_TEXT)
        )
    x25519 = enc_key.public_key().public_bytes_raw()
    ed25519 = sign_key.public_key().public_bytes_raw()
    fields: dict[str, Any] = {
        "format": CARD_FORMAT,
        "vault": vault_id,
        "name": str(options.get(session, "navigator_name") or ""),
        "organisation": str(options.get(session, "organisation") or ""),
        "site": site,
        "service_line": str(options.get(session, "service_line") or ""),
        "service_line_other": str(options.get(session, "service_line_other") or ""),
        "service": service,
        "keys": {"x25519": b64(x25519), "ed25519": b64(ed25519)},
        "created": utcnow().isoformat(timespec="seconds"),
        "fingerprint": card_fingerprint(vault_id, x25519, ed25519),
    }
    fields["signature"] = b64(sign_key.sign(_canonical(fields)))
    return card_from_dict(fields, "card")


def _invalid(name: str, why: str) -> BadInputError:
    return BadInputError(
        _("{file}: keine gültige Kontaktkarte ({why}).").format(file=name, why=why)
    )


def card_from_dict(obj: Any, name: str) -> ContactCard:
    """The card in ``obj`` (a parsed file), checked; :class:`BadInputError` if not."""
    if not isinstance(obj, dict):
        raise _invalid(name, _("unbekanntes Format"))
    kind = obj.get("format")
    if kind != CARD_FORMAT:
        if isinstance(kind, str) and kind.startswith(("lotse.stats-package", "lotse.sealed")):
            raise _invalid(name, _("das ist ein Statistik-Paket, keine Karte"))
        raise _invalid(name, _("unbekanntes Format"))
    try:
        texts = {key: obj[key] for key in _TEXT_FIELDS}
        keys = obj["keys"]
        x25519, ed25519 = unb64(keys["x25519"]), unb64(keys["ed25519"])
        vault, created, fingerprint = str(obj["vault"]), str(obj["created"]), obj["fingerprint"]
        signature = unb64(obj["signature"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _invalid(name, _("Angaben fehlen")) from None
    if (
        not all(isinstance(v, str) and len(v) <= _MAX_TEXT for v in texts.values())
        or len(x25519) != 32
        or len(ed25519) != 32
        or not 0 < len(vault) <= 64
    ):
        raise _invalid(name, _("Angaben fehlen"))
    if fingerprint != card_fingerprint(vault, x25519, ed25519):
        raise _invalid(name, _("der Fingerabdruck passt nicht zu den Schlüsseln; verändert?"))
    try:
        sealing.verify(ed25519, signature, _canonical(obj))
    except sealing.SealError:
        raise _invalid(name, _("Signatur fehlt oder stimmt nicht; verändert?")) from None
    return ContactCard(
        vault=vault,
        created=created,
        fingerprint=fingerprint,
        x25519=x25519,
        ed25519=ed25519,
        signature=signature,
        **texts,
    )


def parse_card(text: str | bytes, name: str = "card") -> ContactCard:
    """The card in ``text`` (a card file's content), checked."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        raise _invalid(name, _("kein JSON")) from None
    return card_from_dict(obj, name)


def read_card(path: Path | str, name: str | None = None) -> ContactCard:
    """The card in file ``path``, checked (a FIFO, a device or a huge file is refused)."""
    name = name or str(path)
    return parse_card(read_input_file(path, MAX_CARD_BYTES, name), name)
