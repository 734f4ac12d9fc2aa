"""``lotse smoke``: the self-test the installed package runs in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotse.cli import smoke_cmd
from lotse.cli.main import build_parser, main


def test_smoke_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["smoke"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for step in ("Tresor anlegen", "Datensatz-Datei einlesen", "JSON-Bericht", "PDF-Bericht"):
        assert f"smoke: {step}" in err
    assert err.rstrip().endswith("smoke: alles in Ordnung")


def test_smoke_is_hidden_from_the_help() -> None:
    assert "smoke" not in build_parser().format_help()


def test_smoke_passes_under_an_it_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Districts the demo does not know and a long passphrase rule: smoke adapts to both.
    policy = tmp_path / "policy.toml"
    policy.write_text(
        "[locked]\nmin_passphrase_length = 100\nsuppression_threshold = 4\n"
        '[locked.districts]\nnord = "Nord"\nsued = "Süd"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LOTSE_POLICY", str(policy))
    assert main(["smoke"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("smoke: alles in Ordnung")


def test_smoke_fails_loudly_when_a_step_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Zero demo families is refused by `lotse demo`: the second step must fail the test.
    monkeypatch.setattr(smoke_cmd, "SMOKE_FAMILIES", 0)
    assert main(["smoke"]) == 1
    err = capsys.readouterr().err
    assert "smoke: Tresor anlegen: ok" in err
    assert "Traceback" in err
    assert "demo --families 0“ endete mit Status 2" in err
    assert err.rstrip().endswith("smoke: FEHLGESCHLAGEN")
