"""The settings in force, as the window, the command line and the reports ask for them.

A thin call point over :mod:`lotse.options`, where every option is declared with its
default, rule, scope and label, and where resolution (locked policy > vault > policy
default > built-in) and the one validating write path live.
"""

from __future__ import annotations

from typing import Any

from lotse import i18n
from lotse.options import (
    LOCKED_NOTE,
    OPTIONS,
    POLICY_KEYS,
    SettingLockedError,
    catalogue,
    get,
    is_locked,
    machine_value,
    put,
    upgrade,
)

#: The built-in value of every option a machine policy may set.
BUILTIN: dict[str, Any] = {key: OPTIONS[key].default for key in POLICY_KEYS}

__all__ = [
    "BUILTIN",
    "LOCKED_NOTE",
    "SettingLockedError",
    "builtin",
    "catalogue",
    "get",
    "is_locked",
    "machine_value",
    "put",
    "start_language",
    "upgrade",
]


def builtin(key: str) -> Any:
    return OPTIONS[key].default


def start_language() -> str:
    """The language before a vault is open: a policy value, else the environment's."""
    chosen = machine_value("language")
    return chosen if chosen in i18n.LANGUAGES else i18n.detect_language()
