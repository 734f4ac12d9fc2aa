"""``lotse backup``, ``restore``, ``recover`` and ``passphrase --rotate-key`` as real processes.

Each test runs the installed program (``python -m lotse``) with the real Argon2id
parameters on real vault folders, and checks exit codes, messages and files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, x25519

from lotse.vault.header import HEADER_NAME
from lotse.vault.vault import DB_NAME
from tests.conftest import PASSPHRASE

PERSONAL = "Ottilie Brummelsiek"
NEW = "Eine ganz neue Passphrase"
RECORDS = "\n".join(
    [
        '{"format": "lotse.records/1"}',
        json.dumps(
            {
                "type": "family",
                "id": "f-1",
                "district": "osterfeld",
                "adults": 1,
                "children": [{"birth_date": "2025-02-03"}],
                "person": {"name": PERSONAL, "phone": "0208 555123"},
            },
            ensure_ascii=False,
        ),
        '{"type": "contact", "family": "f-1", "date": "2026-05-03", "kind": "first_contact"}',
    ]
)


def _lotse(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lotse", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"LOTSE_VAULT": str(tmp_path / "vault"), "LOTSE_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def filled(env: dict[str, str], tmp_path: Path) -> Path:
    records = tmp_path / "records.jsonl"
    records.write_text(RECORDS + "\n", encoding="utf-8")
    _ok(_lotse("init", env=env))
    _ok(_lotse("import", str(records), env=env))
    return Path(env["LOTSE_VAULT"])


def test_backup_and_restore_give_the_same_export(filled: Path, env, tmp_path: Path) -> None:
    done = _ok(_lotse("backup", str(tmp_path / "copy.lotse"), env=env))
    assert "und geprüft" in done.stderr and "1 Familie)" in done.stderr
    assert PERSONAL.encode() not in (tmp_path / "copy.lotse").read_bytes()
    _ok(_lotse("export", str(tmp_path / "before.jsonl"), env=env))
    restored = {**env, "LOTSE_VAULT": str(tmp_path / "elsewhere")}
    done = _ok(_lotse("restore", str(tmp_path / "copy.lotse"), env=restored))
    assert "wiederhergestellt in" in done.stderr and "Generation 2" in done.stderr
    _ok(_lotse("export", str(tmp_path / "after.jsonl"), env=restored))
    before = (tmp_path / "before.jsonl").read_text(encoding="utf-8")
    assert PERSONAL in before
    assert (tmp_path / "after.jsonl").read_text(encoding="utf-8") == before


def test_restore_exit_codes(filled: Path, env, tmp_path: Path) -> None:
    _ok(_lotse("backup", str(tmp_path / "copy.lotse"), env=env))
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep")
    done = _lotse("restore", str(tmp_path / "copy.lotse"), env={**env, "LOTSE_VAULT": str(busy)})
    assert done.returncode == 2 and "nicht leer" in done.stderr
    wrong = {**env, "LOTSE_VAULT": str(tmp_path / "r"), "LOTSE_PASSPHRASE": NEW}
    done = _lotse("restore", str(tmp_path / "copy.lotse"), env=wrong)
    assert done.returncode == 3 and "Passphrase ist falsch" in done.stderr
    data = bytearray((tmp_path / "copy.lotse").read_bytes())
    data[len(data) // 2] ^= 0x10
    (tmp_path / "copy.lotse").write_bytes(bytes(data))
    done = _lotse("restore", str(tmp_path / "copy.lotse"), env={**env, "LOTSE_VAULT": str(busy)})
    assert done.returncode == 4 and "beschädigt oder wurde verändert" in done.stderr
    assert "Traceback" not in done.stderr


def test_older_database_is_refused_with_exit_4(filled: Path, env, tmp_path: Path) -> None:
    shutil.copy2(filled / DB_NAME, tmp_path / "old.db")
    _ok(_lotse("demo", "--families", "3", env=env))
    shutil.copy2(tmp_path / "old.db", filled / DB_NAME)
    done = _lotse("export", str(tmp_path / "x.jsonl"), env=env)
    assert done.returncode == 4
    assert "ist älter als der Tresor-Kopf" in done.stderr
    assert "lotse restore" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_rollback_message_in_english(filled: Path, env, tmp_path: Path) -> None:
    shutil.copy2(filled / HEADER_NAME, tmp_path / "old.json")
    _ok(_lotse("demo", "--families", "2", env=env))
    shutil.copy2(tmp_path / "old.json", filled / HEADER_NAME)
    done = _lotse("export", str(tmp_path / "x.jsonl"), env={**env, "LOTSE_LANG": "en"})
    assert done.returncode == 4
    assert "is older than the database" in done.stderr
    assert "lotse restore" in done.stderr


def test_rotate_key_makes_the_old_header_useless(filled: Path, env, tmp_path: Path) -> None:
    shutil.copy2(filled / HEADER_NAME, tmp_path / "old.json")
    done = _ok(_lotse("passphrase", "--rotate-key", env={**env, "LOTSE_NEW_PASSPHRASE": NEW}))
    assert "Datenschlüssel erneuert" in done.stderr
    _ok(_lotse("export", str(tmp_path / "a.jsonl"), env={**env, "LOTSE_PASSPHRASE": NEW}))
    assert PERSONAL in (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    shutil.copy2(tmp_path / "old.json", filled / HEADER_NAME)
    done = _lotse("export", str(tmp_path / "b.jsonl"), env=env)
    assert done.returncode == 4
    assert "Schlüsselwechsel" in done.stderr


def test_weak_passphrase_is_refused_at_init(env) -> None:
    done = _lotse("init", env={**env, "LOTSE_PASSPHRASE": "Sommer2026!!"})
    assert done.returncode == 2
    assert "zu leicht zu erraten" in done.stderr
    assert not (Path(env["LOTSE_VAULT"]) / HEADER_NAME).exists()


def _key_files(kind: str, tmp_path: Path, password: bytes | None = None) -> tuple[Path, Path]:
    private = (
        rsa.generate_private_key(public_exponent=65537, key_size=3072)
        if kind == "rsa"
        else x25519.X25519PrivateKey.generate()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    key_file = tmp_path / f"recovery-{kind}.pem"
    key_file.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
    )
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[locked]\nrecovery_public_key = """{public_pem.decode()}"""\n')
    return key_file, policy


@pytest.mark.parametrize("kind", ["rsa", "x25519"])
def test_recover_sets_a_new_passphrase(kind: str, env, tmp_path: Path) -> None:
    key_file, policy = _key_files(kind, tmp_path)
    env = {**env, "LOTSE_POLICY": str(policy)}
    _ok(_lotse("init", env=env))
    slots = json.loads((Path(env["LOTSE_VAULT"]) / HEADER_NAME).read_text())["key_slots"]
    assert [s["id"] for s in slots] == ["passphrase", "recovery"]
    forgot = {k: v for k, v in env.items() if k != "LOTSE_PASSPHRASE"}
    done = _lotse(
        "recover", "--private-key", str(key_file), env={**forgot, "LOTSE_NEW_PASSPHRASE": NEW}
    )
    _ok(done)
    assert "neue Passphrase" in done.stderr
    done = _lotse("export", str(tmp_path / "x.jsonl"), env=env)
    assert done.returncode == 3
    _ok(_lotse("export", str(tmp_path / "x.jsonl"), env={**env, "LOTSE_PASSPHRASE": NEW}))


def test_recover_with_a_password_protected_key_and_wrong_key(env, tmp_path: Path) -> None:
    key_file, policy = _key_files("x25519", tmp_path, password=b"Kennwort der IT")
    env = {**env, "LOTSE_POLICY": str(policy)}
    _ok(_lotse("init", env=env))
    recover = {**env, "LOTSE_NEW_PASSPHRASE": NEW}
    done = _lotse("recover", "--private-key", str(key_file), env=recover)
    assert done.returncode == 2 and "LOTSE_RECOVERY_KEY_PASSWORD" in done.stderr
    done = _lotse(
        "recover",
        "--private-key",
        str(key_file),
        env={**recover, "LOTSE_RECOVERY_KEY_PASSWORD": "falsch"},
    )
    assert done.returncode == 3
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_key, _policy = _key_files("x25519", other_dir)
    done = _lotse("recover", "--private-key", str(other_key), env=recover)
    assert done.returncode == 3 and "Fingerabdruck" in done.stderr
    _ok(
        _lotse(
            "recover",
            "--private-key",
            str(key_file),
            env={**recover, "LOTSE_RECOVERY_KEY_PASSWORD": "Kennwort der IT"},
        )
    )


def test_restore_with_the_recovery_key_when_the_passphrase_is_forgotten(
    env, tmp_path: Path
) -> None:
    """The laptop is gone and nobody remembers the passphrase: IT restores the backup."""
    key_file, policy = _key_files("x25519", tmp_path)
    env = {**env, "LOTSE_POLICY": str(policy)}
    records = tmp_path / "records.jsonl"
    records.write_text(RECORDS + "\n", encoding="utf-8")
    _ok(_lotse("init", env=env))
    _ok(_lotse("import", str(records), env=env))
    stick = tmp_path / "stick.lotse"
    _ok(_lotse("backup", str(stick), env=env))
    _ok(_lotse("export", str(tmp_path / "before.jsonl"), env=env))

    forgot = {
        "LOTSE_VAULT": str(tmp_path / "new-laptop"),
        "LOTSE_POLICY": str(policy),
        "LOTSE_PASSPHRASE": "irgendetwas Falsches dazu",
    }
    # A weak new passphrase: refused before anything is written.
    done = _lotse(
        "restore",
        str(stick),
        "--private-key",
        str(key_file),
        env={**forgot, "LOTSE_NEW_PASSPHRASE": "Sommer2026!!"},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert not (tmp_path / "new-laptop" / DB_NAME).exists()
    # Another organisation's key: refused with exit 3, nothing written.
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_key, _policy = _key_files("x25519", other_dir)
    done = _lotse(
        "restore",
        str(stick),
        "--private-key",
        str(other_key),
        env={**forgot, "LOTSE_NEW_PASSPHRASE": NEW},
    )
    assert done.returncode == 3 and "Fingerabdruck" in done.stderr
    assert not (tmp_path / "new-laptop" / DB_NAME).exists()

    done = _ok(
        _lotse(
            "restore",
            str(stick),
            "--private-key",
            str(key_file),
            env={**forgot, "LOTSE_NEW_PASSPHRASE": NEW},
        )
    )
    assert "neuen Passphrase" in done.stderr
    now = {**forgot, "LOTSE_PASSPHRASE": NEW}
    _ok(_lotse("export", str(tmp_path / "after.jsonl"), env=now))
    assert (tmp_path / "after.jsonl").read_text("utf-8") == (tmp_path / "before.jsonl").read_text(
        "utf-8"
    )
    assert (
        _lotse(
            "export", str(tmp_path / "x.jsonl"), env={**now, "LOTSE_PASSPHRASE": PASSPHRASE}
        ).returncode
        == 3
    )
    log = _ok(_lotse("audit", "show", env=now)).stdout
    assert "Sicherung wiederhergestellt" in log
    assert "Mit dem Wiederherstellungsschlüssel geöffnet" in log


def test_restore_with_a_key_of_a_backup_without_recovery_slot_says_so(
    filled: Path, env, tmp_path: Path
) -> None:
    key_file, _policy = _key_files("x25519", tmp_path)
    stick = tmp_path / "stick.lotse"
    _ok(_lotse("backup", str(stick), env=env))
    done = _lotse(
        "restore",
        str(stick),
        "--private-key",
        str(key_file),
        env={"LOTSE_VAULT": str(tmp_path / "elsewhere"), "LOTSE_NEW_PASSPHRASE": NEW},
    )
    assert done.returncode == 2 and "keinen Wiederherstellungszugang" in done.stderr
    assert not (tmp_path / "elsewhere" / DB_NAME).exists()
