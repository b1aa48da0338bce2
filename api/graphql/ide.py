"""GraphiQL at `/graphql` in development, served entirely by the service: its page, our start-up
script and the pinned builds of GraphiQL and React (`ide/vendor/`, built by scripts/ide-assets,
with their licences). Nothing is fetched from elsewhere, so the IDE works on a network without
internet, and the Content-Security-Policy allows nothing but this host.

The files carry no data: the page calls the API with the token the user types into GraphiQL's
headers, so they are served without authentication (development only; production has no IDE).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_FILES = Path(__file__).parent / "ide"
PREFIX = "/graphql/ide/"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
# GraphiQL draws icons and fonts from data: URLs in its stylesheet; connect-src 'self' covers
# the WebSocket to the same host and port (CSP Level 3).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; font-src 'self' data:; form-action 'none'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_OWN = ("ide.js", "ide.css")


def vendored() -> dict[str, str]:
    """The vendored files by served name, as the build recorded them (with their sha256)."""
    manifest = json.loads((_FILES / "vendor" / "manifest.json").read_text(encoding="utf-8"))
    return {name: entry["sha256"] for name, entry in manifest["files"].items()}


def _paths() -> dict[str, Path]:
    names = [*vendored(), "THIRD_PARTY_LICENSES.txt", "manifest.json"]
    files = {f"{PREFIX}{name}": _FILES / "vendor" / name for name in names}
    files.update({f"{PREFIX}{name}": _FILES / name for name in _OWN})
    return files


PATHS = _paths()


def page() -> Response:
    """The IDE's page, answered for a browser's GET of /graphql."""
    content = (_FILES / "index.html").read_bytes()
    return Response(content, media_type=_TYPES[".html"], headers=HEADERS)


def _endpoint(path: Path) -> Callable[[Request], Awaitable[Response]]:
    content = path.read_bytes()
    media_type = _TYPES[path.suffix]

    async def serve(_: Request) -> Response:
        return Response(content, media_type=media_type, headers=HEADERS)

    return serve


def routes() -> list[Route]:
    return [Route(url, _endpoint(path), methods=["GET"]) for url, path in PATHS.items()]
