"""The base class of the generated client (ariadne-codegen copies this file into
returncases_client/): how a request travels and how the service's answers become Python.

- Persisted operations: every operation is sent as the SHA-256 of its canonical text only
  (`returncases persisted build` registers the same text), so the client works against a
  production service that runs registered operations only. A development service that has not
  seen the hash (PERSISTED_QUERY_NOT_FOUND) gets the text once.
- RATE_LIMITED (HTTP 429): wait `Retry-After` seconds and send again, a bounded number of times.
- FORBIDDEN with `extensions.coordinate` is a withheld field: the data is there with that field
  null; the coordinates are kept in `last_withheld`. Any other error raises `ServiceError`
  (`Conflict` for a stale version, so callers can re-read and retry).
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    strip_ignored_characters,
)

from .base_model import UNSET


class ServiceError(Exception):
    """An error answer of the service, by its stable `extensions.code`."""

    def __init__(self, code: str, message: str, extensions: dict[str, Any]) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.extensions = extensions


class Conflict(ServiceError):
    """The case changed since it was read (stale `version`): read it again and retry."""


class RateLimited(ServiceError):
    """Still rate limited after waiting `Retry-After` as often as allowed."""


def canonical_text(query: str) -> str:
    """The operation first, then its fragments by name, printed and stripped of ignored
    characters: the text `returncases persisted build` registers, whatever graphql-core
    version prints it (api/http/persisted_documents.py)."""
    document = parse(query, no_location=True)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = sorted(
        (d for d in document.definitions if isinstance(d, FragmentDefinitionNode)),
        key=lambda fragment: fragment.name.value,
    )
    return strip_ignored_characters(print_ast(DocumentNode(definitions=(*operations, *fragments))))


class ReturnCasesBaseClient:
    def __init__(
        self,
        url: str,
        token: str,
        purpose: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        max_rate_limit_retries: int = 3,
        on_wait: Any = None,
    ) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}", "X-Purpose": purpose}
        self.http_client = http_client or httpx.AsyncClient(timeout=30)
        self.max_rate_limit_retries = max_rate_limit_retries
        self.on_wait = on_wait  # called with the seconds it is about to wait
        self.last_withheld: tuple[str, ...] = ()

    async def __aenter__(self) -> ReturnCasesBaseClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.http_client.aclose()

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        text = canonical_text(query)
        digest = hashlib.sha256(text.encode()).hexdigest()
        body: dict[str, Any] = {
            "operationName": operation_name,
            "variables": {k: v for k, v in (variables or {}).items() if v is not UNSET},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
        }
        response = await self._post(body, **kwargs)
        if _code(response) == "PERSISTED_QUERY_NOT_FOUND":  # a development service learns it
            response = await self._post({**body, "query": text}, **kwargs)
        return response

    async def _post(self, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
        for _ in range(self.max_rate_limit_retries):
            response = await self.http_client.post(
                self.url, json=body, headers=self.headers, **kwargs
            )
            if response.status_code != 429:
                return response
            seconds = int(response.headers.get("Retry-After", "1"))
            if self.on_wait is not None:
                self.on_wait(seconds)
            await asyncio.sleep(seconds)
        response = await self.http_client.post(self.url, json=body, headers=self.headers, **kwargs)
        if response.status_code == 429:
            raise RateLimited("RATE_LIMITED", "still rate limited", {})
        return response

    def get_data(self, response: httpx.Response) -> dict[str, Any]:
        payload = response.json()
        errors = payload.get("errors") or []
        withheld = [e for e in errors if _is_withheld(e)]
        others = [e for e in errors if not _is_withheld(e)]
        self.last_withheld = tuple(sorted({e["extensions"]["coordinate"] for e in withheld}))
        if others:
            first = others[0]
            extensions = first.get("extensions") or {}
            code = extensions.get("code", "UNKNOWN")
            error = Conflict if code == "CONFLICT" else ServiceError
            raise error(code, first.get("message", ""), extensions)
        if payload.get("data") is None:
            raise ServiceError("UNKNOWN", f"HTTP {response.status_code} without data", {})
        return payload["data"]


def _is_withheld(error: dict[str, Any]) -> bool:
    extensions = error.get("extensions") or {}
    return extensions.get("code") == "FORBIDDEN" and "coordinate" in extensions


def _code(response: httpx.Response) -> str | None:
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return None
    return (errors[0].get("extensions") or {}).get("code") if errors else None
