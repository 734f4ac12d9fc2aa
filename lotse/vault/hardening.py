"""Keeping the unlocked vault's memory out of core dumps.

A core dump of a Lotse process with an open vault would hold the data key and decrypted
records in a plain file (systemd-coredump, apport and macOS keep them for days). Once a
vault is opened, :func:`disable_core_dumps` turns them off for the rest of the process:
also after closing, since Python frees secrets without wiping them. On Linux the process
is also made non-dumpable (``PR_SET_DUMPABLE`` 0), which keeps other processes of the same
user from attaching a debugger or reading its memory through ``/proc``. Elsewhere (Windows)
it does nothing: there is no portable switch, and Windows Error Reporting writes no full
memory dump by default.
"""

from __future__ import annotations

import contextlib
import sys

_PR_SET_DUMPABLE = 4
_PR_GET_DUMPABLE = 3

_done = False


def disable_core_dumps() -> None:
    """Turn core dumps off for this process (idempotent; never fails)."""
    global _done
    if _done:
        return
    _done = True
    try:
        import resource
    except ImportError:  # not POSIX
        return
    with contextlib.suppress(ValueError, OSError):
        # Soft and hard limit: the process cannot turn them back on.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        _prctl(_PR_SET_DUMPABLE, 0)


def core_dumps_disabled() -> bool:
    """Whether this process can no longer write a core dump (for tests and ``lotse smoke``)."""
    try:
        import resource
    except ImportError:
        return False
    if resource.getrlimit(resource.RLIMIT_CORE)[0] != 0:
        return False
    if sys.platform.startswith("linux"):
        return _prctl(_PR_GET_DUMPABLE, 0) == 0
    return True


def _prctl(option: int, value: int) -> int | None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0))
    except (OSError, AttributeError):
        return None
