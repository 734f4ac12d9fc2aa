"""Growing a window to the height its word-wrapped texts need.

Qt sizes a top-level window from its layout's minimum size, which ignores how tall a
word-wrapped label becomes at the window's width; a long message (a refusal, a result)
would be cut off. :func:`fit_height` asks the layout for its height at the current width.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_height(window: QWidget, width: int | None = None) -> None:
    """Make ``window`` (at ``width``, default its own) tall enough for all of its text."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = max(width or 0, window.width())
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    else:
        needed = layout.totalSizeHint().height()
    if needed > window.height() or width > window.width():
        window.resize(width, max(needed, window.height()))
