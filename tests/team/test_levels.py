"""Multi-level: team leads send their merged figures up as packages of their own vaults.

Real processes (``python -m lotse``) as the navigators, two team leads and the Land use
them: five navigators in two teams export packages; each team lead merges hers and
exports a merged package (one sealed to the Land's card); the Land merges the two, and
its figures equal those of all five navigator packages merged directly. A merged package
together with one of its own sources is refused (double counting), nothing stored.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lotse.crypto import kdf
from lotse.usecases import Profile, VaultAPI
from lotse.vault import open_vault
from tests.conftest import PASSPHRASE
from tests.stats.builders import Builder, fill

PERIOD = "2026-Q3"
TEAMS = {
    "Tanja": (("Nora", "Klinik Nord", 2, 3), ("Paul", "Kita Süd", 3, 10), ("Ida", "Kita", 4, 20)),
    "Berta": (("Emil", "Klinik West", 5, 6), ("Lena", "Kita Ost", 1, 25)),
}


def _lotse(vault: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"LOTSE_VAULT": str(vault), "LOTSE_PASSPHRASE": PASSPHRASE, "LOTSE_LANG": "de"}
    return subprocess.run(
        [sys.executable, "-m", "lotse", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _ok(vault: Path, *args: str, cwd: Path) -> str:
    done = _lotse(vault, *args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stderr


def _vault(folder: Path, name: str, site: str, families: int = 0, day: int = 3) -> Path:
    with VaultAPI.create(folder, PASSPHRASE, params=kdf.TEST_PARAMS) as api:
        api.settings.save_profile(Profile(name, site, "birth_clinic"))

    def build(b: Builder) -> None:
        for i in range(families):
            b.family(f"{name}{i}", adults=1)
            b.contact(f"{name}{i}", f"2026-08-{day + i:02d}", "counselling", 45)

    if families:
        with open_vault(folder, PASSPHRASE) as vault:
            fill(vault, build)
    return folder


def _report(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_two_levels_merge_to_the_sum_and_double_counting_is_refused(tmp_path: Path) -> None:
    land = _vault(tmp_path / "land", "Lara", "Landesamt")
    _ok(land, "card", "export", "--out", "land.card", cwd=tmp_path)
    navigator_files: list[str] = []
    team_files: list[str] = []
    for lead_name, navigators in TEAMS.items():
        lead = _vault(tmp_path / lead_name, lead_name, f"Rathaus {lead_name}")
        files = []
        for name, site, families, day in navigators:
            folder = _vault(tmp_path / name, name, site, families, day)
            _ok(
                folder,
                "package",
                "export",
                "--period",
                PERIOD,
                "--out",
                f"{name}.lotse",
                cwd=tmp_path,
            )
            files.append(f"{name}.lotse")
        _ok(
            lead,
            "package",
            "merge",
            "--period",
            PERIOD,
            "--out",
            f"{lead_name}.json",
            *files,
            cwd=tmp_path,
        )
        sealed = ["--to", "land.card"] if lead_name == "Tanja" else []
        said = _ok(
            lead,
            "package",
            "export",
            "--merged",
            "--period",
            PERIOD,
            "--out",
            f"team-{lead_name}.lotse",
            *sealed,
            cwd=tmp_path,
        )
        assert f"{len(navigators)} empfangene Pakete" in said
        navigator_files += files
        team_files.append(f"team-{lead_name}.lotse")
    # The plain team package names its lead and the navigators' packages inside it.
    berta = json.loads((tmp_path / "team-Berta.lotse").read_text("utf-8"))
    assert berta["navigator"]["navigator_name"] == "Berta"
    assert berta["navigator"]["site"] == "Rathaus Berta"
    assert sorted(s["navigator"] for s in berta["sources"]) == ["Emil", "Lena"]
    assert "distributions" in berta["figures"]
    assert "Nora" not in (tmp_path / "team-Tanja.lotse").read_text("utf-8")  # sealed

    said = _ok(
        land,
        "package",
        "merge",
        "--period",
        PERIOD,
        "--out",
        "land.json",
        *team_files,
        cwd=tmp_path,
    )
    assert "2 Pakete neu übernommen" in said
    direct = _vault(tmp_path / "direct", "Dora", "Probe")
    _ok(
        direct,
        "package",
        "merge",
        "--period",
        PERIOD,
        "--out",
        "direct.json",
        *navigator_files,
        cwd=tmp_path,
    )
    by_land, by_direct = _report(tmp_path / "land.json"), _report(tmp_path / "direct.json")
    assert by_land["totals"]["families_reached"] == 2 + 3 + 4 + 5 + 1
    assert by_land["totals"] == by_direct["totals"]  # medians too: distributions merged
    assert by_land["breakdowns"] == by_direct["breakdowns"]
    assert [p["navigator"] for p in by_land["packages"]] == [
        "Berta (Gesamtpaket aus 2 Paketen)",
        "Tanja (Gesamtpaket aus 3 Paketen)",
    ]

    # Nora's own package on top of Tanja's merged one would count Nora twice: refused.
    done = _lotse(
        land,
        "package",
        "merge",
        "--period",
        PERIOD,
        "--out",
        "again.json",
        "Nora.lotse",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "doppelt gezählt" in done.stderr and "Tanja (Gesamtpaket aus 3 Paketen)" in done.stderr
    assert not (tmp_path / "again.json").exists()
    listed = _lotse(land, "package", "list", "--period", PERIOD, cwd=tmp_path).stdout
    assert len(listed.splitlines()) == 2  # nothing stored

    # The other way round: a navigator's package held, then the merged one containing it.
    fresh = _vault(tmp_path / "fresh", "Frida", "Land")
    _ok(
        fresh, "package", "merge", "--period", PERIOD, "--out", "f.json", "Emil.lotse", cwd=tmp_path
    )
    done = _lotse(
        fresh,
        "package",
        "merge",
        "--period",
        PERIOD,
        "--out",
        "g.json",
        "team-Berta.lotse",
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "doppelt gezählt" in done.stderr

    # One more level up: the Land's merged package lists all five navigators' packages.
    _ok(
        land,
        "package",
        "export",
        "--merged",
        "--period",
        PERIOD,
        "--out",
        "land.lotse",
        cwd=tmp_path,
    )
    top = json.loads((tmp_path / "land.lotse").read_text("utf-8"))
    assert len(top["sources"]) == 5
    assert top["figures"]["totals"]["families_reached"] == 15
    assert top["navigator"]["navigator_name"] == "Lara"


def test_a_merged_package_needs_received_packages(tmp_path: Path) -> None:
    lead = _vault(tmp_path / "lead", "Tanja", "Rathaus")
    done = _lotse(
        lead, "package", "export", "--merged", "--period", PERIOD, "--out", "t.lotse", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "keine empfangenen Pakete" in done.stderr
    assert not (tmp_path / "t.lotse").exists()
