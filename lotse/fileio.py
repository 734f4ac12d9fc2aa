"""Writing output files so that a failure never leaves a half-written file behind.

Everything Lotse writes for the user (exports, reports) goes to a temporary file in the
target folder first and is renamed over the target only when complete. Files are created
readable by the user only: an export holds personal data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.vault.header import HEADER_NAME


def os_reason(error: OSError) -> str:
    """Why an OS call failed, in the user's language (the OS text is English)."""
    reasons = {
        errno.ENOENT: _("Ordner oder Datei gibt es nicht"),
        errno.EACCES: _("keine Berechtigung"),
        errno.EPERM: _("keine Berechtigung"),
        errno.ENOSPC: _("kein Platz mehr auf dem Datenträger"),
        errno.EROFS: _("der Datenträger ist schreibgeschützt"),
        errno.EISDIR: _("das ist ein Ordner"),
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def _cannot_write(path: Path, error: OSError) -> BadInputError:
    return BadInputError(
        _("Die Datei {file} kann nicht geschrieben werden: {error}").format(
            file=path, error=os_reason(error)
        )
    )


def _refuse_vault_folder(path: Path, folder: Path) -> None:
    """Never write a user's file into a vault folder: it would replace the header or the
    database (losing every record) and put plain personal data beside the encrypted one."""
    if (folder / HEADER_NAME).exists():
        raise BadInputError(
            _(
                "{file} liegt im Tresor-Ordner. Dorthin schreibt Lotse keine Dateien; "
                "wählen Sie einen anderen Ordner."
            ).format(file=path)
        )


def _remove_stale_temporaries(path: Path, folder: Path) -> None:
    """Temporary files an earlier write left when it was killed: they may hold personal data."""
    for stale in folder.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def atomic_write(path: Path, chunks: Iterable[str | bytes]) -> None:
    """Write ``chunks`` (text is UTF-8 encoded) to ``path`` atomically."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise BadInputError(_("{file} ist ein Ordner, keine Datei.").format(file=path))
    _refuse_vault_folder(path, folder)
    _remove_stale_temporaries(path, folder)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise _cannot_write(path, exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
