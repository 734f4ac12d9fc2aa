"""Fuzz the records reader (lotse/records/reader.py): bytes of a records file in.

Documented outcomes: the records, or :class:`RecordsError` (a ``BadInputError``) listing
every problem as ``FILE:LINE: message``. Also checked: each problem names this file and a
line that exists, and a file the reader accepts is accepted again unchanged.
"""

from __future__ import annotations

if __name__ == "__main__":
    import atheris

    with atheris.instrument_imports(include=["lotse"]):
        import lotse.records.reader  # noqa: F401

from common import fuzz, set_language_for

from lotse.records.reader import RecordsError, parse_bytes

NAME = "fuzz.jsonl"


def check(data: bytes) -> None:
    set_language_for(data)
    try:
        records = parse_bytes(data, NAME)
    except RecordsError as exc:
        assert exc.problems, "RecordsError without a problem"
        last_line = data.count(b"\n") + 1
        for problem, detail in zip(exc.problems, exc.details, strict=True):
            assert isinstance(problem.message, str) and problem.message
            assert 1 <= problem.line <= last_line, (problem.line, last_line)
            assert detail.startswith(f"{NAME}:{problem.line}: ")
        return
    assert parse_bytes(data, NAME) == records


if __name__ == "__main__":
    fuzz(check)
