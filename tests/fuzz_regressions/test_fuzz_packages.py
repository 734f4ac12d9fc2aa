"""Statistics package files the fuzzer (fuzz/fuzz_packages.py) found crashing read_package.

Each was an exception other than ``BadInputError`` (a traceback, exit 1); each must be
refused with the clear "no valid statistics package" message and the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lotse.errors import BadInputError
from lotse.stats.packages import read_package

DATA = Path(__file__).resolve().parent.parent / "data" / "fuzz" / "packages"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        # AttributeError: an int has no .encode (the base64 decoder expected text).
        ("public_key_not_text.json", "Signatur fehlt oder stimmt nicht"),
        # OverflowError: int(float("inf")); validly signed, as anyone can sign a package.
        ("figure_infinity.json", "Angaben fehlen"),
        # RecursionError from the JSON decoder.
        ("nested_too_deep.json", "kein JSON"),
        # ValueError (not a JSONDecodeError): more than 4300 digits.
        ("number_too_long.json", "kein JSON"),
    ],
)
def test_found_by_fuzzing_is_refused_clearly(name: str, reason: str) -> None:
    with pytest.raises(BadInputError, match=f"{name}: kein gültiges Statistik-Paket") as error:
        read_package(DATA / name, name)
    assert reason in error.value.message
