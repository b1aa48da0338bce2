"""The policy administration page (`/admin/policies`): static HTML, CSS and JavaScript.

The files carry no data and need no build step; the page calls the GraphQL admin API with the
token the officer pastes in, so it is served without authentication, with headers that keep it
from being framed or from loading anything but itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

FILES = Path(__file__).parent / "page"
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8"}  # fmt: skip
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
PATHS = {
    "/admin/policies": "index.html",
    "/admin/policies/page.js": "page.js",
    "/admin/policies/proposals.js": "proposals.js",
    "/admin/policies/page.css": "page.css",
}


def _endpoint(name: str) -> Callable[[Request], Awaitable[Response]]:
    content = (FILES / name).read_bytes()
    media_type = _TYPES[Path(name).suffix]

    async def serve(_: Request) -> Response:
        return Response(content, media_type=media_type, headers=_HEADERS)

    return serve


def routes() -> list[Route]:
    return [Route(path, _endpoint(name), methods=["GET"]) for path, name in PATHS.items()]
