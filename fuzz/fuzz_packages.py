"""Fuzz reading statistics packages (lotse/stats/packages.py ``read_package``).

Documented outcomes: a verified :class:`Package`, or a ``BadInputError`` saying why the
file is no valid package. The signature is checked before the contents, so inputs whose
first byte is odd are taken as JSON and signed afresh with a fixed key (as anyone can sign
a package with a key of their own) before reading: that lets the fuzzer reach the period
and figures checks behind the signature. A package that is read must hold a period with
start and end dates, whole non-negative counts and finite non-negative medians.
"""

from __future__ import annotations

if __name__ == "__main__":
    import atheris

    with atheris.instrument_imports(include=["lotse"]):
        import lotse.stats.packages  # noqa: F401

import base64
import datetime as dt
import json
import math
import os
import tempfile
from pathlib import Path

from common import fuzz, set_language_for
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lotse.errors import LotseError
from lotse.stats.packages import canonical, read_package

_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
_PUBLIC = base64.b64encode(_KEY.public_key().public_bytes_raw()).decode()
# On tmpfs where there is one: every input is written to a file, as a user's would be,
# and removed after reading (libFuzzer ends the process without Python's exit handlers).
_SHM = Path("/dev/shm")
_FILE = (_SHM if _SHM.is_dir() else Path(tempfile.gettempdir())) / f"lotse-fuzz-{os.getpid()}.json"


def signed(body: bytes) -> bytes | None:
    """``body`` (JSON) signed with the fixed key, or None if it is no JSON object."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    data["public_key"] = _PUBLIC
    try:
        signature = _KEY.sign(canonical(data))
    except (ValueError, RecursionError):  # a lone surrogate cannot be encoded
        return None
    data["signature"] = base64.b64encode(signature).decode()
    return json.dumps(data).encode()


def check(data: bytes) -> None:
    set_language_for(data)
    if not data:
        return
    raw = data[1:]
    if data[0] & 1:
        resigned = signed(raw)
        if resigned is None:
            return
        raw = resigned
    _FILE.write_bytes(raw)
    try:
        package = read_package(_FILE, "package.json")
    except LotseError as exc:
        assert isinstance(exc.message, str) and exc.message
        return
    finally:
        _FILE.unlink(missing_ok=True)
    assert isinstance(package.period.start, dt.date) and isinstance(package.period.end, dt.date)
    figures = package.figures
    for total in figures.totals.values():  # counts, or medians (None: no family)
        assert total is None or (type(total) in (int, float) and 0 <= total < math.inf), total
    for cells in figures.breakdowns.values():
        assert all(type(n) is int and n >= 0 for n in cells.values()), cells
    for spread in getattr(figures, "distributions", {}).values():
        assert all(type(d) is int and type(n) is int and d >= 0 <= n for d, n in spread.items())


if __name__ == "__main__":
    fuzz(check)
