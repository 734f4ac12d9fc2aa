"""Fuzz the machine policy parser (lotse/policy.py ``parse_policy``): bytes of a TOML file.

Documented outcome: always ``(locked, defaults, problems)``; a bad file is a problem list,
never an exception. ``parse_policy`` wraps its work in a catch-all that turns any
exception into one vague "cannot be evaluated" problem, which would hide exactly what
fuzzing looks for, so the harness calls the work inside it (``_parse``) and counts every
exception but ``RecursionError`` (which ``parse_policy`` reports as nesting too deep) as
a finding. Also checked: every problem is a message with a line that exists (or none),
only known settings are kept, and every value kept passes its rule again unchanged (a
vault setting is checked by the same rule when stored).
"""

from __future__ import annotations

if __name__ == "__main__":
    import atheris

    with atheris.instrument_imports(include=["lotse", "tomllib"]):
        import lotse.policy
        import lotse.settings  # noqa: F401

from common import fuzz, set_language_for

from lotse import policy

_parse = getattr(policy, "_parse", policy.parse_policy)


def check(data: bytes) -> None:
    set_language_for(data)
    try:
        locked, defaults, problems = _parse(data)
    except RecursionError:
        return
    last_line = data.count(b"\n") + 1
    for problem in problems:
        assert isinstance(problem.message, str) and problem.message
        assert problem.line is None or 1 <= problem.line <= last_line, (problem.line, last_line)
    for table in (locked, defaults):
        for key, value in table.items():
            assert key in policy.RULES, key
            assert policy.RULES[key](key, value) == value, (key, value)


if __name__ == "__main__":
    fuzz(check)
