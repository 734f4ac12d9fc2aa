"""Writing output files so that a failure never leaves a half-written file behind.

Everything Lotse writes for the user (exports, reports) goes to a temporary file in the
target folder first and is renamed over the target only when complete. Files are created
readable by the user only: an export holds personal data.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from lotse.errors import BadInputError
from lotse.i18n import _


def _cannot_write(path: Path, error: OSError) -> BadInputError:
    return BadInputError(
        _("Die Datei {file} kann nicht geschrieben werden: {error}").format(
            file=path, error=error.strerror or error
        )
    )


def atomic_write(path: Path, chunks: Iterable[str | bytes]) -> None:
    """Write ``chunks`` (text is UTF-8 encoded) to ``path`` atomically."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise BadInputError(_("{file} ist ein Ordner, keine Datei.").format(file=path))
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
