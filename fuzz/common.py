"""What the fuzz harnesses share: the language switch and the atheris entry point.

Each harness ``fuzz_<target>.py`` defines ``check(data: bytes) -> None``, which feeds one
input to the target and lets through only the target's documented outcomes (a
``LotseError``, the parser's problem list, the header's own errors); anything else
escaping ``check`` is a finding. Run as a script, the harness instruments ``lotse``
(coverage feedback for libFuzzer) and fuzzes ``check``; imported (tests), it only
provides ``check``, so the regression tests need no atheris.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from lotse import i18n


def set_language_for(data: bytes) -> None:
    """German or English by the input's length, so both catalogues' format strings run."""
    language = "en" if len(data) % 2 else "de"
    if i18n.current_language() != language:
        i18n.set_language(language)


def fuzz(check: Callable[[bytes], None]) -> None:
    """Hand ``check`` to libFuzzer with the command line's options (-max_total_time …)."""
    import atheris

    atheris.Setup(sys.argv, check)
    atheris.Fuzz()
