"""Fuzz the vault header parser (lotse/vault/header.py): bytes of ``lotse-vault.json`` in.

Documented outcomes: a :class:`Header`, or :class:`HeaderDamaged` / :class:`HeaderTooNew`
(the vault turns them into exit 4 / "written by a newer Lotse"). The checksum is checked
first, so random bytes rarely get past it: inputs whose first byte is odd are taken as
JSON and given a correct checksum before parsing, which lets the fuzzer reach the key slot
and KDF checks behind it. A header that parses must survive ``to_bytes`` unchanged and
answer ``mac_is_valid`` with True or False.
"""

from __future__ import annotations

if __name__ == "__main__":
    import atheris

    with atheris.instrument_imports(include=["lotse"]):
        import lotse.vault.header  # noqa: F401

import hashlib
import json

from common import fuzz, set_language_for

from lotse.vault.header import Header, HeaderDamaged, HeaderTooNew


def with_checksum(body: bytes) -> bytes | None:
    """``body`` (JSON) with its checksum recomputed, or None if it is no JSON object."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    data.pop("checksum", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    data["checksum"] = hashlib.sha256(canonical.encode()).hexdigest()
    return json.dumps(data).encode()


def check(data: bytes) -> None:
    set_language_for(data)
    if not data:
        return
    raw = data[1:]
    if data[0] & 1:
        resealed = with_checksum(raw)
        if resealed is None:
            return
        raw = resealed
    try:
        header = Header.from_bytes(raw)
    except (HeaderDamaged, HeaderTooNew):
        return
    assert Header.from_bytes(header.to_bytes()) == header
    assert header.mac_is_valid(bytes(32)) in (True, False)


if __name__ == "__main__":
    fuzz(check)
