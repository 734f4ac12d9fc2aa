"""A horizontal bar chart drawn with QPainter (PySide6-Essentials has no QtCharts).

One bar per row, the label on the left, the number after the bar. A suppressed cell
(``None``) gets no bar and shows the report's sign ``.``, so the chart never hints at a
value the published report hides. Labels that do not fit are elided and shown whole in
the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from lotse.report.textfmt import format_int

BAR_COLOUR = QColor("#4a90c2")
TRACK_COLOUR = QColor("#eef3f7")
PADDING = 8
GAP = 8
#: The label column takes at most this share of the width.
MAX_LABEL_SHARE = 0.45


class BarChart(QWidget):
    """Horizontal bars for (label, value) pairs; ``None`` is a suppressed value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, int | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(240)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def set_bars(self, bars: list[tuple[str, int | None]]) -> None:
        self._bars = list(bars)
        self.setAccessibleDescription(
            "; ".join(f"{label}: {format_int(value)}" for label, value in self._bars)
        )
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, int | None]]:
        return list(self._bars)

    def row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        return QSize(420, 2 * PADDING + max(len(self._bars), 1) * self.row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 2 * PADDING + max(len(self._bars), 1) * self.row_height())

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _v in self._bars), default=0)
        # A few pixels more than measured: elidedText() rounds differently and would
        # otherwise cut a label that fits.
        return min(widest + 4, int(self.width() * MAX_LABEL_SHARE))

    def _value_width(self) -> int:
        metrics = self.fontMetrics()
        return max(
            (metrics.horizontalAdvance(format_int(v)) for _l, v in self._bars),
            default=0,
        )

    def _row_rect(self, row: int) -> QRect:
        height = self.row_height()
        return QRect(PADDING, PADDING + row * height, self.width() - 2 * PADDING, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self._bars:
            return
        metrics = self.fontMetrics()
        label_w = self._label_width()
        value_w = self._value_width()
        largest = max((v for _l, v in self._bars if v), default=0)
        bar_left = PADDING + label_w + GAP
        bar_space = max(self.width() - bar_left - GAP - value_w - PADDING, 10)
        text_colour = self.palette().text().color()
        for row, (label, value) in enumerate(self._bars):
            rect = self._row_rect(row)
            painter.setPen(text_colour)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w)
            painter.drawText(
                QRect(rect.left(), rect.top(), label_w, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                shown,
            )
            track = QRect(bar_left, rect.top() + 3, bar_space, rect.height() - 6)
            painter.fillRect(track, TRACK_COLOUR)
            length = round(bar_space * value / largest) if value and largest else 0
            if length:
                painter.fillRect(
                    QRect(track.left(), track.top(), length, track.height()), BAR_COLOUR
                )
            painter.setPen(text_colour)
            painter.drawText(
                QRect(bar_left + (length or 0) + GAP, rect.top(), value_w + GAP, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                format_int(value),
            )
        painter.end()

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            row = self._row_at(event.pos())
            if row is not None:
                label, value = self._bars[row]
                QToolTip.showText(event.globalPos(), f"{label}: {format_int(value)}", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def _row_at(self, pos: QPoint) -> int | None:
        for row in range(len(self._bars)):
            if self._row_rect(row).contains(pos):
                return row
        return None
