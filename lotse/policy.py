"""The machine policy IT departments write (``policy.toml``), read once at start.

Where it lives: ``/etc/lotse/policy.toml`` (Linux), ``%ProgramData%\\Lotse\\policy.toml``
(Windows), ``/Library/Application Support/Lotse/policy.toml`` (macOS); the variable
``LOTSE_POLICY`` names another file (tests, trials), and ``LOTSE_POLICY=""`` means none.

The file has two tables with the same keys (:data:`lotse.settings.BUILTIN`): ``[locked]``
values the user cannot change, ``[defaults]`` values the user starts with. A bad file is
never silently ignored: every problem becomes a ``FILE:LINE: message`` in
:attr:`Policy.problems` (the CLI prints them, the window shows them), and the safe
built-in value applies instead of each wrong entry. A file that is not TOML at all gives
the built-ins everywhere. A wrong entry in ``[locked]`` stays locked, at the built-in
value: IT meant the user not to control it, and a typo must not hand the control back.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lotse.i18n import _

TABLES = ("locked", "defaults")

#: The lowest suppression threshold any policy or setting may give (statistics.md: k ≥ 3).
MIN_SUPPRESSION_THRESHOLD = 3
#: Policy may tighten the passphrase rule, never loosen it below the built-in length.
MIN_PASSPHRASE_LENGTH = 12

_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_MAX_CATALOGUE_ENTRIES = 500
_MAX_LABEL = 120
_MAX_ORGANISATION = 200


@dataclass
class Policy:
    locked: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    #: Human-readable problems found in the policy file (already translated); empty if fine.
    problems: list[str] = field(default_factory=list)
    source: str | None = None


@dataclass(frozen=True)
class PolicyProblem:
    """One problem of a policy file; ``line`` is None where no line can be named."""

    line: int | None
    message: str

    def render(self, filename: str) -> str:
        if self.line is None:
            return f"{filename}: {self.message}"
        return f"{filename}:{self.line}: {self.message}"


class InvalidValue(ValueError):
    """A value a setting cannot take; the message is translated and names the rule."""


# --- value rules (shared with lotse.settings.put, so a vault setting obeys them too) ---


def _integer(low: int, high: int) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(
                _("{key}: erwartet eine ganze Zahl, nicht {value!r}.").format(key=key, value=value)
            )
        if not low <= value <= high:
            raise InvalidValue(
                _("{key}: {value} liegt nicht im erlaubten Bereich {low} bis {high}.").format(
                    key=key, value=value, low=low, high=high
                )
            )
        return value

    return check


def _threshold(key: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value < MIN_SUPPRESSION_THRESHOLD:
        raise InvalidValue(
            _(
                "{key}: {value} ist zu klein; die Schwelle für die Geheimhaltung darf nie "
                "unter {minimum} liegen."
            ).format(key=key, value=value, minimum=MIN_SUPPRESSION_THRESHOLD)
        )
    return _integer(MIN_SUPPRESSION_THRESHOLD, 100)(key, value)


def _one_line(key: str, value: Any, maximum: int) -> str:
    if not isinstance(value, str):
        raise InvalidValue(
            _("{key}: erwartet einen Text, nicht {value!r}.").format(key=key, value=value)
        )
    text = value.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidValue(
            _("{key}: der Text darf keine Zeilenumbrüche enthalten.").format(key=key)
        )
    if len(text) > maximum:
        raise InvalidValue(
            _("{key}: höchstens {n} Zeichen (es sind {m}).").format(key=key, n=maximum, m=len(text))
        )
    return text


def _organisation(key: str, value: Any) -> str:
    return _one_line(key, value, _MAX_ORGANISATION)


def _catalogue(key: str, value: Any) -> list[list[str]]:
    """A table ``code = "label"``; kept as ``[[code, label], …]`` in the file's order."""
    if isinstance(value, list) and all(
        isinstance(item, list | tuple) and len(item) == 2 for item in value
    ):
        value = dict(value)  # the stored form (vault settings) is accepted back
    if not isinstance(value, Mapping):
        raise InvalidValue(
            _('{key}: erwartet eine Tabelle der Form code = "Bezeichnung".').format(key=key)
        )
    if len(value) > _MAX_CATALOGUE_ENTRIES:
        raise InvalidValue(
            _("{key}: höchstens {n} Einträge.").format(key=key, n=_MAX_CATALOGUE_ENTRIES)
        )
    entries: list[list[str]] = []
    for code, label in value.items():
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise InvalidValue(
                _(
                    "{key}: der Code {code!r} ist ungültig (Kleinbuchstaben, Ziffern, _ und -, "
                    "höchstens 64 Zeichen)."
                ).format(key=key, code=code)
            )
        text = _one_line(f"{key}.{code}", label, _MAX_LABEL)
        if not text:
            raise InvalidValue(_("{key}.{code}: die Bezeichnung fehlt.").format(key=key, code=code))
        entries.append([code, text])
    return entries


def _language(key: str, value: Any) -> str:
    if value not in ("", "de", "en"):
        raise InvalidValue(
            _('{key}: erlaubt sind "de", "en" oder "" (aus der Umgebung), nicht {value!r}.').format(
                key=key, value=value
            )
        )
    return str(value)


def _recovery_key(key: str, value: Any) -> str:
    """A PEM public key Lotse can wrap a vault's data key to (used by the recovery feature)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa, x25519

    if not isinstance(value, str):
        raise InvalidValue(
            _("{key}: erwartet einen Text, nicht {value!r}.").format(key=key, value=value)
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
            ).format(key=key)
        ) from None
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < 3072:
            raise InvalidValue(
                _("{key}: ein RSA-Schlüssel braucht mindestens 3072 Bit (dieser hat {n}).").format(
                    key=key, n=public_key.key_size
                )
            )
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in ("secp256r1", "secp384r1", "secp521r1"):
            raise InvalidValue(
                _("{key}: die Kurve {curve} wird nicht unterstützt (P-256, P-384, P-521).").format(
                    key=key, curve=public_key.curve.name
                )
            )
    elif not isinstance(public_key, x25519.X25519PublicKey):
        raise InvalidValue(
            _("{key}: nur RSA-, EC- (P-256/384/521) und X25519-Schlüssel verschlüsseln.").format(
                key=key
            )
        )
    return pem + "\n"


#: Every key a policy (and a vault setting) may hold, with the rule its value must meet.
RULES: dict[str, Callable[[str, Any], Any]] = {
    "organisation": _organisation,
    "sites": _catalogue,
    "service_lines": _catalogue,
    "districts": _catalogue,
    "lock_after_minutes": _integer(1, 240),
    "min_passphrase_length": _integer(MIN_PASSPHRASE_LENGTH, 128),
    "suppression_threshold": _threshold,
    "retention_months": _integer(0, 1200),
    "recovery_public_key": _recovery_key,
    "language": _language,
}


def validate_value(key: str, value: Any) -> Any:
    """``value`` in its stored form, or :class:`InvalidValue` naming the broken rule."""
    rule = RULES.get(key)
    if rule is None:
        raise InvalidValue(_("Unbekannte Einstellung „{key}“.").format(key=key))
    return rule(key, value)


# --- finding line numbers: tomllib parses, but does not say where a key was ---

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"' + r"|'[^']*'"
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_DOTTED})\s*\]\]?")
_ASSIGN = re.compile(rf"\s*({_DOTTED})\s*=")


def _split_dotted(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, dotted)
    return tuple(p[1:-1] if p[:1] in ('"', "'") else p for p in parts)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) where each table and key path is first written."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        assign = None if header else _ASSIGN.match(line)
        if header:
            table = _split_dotted(header.group(1))
            lines.setdefault(table, number)
        elif assign:
            path = table + _split_dotted(assign.group(1))
            for depth in range(len(table) + 1, len(path) + 1):
                lines.setdefault(path[:depth], number)
            rest = line[assign.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2 == 1:
                    in_multiline = quotes
                    break
    return lines


def _line_of(lines: Mapping[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    for depth in range(len(path), 0, -1):
        if path[:depth] in lines:
            return lines[path[:depth]]
    return None


# --- reading a policy file ---

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


def _toml_problem(error: tomllib.TOMLDecodeError) -> PolicyProblem:
    text = str(error)
    match = _TOML_POSITION.search(text)
    line = int(match.group(1)) if match else None
    detail = _TOML_POSITION.sub("", text)
    return PolicyProblem(
        line,
        _(
            "Die Datei ist kein gültiges TOML ({detail}); es gelten die eingebauten "
            "Vorgaben für alle Einstellungen."
        ).format(detail=detail),
    )


def parse_policy(data: bytes) -> tuple[dict[str, Any], dict[str, Any], list[PolicyProblem]]:
    """Check a policy file's bytes: ``(locked, defaults, problems)``, values in stored form."""
    from lotse.settings import BUILTIN

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return {}, {}, [PolicyProblem(line, _("Die Datei ist nicht in UTF-8 geschrieben."))]
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return {}, {}, [_toml_problem(error)]

    lines = key_lines(text)
    problems: list[PolicyProblem] = []
    tables: dict[str, dict[str, Any]] = {"locked": {}, "defaults": {}}
    for name, content in document.items():
        if name not in TABLES:
            problems.append(
                PolicyProblem(
                    _line_of(lines, (name,)),
                    _("„{name}“ ist unbekannt: erlaubt sind nur [locked] und [defaults].").format(
                        name=name
                    ),
                )
            )
            continue
        if not isinstance(content, dict):
            problems.append(
                PolicyProblem(
                    _line_of(lines, (name,)),
                    _("„{name}“ muss eine Tabelle sein: [{name}].").format(name=name),
                )
            )
            continue
        for key, value in content.items():
            where = _line_of(lines, (name, key))
            if key not in RULES:
                hint = difflib.get_close_matches(key, RULES, n=1)
                message = _("[{table}]: unbekannte Einstellung „{key}“.").format(
                    table=name, key=key
                )
                if hint:
                    message += " " + _("Gemeint ist vielleicht „{hint}“.").format(hint=hint[0])
                problems.append(PolicyProblem(where, message))
                continue
            try:
                tables[name][key] = validate_value(key, value)
            except InvalidValue as error:
                problems.append(PolicyProblem(where, f"[{name}] {error}"))
                if name == "locked":
                    tables[name][key] = BUILTIN[key]
    return tables["locked"], tables["defaults"], problems


def read_policy(path: Path) -> Policy:
    """The policy in ``path`` with every problem rendered as ``FILE:LINE: message``."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        problem = PolicyProblem(
            None,
            _(
                "Die Richtlinie kann nicht gelesen werden ({error}); es gelten die eingebauten "
                "Vorgaben."
            ).format(error=error.strerror or error),
        )
        return Policy(problems=[problem.render(source)], source=source)
    locked, defaults, problems = parse_policy(data)
    return Policy(
        locked=locked,
        defaults=defaults,
        problems=[p.render(source) for p in problems],
        source=source,
    )


def machine_policy_path(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> Path | None:
    """Where this machine's policy is (``LOTSE_POLICY`` wins; ``""`` means no policy)."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if "LOTSE_POLICY" in env:
        chosen = env["LOTSE_POLICY"].strip()
        return Path(chosen).expanduser() if chosen else None
    if platform.startswith("win"):
        program_data = env.get("ProgramData") or env.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(program_data) / "Lotse" / "policy.toml"
    if platform == "darwin":
        return Path("/Library/Application Support/Lotse/policy.toml")
    return Path("/etc/lotse/policy.toml")


def load_machine_policy(environ: Mapping[str, str] | None = None) -> Policy:
    """This machine's policy; no file at the standard place is no policy (not a problem)."""
    env = os.environ if environ is None else environ
    path = machine_policy_path(env)
    if path is None:
        return Policy()
    if not path.exists() and "LOTSE_POLICY" not in env:
        return Policy()
    return read_policy(path)


_EMPTY = Policy()
_current: Policy | None = None


def current_policy() -> Policy:
    """The policy in force (an empty one until start-up or a test installs one)."""
    return _current if _current is not None else _EMPTY


def set_current_policy(policy: Policy | None) -> None:
    """Install ``policy`` (tests; start-up installs the machine's); ``None`` removes it.

    The organisation's districts go into :func:`lotse.catalogues.set_districts` at once,
    so every reader of the catalogue sees them.
    """
    global _current
    _current = policy
    _install_districts()


def _install_districts() -> None:
    from lotse import catalogues
    from lotse.settings import machine_value

    entries = machine_value("districts")
    if entries:
        catalogues.set_districts(
            catalogues.Catalogue("district", tuple((code, label) for code, label in entries))
        )
    else:
        catalogues.set_districts(catalogues.DEFAULT_DISTRICTS)


def install_machine_policy() -> Policy:
    """Read and install this machine's policy once (start-up); keep one already installed.

    A policy a test or an embedding program installed before is left as it is.
    """
    if _current is None:
        set_current_policy(load_machine_policy())
    return current_policy()
