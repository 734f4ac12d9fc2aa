"""Policy files the fuzzer (fuzz/fuzz_policy.py) found crashing the policy check.

``parse_policy`` never raises (a catch-all turns anything into one vague problem and the
built-ins for every setting); these inputs reached that catch-all, so a single bad entry
cost the whole policy its line-precise message.
"""

from __future__ import annotations

from pathlib import Path

from lotse.policy import parse_policy

DATA = Path(__file__).resolve().parent.parent / "data" / "fuzz" / "policy"


def test_recovery_key_of_a_type_cryptography_does_not_know() -> None:
    # Well-formed PEM whose algorithm OID (1.3.100.110) is unknown: UnsupportedAlgorithm.
    data = (DATA / "recovery_key_unknown_type.toml").read_bytes()
    locked, defaults, problems = parse_policy(data)
    assert [(p.line, p.message) for p in problems] == [
        (
            2,
            "[locked] recovery_public_key: nur RSA-, EC- (P-256/384/521) und "
            "X25519-Schlüssel verschlüsseln.",
        )
    ]
    assert defaults == {}
    assert locked == {"recovery_public_key": ""}  # stays locked, at the built-in (none)


def test_a_line_separator_inside_a_string_does_not_shift_the_line_numbers() -> None:
    # U+2028 inside a TOML string is no line end; counting it as one named line 4 here.
    data = (DATA / "line_separator_in_a_string.toml").read_bytes()
    problems = parse_policy(data)[2]
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [(3, "[locked]:")]
    assert "organization" in problems[0].message
