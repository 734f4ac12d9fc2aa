"""Reading and checking the machine policy: values, problems with lines, safe fallbacks."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519

from lotse import catalogues, i18n, options, settings
from lotse import policy as policy_module
from lotse.policy import (
    MAX_POLICY_BYTES,
    Policy,
    current_policy,
    install_machine_policy,
    key_lines,
    load_machine_policy,
    machine_policy_path,
    parse_policy,
    read_policy,
    set_current_policy,
)


def _pem(key: object) -> str:
    return key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _write(tmp_path: Path, text: str | bytes, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _problems(text: str) -> list[tuple[int | None, str]]:
    _locked, _defaults, problems = parse_policy(text.encode("utf-8"))
    return [(p.line, p.message) for p in problems]


# --- where the policy lives, and which file applies ---


def test_policy_path_per_platform() -> None:
    assert machine_policy_path("linux") == Path("/etc/lotse/policy.toml")
    assert machine_policy_path("darwin") == Path("/Library/Application Support/Lotse/policy.toml")
    assert machine_policy_path("win32", program_data=r"D:\PD") == (
        Path(r"D:\PD") / "Lotse" / "policy.toml"
    )


def test_the_machine_file_applies_whatever_lotse_policy_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = _write(tmp_path, "[locked]\nsuppression_threshold = 7\n", "machine.toml")
    other = _write(tmp_path, "[defaults]\nlock_after_minutes = 9\n", "mine.toml")
    monkeypatch.setattr(policy_module, "machine_policy_file", machine)
    for environ in ({}, {"LOTSE_POLICY": ""}, {"LOTSE_POLICY": str(other)}):
        loaded = load_machine_policy(environ)
        assert loaded.source == str(machine)
        assert loaded.locked == {"suppression_threshold": 7}
        assert loaded.defaults == {}


def test_lotse_policy_names_a_file_only_where_the_machine_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "[locked]\nlock_after_minutes = 7\n")
    # The standard place is empty on this (test) machine.
    monkeypatch.setattr(policy_module, "machine_policy_file", tmp_path / "etc" / "policy.toml")
    assert load_machine_policy({"LOTSE_POLICY": str(path)}).locked == {"lock_after_minutes": 7}
    assert load_machine_policy({"LOTSE_POLICY": ""}) == Policy()
    assert load_machine_policy({}) == Policy()


def test_anything_at_the_machine_place_is_the_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A broken link where the policy belongs is the machine's (unreadable) policy: the
    # built-ins apply and LOTSE_POLICY is not consulted.
    machine = tmp_path / "policy.toml"
    machine.symlink_to(tmp_path / "gone.toml")
    mine = _write(tmp_path, "[defaults]\nlock_after_minutes = 9\n", "mine.toml")
    monkeypatch.setattr(policy_module, "machine_policy_file", machine)
    loaded = load_machine_policy({"LOTSE_POLICY": str(mine)})
    assert loaded.defaults == {} and loaded.source == str(machine)
    assert loaded.problems == [
        f"Die Datei {machine} gibt es nicht. Es gelten die eingebauten Vorgaben."
    ]


def test_a_named_policy_that_is_missing_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    policy = load_machine_policy({"LOTSE_POLICY": str(missing)})
    assert policy.locked == {} and policy.defaults == {}
    assert policy.problems == [
        f"Die Datei {missing} gibt es nicht. Es gelten die eingebauten Vorgaben."
    ]


def test_a_policy_name_that_cannot_even_be_resolved_is_a_problem() -> None:
    policy = load_machine_policy({"LOTSE_POLICY": "~no-such-user-here/policy.toml"})
    assert policy.locked == {} and policy.defaults == {}
    assert len(policy.problems) == 1
    assert "kann nicht gelesen werden" in policy.problems[0]


# --- files that are no policy: the built-ins apply, with one clear problem ---


def _only_problem(policy: Policy) -> str:
    assert policy.locked == {} and policy.defaults == {}
    assert len(policy.problems) == 1
    return policy.problems[0]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy_module, "machine_policy_file", Path("/dev/zero"))
    assert _only_problem(load_machine_policy({})) == (
        "/dev/zero ist keine gewöhnliche Datei, sondern ein Gerät. Lotse liest nur "
        "gewöhnliche Dateien. Es gelten die eingebauten Vorgaben."
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "policy.toml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    assert "keine gewöhnliche Datei, sondern eine benannte Pipe" in _only_problem(read_policy(fifo))


def test_a_folder_is_not_a_policy(tmp_path: Path) -> None:
    folder = tmp_path / "policy.toml"
    folder.mkdir()
    assert _only_problem(read_policy(folder)) == (
        f"{folder} ist ein Ordner, keine Datei. Es gelten die eingebauten Vorgaben."
    )


def test_a_file_larger_than_one_mib_is_not_read(tmp_path: Path) -> None:
    line = b"# " + b"x" * 97 + b"\n"
    body = b"[locked]\nlock_after_minutes = 7\n"
    fits = _write(tmp_path, body + line * ((MAX_POLICY_BYTES - len(body)) // len(line)))
    assert read_policy(fits).locked == {"lock_after_minutes": 7}
    huge = _write(tmp_path, body + line * (MAX_POLICY_BYTES // len(line) + 1), "huge.toml")
    assert huge.stat().st_size > MAX_POLICY_BYTES
    assert _only_problem(read_policy(huge)) == (
        f"{huge} ist zu groß (2 MiB); Lotse liest höchstens 1 MiB. "
        "Es gelten die eingebauten Vorgaben."
    )


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = _write(
        tmp_path, b"\xef\xbb\xbf[locked]\nlock_after_minutes = 7\nretention_months = -1\n"
    )
    policy = read_policy(path)
    assert policy.locked == {"lock_after_minutes": 7, "retention_months": 0}
    assert len(policy.problems) == 1 and policy.problems[0].startswith(f"{path}:3: ")


@pytest.mark.parametrize(
    "value", ["[" * 100_000 + "]" * 100_000, "{a = " * 20_000 + "1" + "}" * 20_000]
)
def test_deeply_nested_toml_gives_the_builtins(tmp_path: Path, value: str) -> None:
    path = _write(tmp_path, f"[locked]\nlock_after_minutes = 7\norganisation = {value}\n")
    assert "zu tief verschachtelt" in _only_problem(read_policy(path))


# --- good files ---


def test_every_key_is_read_in_its_stored_form(tmp_path: Path) -> None:
    pem = _pem(x25519.X25519PrivateKey.generate().public_key())
    path = _write(
        tmp_path,
        f"""
[locked]
suppression_threshold = 5
lock_after_minutes = 10
min_passphrase_length = 16
retention_months = 36
recovery_public_key = \"\"\"
{pem}\"\"\"

[locked.districts]
nord = "Nord"
sued = "Süd"

[defaults]
organisation = "  Stadt Oberhausen – Bereich Chancengleichheit/Familie  "
language = "en"
sites = {{ rathaus = "Rathaus", fz-lirich = "Familienzentrum Lirich" }}
service_lines = {{ klinik = "Lotsendienst Geburtsklinik" }}
""",
    )
    policy = read_policy(path)
    assert policy.problems == []
    assert policy.source == str(path)
    assert policy.locked == {
        "suppression_threshold": 5,
        "lock_after_minutes": 10,
        "min_passphrase_length": 16,
        "retention_months": 36,
        "recovery_public_key": pem.strip() + "\n",
        "districts": [["nord", "Nord"], ["sued", "Süd"]],
    }
    assert policy.defaults == {
        "organisation": "Stadt Oberhausen – Bereich Chancengleichheit/Familie",
        "language": "en",
        "sites": [["rathaus", "Rathaus"], ["fz-lirich", "Familienzentrum Lirich"]],
        "service_lines": [["klinik", "Lotsendienst Geburtsklinik"]],
    }


@pytest.mark.parametrize(
    "make_key",
    [
        lambda: rsa.generate_private_key(65537, 3072).public_key(),
        lambda: ec.generate_private_key(ec.SECP384R1()).public_key(),
        lambda: x25519.X25519PrivateKey.generate().public_key(),
    ],
    ids=["rsa3072", "p384", "x25519"],
)
def test_recovery_keys_that_can_encrypt_are_accepted(make_key: object) -> None:
    pem = _pem(make_key())  # type: ignore[operator]
    text = f'[locked]\nrecovery_public_key = """\n{pem}"""\n'
    assert _problems(text) == []


# --- bad files: every problem named with its line, safe values applied ---


def test_a_syntax_error_names_its_line_and_gives_the_builtins(tmp_path: Path) -> None:
    path = _write(tmp_path, "[locked]\nsuppression_threshold = 5\nlock_after_minutes = \n")
    policy = read_policy(path)
    assert policy.locked == {} and policy.defaults == {}
    assert len(policy.problems) == 1
    assert policy.problems[0].startswith(f"{path}:3: ")
    assert "kein gültiges TOML" in policy.problems[0]


def test_text_that_is_not_utf8_names_its_line() -> None:
    _locked, _defaults, problems = parse_policy(
        b'[defaults]\n\norganisation = "Stadt M\xfclheim"\n'
    )
    assert [(p.line, p.message) for p in problems] == [
        (3, "Die Datei ist nicht in UTF-8 geschrieben.")
    ]


def test_unknown_keys_and_tables_are_errors_with_a_hint() -> None:
    problems = _problems(
        "[locked]\nlock_after_minute = 5\n\n[default]\norganisation = 'x'\n"
        "\n[defaults]\ncolour = 'blue'\n"
    )
    assert problems == [
        (
            2,
            "[locked]: unbekannte Einstellung „lock_after_minute“. "
            "Gemeint ist vielleicht „lock_after_minutes“.",
        ),
        (4, "„default“ ist unbekannt: erlaubt sind nur [locked] und [defaults]."),
        (8, "[defaults]: unbekannte Einstellung „colour“."),
    ]


def test_a_key_outside_the_tables_is_an_error() -> None:
    assert _problems("organisation = 'Stadt'\n[locked]\n") == [
        (1, "„organisation“ ist unbekannt: erlaubt sind nur [locked] und [defaults].")
    ]


def test_a_table_key_that_is_not_a_table_is_an_error() -> None:
    assert _problems("locked = 5\n") == [(1, "„locked“ muss eine Tabelle sein: [locked].")]


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("suppression_threshold = 2", "darf nie unter 3 liegen"),
        ("suppression_threshold = 0", "darf nie unter 3 liegen"),
        ("suppression_threshold = 101", "nicht im erlaubten Bereich 3 bis 100"),
        ("suppression_threshold = 5.0", "erwartet eine ganze Zahl"),
        ("lock_after_minutes = true", "erwartet eine ganze Zahl"),
        ("lock_after_minutes = 0", "nicht im erlaubten Bereich 1 bis 240"),
        ("min_passphrase_length = 8", "nicht im erlaubten Bereich 12 bis 128"),
        ("min_passphrase_length = '16'", "erwartet eine ganze Zahl"),
        ("retention_months = -1", "nicht im erlaubten Bereich 0 bis 1200"),
        ("organisation = 42", "erwartet einen Text"),
        ('organisation = "Stadt\\nOberhausen"', "keine Zeilenumbrüche"),
        (f"organisation = '{'x' * 201}'", "höchstens 200 Zeichen"),
        ("language = 'fr'", "erlaubt sind"),
        ("districts = ['nord', 'sued']", "erwartet eine Tabelle"),
        ("districts = { Nord = 'Nord' }", "der Code 'Nord' ist ungültig"),
        ("sites = { rathaus = '' }", "die Bezeichnung fehlt"),
        ("service_lines = { a = 3 }", "erwartet einen Text"),
        ("recovery_public_key = 'not a key'", "kein gültiger öffentlicher Schlüssel"),
        ("recovery_public_key = 7", "erwartet einen Text"),
    ],
)
@pytest.mark.parametrize("table", ["locked", "defaults"])
def test_a_value_out_of_range_is_named_with_its_line(table: str, line: str, fragment: str) -> None:
    problems = _problems(f"# IT policy\n[{table}]\n\n{line}\n")
    assert len(problems) == 1
    number, message = problems[0]
    assert number == 4
    assert message.startswith(f"[{table}] ")
    assert fragment in message


def test_weak_or_signing_only_recovery_keys_are_refused() -> None:
    weak = _pem(rsa.generate_private_key(65537, 2048).public_key())
    signing = _pem(ed25519.Ed25519PrivateKey.generate().public_key())
    curve = _pem(ec.generate_private_key(ec.SECP256K1()).public_key())
    for pem, fragment in [
        (weak, "mindestens 3072 Bit (dieser hat 2048)"),
        (signing, "nur RSA-, EC- (P-256/384/521) und X25519-Schlüssel"),
        (curve, "die Kurve secp256k1 wird nicht unterstützt"),
    ]:
        problems = _problems(f'[locked]\nrecovery_public_key = """\n{pem}"""\n')
        assert len(problems) == 1 and problems[0][0] == 2
        assert fragment in problems[0][1]


def test_a_wrong_locked_value_stays_locked_at_the_builtin() -> None:
    locked, defaults, problems = parse_policy(
        b"[locked]\nsuppression_threshold = 2\nlock_after_minutes = 9\n"
        b"[defaults]\nretention_months = -5\norganisation = 'Stadt'\n"
    )
    assert len(problems) == 2
    # IT locked the threshold: the wrong value becomes the built-in 3, still locked.
    assert locked == {"suppression_threshold": 3, "lock_after_minutes": 9}
    # A wrong default is dropped: the built-in applies, and the user may change it.
    assert defaults == {"organisation": "Stadt"}


def test_lines_are_found_in_sub_tables_dotted_keys_and_after_multiline_strings() -> None:
    text = (
        "[defaults]\n"
        'recovery_public_key = """\n'
        "organisation = 'this line is inside the string'\n"
        '"""\n'
        "organisation = 'Stadt'\n"
        "locked.lock_after_minutes = 3\n"
        '[ "locked" . districts ]\n'
        "nord = 'Nord'\n"
        "'Sued' = 'Süd'\n"
    )
    lines = key_lines(text)
    assert lines[("defaults", "organisation")] == 5
    assert lines[("defaults", "locked", "lock_after_minutes")] == 6
    assert lines[("locked", "districts")] == 7
    assert lines[("locked", "districts", "Sued")] == 9
    problems = _problems(
        "[locked]\nsuppression_threshold = 4\n\n[locked.districts]\nnord = 'Nord'\nSued = 'Süd'\n"
    )
    assert [number for number, _message in problems] == [4]


def test_problems_are_in_the_users_language() -> None:
    i18n.set_language("en")
    if not i18n.catalogue_loaded("en"):
        pytest.skip("translations not compiled")
    problems = _problems("[locked]\nsuppression_threshold = 2\n")
    assert problems == [
        (
            2,
            "[locked] suppression_threshold: 2 is too small; the suppression threshold may "
            "never be below 3.",
        )
    ]


# --- installing the policy ---


def test_the_catalogues_follow_the_installed_policy() -> None:
    set_current_policy(Policy(locked={"districts": [["nord", "Nord"], ["sued", "Süd"]]}))
    assert options.districts().codes == ("nord", "sued")
    assert options.districts().label("sued") == "Süd"
    assert settings.catalogue(None, "districts") == options.districts()
    set_current_policy(Policy(defaults={"districts": [["west", "West"]]}))
    assert options.districts().codes == ("west",)
    set_current_policy(None)
    assert options.districts() == catalogues.DEFAULT_DISTRICTS


def test_start_up_loads_the_machine_policy_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "[locked]\nsuppression_threshold = 6\n")
    monkeypatch.setenv("LOTSE_POLICY", str(path))
    assert install_machine_policy().locked == {"suppression_threshold": 6}
    assert settings.machine_value("suppression_threshold") == 6
    # A second start-up in the same process (and a policy a test installed) is kept.
    path.write_text("[locked]\nsuppression_threshold = 9\n", encoding="utf-8")
    assert install_machine_policy().locked == {"suppression_threshold": 6}
    mine = Policy(defaults={"lock_after_minutes": 2})
    set_current_policy(mine)
    assert install_machine_policy() is mine
    assert current_policy() is mine


def test_an_option_a_policy_may_not_lock_can_only_be_a_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every option declared today may be locked; the parser honours the declaration.
    unlockable = dataclasses.replace(options.OPTIONS["language"], lockable=False)
    monkeypatch.setitem(options.OPTIONS, "language", unlockable)
    locked, defaults, problems = parse_policy(
        b"[locked]\nlanguage = 'en'\n[defaults]\nlanguage = 'en'\n"
    )
    assert locked == {} and defaults == {"language": "en"}
    assert [(p.line, p.message) for p in problems] == [
        (2, "[locked]: „language“ kann nur vorbelegt werden ([defaults]).")
    ]


def test_the_navigators_profile_is_in_no_policy() -> None:
    assert _problems("[defaults]\nnavigator_name = 'Maria'\n") == [
        (2, "[defaults]: unbekannte Einstellung „navigator_name“.")
    ]
