"""Kölner Phonetik (Cologne phonetics, Postel 1969): German names that sound alike.

``raw_code`` is the digit string before cleaning (the form published examples give, e.g.
"Müller-Lüdenscheidt" → "60550750206880022"); ``cologne_code`` collapses repeated digits
and drops every "0" but a leading one ("65752682"). Lotse uses it to find families that
may already be recorded under a differently spelt name.
"""

from __future__ import annotations

from functools import lru_cache

_FOLD = str.maketrans({"Ä": "A", "Ö": "O", "Ü": "U", "ß": "S"})
_VOWELS = set("AEIJOUY")


def _letters(text: str) -> str:
    upper = text.upper().translate(_FOLD)
    return "".join(ch for ch in upper if "A" <= ch <= "Z")


def _digit(prev: str, ch: str, nxt: str, first: bool) -> str:
    if ch in _VOWELS:
        return "0"
    if ch == "H":
        return ""
    if ch == "B":
        return "1"
    if ch == "P":
        return "3" if nxt == "H" else "1"
    if ch in "DT":
        return "8" if nxt in ("C", "S", "Z") else "2"
    if ch in "FVW":
        return "3"
    if ch in "GKQ":
        return "4"
    if ch == "C":
        if first:
            return "4" if nxt in set("AHKLOQRUX") else "8"
        if prev in ("S", "Z"):
            return "8"
        return "4" if nxt in set("AHKOQUX") else "8"
    if ch == "X":
        return "8" if prev in ("C", "K", "Q") else "48"
    if ch == "L":
        return "5"
    if ch in "MN":
        return "6"
    if ch == "R":
        return "7"
    if ch in "SZ":
        return "8"
    return ""


def raw_code(text: str) -> str:
    """The digit of every letter (H gives none), before collapsing and dropping zeros."""
    letters = _letters(text)
    digits = []
    for i, ch in enumerate(letters):
        prev = letters[i - 1] if i > 0 else ""
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        digits.append(_digit(prev, ch, nxt, i == 0))
    return "".join(digits)


@lru_cache(maxsize=65536)
def cologne_code(text: str) -> str:
    """The Kölner Phonetik code of ``text`` ("" for text without letters)."""
    raw = raw_code(text)
    collapsed: list[str] = []
    for d in raw:
        if not collapsed or collapsed[-1] != d:
            collapsed.append(d)
    if not collapsed:
        return ""
    return collapsed[0] + "".join(d for d in collapsed[1:] if d != "0")


@lru_cache(maxsize=65536)
def name_codes(name: str) -> frozenset[str]:
    """The codes of each word of a name (words split at spaces and hyphens)."""
    words = name.replace("-", " ").split()
    return frozenset(code for code in (cologne_code(w) for w in words) if code)
