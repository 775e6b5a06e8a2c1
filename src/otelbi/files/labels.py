"""The words a reader sees for a table's parameters and details, instead of their API names.

Exports keep the request's parameters under their API names (`days_back`), as the export
record and the audit log store them; the files say "Days of history". A name without a label
here is shown with its underscores as spaces and a capital first letter, never as code.
"""

from __future__ import annotations

from collections.abc import Mapping

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
