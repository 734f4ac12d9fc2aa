"""Routes argparse's own messages ("usage:", "error:" …) through Lotse's catalogue.

argparse looks up ``_`` and ``ngettext`` in its module globals at call time; pointing them
at our catalogue is the documented-by-source way to translate it (its strings are
English msgids, translated to German in ``resources/translations/de/stdlib.po``).
"""

from __future__ import annotations

import argparse

from lotse import i18n


def install() -> None:
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
