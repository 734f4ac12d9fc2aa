"""The rules a passphrase must meet, each failure naming the rule it breaks."""

from __future__ import annotations

from lotse.errors import PassphraseRuleError
from lotse.i18n import _

DEFAULT_MIN_LENGTH = 12


def check_passphrase(passphrase: str, min_length: int = DEFAULT_MIN_LENGTH) -> None:
    """Raise :class:`PassphraseRuleError` naming the rule ``passphrase`` breaks."""
    if len(passphrase) < min_length:
        raise PassphraseRuleError(
            _("Die Passphrase muss mindestens {n} Zeichen lang sein (sie hat {m}).").format(
                n=min_length, m=len(passphrase)
            )
        )
    if passphrase.strip() != passphrase:
        raise PassphraseRuleError(
            _("Die Passphrase darf nicht mit Leerzeichen beginnen oder enden.")
        )
    if len(set(passphrase)) < 4:
        raise PassphraseRuleError(
            _("Die Passphrase muss mindestens 4 verschiedene Zeichen enthalten.")
        )
