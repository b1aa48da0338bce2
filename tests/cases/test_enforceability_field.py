"""`ReturnCase.enforceability` and the `enforceable` / `blockedBy` filters: one rule set, in
Python for the field and in SQL for the filter, agreeing rule by rule."""

from __future__ import annotations

import re
from pathlib import Path

from api.cases.enforceability import Block
from tests.cases.mutation_helpers import (
    BLOCKING_STAY,
    call,
    handed_over_case,
    mutation_doc,
    police_unit,
)
from tests.cases.statements import counting_statements

ALL = """query($filter: CaseFilter) { cases(first: 200, filter: $filter) { totalCount
    edges { node { id enforceability { enforceable asOf reasons { code date } } } } } }"""


def _nodes(response) -> dict[str, dict]:
    data = response.ok()["cases"]
    nodes = {edge["node"]["id"]: edge["node"]["enforceability"] for edge in data["edges"]}
    assert data["totalCount"] == len(nodes)
    return nodes


async def test_the_filter_and_the_field_agree_rule_by_rule_on_every_seeded_case(seeded_client):
    # Given every seeded case with its computed enforceability
    every = _nodes(await seeded_client(ALL))
    assert len(every) == 150
    seen: set[str] = set()
    # When filtering by each reason, then exactly the cases whose field lists it come back
    for code in Block:
        blocked = _nodes(await seeded_client(ALL, filter={"blockedBy": [code.value]}))
        expected = {
            case_id
            for case_id, value in every.items()
            if code.value in {reason["code"] for reason in value["reasons"]}
        }
        assert set(blocked) == expected, code
        seen |= {code.value} if expected else set()
    # And enforceable: true / false split the cases as the field does
    enforceable = _nodes(await seeded_client(ALL, filter={"enforceable": True}))
    assert set(enforceable) == {i for i, value in every.items() if value["enforceable"]}
    not_enforceable = _nodes(await seeded_client(ALL, filter={"enforceable": False}))
    assert set(not_enforceable) == set(every) - set(enforceable)
    assert all(value["enforceable"] == (not value["reasons"]) for value in every.values())
    # The demo data exercises the rules (closed, suspended, not final, voluntary periods, ...)
    assert len(seen) >= 6, seen


async def test_the_police_worklist_shows_and_filters_enforceability(client):
    # Given a case handed over to a police unit
    unit = police_unit()
    case = await handed_over_case(client, unit)
    police = client.police(unit)
    worklist = """query($e: Boolean!) { cases(first: 10, filter: {enforceable: $e}) {
        edges { node { id enforceability { enforceable reasons { code } } } } } }"""
    ready = (await police(worklist, e=True)).ok()["cases"]["edges"]
    assert ready == [
        {"node": {"id": case["id"], "enforceability": {"enforceable": True, "reasons": []}}}
    ]
    # When a stay of enforcement is filed, the case moves to the blocked part of the worklist
    await call(
        client,
        mutation_doc("fileImpediment"),
        id=case["id"],
        v=case["version"],
        input=BLOCKING_STAY,
    )
    assert (await police(worklist, e=True)).ok()["cases"]["edges"] == []
    blocked = (await police(worklist, e=False)).ok()["cases"]["edges"]
    assert blocked[0]["node"]["enforceability"] == {
        "enforceable": False,
        "reasons": [{"code": "STAY_OF_ENFORCEMENT"}],
    }


README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_enforceability_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Enforceability\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```graphql\n(.*?)```", section, flags=re.DOTALL)
    return [f"query{part}" for block in blocks for part in block.split("query")[1:]]


async def test_the_readme_enforceability_worklists_run_as_the_police(client):
    unit = police_unit()
    case = await handed_over_case(client, unit)
    queries = _readme_enforceability_queries()
    assert len(queries) == 2
    ready, stayed = [(await client.police(unit)(query)).ok()["cases"] for query in queries]
    assert [edge["node"]["id"] for edge in ready["edges"]] == [case["id"]]
    assert stayed["edges"] == []


async def test_enforceability_costs_two_statements_whatever_the_page_size(seeded_client):
    page = """query($first: Int!) { cases(first: $first) { edges { node { id
        enforceability { enforceable reasons { code date } } } } } }"""
    plain = "query($first: Int!) { cases(first: $first) { edges { node { id } } } }"
    counts = {}
    for size in (1, 10, 100):
        with counting_statements(seeded_client) as statements:
            (await seeded_client(page, first=size)).ok()
        with counting_statements(seeded_client) as without:
            (await seeded_client(plain, first=size)).ok()
        counts[size] = len(statements) - len(without)
    assert counts == {1: 2, 10: 2, 100: 2}
