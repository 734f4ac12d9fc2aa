"""The rules a passphrase must meet, a strength estimate, and a generator.

The estimate is zxcvbn's (Dropbox's model of how password crackers guess: dictionaries,
names, dates, repeats, sequences, keyboard patterns) with German words added
(``resources/wordlists``: common words, months, seasons, NRW's cities, "lotse",
"kinderstark" …), so ``Sommer2026!!`` counts as the word, year and symbols it is, not as
twelve characters. A passphrase must be at least :data:`MIN_GUESSES_LOG10` (10^10 guesses,
zxcvbn's top score) and at least the policy's minimum length.

:func:`generate_passphrase` draws words from 2048 common German words with
:mod:`secrets`: five words are 55 bits, far beyond the bar.
"""

from __future__ import annotations

import functools
import math
import secrets
from dataclasses import dataclass

from lotse.errors import PassphraseRuleError
from lotse.i18n import N_, _
from lotse.resources import resource_path

DEFAULT_MIN_LENGTH = 12
#: The least estimated number of guesses (as log10) a passphrase needs.
MIN_GUESSES_LOG10 = 10.0
#: zxcvbn looks at this many characters (it is quadratic in the length); more only adds.
_ESTIMATE_CHARS = 72
#: Words in a generated passphrase by default (5 × 11 bits).
DEFAULT_WORDS = 5

_LABELS = (
    N_("sehr schwach"),
    N_("schwach"),
    N_("mäßig"),
    N_("gut"),
    N_("stark"),
)

# What the weakest parts of a passphrase are, by zxcvbn's pattern name.
_HINTS = {
    "dictionary": N_("ein häufiges Wort oder ein Name"),
    "repeat": N_("Wiederholungen (wie „aaaa“)"),
    "sequence": N_("eine Zeichenfolge (wie „abcd“ oder „1234“)"),
    "spatial": N_("ein Tastaturmuster (wie „qwertz“)"),
    "date": N_("ein Datum"),
    "regex": N_("eine Jahreszahl"),
}


@dataclass(frozen=True)
class Strength:
    """How hard a passphrase is to guess, for the wizard's meter and for the rule."""

    #: 0 (guessed at once) … 4 (at least 10^10 guesses), zxcvbn's scale
    score: int
    #: log10 of the estimated guesses a cracker needs
    guesses_log10: float
    #: meets Lotse's bar (:data:`MIN_GUESSES_LOG10`); the length rule is checked apart
    acceptable: bool
    #: "sehr schwach" … "stark", translated
    label: str
    #: what makes it guessable ("ein häufiges Wort oder ein Name", …), translated
    hints: tuple[str, ...]


def _words(name: str) -> list[str]:
    lines = resource_path("wordlists", name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


@functools.cache
def passphrase_words() -> tuple[str, ...]:
    """The generator's word list (2048 common German words, lowercase ASCII)."""
    return tuple(_words("de-passphrase.txt"))


@functools.cache
def _zxcvbn():  # type: ignore[no-untyped-def]
    """zxcvbn with the German list added (once: it becomes one of its ranked dictionaries)."""
    from zxcvbn import matching, zxcvbn

    german = list(dict.fromkeys(_words("de-common.txt") + list(passphrase_words())))
    matching.add_frequency_lists({"german": german})
    return zxcvbn


def estimate_strength(passphrase: str) -> Strength:
    """The strength estimate of ``passphrase`` (fast enough to run on every key press)."""
    if not passphrase:
        return Strength(0, 0.0, False, _(_LABELS[0]), ())
    result = _zxcvbn()(passphrase[:_ESTIMATE_CHARS])
    guesses_log10 = float(result["guesses_log10"])
    if not math.isfinite(guesses_log10):
        guesses_log10 = 0.0
    score = int(result["score"])
    hints: list[str] = []
    for match in result["sequence"]:
        hint = _HINTS.get(match.get("pattern", ""))
        if hint is not None and _(hint) not in hints:
            hints.append(_(hint))
    return Strength(
        score=score,
        guesses_log10=guesses_log10,
        acceptable=guesses_log10 >= MIN_GUESSES_LOG10,
        label=_(_LABELS[max(0, min(score, 4))]),
        hints=tuple(hints),
    )


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
    strength = estimate_strength(passphrase)
    if not strength.acceptable:
        because = (
            _(" Sie besteht vor allem aus: {parts}.").format(parts="; ".join(strength.hints))
            if strength.hints
            else ""
        )
        raise PassphraseRuleError(
            _("Die Passphrase ist zu leicht zu erraten.")
            + because
            + " "
            + _("Nehmen Sie mehrere zufällige Wörter, etwa vier oder fünf.")
        )


def generate_passphrase(words: int = DEFAULT_WORDS, separator: str = "-") -> str:
    """``words`` random words of the German list, joined by ``separator`` (``secrets``)."""
    if words < 1:
        raise ValueError("at least one word")
    pool = passphrase_words()
    return separator.join(secrets.choice(pool) for _word in range(words))


def generated_bits(words: int = DEFAULT_WORDS) -> float:
    """The entropy of a generated passphrase of ``words`` words, in bits."""
    return words * math.log2(len(passphrase_words()))
