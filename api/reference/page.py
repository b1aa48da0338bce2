"""The reference page (`/reference`): the schema's descriptions, role visibility and error codes
as HTML, rendered once per policy version (api/reference/render.py).

It holds no case data, but it does tell which roles see which coordinates, so it is served in
development and, in production, only when `RETURNCASES_REFERENCE_PAGE=true`. Its stylesheet and
script sit beside this module (static/); the headers keep it from loading anything else or
being framed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from graphql import GraphQLSchema
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.authz.authorizer import Authorizer
from api.reference.error_codes import ERROR_CODES
from api.reference.render import render
from api.reference.visibility import seen_by

_STATIC = Path(__file__).parent / "static"
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
PATHS = frozenset({"/reference", "/reference/reference.css", "/reference/reference.js"})


class ReferencePage:
    def __init__(self, schema: GraphQLSchema, authorizer: Authorizer) -> None:
        self.schema = schema
        self.authorizer = authorizer
        self._rendered: tuple[str, bytes] | None = None  # (policy version, page)

    def html(self) -> bytes:
        policy = self.authorizer.policy
        if self._rendered is None or self._rendered[0] != policy.version:
            page = render(
                self.schema, seen_by(self.authorizer, policy), ERROR_CODES, policy.version
            )
            self._rendered = (policy.version, page.encode())
        return self._rendered[1]

    async def page(self, _: Request) -> Response:
        return Response(self.html(), media_type="text/html; charset=utf-8", headers=_HEADERS)


def _static(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    content = (_STATIC / name).read_bytes()

    async def serve(_: Request) -> Response:
        return Response(content, media_type=media_type, headers=_HEADERS)

    return serve


def routes(schema: GraphQLSchema, authorizer: Authorizer) -> list[Route]:
    reference = ReferencePage(schema, authorizer)
    css = _static("reference.css", "text/css; charset=utf-8")
    js = _static("reference.js", "text/javascript; charset=utf-8")
    return [
        Route("/reference", reference.page, methods=["GET"]),
        Route("/reference/reference.css", css, methods=["GET"]),
        Route("/reference/reference.js", js, methods=["GET"]),
    ]
