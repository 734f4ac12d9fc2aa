"""Packaging tests run without any machine policy unless they install one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lotse.policy import set_current_policy


@pytest.fixture(autouse=True)
def _no_machine_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LOTSE_POLICY", "")
    set_current_policy(None)
    yield
    set_current_policy(None)
