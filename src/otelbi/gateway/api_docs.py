"""The API's two readers, Swagger UI at /docs and ReDoc at /redoc, served by the gateway alone.

FastAPI's own pages load both from a CDN and start them with an inline script, which the
gateway's Content-Security-Policy refuses (and a machine without internet cannot load). Here
every file comes from the gateway: Swagger UI's and ReDoc's built bundles as the PyPI package
`fastapi-standalone-docs` ships them, and our two start-up scripts (api_docs_scripts/). An asset's
path carries a digest of its content (`/docs/assets/<digest>/<name>`), so it is cached for a
year and a new version is a new path; a path with another digest is 404 (a page from a newer
replica never gets an older file cached under its new name).

Each page gets its own policy (`PAGE_POLICIES`, applied by `web.security_headers`): the
gateway's, plus only what that viewer cannot run without; see the two policies below.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from importlib.resources.abc import Traversable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from otelbi.errors import NotFound
from otelbi.gateway.web_app import IMMUTABLE, MEDIA_TYPES, REVALIDATE
from otelbi.web.security_headers import content_security_policy

SWAGGER_UI_PATH = "/docs"
REDOC_PATH = "/redoc"
ASSETS_PATH = "/docs/assets"

_BUNDLES = files("fastapi_standalone_docs") / "static"
_OURS = files("otelbi.gateway") / "api_docs_scripts"
_ASSET_SOURCES: dict[str, Traversable] = {
    "swagger-ui-bundle.js": _BUNDLES / "swagger" / "swagger-ui-bundle.js",
    "swagger-ui.css": _BUNDLES / "swagger" / "swagger-ui.css",
    "redoc.standalone.js": _BUNDLES / "redoc" / "redoc.standalone.js",
    "favicon.png": _BUNDLES / "fastapi" / "favicon.png",
    "swagger-ui-init.js": _OURS / "swagger-ui-init.js",
    "redoc-init.js": _OURS / "redoc-init.js",
}
# ReDoc's sidebar shows this logo from `location.pathname + "/logo-mini.svg"` (the package's
# change to ReDoc's bundle, which would load it from Redocly's CDN): served at that path.
REDOC_LOGO_PATH = REDOC_PATH + "/logo-mini.svg"
_REDOC_LOGO = _BUNDLES / "redoc" / "logo-mini.svg"

# Swagger UI runs under the gateway's own policy.
SWAGGER_UI_POLICY = content_security_policy()
# ReDoc needs two things more, on its page only. Styles: styled-components and the sidebar's
# scrollbar write <style> elements as the bundle loads, before ReDoc's `nonce` option reaches
# them, so a nonce does not cover them: 'unsafe-inline' styles (scripts stay 'self' only).
# Workers: its search index runs in a Web Worker made from a blob: URL.
REDOC_POLICY = content_security_policy(styles=("'unsafe-inline'",), workers=("blob:",))
PAGE_POLICIES = {SWAGGER_UI_PATH: SWAGGER_UI_POLICY, REDOC_PATH: REDOC_POLICY}
"""The Content-Security-Policy of each page, by path, instead of the gateway's."""


@dataclass(frozen=True)
class Asset:
    """A file the pages load: its bytes, content type and the digest in its path."""

    content: bytes
    media_type: str
    digest: str


@cache
def assets() -> dict[str, Asset]:
    """Return every file the pages load, by name (read once, on first use)."""
    loaded = {}
    for name, source in _ASSET_SOURCES.items():
        content = source.read_bytes()
        media_type = MEDIA_TYPES[name[name.rindex(".") :]]
        loaded[name] = Asset(content, media_type, hashlib.sha256(content).hexdigest()[:16])
    return loaded


def asset_url(root_path: str, name: str) -> str:
    """Return the path the pages load the asset `name` at."""
    return f"{root_path}{ASSETS_PATH}/{assets()[name].digest}/{name}"


def add_api_docs(app: FastAPI) -> None:
    """Serve Swagger UI at /docs and ReDoc at /redoc, both reading `app`'s /openapi.json."""

    @app.get(SWAGGER_UI_PATH, include_in_schema=False, name="swagger_ui_html")
    def swagger_ui(request: Request) -> HTMLResponse:
        return _page(
            request,
            app,
            viewer="Swagger UI",
            element_id="swagger-ui",
            styles=("swagger-ui.css",),
            scripts=("swagger-ui-bundle.js", "swagger-ui-init.js"),
        )

    @app.get(REDOC_PATH, include_in_schema=False, name="redoc_html")
    def redoc(request: Request) -> HTMLResponse:
        return _page(
            request,
            app,
            viewer="ReDoc",
            element_id="redoc",
            styles=(),
            scripts=("redoc.standalone.js", "redoc-init.js"),
        )

    @app.get(REDOC_LOGO_PATH, include_in_schema=False, name="redoc_logo")
    def redoc_logo() -> Response:
        return Response(
            _REDOC_LOGO.read_bytes(),
            media_type=MEDIA_TYPES[".svg"],
            headers={"cache-control": REVALIDATE},
        )

    @app.get(ASSETS_PATH + "/{digest}/{name}", include_in_schema=False, name="api_docs_asset")
    def asset(digest: str, name: str) -> Response:
        found = assets().get(name)
        if found is None or found.digest != digest:
            raise NotFound(f"no file {name} of version {digest}: reload /docs or /redoc")
        return Response(
            found.content, media_type=found.media_type, headers={"cache-control": IMMUTABLE}
        )


def _page(
    request: Request,
    app: FastAPI,
    *,
    viewer: str,
    element_id: str,
    styles: tuple[str, ...],
    scripts: tuple[str, ...],
) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    links = "".join(
        f'<link rel="stylesheet" href="{escape(asset_url(root, name))}">' for name in styles
    )
    tags = "".join(f'<script src="{escape(asset_url(root, name))}"></script>' for name in scripts)
    title = escape(f"{app.title} — {viewer}")
    openapi_url = escape(f"{root}{app.openapi_url}")
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        f'<link rel="icon" href="{escape(asset_url(root, "favicon.png"))}">{links}</head>'
        f'<body><div id="{element_id}" data-openapi-url="{openapi_url}"></div>{tags}</body></html>'
    )
    return HTMLResponse(html, headers={"cache-control": REVALIDATE})
