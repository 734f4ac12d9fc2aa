"""The machine policy IT departments write (``policy.toml``), read once at start.

SKELETON to be completed (issue 5): file locations per OS, ``LOTSE_POLICY``, validation with
line numbers, ``lotse policy check``. The interface below is what the rest of Lotse uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Policy:
    locked: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    #: Human-readable problems found in the policy file (already translated); empty if fine.
    problems: list[str] = field(default_factory=list)
    source: str | None = None


_current: Policy | None = None


def current_policy() -> Policy:
    global _current
    if _current is None:
        _current = Policy()
    return _current


def set_current_policy(policy: Policy | None) -> None:
    """Install ``policy`` (tests; start-up installs the machine's)."""
    global _current
    _current = policy
