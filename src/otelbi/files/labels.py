"""The words a reader sees for a table's parameters and details, instead of their API names.

Exports keep the request's parameters under their API names (`days_back`), as the export
record and the audit log store them; the files say "Days of history". A name without a label
here is shown with its underscores as spaces and a capital first letter, never as code.
Chart axes name their unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from otelbi.files.table import Column, ColumnKind

LABELS: Mapping[str, str] = {
    "days_back": "Days of history",
    "grain": "Grain",
    "horizon_days": "Forecast horizon (days)",
    "top_n": "Rows shown (top)",
    "urgency": "Urgency",
    "limit": "Rows at most",
    "event_type": "Event type",
    "open": "Open events only",
    "series": "Series",
    "method": "Method",
    "window_days": "Days the model was fitted on",
    "demand_window_days": "Days of demand averaged",
    "demand_change_pct": "Demand change %",
    "lead_time_change_days": "Lead time change (days)",
}


def parameter_label(name: str) -> str:
    """Return the reader's label for the parameter or detail called `name`."""
    known = LABELS.get(name)
    if known is not None:
        return known
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


UNITS: Mapping[ColumnKind, str] = {ColumnKind.MONEY: "US$", ColumnKind.PERCENT: "%"}


def axis_title(column: Column) -> str:
    """Return the axis title of `column`'s values, with its unit ("Revenue (US$)")."""
    unit = UNITS.get(column.kind)
    if unit is None or column.title.endswith(unit):
        return column.title
    return f"{column.title} ({unit})"


def value_axis_title(columns: Sequence[Column]) -> str:
    """Return the value axis title of a chart of `columns`: the column's title with its unit,
    or for several (told apart by the legend) "Amount" with their unit."""
    if len(columns) == 1:
        return axis_title(columns[0])
    unit = UNITS.get(columns[0].kind)
    return f"Amount ({unit})" if unit else "Value"
