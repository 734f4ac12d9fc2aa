"""Write the fuzz seed corpora (fuzz/corpus/<target>/) and dictionaries (fuzz/dicts/).

Seeds are valid inputs made the way a user's would be: a real vault (cheap test KDF
parameters) filled with ``lotse demo``'s synthetic families, its export, its header and a
statistics package, and the example machine policy. Small on purpose: libFuzzer mutates
small inputs fastest. The committed seeds were made by this script; run it again
(``make fuzz-seeds``) when a format changes.

Usage: python fuzz/make_seeds.py [--out fuzz]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from lotse import catalogues
from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.policy import RULES
from lotse.records import reader
from lotse.records.exporter import export_records
from lotse.records.importer import store_records
from lotse.stats.figures import empty_figures
from lotse.stats.packages import PACKAGE_FORMAT, make_package
from lotse.stats.period import quarter
from lotse.vault import create_vault
from lotse.vault.header import FORMAT as HEADER_FORMAT
from lotse.vault.header import HEADER_NAME

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 6, 30)  # fixed, so the demo data (and the seeds) do not drift
PASSPHRASE = "Fuzz-Saat-Passphrase-2026"  # synthetic; guards nothing but the seed vault

# Harness mode byte: even = the bytes as they are, odd = resealed / re-signed JSON.
RAW, RESEALED = b"\x00", b"\x01"


def _write(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def _dict_entry(token: str) -> str:
    """``token`` as a libFuzzer dictionary line: printable ASCII as is, other bytes escaped."""
    text = "".join(
        chr(byte) if 32 <= byte < 127 and chr(byte) not in '"\\' else f"\\x{byte:02x}"
        for byte in token.encode()
    )
    return f'"{text}"'


def _write_dict(path: Path, tokens: set[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{_dict_entry(t)}\n" for t in sorted(tokens)), encoding="ascii")


def records_seeds(lines: list[str], out: Path) -> None:
    head, body = lines[0], [line for line in lines[1:] if line]

    def pick(*types: str, limit: int = 3) -> list[str]:
        chosen: list[str] = []
        for kind in types:
            chosen += [line for line in body if json.loads(line)["type"] == kind][:limit]
        return chosen

    _write(out, "export.jsonl", ("\n".join([head, *body]) + "\n").encode())
    _write(
        out,
        "family_contacts.jsonl",
        ("\n".join([head, *pick("family", "contact")]) + "\n").encode(),
    )
    _write(out, "referrals.jsonl", ("\n".join([head, *pick("family", "referral")]) + "\n").encode())
    _write(
        out,
        "groups.jsonl",
        ("\n".join([head, *pick("group_offer", "group_session")]) + "\n").encode(),
    )
    # Windows editors: a byte order mark and CRLF line ends, both allowed.
    _write(
        out,
        "crlf_bom.jsonl",
        b"\xef\xbb\xbf" + "\r\n".join([head, *pick("family", limit=1)]).encode(),
    )


def records_dict() -> set[str]:
    tokens = {"{", "}", "[", "]", ":", ",", "null", "true", "false", "\n", "\r\n"}
    for required, optional in getattr(reader, "_KEYS", {}).values():
        tokens |= {f'"{key}"' for key in required | optional}
    tokens |= {f'"{kind}"' for kind in getattr(reader, "_KEYS", {})}
    tokens |= {'"type"', '"format"', '"lotse.records/1"', '"lotse.records/2"', '"birth_date"'}
    tokens |= {'"name"', '"phone"', '"address"', '"date"', '"scope"', '"withdrawn"'}
    tokens |= {'"2026-05-02"', '"1900-01-01"', '"2199-12-31"', '"2026-02-30"', "\\ud800"}
    for name in dir(catalogues):
        value = getattr(catalogues, name)
        if isinstance(value, catalogues.Catalogue):
            tokens |= {f'"{code}"' for code in value.codes}
    return tokens


def header_dict() -> set[str]:
    keys = "format vault_id created key_slots id type kdf salt nonce wrapped_key mac checksum"
    keys += " name memory_kib iterations lanes"
    tokens = {f'"{key}"' for key in keys.split()}
    tokens |= {f'"{HEADER_FORMAT}"', '"lotse.vault/2"', '"lotse.vault/x"', '"argon2id"'}
    tokens |= {'"passphrase"', "4194304", "65536", "true", "null", "[]", "{}", '"AAAA"'}
    return tokens


def packages_dict() -> set[str]:
    keys = "format vault period label start end created figures public_key signature"
    keys += " version totals breakdowns"
    tokens = {f'"{key}"' for key in keys.split()}
    tokens |= {f'"{PACKAGE_FORMAT}"', '"2026-Q2"', '"2026-04-01"', '"2026-06-30"'}
    tokens |= {"Infinity", "-Infinity", "NaN", "1e400", "-1", "true", "null", "[]", "{}"}
    figures = empty_figures()
    tokens |= {f'"{key}"' for key in figures.totals}
    for key, cells in figures.breakdowns.items():
        tokens |= {f'"{key}"'} | {f'"{code}"' for code in cells}
    return tokens


def policy_dict() -> set[str]:
    tokens = {"[locked]", "[defaults]", "[[locked]]", "=", '"""', "'''", "true", "1979-05-27"}
    tokens |= {
        "inf",
        "nan",
        "0x7f",
        "1_000",
        "[",
        "]",
        "{",
        "}",
        ".",
        "\\u2028",
        "\u2028",
        "\r",
        "#",
    }
    tokens |= {"-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----", '"de"', '"en"'}
    tokens |= set(RULES)
    return tokens


def policy_seeds(out: Path) -> None:
    example = ROOT / "packaging" / "policy.example.toml"
    _write(out, "example.toml", example.read_bytes())
    _write(
        out,
        "catalogues.toml",
        "\n".join(
            [
                "[locked]",
                'organisation = "Familienbüro Beispielstadt"',
                "suppression_threshold = 5",
                'language = "de"',
                "[locked.districts]",
                'nord = "Nord"',
                'sued = "Süd"',
                "[defaults]",
                "lock_after_minutes = 10",
                "retention_months = 36",
                'sites = { haupt = "Hauptstelle", "neben-1" = "Nebenstelle" }',
                'service_lines = [["a", "A"], ["b", "B"]]',
                "",
            ]
        ).encode(),
    )
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        "MCowBQYDK2VuAyEAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n"
        "-----END PUBLIC KEY-----"
    )
    _write(out, "recovery.toml", f'[locked]\nrecovery_public_key = """\n{pem}\n"""\n'.encode())
    _write(out, "problems.toml", b"[locked]\nsupression_threshold = 2\nlanguage = 'fr'\n[other]\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz")
    out = parser.parse_args().out
    corpus = out / "corpus"
    for target in ("records", "header", "packages", "policy"):
        shutil.rmtree(corpus / target, ignore_errors=True)

    scratch = Path(tempfile.mkdtemp(prefix="lotse-seeds-"))
    try:
        vault = create_vault(scratch / "vault", PASSPHRASE, kdf.TEST_PARAMS)
        try:
            store_records(vault, generate_records(3, seed=1, today=TODAY), "demo")
            export_records(vault, scratch / "export.jsonl")
            with vault.transaction() as session:
                package = make_package(session, vault.vault_id, quarter(2026, 2))
        finally:
            vault.close()
        header = (scratch / "vault" / HEADER_NAME).read_bytes()
        lines = (scratch / "export.jsonl").read_text(encoding="utf-8").split("\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    records_seeds(lines, corpus / "records")
    _write(corpus / "header", "header.json", RAW + header)
    _write(corpus / "header", "header_resealed.json", RESEALED + header)
    package_bytes = json.dumps(package, ensure_ascii=False, indent=1).encode()
    _write(corpus / "packages", "package.json", RAW + package_bytes)
    _write(corpus / "packages", "package_resigned.json", RESEALED + package_bytes)
    policy_seeds(corpus / "policy")

    _write_dict(out / "dicts" / "records.dict", records_dict())
    _write_dict(out / "dicts" / "header.dict", header_dict())
    _write_dict(out / "dicts" / "packages.dict", packages_dict())
    _write_dict(out / "dicts" / "policy.dict", policy_dict())
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(out)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
