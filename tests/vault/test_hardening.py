"""Core dumps are off once a vault is open (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_opening_a_vault_turns_core_dumps_off(tmp_path: Path) -> None:
    code = "\n".join(
        [
            "import resource",
            "from pathlib import Path",
            "from lotse.crypto import kdf",
            "from lotse.vault import create_vault, hardening",
            "print(hardening.core_dumps_disabled())",
            f"v = create_vault(Path({str(tmp_path / 'v')!r}), {PASSPHRASE!r}, kdf.TEST_PARAMS)",
            "print(hardening.core_dumps_disabled(), resource.getrlimit(resource.RLIMIT_CORE))",
            "v.close()",
            "print(hardening.core_dumps_disabled())",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    before, while_open, after = done.stdout.splitlines()
    assert before == "False"  # a fresh process is dumpable (prctl), whatever ulimit -c says
    assert while_open == "True (0, 0)"
    assert after == "True"  # freed secrets are not wiped: dumps stay off
