"""What the user reads when the disk is full or fails (lotse.errors, from_os_error)."""

from __future__ import annotations

import errno

import pytest

from lotse import i18n
from lotse.errors import (
    EXIT_FAILURE,
    disk_failed,
    disk_full,
    disk_os_error,
    disk_read_only,
    disk_unreadable,
    from_os_error,
)


def _error_from(path: str) -> OSError:
    try:
        with open(path, "wb", buffering=0) as fh:
            fh.write(b"Lotse")
    except OSError as error:
        return error
    raise AssertionError(f"writing {path} did not fail")


def test_a_full_disk_says_so_and_that_nothing_was_saved() -> None:
    error = from_os_error(_error_from("/dev/full"))  # the kernel's always-full device
    assert error.exit_code == EXIT_FAILURE
    assert error.message.startswith("Kein Platz mehr auf dem Datenträger: ")
    assert "Die Änderung ist nicht gespeichert" in error.message


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, disk_full("/data/lotse.db").message),
        (errno.EDQUOT, disk_full("/data/lotse.db").message),
        (errno.EIO, disk_failed("/data/lotse.db").message),
        (errno.EROFS, disk_read_only("/data/lotse.db").message),
    ],
)
def test_each_kind_of_disk_trouble_has_its_message(code: int, expected: str) -> None:
    error = from_os_error(OSError(code, "English text of the OS", "/data/lotse.db"))
    assert error.message == expected
    assert "(/data/lotse.db)" in error.message
    assert "English text" not in error.message


def test_a_disk_error_can_name_the_file_the_user_asked_for() -> None:
    """A backup fails on its temporary file; the user knows only the name she gave."""
    staged = OSError(errno.EIO, "Input/output error", "/usb/.s.lotse-backup.1a2b.tmp")
    named = disk_os_error(staged, "/usb/s.lotse-backup")
    assert named is not None and named.message == disk_failed("/usb/s.lotse-backup").message
    assert disk_os_error(PermissionError(errno.EACCES, "Permission denied", "/x")) is None
    # Reading it, nothing was being changed: the read wording, not "nicht gespeichert".
    read = disk_os_error(staged, "/usb/s.lotse-backup", reading=True)
    assert read is not None and read.message == disk_unreadable("/usb/s.lotse-backup").message
    assert "nicht gespeichert" not in read.message


def test_no_permission_and_anything_else_name_the_file() -> None:
    denied = from_os_error(PermissionError(errno.EACCES, "Permission denied", "/x/bericht.pdf"))
    assert denied.message == (
        "Lotse darf /x/bericht.pdf nicht lesen oder schreiben (keine Berechtigung)."
    )
    other = from_os_error(OSError(errno.ENAMETOOLONG, "File name too long", "/x/y"))
    assert other.message == "Lotse konnte /x/y nicht lesen oder schreiben: File name too long"


def test_the_messages_are_translated() -> None:
    i18n.set_language("en")
    assert disk_full().message.startswith("The disk is full: Lotse could not save.")
    assert disk_failed("/d").message.startswith("The disk reports a read or write error (/d)")
