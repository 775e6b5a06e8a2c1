"""The built web app (FRONTEND_DIST_DIR, by default frontend/dist) at every path outside /api.

For GET and HEAD, once no API route has matched:
- `/assets/…`, Vite's content-hashed files: cached for a year (`immutable`); missing: 404;
  the build's gzip copy (`name.gz`, written by `npm run build`) to a client that accepts gzip;
- any other file of the build (`/favicon.svg`): served, revalidated at every use (`no-cache`);
- any other path: index.html (`no-cache`), so that the app's own router can show a deep link
  such as /aw/sales?grain=week.

Nothing under /api/ is answered here, whatever the method: an unknown API path stays the
JSON 404 of every unmatched request. A path with a `.` or `..` segment, a backslash or a NUL
is 404 (the server has decoded `%2e%2e` to `..` by then), and a file must resolve to inside
the build. Without a build, those paths answer a JSON 404 that says how to make one.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URLPath
from starlette.responses import FileResponse
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from otelbi.errors import NotFound

log = logging.getLogger(__name__)

ASSETS_DIR = "assets"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
NOT_BUILT = (
    "the web app is not built ({index} is missing): `make run` builds it, or run "
    "`cd frontend && npm ci && npm run build`; FRONTEND_DIST_DIR says where the build is. "
    "The API under /api/ works without it"
)
MEDIA_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
}
"""Content types by extension, fixed here: Python's `mimetypes` reads the host's tables."""


class WebApp(BaseRoute):
    """The route serving the built web app; it must come after every API route."""

    def __init__(self, dist_dir: Path) -> None:
        self.dist_dir = dist_dir.resolve()
        self.index = self.dist_dir / "index.html"

    def warn_if_not_built(self) -> None:
        """Log a warning if there is no build to serve (the API works regardless)."""
        if not self.index.is_file():
            log.warning(NOT_BUILT.format(index=self.index))

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match GET and HEAD outside /api; nothing else (so /api stays a JSON 404)."""
        path: str = scope.get("path", "")
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and path != "/api"
            and not path.startswith("/api/")
        ):
            return Match.FULL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """Name no URL: the web app has no named routes."""
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the file for the request's path (NotFound is rendered as a JSON 404)."""
        accepts_gzip = any(
            name == b"accept-encoding" and b"gzip" in value.lower()
            for name, value in scope.get("headers", [])
        )
        response = await run_in_threadpool(self.response_to, scope["path"], accepts_gzip)
        await response(scope, receive, send)

    def response_to(self, path: str, accepts_gzip: bool = False) -> FileResponse:
        """Return the file answering `path`; NotFound if there is none."""
        if not self.index.is_file():
            raise NotFound(NOT_BUILT.format(index=self.index))
        relative = path.lstrip("/")
        if "\\" in relative or "\x00" in relative or {".", ".."} & set(relative.split("/")):
            raise NotFound(f"{path} is not a file of the web app")
        file = self._file(relative) if relative else None
        if relative.split("/")[0] == ASSETS_DIR:
            if file is None:
                raise NotFound(f"{path} is not a file of the web app's build")
            compressed = file.with_name(f"{file.name}.gz")
            if accepts_gzip and compressed.is_file():
                return _file_response(file, IMMUTABLE, body=compressed)
            return _file_response(file, IMMUTABLE)
        return _file_response(file or self.index, REVALIDATE)

    def _file(self, relative: str) -> Path | None:
        """Return the build's file at `relative`, if there is one inside the build."""
        try:
            candidate = (self.dist_dir / relative).resolve()
            if candidate.is_relative_to(self.dist_dir) and candidate.is_file():
                return candidate
        except OSError:  # a name too long, a loop of links: no such file
            pass
        return None


def _file_response(file: Path, cache_control: str, *, body: Path | None = None) -> FileResponse:
    """Return `file` as a response; `body`, if given, is its gzip copy to send instead."""
    media_type = (
        MEDIA_TYPES.get(file.suffix.lower())
        or mimetypes.guess_type(file.name)[0]
        or "application/octet-stream"
    )
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if body is not None:
        headers["Content-Encoding"] = "gzip"
    return FileResponse(body or file, media_type=media_type, headers=headers)
