"""The user's files: reading input files safely, writing output files atomically.

Everything Lotse writes for the user (exports, reports) goes to a temporary file in the
target folder first and is renamed over the target only when complete. Files are created
readable by the user only: an export holds personal data.

Everything Lotse reads from a path the user names (records files) goes through
:func:`read_input_file`: only a regular file up to a stated size is read, so a FIFO, a
device such as ``/dev/zero``, a socket or a huge file is refused at once instead of
hanging or filling the memory.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from lotse.errors import BadInputError
from lotse.i18n import _, ngettext
from lotse.vault import HEADER_NAME

MIB = 1024 * 1024
#: Largest records file read (``lotse import``, the window's import). A whole city's export
#: (100,000 families over two years, 740,000 lines, as ``lotse demo`` makes them) is about
#: 140 MiB; the limit leaves room for three times that. Checking a file needs about 5.5
#: times its size in memory, so a larger limit would trade a clear message for swapping.
RECORDS_FILE_LIMIT = 512 * MIB

# O_NONBLOCK: opening a FIFO must not wait for a writer (the type check comes after open).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


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


def _size_text(n: int) -> str:
    """``n`` bytes for a message: whole MiB or KiB (rounded up) from 1 MiB or 1 KiB on."""
    if n >= MIB:
        return _("{n} MiB").format(n=-(-n // MIB))
    if n >= 1024:
        return _("{n} KiB").format(n=-(-n // 1024))
    return ngettext("{n} Byte", "{n} Bytes", n).format(n=n)


def _not_a_regular_file(name: str, mode: int) -> BadInputError:
    if stat.S_ISDIR(mode):
        return BadInputError(_("{file} ist ein Ordner, keine Datei.").format(file=name))
    if stat.S_ISFIFO(mode):
        kind = _("eine benannte Pipe (FIFO)")
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = _("ein Gerät")
    elif stat.S_ISSOCK(mode):
        kind = _("ein Socket")
    else:
        kind = _("etwas anderes")
    return BadInputError(
        _(
            "{file} ist keine gewöhnliche Datei, sondern {kind}. "
            "Lotse liest nur gewöhnliche Dateien."
        ).format(file=name, kind=kind)
    )


def _too_large(name: str, size: int, limit: int) -> BadInputError:
    return BadInputError(
        _("{file} ist zu groß ({size}); Lotse liest höchstens {limit}.").format(
            file=name, size=_size_text(size), limit=_size_text(limit)
        )
    )


def _cannot_read(name: str, error: OSError) -> BadInputError:
    if isinstance(error, FileNotFoundError):
        return BadInputError(_("Die Datei {file} gibt es nicht.").format(file=name))
    return BadInputError(
        _("Die Datei {file} kann nicht gelesen werden: {error}").format(
            file=name, error=os_reason(error)
        )
    )


def read_input_file(path: Path | str, limit: int, name: str | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Anything else is a :class:`BadInputError` at once, named as ``name`` (default: the
    path): a missing or unreadable file, a folder, a FIFO, a device, a socket, a file
    larger than ``limit`` (also one that grows past it while being read).
    """
    name = name or str(path)
    try:
        # stat before open: opening a device or a FIFO can itself block or have effects.
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_regular_file(name, mode)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _cannot_read(name, exc) from None
    try:
        # The path may have been swapped between stat and open: check what was opened.
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_a_regular_file(name, st.st_mode)
        if st.st_size > limit:
            raise _too_large(name, st.st_size, limit)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # One byte more than stat said, to notice a file that grows (or a /proc file,
            # which says 0): then read on, but never more than one byte past the limit.
            raw = fh.read(st.st_size + 1)
            if len(raw) > st.st_size:
                raw += fh.read(limit + 1 - len(raw))
    except OSError as exc:
        raise _cannot_read(name, exc) from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise _too_large(name, len(raw), limit)
    return raw
