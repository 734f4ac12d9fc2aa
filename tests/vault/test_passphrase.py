"""Passphrase rules: a real strength estimate with German words, and the generator."""

from __future__ import annotations

import math
import re

import pytest

from lotse import i18n
from lotse.errors import PassphraseRuleError
from lotse.vault.passphrase import (
    MIN_GUESSES_LOG10,
    check_passphrase,
    estimate_strength,
    generate_passphrase,
    generated_bits,
    passphrase_words,
)


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("Sommer2026!!", "häufiges Wort"),
        ("aaaaaaaaabcd", "Wiederholungen"),
        ("Oberhausen2026!", "häufiges Wort"),
        ("kinderstark2026", "häufiges Wort"),
        ("qwertzuiop1234", "Tastaturmuster|häufiges Wort"),
        ("abcdefghijklmn", "Zeichenfolge"),
    ],
)
def test_guessable_passphrases_are_refused_with_the_reason(weak: str, reason: str) -> None:
    assert len(weak) >= 12  # long enough: only the estimate refuses them
    with pytest.raises(PassphraseRuleError) as err:
        check_passphrase(weak)
    assert err.value.message.startswith("Die Passphrase ist zu leicht zu erraten.")
    assert re.search(reason, err.value.message)
    assert weak not in err.value.message  # never echoed


def test_german_words_make_the_difference() -> None:
    """Without the German list, zxcvbn takes "Sommer" for random letters."""
    from zxcvbn import matching, zxcvbn

    with_german = estimate_strength("Sommer2026!!").guesses_log10  # adds the list
    german = matching.RANKED_DICTIONARIES.pop("german")
    try:
        english_only = zxcvbn("Sommer2026!!")["guesses_log10"]
    finally:
        matching.RANKED_DICTIONARIES["german"] = german
    assert english_only >= 9.5
    assert with_german < MIN_GUESSES_LOG10 - 1


def test_the_message_is_translated() -> None:
    i18n.set_language("en")
    with pytest.raises(PassphraseRuleError) as err:
        check_passphrase("aaaaaaaaabcd")
    assert err.value.message.startswith("The passphrase is too easy to guess.")
    assert "repetitions" in err.value.message


@pytest.mark.parametrize(
    "good",
    ["Lotse-Test-Passphrase-2026", "korrekt-pferd-batterie-heft", "Eine ganz neue Passphrase"],
)
def test_strong_passphrases_pass(good: str) -> None:
    check_passphrase(good)
    strength = estimate_strength(good)
    assert strength.acceptable and strength.score == 4
    assert strength.guesses_log10 >= MIN_GUESSES_LOG10
    assert strength.label == "stark"


def test_the_minimum_length_still_applies_first() -> None:
    strong_but_short = "Xq7#vR2!pL"
    assert estimate_strength(strong_but_short).acceptable
    with pytest.raises(PassphraseRuleError, match="mindestens 12 Zeichen"):
        check_passphrase(strong_but_short)
    with pytest.raises(PassphraseRuleError, match="mindestens 30 Zeichen"):
        check_passphrase("korrekt-pferd-batterie-heft", min_length=30)


def test_estimate_for_the_meter() -> None:
    empty = estimate_strength("")
    assert (empty.score, empty.acceptable, empty.label) == (0, False, "sehr schwach")
    weak = estimate_strength("Sommer2026!!")
    assert not weak.acceptable and weak.score < 4 and weak.hints
    long = estimate_strength("wort-" * 40)  # longer than zxcvbn reads: no error
    assert long.score >= 0


def test_word_list_has_2048_distinct_plain_words() -> None:
    words = passphrase_words()
    assert len(words) == 2048 == len(set(words))
    assert all(re.fullmatch(r"[a-z]{3,9}", w) for w in words)
    assert generated_bits(5) == pytest.approx(55.0)


def test_generated_passphrases_are_random_words_and_pass() -> None:
    seen = set()
    for _ in range(20):
        phrase = generate_passphrase()
        parts = phrase.split("-")
        assert len(parts) == 5 and all(p in passphrase_words() for p in parts)
        check_passphrase(phrase)
        seen.add(phrase)
    assert len(seen) == 20
    assert len(generate_passphrase(3, " ").split(" ")) == 3
    assert math.isclose(generated_bits(4), 44.0)
