"""Every option Lotse has, declared once: key, built-in default, rule, scope, label, lock.

This module is the one place that knows the options (as Picard's ``options.py``): the
machine policy (:mod:`lotse.policy`) checks its file against :data:`OPTIONS`, the window
and the command line read the values in force with :func:`get` and change them only
through :func:`put`, which validates. ``lotse.settings`` and ``lotse.casework.profile``
are thin call points over it.

Scopes (:class:`Scope`):

- ``MACHINE``: the organisation's, set only by the machine policy (locked or default),
  never stored in a vault, so it is the same before and after a vault opens and in every
  vault of the organisation.
- ``VAULT``: the vault's own value (``setting`` table); a policy may lock it or give
  its starting value. The districts are one: a navigator whose organisation writes no
  policy sets her own in the settings; a policy that locks them sets them for every
  vault of the organisation (so merged packages agree).
- ``PROFILE``: the navigator's own (name, site, service line), stored in the vault; no
  policy sets it.

Resolution order (as Firefox and Chrome policies work): ``[locked]`` in the policy >
the vault's stored value (vault and profile scope) > ``[defaults]`` in the policy > the
built-in default. A stored value that breaks today's rule is not used.

Stored settings carry a version (``settings_version`` row, absent = 0). Each step of
:data:`UPGRADES` turns the stored values of one version into the next; reads see the
upgraded values at once; :func:`upgrade` stores them, which the use-case API does when it
opens a vault (and :func:`put` does before its first write).

Secrets (the statistics signing key and any later key) are not options: they live in the
``secret`` table (:class:`lotse.db.models.Secret`), out of reach of anything that lists,
exports or resets settings.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import enum
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lotse.catalogues import BURDEN_FACTORS, DEFAULT_DISTRICTS, SERVICE_LINES, Catalogue
from lotse.domain.fields import LOCK_MINUTES
from lotse.errors import BadInputError
from lotse.i18n import LANGUAGES, N_, _

# SQLAlchemy and the settings table are imported where a vault's values are read or
# written: the unlock window reads the machine policy through this module, and must not
# wait for the storage stack (issue 15).
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The lowest suppression threshold any policy or setting may give (statistics.md: k ≥ 3).
MIN_SUPPRESSION_THRESHOLD = 3
#: Policy may tighten the passphrase rule, never loosen it below the built-in length.
MIN_PASSPHRASE_LENGTH = 12

_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_MAX_CATALOGUE_ENTRIES = 500
_MAX_LABEL = 120
_MAX_TEXT = 200

#: Shown beside a field the policy locks (translate on display: ``_(LOCKED_NOTE)``).
LOCKED_NOTE = N_("vom Administrator festgelegt")


class Scope(enum.Enum):
    MACHINE = "machine"
    VAULT = "vault"
    PROFILE = "profile"


class InvalidValue(ValueError):
    """A value an option cannot take; the message is translated and names the rule."""


class SettingLockedError(BadInputError):
    """The machine policy locks this setting; nothing was stored."""


#: A rule: ``rule(name, value)`` returns the clean value (as stored) or raises
#: :class:`InvalidValue`; ``name`` is how messages call the option (the key in a policy
#: file, the translated label in the window).
Rule = Callable[[str, Any], Any]


# --- rules -----------------------------------------------------------------------------------


def integer(low: int, high: int) -> Rule:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(
                _("{key}: erwartet eine ganze Zahl, nicht {value!r}.").format(key=name, value=value)
            )
        if not low <= value <= high:
            raise InvalidValue(
                _("{key}: {value} liegt nicht im erlaubten Bereich {low} bis {high}.").format(
                    key=name, value=value, low=low, high=high
                )
            )
        return value

    return check


def _threshold(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value < MIN_SUPPRESSION_THRESHOLD:
        raise InvalidValue(
            _(
                "{key}: {value} ist zu klein; die Schwelle für die Geheimhaltung darf nie "
                "unter {minimum} liegen."
            ).format(key=name, value=value, minimum=MIN_SUPPRESSION_THRESHOLD)
        )
    return integer(MIN_SUPPRESSION_THRESHOLD, 100)(name, value)


def one_line(maximum: int) -> Rule:
    """A line of text, stripped, without control characters, at most ``maximum`` long."""

    def check(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidValue(
                _("{key}: erwartet einen Text, nicht {value!r}.").format(key=name, value=value)
            )
        text = value.strip()
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            raise InvalidValue(
                _("{key}: der Text darf keine Zeilenumbrüche enthalten.").format(key=name)
            )
        if len(text) > maximum:
            raise InvalidValue(
                _("{key}: höchstens {n} Zeichen (es sind {m}).").format(
                    key=name, n=maximum, m=len(text)
                )
            )
        return text

    return check


def _catalogue(name: str, value: Any) -> list[list[str]]:
    """A table ``code = "label"``; kept as ``[[code, label], …]`` in the file's order."""
    if isinstance(value, list) and all(
        isinstance(item, list | tuple) and len(item) == 2 for item in value
    ):
        value = dict(value)  # the stored form is accepted back
    if not isinstance(value, Mapping):
        raise InvalidValue(
            _('{key}: erwartet eine Tabelle der Form code = "Bezeichnung".').format(key=name)
        )
    if len(value) > _MAX_CATALOGUE_ENTRIES:
        raise InvalidValue(
            _("{key}: höchstens {n} Einträge.").format(key=name, n=_MAX_CATALOGUE_ENTRIES)
        )
    entries: list[list[str]] = []
    for code, label in value.items():
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise InvalidValue(
                _(
                    "{key}: der Code {code!r} ist ungültig (Kleinbuchstaben, Ziffern, _ und -, "
                    "höchstens 64 Zeichen)."
                ).format(key=name, code=code)
            )
        text = one_line(_MAX_LABEL)(f"{name}.{code}", label)
        if not text:
            raise InvalidValue(
                _("{key}.{code}: die Bezeichnung fehlt.").format(key=name, code=code)
            )
        entries.append([code, text])
    return entries


def _language(name: str, value: Any) -> str:
    if value not in ("", *LANGUAGES):
        raise InvalidValue(
            _('{key}: erlaubt sind "de", "en" oder "" (aus der Umgebung), nicht {value!r}.').format(
                key=name, value=value
            )
        )
    return str(value)


def _service_line(name: str, value: Any) -> str:
    """A built-in service line code, or "" (none chosen)."""
    if value != "" and value not in SERVICE_LINES:
        raise InvalidValue(_("Unbekannter Arbeitsbereich: {value}.").format(value=value))
    return str(value)


def _recovery_key(name: str, value: Any) -> str:
    """A PEM public key Lotse can wrap a vault's data key to (used by the recovery feature)."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa, x25519

    only = _("{key}: nur RSA-, EC- (P-256/384/521) und X25519-Schlüssel verschlüsseln.")
    if not isinstance(value, str):
        raise InvalidValue(
            _("{key}: erwartet einen Text, nicht {value!r}.").format(key=name, value=value)
        )
    pem = value.strip()
    if not pem:
        return ""
    try:
        public_key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError):
        raise InvalidValue(
            _(
                "{key}: kein gültiger öffentlicher Schlüssel im PEM-Format "
                "(-----BEGIN PUBLIC KEY----- …)."
            ).format(key=name)
        ) from None
    except UnsupportedAlgorithm:  # well-formed PEM of a key type cryptography does not know
        raise InvalidValue(only.format(key=name)) from None
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < 3072:
            raise InvalidValue(
                _("{key}: ein RSA-Schlüssel braucht mindestens 3072 Bit (dieser hat {n}).").format(
                    key=name, n=public_key.key_size
                )
            )
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in ("secp256r1", "secp384r1", "secp521r1"):
            raise InvalidValue(
                _("{key}: die Kurve {curve} wird nicht unterstützt (P-256, P-384, P-521).").format(
                    key=name, curve=public_key.curve.name
                )
            )
    elif not isinstance(public_key, x25519.X25519PublicKey):
        raise InvalidValue(only.format(key=name))
    return pem + "\n"


def _card_text(name: str, value: Any) -> str:
    """A contact card's text (``lotse.card/1``, as ``lotse card export`` writes it), or "".

    Only its shape is checked here; its signature and fingerprint are checked where it is
    used (:mod:`lotse.cards.card`), which says clearly what is wrong with it.
    """
    import json

    if not isinstance(value, str):
        raise InvalidValue(
            _("{key}: erwartet einen Text, nicht {value!r}.").format(key=name, value=value)
        )
    text = value.strip()
    if not text:
        return ""
    try:
        card = json.loads(text)
    except (ValueError, RecursionError):
        card = None
    if not isinstance(card, dict) or card.get("format") != "lotse.card/1":
        raise InvalidValue(
            _(
                "{key}: erwartet den Text einer Kontaktkarte (lotse card export), "
                'beginnend mit {{ und mit "format": "lotse.card/1".'
            ).format(key=name)
        )
    return text


def _role(name: str, value: Any) -> str:
    if value not in ("navigator", "team_lead"):
        raise InvalidValue(
            _('{key}: erlaubt sind "navigator" oder "team_lead", nicht {value!r}.').format(
                key=name, value=value
            )
        )
    return str(value)


# --- the declarations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: str
    #: The built-in value, in stored form.
    default: Any
    rule: Rule
    scope: Scope
    #: German msgid (translate on display).
    label: str
    #: Whether a policy's ``[locked]`` may hold it (profile options are in no policy).
    lockable: bool
    #: For catalogue options: the built-in catalogue used while none is set (its name is
    #: the catalogue's name).
    builtin_catalogue: Catalogue | None = None

    @property
    def in_policy(self) -> bool:
        """Whether a machine policy may set it (``[defaults]``, and ``[locked]`` if lockable)."""
        return self.scope is not Scope.PROFILE

    def validate(self, value: Any, name: str | None = None) -> Any:
        """``value`` in stored form, or :class:`InvalidValue` (``name`` defaults to the key)."""
        return self.rule(self.key if name is None else name, value)


def _declare(*options: Option) -> dict[str, Option]:
    return {option.key: option for option in options}


OPTIONS: dict[str, Option] = _declare(
    Option(
        "organisation",
        "",
        one_line(_MAX_TEXT),
        Scope.VAULT,
        N_("Träger / Organisation"),
        lockable=True,
    ),
    Option(
        "sites",
        [],
        _catalogue,
        Scope.MACHINE,
        N_("Standorte"),
        lockable=True,
        builtin_catalogue=Catalogue("site", ()),
    ),
    Option(
        "service_lines",
        [],
        _catalogue,
        Scope.MACHINE,
        N_("Arbeitsbereiche"),
        lockable=True,
        builtin_catalogue=SERVICE_LINES,
    ),
    Option(
        "districts",
        [],
        _catalogue,
        Scope.VAULT,
        N_("Sozialräume"),
        lockable=True,
        builtin_catalogue=DEFAULT_DISTRICTS,
    ),
    Option(
        "lock_after_minutes",
        5,
        integer(LOCK_MINUTES.low, LOCK_MINUTES.high),
        Scope.VAULT,
        N_("Sperren nach Untätigkeit (Minuten)"),
        lockable=True,
    ),
    Option(
        "min_passphrase_length",
        MIN_PASSPHRASE_LENGTH,
        integer(MIN_PASSPHRASE_LENGTH, 128),
        Scope.MACHINE,
        N_("Mindestlänge der Passphrase"),
        lockable=True,
    ),
    Option(
        "suppression_threshold",
        MIN_SUPPRESSION_THRESHOLD,
        _threshold,
        Scope.VAULT,
        N_("Schwelle der Geheimhaltung"),
        lockable=True,
    ),
    Option(
        "screening_threshold",
        2,
        integer(1, len(BURDEN_FACTORS.codes)),
        Scope.VAULT,
        N_("Belastungsfaktoren für ein positives Screening"),
        lockable=True,
    ),
    Option(
        "retention_months",
        0,  # 0: no automatic deletion
        integer(0, 1200),
        Scope.VAULT,
        N_("Aufbewahrung nach Abschluss (Monate)"),
        lockable=True,
    ),
    Option(
        "backup_reminder_days",
        7,  # = lotse.vault.backup.BACKUP_REMINDER_DAYS (a test keeps the two equal)
        integer(1, 365),
        Scope.VAULT,
        N_("Erinnerung an die Sicherung nach (Tagen)"),
        lockable=True,
    ),
    Option(
        "recovery_public_key",
        "",
        _recovery_key,
        Scope.MACHINE,
        N_("Öffentlicher Schlüssel zur Wiederherstellung"),
        lockable=True,
    ),
    Option(
        "team_lead_card",
        "",  # the card's text; empty: the navigator chooses the card file when sending
        _card_text,
        Scope.MACHINE,
        N_("Kontaktkarte der Teamleitung"),
        lockable=True,
    ),
    Option(
        "language",
        "",  # empty: from the environment
        _language,
        Scope.VAULT,
        N_("Sprache"),
        lockable=True,
    ),
    Option("navigator_name", "", one_line(_MAX_TEXT), Scope.PROFILE, N_("Name"), lockable=False),
    Option("site", "", one_line(_MAX_TEXT), Scope.PROFILE, N_("Standort"), lockable=False),
    Option("service_line", "", _service_line, Scope.PROFILE, N_("Arbeitsbereich"), lockable=False),
    Option(
        "service_line_other",
        "",
        one_line(_MAX_TEXT),
        Scope.PROFILE,
        N_("Sonstiger Arbeitsbereich"),
        lockable=False,
    ),
    # A team lead sees the team tab from the start (else once packages were received).
    Option("role", "navigator", _role, Scope.PROFILE, N_("Rolle"), lockable=False),
)

#: The options a machine policy may set, in declaration order.
POLICY_KEYS: tuple[str, ...] = tuple(k for k, o in OPTIONS.items() if o.in_policy)


def option(key: str) -> Option:
    """The declaration of ``key``; :class:`InvalidValue` if there is none."""
    try:
        return OPTIONS[key]
    except KeyError:
        raise InvalidValue(_("Unbekannte Einstellung „{key}“.").format(key=key)) from None


def validate(key: str, value: Any, name: str | None = None) -> Any:
    """``value`` of ``key`` in stored form, or :class:`InvalidValue` naming the broken rule."""
    return option(key).validate(value, name)


# --- the machine policy in force ---------------------------------------------------------------


@dataclass
class Policy:
    """A machine policy: ``[locked]`` and ``[defaults]`` values, already in stored form."""

    locked: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    #: Human-readable problems found in the policy file (already translated); empty if fine.
    problems: list[str] = field(default_factory=list)
    source: str | None = None


_EMPTY = Policy()
_current: Policy | None = None


def current_policy() -> Policy:
    """The policy in force (an empty one until start-up or a test installs one)."""
    return _current if _current is not None else _EMPTY


def policy_installed() -> bool:
    return _current is not None


def set_current_policy(policy: Policy | None) -> None:
    """Install ``policy``; ``None`` uninstalls it (the next start-up reads the machine's).

    Every value in force, the catalogues included, is resolved from it on each access:
    nothing is copied elsewhere that could disagree.
    """
    global _current
    _current = policy


# --- reading values in force -------------------------------------------------------------------

VERSION_KEY = "settings_version"


def _stored_version(session: Session) -> int:
    from sqlalchemy import select

    from lotse.db.models import Setting

    value = session.scalar(select(Setting.value).where(Setting.key == VERSION_KEY))
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _stored_raw(session: Session, key: str) -> Any:
    """The vault's stored value of ``key`` (upgraded if the vault's settings are older)."""
    from sqlalchemy import select

    from lotse.db.models import Setting

    version = _stored_version(session)
    if version < SETTINGS_VERSION:
        rows = {k: v for k, v in session.execute(select(Setting.key, Setting.value))}
        return upgraded(rows, version).get(key)
    return session.scalar(select(Setting.value).where(Setting.key == key))


def _stored(session: Session, opt: Option) -> Any:
    """The vault's own value, or None; a value breaking today's rule is not used."""
    if opt.scope is Scope.MACHINE:
        return None
    stored = _stored_raw(session, opt.key)
    if stored is None:
        return None
    try:
        return opt.validate(stored)
    except InvalidValue:
        return None


def is_locked(key: str) -> bool:
    return key in current_policy().locked


def machine_value(key: str) -> Any:
    """The value before any vault is open (locked or default policy value, else built-in)."""
    return get(None, key)


def get(session: Session | None, key: str) -> Any:
    """The value of ``key`` in force, with the vault's own value where its scope allows."""
    opt = OPTIONS[key]
    policy = current_policy()
    if opt.in_policy and key in policy.locked:
        return copy.deepcopy(policy.locked[key])
    if session is not None:
        stored = _stored(session, opt)
        if stored is not None:
            return stored
    if opt.in_policy and key in policy.defaults:
        return copy.deepcopy(policy.defaults[key])
    return copy.deepcopy(opt.default)


def catalogue(session: Session | None, key: str) -> Catalogue:
    """``sites``, ``service_lines`` or ``districts`` in force, as a :class:`Catalogue`.

    None set means the built-in catalogue: Oberhausen's six social areas for districts,
    the built-in service lines, no sites (the site is then free text).
    """
    builtin = OPTIONS[key].builtin_catalogue
    if builtin is None:
        raise KeyError(key)
    chosen = _vault_catalogues.get() if session is None else None
    if chosen is not None and key in chosen:
        return chosen[key]
    entries = get(session, key)
    if not entries:
        return builtin
    return Catalogue(builtin.name, tuple((code, label) for code, label in entries))


#: The catalogues of the vault a use case works on, for code that checks values without
#: a session of it (the records reader checks a file before it is stored in that vault).
_vault_catalogues: contextvars.ContextVar[dict[str, Catalogue] | None] = contextvars.ContextVar(
    "vault_catalogues", default=None
)


@contextlib.contextmanager
def vault_catalogues(session: Session) -> Iterator[None]:
    """Within the block, ``catalogue(None, key)`` is the vault's (its own districts)."""
    token = _vault_catalogues.set(
        {key: catalogue(session, key) for key, o in OPTIONS.items() if o.builtin_catalogue}
    )
    try:
        yield
    finally:
        _vault_catalogues.reset(token)


def districts(session: Session | None = None) -> Catalogue:
    """The district catalogue in force: the policy's if it locks them, else the vault's
    own (with ``session``), else the policy's default, else Oberhausen's six."""
    return catalogue(session, "districts")


# --- the one write path ----------------------------------------------------------------------


def check(key: str, value: Any) -> Any:
    """``value`` as :func:`put` would store it, or :class:`BadInputError` saying why not.

    Refuses unknown keys, machine-scope keys (only a policy sets those) and keys the
    policy locks, with a message in the user's language that names the option's label.
    """
    try:
        opt = option(key)
    except InvalidValue as error:
        raise BadInputError(str(error)) from None
    label = _(opt.label)
    if opt.scope is Scope.MACHINE:
        raise BadInputError(
            _("„{label}“ legt nur die Richtlinie des Rechners fest, nicht der Tresor.").format(
                label=label
            )
        )
    if opt.in_policy and is_locked(key):
        raise SettingLockedError(
            _("„{key}“ ist {note} und kann nicht geändert werden.").format(
                key=label, note=_(LOCKED_NOTE)
            )
        )
    try:
        return opt.validate(value, label)
    except InvalidValue as error:
        raise BadInputError(str(error)) from None


def _write(session: Session, key: str, value: Any) -> None:
    from lotse.db.models import Setting

    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def put(session: Session, key: str, value: Any) -> Any:
    """Store the vault's own value of ``key`` (the caller commits); return it as stored.

    The only way a setting is written. Raises :class:`SettingLockedError` if the policy
    locks ``key`` and :class:`BadInputError` if ``value`` breaks the key's rule or only a
    policy may set it; nothing is stored then.
    """
    clean = check(key, value)
    upgrade(session)
    _write(session, key, clean)
    return clean


# --- versions of the stored settings -----------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _upgrade_to_1(values: dict[str, Any]) -> dict[str, Any]:
    """Before the registry, settings were written without their rules (issue 8).

    Organisation-wide options (machine scope) leave the vault; a one-line text that has
    line breaks gets spaces instead; a value that still breaks its rule is dropped (it
    was never used: reads ignored it).
    """
    result: dict[str, Any] = {}
    for key, value in values.items():
        opt = OPTIONS.get(key)
        if opt is None:
            result[key] = value  # not an option of this Lotse: not ours to judge
            continue
        if opt.scope is Scope.MACHINE:
            continue
        for candidate in (value, _CONTROL.sub(" ", value) if isinstance(value, str) else None):
            if candidate is None:
                continue
            try:
                result[key] = opt.validate(candidate)
                break
            except InvalidValue:
                continue
    return result


#: Step ``n`` turns the stored values of version ``n - 1`` into version ``n``.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_to_1}
SETTINGS_VERSION = max(UPGRADES)


def upgraded(values: dict[str, Any], version: int) -> dict[str, Any]:
    """``values`` (stored at ``version``) brought to :data:`SETTINGS_VERSION`."""
    values = {k: v for k, v in values.items() if k != VERSION_KEY}
    for step in range(version + 1, SETTINGS_VERSION + 1):
        values = UPGRADES[step](values)
    return values


def upgrade(session: Session) -> bool:
    """Store the vault's settings at the current version (the caller commits).

    Returns whether anything had to change. A vault from a newer Lotse is left alone.
    """
    from sqlalchemy import select

    from lotse.db.models import Setting

    version = _stored_version(session)
    if version >= SETTINGS_VERSION:
        return False
    rows = {row.key: row for row in session.scalars(select(Setting))}
    new = upgraded({key: row.value for key, row in rows.items()}, version)
    for key, row in rows.items():
        if key != VERSION_KEY and key not in new:
            session.delete(row)
    for key, value in new.items():
        if key not in rows or rows[key].value != value:
            _write(session, key, value)
    _write(session, VERSION_KEY, SETTINGS_VERSION)
    session.flush()
    return True
