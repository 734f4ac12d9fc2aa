"""The ``lotse`` command as a user runs it: exit codes, messages, and what lands on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lotse import __version__
from lotse.cli.main import main
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE

PERSONAL = "Quirinella Zabelsdorf"
RECORDS = "\n".join(
    [
        '{"format": "lotse.records/1"}',
        json.dumps(
            {
                "type": "family",
                "id": "f-17",
                "district": "osterfeld",
                "adults": 2,
                "children": [{"birth_date": "2026-05-02"}],
                "person": {"name": PERSONAL, "phone": "0208 0777123", "address": "Zabelweg 9"},
                "notes": "Zabelsdorf-Notiz",
            },
            ensure_ascii=False,
        ),
        '{"type": "contact", "family": "f-17", "date": "2026-05-03", "kind": "first_contact",'
        ' "minutes": 40, "notes": "Zabelsdorf-Kontaktnotiz"}',
    ]
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    monkeypatch.setenv("LOTSE_VAULT", str(folder))
    monkeypatch.setenv("LOTSE_PASSPHRASE", PASSPHRASE)
    return folder


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text(RECORDS + "\n", encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_init_import_export_round_trip(env: Path, records_file: Path, tmp_path: Path, capsys):
    assert main(["init"]) == 0
    assert "Neuer Tresor angelegt" in capsys.readouterr().err
    assert main(["import", str(records_file)]) == 0
    assert "1 Familien, 1 Kontakte" in capsys.readouterr().err
    out1, out2 = tmp_path / "e1.jsonl", tmp_path / "e2.jsonl"
    assert main(["export", str(out1)]) == 0
    assert main(["--vault", str(tmp_path / "second"), "init"]) == 0
    assert main(["import", "--vault", str(tmp_path / "second"), str(out1)]) == 0
    assert main(["export", str(out2), "--vault", str(tmp_path / "second")]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    assert PERSONAL in out1.read_text(encoding="utf-8")


def test_no_personal_string_in_any_vault_file(env: Path, records_file: Path) -> None:
    assert main(["init"]) == 0
    assert main(["import", str(records_file)]) == 0
    assert main(["demo", "--families", "30"]) == 0
    for path in env.iterdir():
        data = path.read_bytes()
        for secret in ("Zabelsdorf", "Quirinella", "0208 0777123", "Zabelweg"):
            assert secret.encode() not in data, (path.name, secret)
            assert secret.encode("utf-16-le") not in data, (path.name, secret)


def test_bad_file_exits_2_lists_every_problem_and_stores_nothing(
    env: Path, records_file: Path, tmp_path: Path, capsys
) -> None:
    assert main(["init"]) == 0
    assert main(["import", str(records_file)]) == 0
    before = tmp_path / "before.jsonl"
    main(["export", str(before)])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"format": "lotse.records/1"}\n'
        '{"type": "family", "id": "f-1", "adults": 1, "children": [], "shoe": 42}\n'
        '{"type": "contact", "family": "f-99", "date": "2026-05-03", "kind": "first_contact"}\n'
        '{"type": "family", "id": "f-2", "adults": 1, "children": []}\n'
    )
    capsys.readouterr()
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f'{bad}:2: unbekannter Schlüssel "shoe" in Familie' in err
    assert f'{bad}:3: Kontakt verweist auf unbekannte Familie "f-99"' in err
    assert "Traceback" not in err
    after = tmp_path / "after.jsonl"
    main(["export", str(after)])
    assert before.read_bytes() == after.read_bytes()


def test_import_of_same_file_twice_is_refused(env: Path, records_file: Path, capsys) -> None:
    main(["init"])
    assert main(["import", str(records_file)]) == 0
    assert main(["import", str(records_file)]) == 2
    assert 'Familie "f-17" ist im Tresor schon vorhanden' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "/nonexistent/r.jsonl"], "gibt es nicht"),
        (["export", "/nonexistent-dir/out.jsonl"], "kann nicht geschrieben werden"),
        (["demo", "--families", "0"], "zwischen 1 und 1000000"),
        (["demo", "--families", "viele"], "keine ganze Zahl"),
        (["frobnicate"], "ungültige Auswahl"),
    ],
)
def test_bad_arguments_exit_2(env: Path, argv, expected, capsys) -> None:
    main(["init"])
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as done:  # argparse's own errors
        code = done.code
    assert code == 2
    assert expected in capsys.readouterr().err


def test_demo_twice_with_same_seed_says_so(env: Path, capsys) -> None:
    main(["init"])
    assert main(["demo", "--families", "5", "--seed", "4"]) == 0
    assert main(["demo", "--families", "5", "--seed", "4"]) == 2
    assert "anderen --seed" in capsys.readouterr().err


def test_init_twice_and_short_passphrase(env: Path, monkeypatch, capsys) -> None:
    assert main(["init"]) == 0
    assert main(["init"]) == 2
    assert "bereits einen Tresor" in capsys.readouterr().err
    monkeypatch.setenv("LOTSE_VAULT", str(env.parent / "v2"))
    monkeypatch.setenv("LOTSE_PASSPHRASE", "short")
    assert main(["init"]) == 2
    assert "mindestens 12 Zeichen" in capsys.readouterr().err


def test_no_passphrase_without_terminal(env: Path, monkeypatch, capsys) -> None:
    main(["init"])
    monkeypatch.delenv("LOTSE_PASSPHRASE")
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr(sys, "stdin", no_terminal)
        assert main(["export", str(env.parent / "x.jsonl")]) == 2
    assert "LOTSE_PASSPHRASE" in capsys.readouterr().err


def test_english_messages_under_english_locale(env: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("LOTSE_LANG", "")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    main(["init"])
    assert "New vault created" in capsys.readouterr().err
    monkeypatch.setenv("LOTSE_PASSPHRASE", "wrong passphrase entirely")
    assert main(["export", str(env.parent / "x.jsonl")]) == 3
    assert capsys.readouterr().err.strip() == "The passphrase is wrong."


# -- as a separate process, with the real Argon2id parameters --------------------------------------


def _lotse(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lotse", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def real_vault(tmp_path: Path, records_file: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "real"
    env = {"LOTSE_VAULT": str(folder), "LOTSE_PASSPHRASE": PASSPHRASE, "LOTSE_LANG": "de"}
    assert _lotse("init", env=env).returncode == 0
    assert _lotse("import", str(records_file), env=env).returncode == 0
    return folder, env


def test_real_process_uses_real_kdf_parameters(real_vault) -> None:
    folder, _env = real_vault
    kdf = json.loads((folder / "lotse-vault.json").read_text())["key_slots"][0]["kdf"]
    assert kdf == {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}


def test_real_process_wrong_passphrase_exit_3(real_vault, tmp_path: Path) -> None:
    _folder, env = real_vault
    done = _lotse("export", str(tmp_path / "x.jsonl"), env={**env, "LOTSE_PASSPHRASE": "nope" * 4})
    assert done.returncode == 3
    assert done.stderr.strip() == "Die Passphrase ist falsch."
    assert not (tmp_path / "x.jsonl").exists()


def test_real_process_flipped_byte_exit_4(real_vault, tmp_path: Path) -> None:
    folder, env = real_vault
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x40
    db.write_bytes(bytes(data))
    done = _lotse("export", str(tmp_path / "x.jsonl"), env=env)
    assert done.returncode == 4
    assert "beschädigt oder wurde verändert" in done.stderr
    assert "Traceback" not in done.stderr and "ERROR CORE" not in done.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_real_process_second_process_gets_already_open(real_vault, tmp_path: Path) -> None:
    folder, env = real_vault
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from lotse.vault import open_vault;"
            f"v = open_vault(Path({str(folder)!r}), {PASSPHRASE!r}); print('open', flush=True);"
            "sys.stdin.readline(); v.close()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        done = _lotse("export", str(tmp_path / "x.jsonl"), env=env)
        assert done.returncode == 1
        assert "bereits geöffnet" in done.stderr
    finally:
        holder.communicate("\n", timeout=30)


def test_passphrase_change(env: Path, monkeypatch, tmp_path: Path, capsys) -> None:
    main(["init"])
    main(["demo", "--families", "3"])
    monkeypatch.setenv("LOTSE_NEW_PASSPHRASE", "kurz")
    assert main(["passphrase"]) == 2
    assert "mindestens 12 Zeichen" in capsys.readouterr().err
    monkeypatch.setenv("LOTSE_NEW_PASSPHRASE", "Eine ganz neue Passphrase")
    assert main(["passphrase"]) == 0
    assert main(["export", str(tmp_path / "a.jsonl")]) == 3
    monkeypatch.setenv("LOTSE_PASSPHRASE", "Eine ganz neue Passphrase")
    assert main(["export", str(tmp_path / "a.jsonl")]) == 0
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) > 3


def test_no_display_gives_a_clear_message_not_a_qt_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env.update(LOTSE_LANG="de", LOTSE_VAULT=str(tmp_path / "v"))
    done = subprocess.run(
        [sys.executable, "-m", "lotse"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "Kein Bildschirm gefunden" in done.stderr
    assert "qt.qpa" not in done.stderr
