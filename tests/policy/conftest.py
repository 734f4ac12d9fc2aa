"""Every policy test starts and ends with no machine policy installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lotse.policy import set_current_policy


@pytest.fixture(autouse=True)
def _no_machine_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # LOTSE_POLICY="" means "no policy": this machine's /etc/lotse/policy.toml stays out.
    monkeypatch.setenv("LOTSE_POLICY", "")
    set_current_policy(None)
    yield
    set_current_policy(None)
