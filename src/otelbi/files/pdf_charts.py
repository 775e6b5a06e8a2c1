"""The chart a PDF shows above its table: a line over dates (with an optional interval band
drawn as dashed bounds) or horizontal bars of the first rows of a ranked table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from otelbi.files.table import Chart, ChartKind, Row, Table

LINE_COLOUR = colors.HexColor("#1F5F99")
BAND_COLOUR = colors.HexColor("#8FA9C4")
BAR_COLOUR = colors.HexColor("#3D7DBF")
LABEL_CHARS = 32


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value)) if value is not None else None
    except ValueError:
        return None


def _axis_number(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"{value / 1_000_000:,.1f}M"
    if magnitude >= 10_000:
        return f"{value / 1_000:,.0f}k"
    return f"{value:,.0f}" if magnitude >= 10 else f"{value:,.1f}"


def _title(drawing: Drawing, text: str, font: str) -> None:
    drawing.add(String(0, drawing.height - 12, text, fontName=font, fontSize=9))


def line_chart(chart: Chart, table: Table, rows: Sequence[Row], width: float, font: str) -> Drawing:
    """Return `chart.value` over the date column `chart.category`, with its interval if any."""
    x_at = table.column_index(chart.category)
    series_keys = [chart.value] + [k for k in (chart.lower, chart.upper) if k is not None]
    series: list[list[tuple[float, float]]] = []
    for key in series_keys:
        at = table.column_index(key)
        points = []
        for position, row in enumerate(rows):
            x, y = row[x_at], _number(row[at])
            if y is None:
                continue
            points.append((float(x.toordinal() if isinstance(x, dt.date) else position), y))
        series.append(points)
    drawing = Drawing(width, 200)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 50, 25, width - 70, 150
    plot.data = [points or [(0.0, 0.0)] for points in series]
    plot.lines[0].strokeColor = LINE_COLOUR
    plot.lines[0].strokeWidth = 1.2
    for band in range(1, len(series)):
        plot.lines[band].strokeColor = BAND_COLOUR
        plot.lines[band].strokeWidth = 0.6
        plot.lines[band].strokeDashArray = (3, 2)
    xs = [x for points in series for x, _ in points] or [0.0, 1.0]
    low, high = min(xs), max(xs)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low, max(high, low + 1)
    steps = 6
    plot.xValueAxis.valueSteps = [low + (high - low) * i / steps for i in range(steps + 1)]
    dates = isinstance(rows[0][x_at], dt.date) if rows else False
    plot.xValueAxis.labelTextFormat = (
        (lambda x: dt.date.fromordinal(round(x)).isoformat()) if dates else "%d"
    )
    plot.yValueAxis.labelTextFormat = _axis_number
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 6
    plot.yValueAxis.valueMin = min(0.0, *(y for points in series for _, y in points))
    drawing.add(plot)
    _title(drawing, chart.title, font)
    return drawing


def bar_chart(chart: Chart, table: Table, rows: Sequence[Row], width: float, font: str) -> Drawing:
    """Return horizontal bars of `chart.value` for the first `chart.top` rows, first on top."""
    label_at, value_at = table.column_index(chart.category), table.column_index(chart.value)
    top = [(str(row[label_at] or ""), _number(row[value_at]) or 0.0) for row in rows[: chart.top]]
    top.reverse()  # ReportLab draws the first category at the bottom
    bar_height = 13
    height = max(len(top), 1) * bar_height + 45
    drawing = Drawing(width, height)
    bars = HorizontalBarChart()
    bars.x, bars.y = 170, 20
    bars.width, bars.height = width - 200, max(len(top), 1) * bar_height
    bars.data = [[value for _, value in top] or [0.0]]
    bars.categoryAxis.categoryNames = [
        label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…" for label, _ in top
    ] or [""]
    bars.bars[0].fillColor = BAR_COLOUR
    bars.bars[0].strokeColor = None
    bars.valueAxis.valueMin = min(0.0, *(value for _, value in top)) if top else 0.0
    bars.valueAxis.labelTextFormat = _axis_number
    for axis in (bars.categoryAxis, bars.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 6
    bars.barLabelFormat = "%.1f"
    bars.barLabels.fontName, bars.barLabels.fontSize = font, 6
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 3
    drawing.add(bars)
    _title(drawing, chart.title, font)
    return drawing


def chart_drawing(table: Table, rows: Sequence[Row], width: float, font: str) -> Drawing | None:
    """Return the drawing of `table.chart` over `rows` (None without a chart or rows)."""
    if table.chart is None or not rows:
        return None
    if table.chart.kind is ChartKind.LINE:
        return line_chart(table.chart, table, rows, width, font)
    return bar_chart(table.chart, table, rows, width, font)
