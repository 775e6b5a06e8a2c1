"""Moments in time as the product keeps and hands them out: timezone-aware, in UTC.

Every stored moment goes through the store's `UtcTimestamp` column type (store/tables.py),
which gives back aware UTC values whichever store answered (SQLite keeps no zone; PostgreSQL
answers in the session's zone). Response models declare their moments as `UtcDateTime`, so
the JSON always ends in `Z`: `2026-12-04T10:00:00Z`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` as an aware UTC datetime; a naive one is taken as UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def utc_text(moment: dt.datetime) -> str:
    """Return `moment` as ISO 8601 in UTC ending in `Z`, as the API's JSON writes it (for
    moments inside free-form JSON such as audit parameters)."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")


UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]
"""A response field holding a moment: serialised as ISO 8601 in UTC with a `Z`."""
