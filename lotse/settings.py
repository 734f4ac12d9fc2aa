"""The settings in force: machine policy, then the vault's own settings, then built-ins.

Resolution order for a key (as Firefox and Chrome policies work):
``[locked]`` in the machine policy > the vault's ``setting`` table > ``[defaults]`` in the
policy > the built-in default. :func:`is_locked` tells the UI to grey a field out (with
:data:`LOCKED_NOTE`), and :func:`put` refuses to store a locked key, so neither the
window nor the command line can change what IT locked.

Value shapes (as stored, JSON): ``organisation``, ``recovery_public_key`` and
``language`` are strings; ``sites``, ``service_lines`` and ``districts`` are lists of
``[code, label]`` pairs (use :func:`catalogue`); the rest are integers. The rules each
value must meet live in :data:`lotse.policy.RULES`, for policy and vault alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotse.catalogues import DEFAULT_DISTRICTS, Catalogue
from lotse.db.models import Setting
from lotse.errors import BadInputError
from lotse.i18n import N_, _

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

#: Shown beside a field the policy locks (translate on display: ``_(LOCKED_NOTE)``).
LOCKED_NOTE = N_("vom Administrator festgelegt")


class SettingLockedError(BadInputError):
    """The machine policy locks this setting; nothing was stored."""


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


def _stored(session: Session, key: str) -> Any:
    """The vault's own value, or None; a value breaking today's rules is not used."""
    from lotse.policy import InvalidValue, validate_value

    stored = session.scalar(select(Setting.value).where(Setting.key == key))
    if stored is None or key not in BUILTIN:
        return stored
    try:
        return validate_value(key, stored)
    except InvalidValue:
        return None


def get(session: Session | None, key: str) -> Any:
    """The value of ``key`` in force, with the vault's own setting where allowed."""
    from lotse.policy import current_policy

    policy = current_policy()
    if key in policy.locked:
        return policy.locked[key]
    if session is not None:
        stored = _stored(session, key)
        if stored is not None:
            return stored
    if key in policy.defaults:
        return policy.defaults[key]
    return BUILTIN[key]


def put(session: Session, key: str, value: Any) -> Any:
    """Store the vault's own value of ``key`` (the caller commits); return it as stored.

    Raises :class:`SettingLockedError` if the policy locks ``key`` and
    :class:`BadInputError` if ``value`` breaks the key's rule; nothing is stored then.
    """
    from lotse.policy import InvalidValue, validate_value

    if is_locked(key):
        raise SettingLockedError(
            _("„{key}“ ist {note} und kann nicht geändert werden.").format(
                key=key, note=_(LOCKED_NOTE)
            )
        )
    try:
        clean = validate_value(key, value)
    except InvalidValue as error:
        raise BadInputError(str(error)) from None
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=clean))
    else:
        row.value = clean
    return clean


def catalogue(session: Session | None, key: str) -> Catalogue:
    """``sites``, ``service_lines`` or ``districts`` in force, as a :class:`Catalogue`.

    No districts set means Oberhausen's six social areas.
    """
    entries = get(session, key)
    if key == "districts" and not entries:
        return DEFAULT_DISTRICTS
    name = {"sites": "site", "service_lines": "service_line", "districts": "district"}[key]
    return Catalogue(name, tuple((code, label) for code, label in entries))
