"""Routes argparse's own messages ("usage:", "error:" …) through Lotse's catalogue.

argparse looks up ``_`` and ``ngettext`` in its module globals at call time; pointing them
at our catalogue is the documented-by-source way to translate it (its strings are
English msgids, translated to German in ``resources/translations/de/stdlib.po``).

Python 3.11 writes the help of ``action="version"`` ("show program's version number and
exit") as a plain default argument, outside ``_``: the help formatter translates that one
string when it prints it.
"""

from __future__ import annotations

import argparse

from lotse import i18n

#: argparse's help texts that do not pass through its ``_`` (Python 3.11).
UNMARKED_HELP = ("show program's version number and exit",)


def _translated_help(self: argparse.HelpFormatter, action: argparse.Action) -> str:
    text = _ORIGINAL_HELP(self, action)
    return i18n._(text) if text in UNMARKED_HELP else text


_ORIGINAL_HELP = argparse.HelpFormatter._get_help_string


def install() -> None:
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    argparse.HelpFormatter._get_help_string = _translated_help  # type: ignore[method-assign]
