"""The machine policy IT departments write (``policy.toml``), read once at start.

Where it lives: ``/etc/lotse/policy.toml`` (Linux), ``%ProgramData%\\Lotse\\policy.toml``
(Windows), ``/Library/Application Support/Lotse/policy.toml`` (macOS). That machine-wide
file always applies. Only where a machine has none may ``LOTSE_POLICY`` name a file
(trials, tests); the variable can neither replace nor switch off a machine-wide policy.

The file has two tables whose keys are the options a policy may set
(:data:`lotse.options.POLICY_KEYS`): ``[locked]`` values the user cannot change,
``[defaults]`` values the user starts with. A bad file is never silently ignored: every
problem becomes a ``FILE:LINE: message`` in :attr:`Policy.problems` (the CLI prints them,
the window shows them), and the safe built-in value applies instead of each wrong entry.
A file that cannot be read or is not TOML at all (not a regular file, larger than 1 MiB,
nested too deeply…) gives the built-ins everywhere, never a traceback. A wrong entry in
``[locked]`` stays locked, at the built-in value: IT meant the user not to control it,
and a typo must not hand the control back.

Tests keep the machine's own policy out with :func:`reset_for_tests` (or by pointing
:data:`machine_policy_file` at a file of their own).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lotse import options
from lotse.errors import BadInputError
from lotse.fileio import read_input_file
from lotse.i18n import _
from lotse.options import (
    MIN_PASSPHRASE_LENGTH,
    MIN_SUPPRESSION_THRESHOLD,
    OPTIONS,
    POLICY_KEYS,
    InvalidValue,
    Policy,
    current_policy,
    set_current_policy,
)

__all__ = [
    "MAX_POLICY_BYTES",
    "MIN_PASSPHRASE_LENGTH",
    "MIN_SUPPRESSION_THRESHOLD",
    "RULES",
    "TABLES",
    "InvalidValue",
    "Policy",
    "PolicyProblem",
    "current_policy",
    "install_machine_policy",
    "key_lines",
    "load_machine_policy",
    "machine_policy_path",
    "parse_policy",
    "read_policy",
    "reset_for_tests",
    "set_current_policy",
]

TABLES = ("locked", "defaults")
#: Largest policy file read; a real one is a few kilobytes.
MAX_POLICY_BYTES = 1024 * 1024

#: The rule of every key a policy may hold (from the options registry).
RULES = {key: OPTIONS[key].rule for key in POLICY_KEYS}


@dataclass(frozen=True)
class PolicyProblem:
    """One problem of a policy file; ``line`` is None where no line can be named."""

    line: int | None
    message: str

    def render(self, filename: str) -> str:
        if self.line is None:
            return f"{filename}: {self.message}"
        return f"{filename}:{self.line}: {self.message}"


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
    # TOML lines end only at LF (or CRLF); splitlines() would also break at U+2028, \x0c …
    # inside a string and number every later line wrong.
    for number, line in enumerate(text.split("\n"), start=1):
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


# --- checking a policy file's content ---

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
    """Check a policy file's bytes: ``(locked, defaults, problems)``, values in stored form.

    Never raises: whatever goes wrong becomes a problem, and the built-ins apply.
    """
    try:
        return _parse(data)
    except RecursionError:
        problem = _("Die Datei ist zu tief verschachtelt; es gelten die eingebauten Vorgaben.")
    except Exception as error:  # a policy must never stop Lotse
        problem = _(
            "Die Richtlinie kann nicht ausgewertet werden ({error}); es gelten die eingebauten "
            "Vorgaben."
        ).format(error=type(error).__name__)
    return {}, {}, [PolicyProblem(None, problem)]


def _parse(data: bytes) -> tuple[dict[str, Any], dict[str, Any], list[PolicyProblem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return {}, {}, [PolicyProblem(line, _("Die Datei ist nicht in UTF-8 geschrieben."))]
    # Windows editors start UTF-8 files with a byte order mark; TOML does not allow one.
    text = text.removeprefix("\ufeff")
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
            if name == "locked" and not OPTIONS[key].lockable:
                problems.append(
                    PolicyProblem(
                        where,
                        _("[locked]: „{key}“ kann nur vorbelegt werden ([defaults]).").format(
                            key=key
                        ),
                    )
                )
                continue
            try:
                tables[name][key] = options.validate(key, value)
            except InvalidValue as error:
                problems.append(PolicyProblem(where, f"[{name}] {error}"))
                if name == "locked":
                    tables[name][key] = OPTIONS[key].default
    return tables["locked"], tables["defaults"], problems


# --- reading a policy file ---


def read_policy(path: Path) -> Policy:
    """The policy in ``path`` with every problem rendered as ``FILE:LINE: message``.

    Only a regular file of at most :data:`MAX_POLICY_BYTES` is read: a FIFO would wait
    for a writer and a device (``/dev/zero``) never ends. Never raises: a file that
    cannot be read gives the built-ins and one problem that names it.
    """
    source = str(path)
    try:
        data = read_input_file(path, MAX_POLICY_BYTES, source)
    except BadInputError as error:
        problem = _("{problem} Es gelten die eingebauten Vorgaben.").format(problem=error.message)
        return Policy(problems=[problem], source=source)
    locked, defaults, problems = parse_policy(data)
    return Policy(
        locked=locked,
        defaults=defaults,
        problems=[p.render(source) for p in problems],
        source=source,
    )


# --- which file applies ---


def _windows_program_data() -> str:
    """The system's ProgramData folder, asked of Windows itself.

    The environment variable is the user's to change, so it only serves as a fallback.
    """
    try:
        import ctypes

        buffer = ctypes.create_unicode_buffer(260)
        csidl_common_appdata = 0x23
        shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]
        if shell32.SHGetFolderPathW(None, csidl_common_appdata, None, 0, buffer) == 0:
            return str(buffer.value)
    except (AttributeError, ImportError, OSError):
        pass
    return os.environ.get("PROGRAMDATA") or r"C:\ProgramData"


def machine_policy_path(platform: str | None = None, program_data: str | None = None) -> Path:
    """The machine-wide policy file's standard place on ``platform`` (default: this one)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return Path(program_data or _windows_program_data()) / "Lotse" / "policy.toml"
    if platform == "darwin":
        return Path("/Library/Application Support/Lotse/policy.toml")
    return Path("/etc/lotse/policy.toml")


#: The machine-wide policy file; ``None`` means this machine has none. The test suite
#: sets it (:func:`reset_for_tests`, or a file of a test's own) so that the machine's
#: real policy stays out of tests; nothing a user controls changes it.
machine_policy_file: Path | None = machine_policy_path()


def _present(path: Path) -> bool:
    """Whether anything is at ``path``: a file, a folder, a FIFO, even a broken link.

    Whatever is there is the machine's policy, readable or not; only nothing at all lets
    ``LOTSE_POLICY`` apply.
    """
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True  # there, but not ours to look at: reading it says why
    return True


def load_machine_policy(environ: Mapping[str, str] | None = None) -> Policy:
    """This machine's policy: the machine-wide file if present, else ``LOTSE_POLICY``'s.

    No file at all is no policy (not a problem). Never raises.
    """
    env = os.environ if environ is None else environ
    try:
        machine = machine_policy_file
        if machine is not None and _present(machine):
            return read_policy(machine)
        chosen = env.get("LOTSE_POLICY", "").strip()
        if chosen:
            return read_policy(Path(chosen).expanduser())
        return Policy()
    except Exception as error:  # a policy must never stop Lotse
        problem = _(
            "Die Richtlinie kann nicht gelesen werden ({error}); es gelten die eingebauten "
            "Vorgaben."
        ).format(error=error)
        return Policy(problems=[problem])


def install_machine_policy() -> Policy:
    """Read and install this machine's policy once (start-up); keep one already installed.

    A policy a test or an embedding program installed before is left as it is.
    """
    if not options.policy_installed():
        set_current_policy(load_machine_policy())
    return current_policy()


def reset_for_tests(machine_file: Path | None = None) -> None:
    """Forget the installed policy and take ``machine_file`` as the machine-wide one.

    With ``None`` (the test suite's root fixture) the machine's own policy stays out, and
    ``LOTSE_POLICY`` may name one as on a machine without a policy. Catalogues and every
    other option follow the policy, so nothing else needs resetting.
    """
    global machine_policy_file
    machine_policy_file = machine_file
    set_current_policy(None)
