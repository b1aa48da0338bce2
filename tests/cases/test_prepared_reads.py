"""Selections prepared once and kept across requests (api/cases/prepared.py) answer and audit
exactly as selections built afresh: for generated documents over `case` and `cases` (aliases,
fragments, `@skip`/`@include` with variables) sent by every demo role in turn, so that one
role's entries meet another's documents, and with caches small enough to evict, on SQLite and
PostgreSQL. The cold answer of each request is taken with every cache emptied first."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from api.cases.prepared import PREPARED
from api.seed import seed
from api.settings import Settings
from db.engine import create_engine
from tests.compiled.test_differential import (
    LIMITS,
    ROLES,
    Pair,
    _audit,
    _data,
    _draw,
    _errors,
    _post,
)
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.demo import demo_user
from tests.graphql_client import graphql_client

ROOTS = ("case", "cases")
# Small enough for the generated documents of one root to evict entries of others.
SMALL = 8


@pytest.fixture(scope="module", params=BACKENDS)
async def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[Pair]:
    directory = tmp_path_factory.mktemp("prepared")
    async with migrated_database(request.param, directory) as url:
        engine = create_engine(url)
        try:
            await seed(engine, 30, seed=5)
        finally:
            await engine.dispose()
        settings = Settings(
            database_url=url,
            max_page_size=200,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
            **LIMITS,
        )
        async with graphql_client(settings) as client:
            # The same client answers both ways: warm, then with every cache emptied.
            found = Pair(client, client, url)
            officer = client.as_user("case_officer", "return_officer")
            page = (await officer("{ cases(first: 30) { edges { node { id } } } }")).ok()
            found.case_ids = [edge["node"]["id"] for edge in page["cases"]["edges"]]
            try:
                yield found
            finally:
                await found.engine.dispose()


@pytest.fixture
def small_caches() -> Iterator[None]:
    caches = (PREPARED._asked, PREPARED._readable, PREPARED._memos)
    sizes = [cache.size for cache in caches]
    PREPARED.clear()
    for cache in caches:
        cache.size = SMALL
    yield
    for cache, size in zip(caches, sizes, strict=True):
        cache.size = size
    PREPARED.clear()


async def _answer(served: Pair, user: Any, query: str, variables: dict[str, Any]) -> Any:
    response = await _post(user, query, variables)
    body = response.json()
    audit = await _audit(served, response.headers["x-request-id"])
    return response.status_code, _data(response.content), _errors(body), audit


@pytest.mark.parametrize("root", ROOTS)
async def test_kept_selections_answer_and_audit_as_fresh_ones(
    served: Pair, root: str, small_caches: None
) -> None:
    generated = _draw(root, served.case_ids)
    users = {role: demo_user(served.compiled, role) for role in ROLES}
    warm = {}
    # Every role sends every document before any cache is emptied: entries of one role's
    # plan are in the caches when the next role sends the same document.
    for number, (query, variables) in enumerate(generated):
        for role, user in users.items():
            warm[number, role] = await _answer(served, user, query, variables)
    answered = 0
    for number, (query, variables) in enumerate(generated):
        for role, user in users.items():
            PREPARED.clear()
            cold = await _answer(served, replace(user), query, variables)
            assert warm[number, role] == cold, (role, query, variables)
            data = json.loads(cold[1]) or {}
            answered += any(value is not None for value in data.values())
    # As many answers with data as half the documents at least (many roles may not read a
    # generated document's fields), or the comparison proves little.
    assert answered >= len(generated) // 2, answered
    for cache in (PREPARED._asked, PREPARED._readable, PREPARED._memos):
        assert len(cache._entries) <= SMALL
