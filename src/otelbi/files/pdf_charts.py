"""The chart a PDF shows above its table, drawn with ReportLab's charts: lines over dates (an
interval as dashed bounds, several series with a legend) or horizontal bars of the first rows
of a ranked table. Every chart has its title and axis titles with their units; dates read
"Jan 2014" over long spans and "6 Jan" over short ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from otelbi.files.labels import axis_title, value_axis_title
from otelbi.files.table import Chart, ChartKind, Row, Table

LINE_COLOURS = (colors.HexColor("#1F5F99"), colors.HexColor("#D9822B"), colors.HexColor("#3A9A5B"))
BAND_COLOUR = colors.HexColor("#8FA9C4")
BAR_COLOUR = colors.HexColor("#3D7DBF")
LABEL_CHARS = 32
MONTH_LABELS_FROM_DAYS = 120
"""A date axis spanning more days than this is labelled by month ("Jan 2014")."""


def date_label(day: dt.date, *, span_days: float) -> str:
    """Return `day` as an axis label: "Jan 2014" over long spans, "6 Jan" over short ones."""
    if span_days > MONTH_LABELS_FROM_DAYS:
        return f"{day:%b %Y}"
    return f"{day.day} {day:%b}"


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


def _titles(
    drawing: Drawing, text: str, x_title: str, y_title: str, *, plot_x: float, font: str
) -> None:
    """Add the chart's title on top, the x-axis title at the bottom, the y-axis title left."""
    drawing.add(String(0, drawing.height - 12, text, fontName=font, fontSize=9))
    drawing.add(
        String(
            plot_x + (drawing.width - plot_x) / 2,
            2,
            x_title,
            fontName=font,
            fontSize=7,
            textAnchor="middle",
        )
    )
    y_label = Label()
    y_label.setOrigin(8, drawing.height / 2 - 6)
    y_label.setText(y_title)
    y_label.angle = 90
    y_label.fontName, y_label.fontSize = font, 7
    drawing.add(y_label)


def _legend(drawing: Drawing, names: Sequence[str], swatches: Sequence[object], font: str) -> None:
    legend = Legend()
    legend.alignment = "right"
    legend.columnMaximum = 1  # one row, side by side
    legend.x, legend.y = drawing.width - 20 - 110 * len(names), drawing.height - 6
    legend.fontName, legend.fontSize = font, 7
    legend.dx, legend.dy, legend.deltax = 10, 4, 110
    legend.colorNamePairs = list(zip(swatches, names, strict=True))
    drawing.add(legend)


def line_chart(chart: Chart, table: Table, rows: Sequence[Row], width: float, font: str) -> Drawing:
    """Return `chart.value` (and `chart.more`) over the date column `chart.category`, with its
    interval if any, a legend when there is more than one line."""
    x_at = table.column_index(chart.category)
    lines = [chart.value, *chart.more]
    bands = [k for k in (chart.lower, chart.upper) if k is not None]
    series: list[list[tuple[float, float]]] = []
    for key in (*lines, *bands):
        at = table.column_index(key)
        points = []
        for position, row in enumerate(rows):
            x, y = row[x_at], _number(row[at])
            if y is None:
                continue
            points.append((float(x.toordinal() if isinstance(x, dt.date) else position), y))
        series.append(points)
    drawing = Drawing(width, 215)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 62, 32, width - 80, 150
    plot.data = [points or [(0.0, 0.0)] for points in series]
    for index in range(len(lines)):
        plot.lines[index].strokeColor = LINE_COLOURS[index % len(LINE_COLOURS)]
        plot.lines[index].strokeWidth = 1.2
    for index in range(len(lines), len(series)):
        plot.lines[index].strokeColor = BAND_COLOUR
        plot.lines[index].strokeWidth = 0.6
        plot.lines[index].strokeDashArray = (3, 2)
    xs = [x for points in series for x, _ in points] or [0.0, 1.0]
    low, high = min(xs), max(xs)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low, max(high, low + 1)
    steps = 6
    plot.xValueAxis.valueSteps = [low + (high - low) * i / steps for i in range(steps + 1)]
    dates = isinstance(rows[0][x_at], dt.date) if rows else False
    plot.xValueAxis.labelTextFormat = (
        (lambda x: date_label(dt.date.fromordinal(round(x)), span_days=high - low))
        if dates
        else "%d"
    )
    plot.yValueAxis.labelTextFormat = _axis_number
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 6
    plot.yValueAxis.valueMin = min(0.0, *(y for points in series for _, y in points))
    drawing.add(plot)
    columns = {column.key: column for column in table.columns}
    y_title = value_axis_title([columns[key] for key in lines])
    _titles(drawing, chart.title, columns[chart.category].title, y_title, plot_x=plot.x, font=font)
    if len(series) > 1:
        keys = (*lines, *bands)
        swatches = [plot.lines[index].strokeColor for index in range(len(keys))]
        _legend(drawing, [columns[key].title for key in keys], swatches, font)
    return drawing


def bar_chart(chart: Chart, table: Table, rows: Sequence[Row], width: float, font: str) -> Drawing:
    """Return horizontal bars of `chart.value` for the first `chart.top` rows, first on top."""
    label_at, value_at = table.column_index(chart.category), table.column_index(chart.value)
    top = [(str(row[label_at] or ""), _number(row[value_at]) or 0.0) for row in rows[: chart.top]]
    top.reverse()  # ReportLab draws the first category at the bottom
    bar_height = 13
    height = max(len(top), 1) * bar_height + 60
    drawing = Drawing(width, height)
    bars = HorizontalBarChart()
    bars.x, bars.y = 185, 32
    bars.width, bars.height = width - 215, max(len(top), 1) * bar_height
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
    columns = {column.key: column for column in table.columns}
    _titles(
        drawing,
        chart.title,
        axis_title(columns[chart.value]),
        columns[chart.category].title,
        plot_x=bars.x,
        font=font,
    )
    return drawing


def chart_drawing(table: Table, rows: Sequence[Row], width: float, font: str) -> Drawing | None:
    """Return the drawing of `table.chart` over `rows` (None without a chart or rows)."""
    if table.chart is None or not rows:
        return None
    if table.chart.kind is ChartKind.LINE:
        return line_chart(table.chart, table, rows, width, font)
    return bar_chart(table.chart, table, rows, width, font)
