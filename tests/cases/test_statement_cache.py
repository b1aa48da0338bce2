"""Child statements shared across requests (api/cases/loader.py `child_statement`) never carry
one caller's rules into another's answer: for every demo role, in an order where each role's
statements were cached by the others first, every answer equals the answer with the cache
emptied; requests that embed request-specific values (break-glass grants, links to other
cases) are never shared."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from api.authz.rows import RowRules
from api.cases import loader
from api.cases.graph import RETURN_CASE, Node
from api.cli import DEMO_USERS
from api.graphql.selection import Selection
from api.seed import seed
from api.settings import Settings
from db.engine import create_engine
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.demo import demo_user
from tests.graphql_client import GraphQLClient, graphql_client

ROLES = [user[2] for user in DEMO_USERS]


def _everything(node: Node) -> str:
    """Every field of `node` and below, readable or not: withheld ones answer FORBIDDEN."""
    parts = [*sorted(node.columns), *sorted(node.computed)]
    parts += [f"{name} {{ {_everything(rel.node)} }}" for name, rel in node.relations.items()]
    return " ".join(parts)


DETAIL = f"query Detail($id: ID!) {{ case(id: $id) {{ {_everything(RETURN_CASE)} }} }}"
PAGE = f"{{ cases(first: 25) {{ edges {{ node {{ {_everything(RETURN_CASE)} }} }} }} }}"


@pytest.fixture(scope="module", params=BACKENDS)
async def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[GraphQLClient]:
    directory = tmp_path_factory.mktemp("statements")
    async with migrated_database(request.param, directory) as url:
        engine = create_engine(url)
        try:
            await seed(engine, 30, seed=5)
        finally:
            await engine.dispose()
        settings = Settings(
            database_url=url, dev_key_dir=dev_key_dir, rate_limit_per_minute=1_000_000
        )
        async with graphql_client(settings) as anonymous:
            yield anonymous


async def _answers(client: GraphQLClient, role: str, case_ids: list[str]) -> list[Any]:
    user = demo_user(client, role)
    found = [(await user(PAGE)).body]
    for case_id in case_ids:
        found.append((await user(DETAIL, id=case_id)).body)
    return found


async def test_answers_with_shared_statements_equal_answers_built_afresh(client: GraphQLClient):
    officer = client.as_user("case_officer", "return_officer")
    page = (await officer("{ cases(first: 30) { edges { node { id } } } }")).ok()
    case_ids = [edge["node"]["id"] for edge in page["cases"]["edges"]][::6]
    fresh = {}
    for role in ROLES:
        loader._STATEMENTS.clear()
        fresh[role] = await _answers(client, role, case_ids)
    loader._STATEMENTS.clear()
    for role in ROLES:  # warm the cache with every role's statements
        await _answers(client, role, case_ids)
    cached = len(loader._STATEMENTS)
    assert cached > 0
    for first, second in itertools.permutations(ROLES, 2):
        await _answers(client, first, case_ids)
        assert await _answers(client, second, case_ids) == fresh[second], (first, second)
    assert len(loader._STATEMENTS) == cached  # every statement came from the cache


def _rules(**changes: Any) -> RowRules:
    return RowRules(masked=frozenset({"Person.name"}), **changes)


def test_equal_selections_and_rules_share_one_statement():
    relation = RETURN_CASE.relations["person"]
    selection = Selection(fields={"name", "nationality"})
    first = loader.child_statement(relation, selection, _rules())
    again = loader.child_statement(relation, Selection(fields={"nationality", "name"}), _rules())
    assert again is first
    assert loader.child_statement(relation, selection, RowRules()) is not first
    closed = _rules(closed=frozenset({"Person.name"}))
    assert loader.child_statement(relation, selection, closed) is not first


def test_statements_with_request_specific_values_are_never_shared():
    relation = RETURN_CASE.relations["person"]
    selection = Selection(fields={"name"})
    glass = _rules(glass={"Person.name": frozenset({"00000000-0000-0000-0000-000000000001"})})
    assert loader.child_statement(relation, selection, glass) is not loader.child_statement(
        relation, selection, glass
    )
    linking = [
        (name, rel)
        for name, rel in RETURN_CASE.relations.items()
        if any(map(loader._links_a_case, rel.node.model.__table__.c))
    ]
    assert linking, "some relation links other cases (family members)"
    for _, rel in linking:
        fields = Selection(fields=set(rel.node.columns))
        assert loader.child_statement(rel, fields, RowRules()) is not loader.child_statement(
            rel, fields, RowRules()
        )
