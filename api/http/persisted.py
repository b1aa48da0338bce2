"""Persisted queries: an allow-list of operations by SHA-256, and automatic persisted queries.

- With an allow-list (a JSON file: {"<sha256>": "<query>"}), clients may send only the hash
  (`extensions.persistedQuery.sha256Hash`), and with `persisted_only` nothing else runs:
  production front-ends register their operations, and any other document is refused.
- In development, automatic persisted queries (APQ) let integrators send a hash first and the
  query only when the server does not know it yet (PERSISTED_QUERY_NOT_FOUND).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import orjson

from api.http.asgi import ASGIApp, Message, Receive, Scope, Send


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def load_allow_list(path: Path) -> dict[str, str]:
    queries = json.loads(path.read_text(encoding="utf-8"))
    for digest, query in queries.items():
        if sha256(query) != digest:
            raise ValueError(f"persisted query {digest[:12]}… does not match its hash")
    return dict(queries)


class PersistedQueries:
    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_list: Mapping[str, str],
        persisted_only: bool,
        automatic: bool,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.allow_list = dict(allow_list)
        self.persisted_only = persisted_only
        self.automatic = automatic
        self.path = path
        self.learned: dict[str, str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET":  # a query over GET (when enabled) is held to the list too
            problem = self._get_refusal(scope)
            if problem is not None:
                await _graphql_error(send, *problem)
                return
        if scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = await _read(receive)
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            await self.app(scope, _replay(body), send)  # strawberry answers the bad JSON
            return
        operations = payload if isinstance(payload, list) else [payload]  # a batch, when enabled
        for operation in operations:
            problem = self._resolve(operation) if isinstance(operation, dict) else None
            if problem is not None:
                await _graphql_error(send, *problem)
                return
        await self.app(scope, _replay(orjson.dumps(payload)), send)

    def _get_refusal(self, scope: Scope) -> tuple[str, str] | None:
        if not self.persisted_only:
            return None
        queries = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("query", [])
        if all(sha256(query) in self.allow_list for query in queries):
            return None
        return "PERSISTED_QUERY_NOT_ALLOWED", "Only registered operations may run here."

    def _resolve(self, payload: dict[str, Any]) -> tuple[str, str] | None:
        """Fill in the query from its hash; or say why the request may not run."""
        extensions = payload.get("extensions") or {}
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        query = payload.get("query")
        if isinstance(digest, str):
            known = self.allow_list.get(digest) or self.learned.get(digest)
            if query is None:
                if known is None:
                    return "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound"
                payload["query"] = known
                return None
            if sha256(query) != digest:
                return "BAD_USER_INPUT", "The query does not match its persisted hash."
            if self.automatic and known is None:
                self.learned[digest] = query
        query = payload.get("query")
        if self.persisted_only and (
            not isinstance(query, str) or sha256(query) not in self.allow_list
        ):
            return "PERSISTED_QUERY_NOT_ALLOWED", "Only registered operations may run here."
        return None


async def _read(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _graphql_error(send: Send, code: str, message: str) -> None:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    await send(
        {
            "type": "http.response.start",
            "status": 200 if code == "PERSISTED_QUERY_NOT_FOUND" else 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
