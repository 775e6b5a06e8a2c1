"""How a route that answers a file declares it in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def download_responses(media_types: Iterable[str], description: str) -> dict[int | str, Any]:
    """Return the OpenAPI `responses` entry of a 200 that is a file of one of `media_types`.

    Declare it with `response_class=Response` (or StreamingResponse), so that FastAPI adds no
    JSON body of its own to the 200.
    """
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        200: {
            "description": description,
            # The key is the media type alone: `text/csv; charset=utf-8` is sent as text/csv.
            "content": {media_type.split(";")[0].strip(): binary for media_type in media_types},
            "headers": {
                "Content-Disposition": {
                    "description": 'attachment; filename="<the file\'s name>"',
                    "schema": {"type": "string"},
                },
                "Cache-Control": {"description": "no-store", "schema": {"type": "string"}},
            },
        }
    }
