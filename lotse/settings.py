"""The settings in force: machine policy, then the vault's own settings, then built-ins.

Resolution order for a key (as Firefox and Chrome policies work):
``[locked]`` in the machine policy > the vault's ``setting`` table > ``[defaults]`` in the
policy > the built-in default. :func:`is_locked` tells the UI to grey a field out.

SKELETON: the policy loader (``lotse.policy``) fills ``_policy``; until then only
built-ins and vault settings apply.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.db.models import Setting

BUILTIN: dict[str, Any] = {
    "organisation": "",
    "sites": [],
    "service_lines": [],
    "districts": [],  # empty: Oberhausen's six social areas (catalogues.DEFAULT_DISTRICTS)
    "lock_after_minutes": 5,
    "min_passphrase_length": 12,
    "suppression_threshold": 3,
    "retention_months": 0,  # 0: no automatic deletion
    "recovery_public_key": "",
    "language": "",  # empty: from the environment
}


def builtin(key: str) -> Any:
    return BUILTIN[key]


def is_locked(key: str) -> bool:
    from lotse.policy import current_policy

    return key in current_policy().locked


def machine_value(key: str) -> Any:
    """The value before any vault is open (locked or default policy value, else built-in)."""
    from lotse.policy import current_policy

    policy = current_policy()
    if key in policy.locked:
        return policy.locked[key]
    if key in policy.defaults:
        return policy.defaults[key]
    return BUILTIN[key]


def get(session: Session | None, key: str) -> Any:
    """The value of ``key`` in force, with the vault's own setting where allowed."""
    from lotse.policy import current_policy

    policy = current_policy()
    if key in policy.locked:
        return policy.locked[key]
    if session is not None:
        stored = session.scalar(select(Setting.value).where(Setting.key == key))
        if stored is not None:
            return stored
    if key in policy.defaults:
        return policy.defaults[key]
    return BUILTIN[key]
