"""Query parameters shared by the views of both domains, with their bounds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

DaysBack = Annotated[
    int | None,
    Query(ge=1, le=3650, description="Window length in days (default DEFAULT_HISTORY_DAYS)"),
]
