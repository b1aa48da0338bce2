"""Selections prepared once and kept across requests (api/cases/prepared.py) answer and audit
exactly as selections built afresh: for generated documents over `case` and `cases` (aliases,
fragments, `@skip`/`@include` with variables) sent by every demo role in turn, so that one
role's entries meet another's documents, and with caches small enough to evict, on SQLite and
PostgreSQL. The cold answer of each request is taken with every cache emptied first."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from api.cases.prepared import PREPARED
from tests.compiled.test_differential import (
    ROLES,
    _audit,
    _case_ids,
    _data,
    _draw,
    _errors,
    _post,
    generous_settings,
)
from tests.conftest import BACKENDS
from tests.demo import demo_user
from tests.graphql_client import GraphQLClient, graphql_client

ROOTS = ("case", "cases")
# Small enough for the generated documents of one root to evict entries of others.
SMALL = 8


@pytest.fixture(scope="module", params=BACKENDS)
async def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[GraphQLClient]:
    """The differential test's database and limits: documents over several root fields and
    aliases reach the resolvers."""
    directory = tmp_path_factory.mktemp("prepared")
    async with (
        generous_settings(request.param, directory, dev_key_dir) as settings,
        graphql_client(settings) as anonymous,
    ):
        yield anonymous


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


async def _answer(client: GraphQLClient, query: str, variables: dict[str, Any]) -> Any:
    response = await _post(client, query, variables)
    audit = await _audit(client.app.state.db.engine, response.headers["x-request-id"])
    return response.status_code, _data(response.content), _errors(response.json()), audit


@pytest.mark.parametrize("root", ROOTS)
async def test_kept_selections_answer_and_audit_as_fresh_ones(
    client: GraphQLClient, root: str, small_caches: None
) -> None:
    generated = _draw(root, await _case_ids(client))
    users = {role: demo_user(client, role) for role in ROLES}
    warm = {}
    # Every role sends every document before any cache is emptied: entries of one role's
    # plan are in the caches when the next role sends the same document.
    for number, (query, variables) in enumerate(generated):
        for role, user in users.items():
            warm[number, role] = await _answer(user, query, variables)
    answered = 0
    for number, (query, variables) in enumerate(generated):
        for role, user in users.items():
            PREPARED.clear()
            cold = await _answer(user, query, variables)
            assert warm[number, role] == cold, (role, query, variables)
            data = json.loads(cold[1]) or {}
            answered += any(value is not None for value in data.values())
    # As many answers with data as half the documents at least (many roles may not read a
    # generated document's fields), or the comparison proves little.
    assert answered >= len(generated) // 2, answered
    for cache in (PREPARED._asked, PREPARED._readable, PREPARED._memos):
        assert len(cache._entries) <= SMALL


# One document whose selections depend on a variable: sent with it flipped, request after
# request, a selection kept for one value must not answer for the other.
FLIPPED = """query Flipped($id: ID!, $more: Boolean!) {
  case(id: $id) { id caseNumber person @include(if: $more) { fullName } }
  cases(first: 5) { edges { node { id state @skip(if: $more) } } }
}"""


async def test_a_kept_selection_answers_only_for_its_condition_values(
    client: GraphQLClient, small_caches: None
) -> None:
    case_id = (await _case_ids(client))[0]
    flips = [{"id": case_id, "more": more} for more in (True, False, True, False)]
    for role in ROLES:
        user = demo_user(client, role)
        warm = [await _answer(user, FLIPPED, variables) for variables in flips]
        cold = []
        for variables in flips:
            PREPARED.clear()
            cold.append(await _answer(user, FLIPPED, variables))
        assert warm == cold, role
        assert warm[0] != warm[1], role  # the two values select differently
