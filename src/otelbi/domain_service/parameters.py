"""Query parameters shared by the views of both domains, with their bounds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

DaysBack = Annotated[
    int | None,
    Query(ge=1, le=3650, description="Window length in days (default DEFAULT_HISTORY_DAYS)"),
]
TopN = Annotated[
    int | None,
    Query(ge=1, le=1000, description="How many ranked rows (default RANKING_DEFAULT_TOP_N)"),
]
RowId = Annotated[
    int, Path(ge=1, le=2**63 - 1, description="A stored row's id (a 64-bit integer from 1)")
]
