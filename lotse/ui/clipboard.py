"""Clipboard hygiene: text Lotse put on the clipboard does not outlive the unlocked vault.

A navigator copies a name or a phone number from a Lotse field and locks the machine; the
clipboard must not hand that to whoever comes next. Lotse cannot tell where a clipboard's
text came from once another program holds it (a clipboard manager takes every copy over),
so it remembers what was put on the clipboard *while a Lotse window was active* (Qt's
``dataChanged`` comes for Lotse's own copies and for copies made in its widgets: Ctrl+C
in a field, a table, a read-only text) and, on lock, clears the clipboard if it still
holds one of those texts or Lotse still owns it. Text another program copied is left
alone. On X11 the same goes for the selection (middle-click paste).

Only SHA-256 digests of the texts are kept, and only until the next clear.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication

#: At most this many digests are kept (older copies are then forgotten first).
_LIMIT = 64

_seen: dict[QClipboard.Mode, list[bytes]] = {}
_watching = False


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _modes(clipboard: QClipboard) -> list[QClipboard.Mode]:
    modes = [QClipboard.Mode.Clipboard]
    if clipboard.supportsSelection():
        modes.append(QClipboard.Mode.Selection)
    return modes


def _changed(mode: QClipboard.Mode) -> None:
    if QGuiApplication.applicationState() != Qt.ApplicationState.ApplicationActive:
        return  # another program's copy (Lotse was in the background)
    text = QGuiApplication.clipboard().text(mode)
    if text:
        remember(text, mode)


def watch() -> None:
    """Start remembering what is copied while Lotse is active (once per process)."""
    global _watching
    if _watching:
        return
    clipboard = QGuiApplication.clipboard()
    clipboard.dataChanged.connect(lambda: _changed(QClipboard.Mode.Clipboard))
    if clipboard.supportsSelection():
        clipboard.selectionChanged.connect(lambda: _changed(QClipboard.Mode.Selection))
    _watching = True


def remember(text: str, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> None:
    """Note ``text`` as Lotse's (for a copy action that sets the clipboard itself)."""
    seen = _seen.setdefault(mode, [])
    digest = _digest(text)
    if digest in seen:
        return
    seen.append(digest)
    del seen[:-_LIMIT]


def _owned(clipboard: QClipboard, mode: QClipboard.Mode) -> bool:
    if mode is QClipboard.Mode.Selection:
        return clipboard.ownsSelection()
    return clipboard.ownsClipboard()


def clear_if_ours() -> bool:
    """Clear the clipboard (and selection) if it holds what Lotse put there; whether it did.

    Forgets every remembered text afterwards: nothing of the closed vault stays around.
    """
    clipboard = QGuiApplication.clipboard()
    cleared = False
    for mode in _modes(clipboard):
        text = clipboard.text(mode)
        if _owned(clipboard, mode) or (text and _digest(text) in _seen.get(mode, [])):
            clipboard.clear(mode)
            cleared = True
    _seen.clear()
    return cleared


def clear_if_equal(*texts: str) -> bool:
    """Clear the clipboard (and selection) if it holds one of ``texts`` (a passphrase)."""
    clipboard = QGuiApplication.clipboard()
    wanted = {t for t in texts if t}
    cleared = False
    for mode in _modes(clipboard):
        if clipboard.text(mode) in wanted:
            clipboard.clear(mode)
            cleared = True
    return cleared
