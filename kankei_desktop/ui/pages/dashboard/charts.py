"""Bar charts of the figures (QtCharts); a click on a bar reports its index."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget
from typing_extensions import override

ACCENT = QColor("#2e6f9e")


class BarChart(QChartView):
    """One series of bars with category labels."""

    bar_clicked = Signal(int)
    """A bar was clicked (its index)."""

    def __init__(self, title: str, parent: QWidget | None = None, *,
                 horizontal: bool = False) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(150)  # small screens (1366×768 at 125 %) keep the lists in view
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(False)
        # Horizontal bars: room on the left, where QtCharts lets a long category name run a
        # few pixels past the edge at 125 %.
        chart.setMargins(QMargins(12 if horizontal else 4, 4, 4, 4))
        chart.setBackgroundRoundness(4)
        title_font = self.font()
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        self.setChart(chart)
        self.values: list[int] = []
        self.labels: list[str] = []

    @override
    def sizeHint(self) -> QSize:
        """Small: the chart grows into the room the page has. (A view's own 480×480 made the
        page taller than a 1366×768 screen at 125 %, hiding the lists under it.)"""
        return QSize(400, 190)
    def set_title(self, title: str) -> None:
        """Replace the chart's title."""
        self.chart().setTitle(title)

    def set_data(self, labels: Sequence[str], values: Sequence[int], tooltip: str = "") -> None:
        """Replace the bars."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.labels = list(labels)
        self.values = list(values)
        bars = QBarSet("")
        bars.setColor(ACCENT)
        # Horizontal bars are drawn bottom-up: reverse so the first category is on top.
        order = list(reversed(range(len(values)))) if self.horizontal else list(range(len(values)))
        bars.append([float(self.values[i]) for i in order])
        series: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
        bars.setLabelColor(QColor("white"))
        series.clicked.connect(lambda index, _set: self.bar_clicked.emit(order[index]))
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append([self.labels[i] for i in order])
        x_axis.setLabelsFont(self.font())
        x_axis.setTruncateLabels(False)  # 「10月」 never becomes 「1…」 on a narrow chart
        left, bottom = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom
        category_side, value_side = (left, bottom) if self.horizontal else (bottom, left)
        chart.addAxis(x_axis, category_side)
        series.attachAxis(x_axis)
        y_axis = QValueAxis()
        top = max(self.values, default=0)
        y_axis.setRange(0, max(5, top * 1.1))
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%d")
        y_axis.setLabelsFont(self.font())
        chart.addAxis(y_axis, value_side)
        series.attachAxis(y_axis)
        if tooltip:
            self.setToolTip(tooltip)
