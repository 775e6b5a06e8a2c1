"""The list envelope: every list the API answers is one page, `items` plus how to get the next.

Lists small enough to count are offset-paged (`Page`: `limit`, `offset`, `total`); the audit
log, too large to count or skip through, is cursor-paged (`CursorPage`: `next_before_id`).
The query parameters that ask for a page are declared here too, so every list takes the
same ones.
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

ItemT = TypeVar("ItemT", bound=BaseModel)

PageLimit = Annotated[
    int | None,
    Query(ge=1, le=1000, description="Items per page (default STORAGE_DEFAULT_LIMIT)"),
]
PageOffset = Annotated[
    int, Query(ge=0, le=1_000_000_000, description="Items to skip (the next page: offset + limit)")
]


class Page(BaseModel, Generic[ItemT]):
    """One page of an offset-paged list, in the list's order (newest first)."""

    items: list[ItemT] = Field(description="This page's items")
    limit: int = Field(
        description="The most items a page holds: the `limit` asked for or the default"
    )
    offset: int = Field(
        description="How many items precede this page; the next page: offset + limit"
    )
    total: int = Field(description="How many items the list holds in all, filters applied")


class CursorPage(BaseModel, Generic[ItemT]):
    """One page of a cursor-paged list, newest first: too large to count or skip through."""

    items: list[ItemT] = Field(description="This page's items")
    limit: int = Field(
        description="The most items a page holds: the `limit` asked for or the default"
    )
    next_before_id: int | None = Field(
        description="Pass it as `before_id` (same filters) for the next page; null on the last page"
    )
