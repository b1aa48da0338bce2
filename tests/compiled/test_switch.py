"""The switch and the trace: `compiled_execution=false` leaves every field to strawberry; which
executor served a request is on its log line and counted in `returncases_executions`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api.compiled.served import COMPILED, EXECUTIONS, REFERENCE
from api.settings import Settings
from tests.graphql_client import GraphQLClient, graphql_client
from tests.logs import captured_logs

QUERY = "query Page { cases(first: 2) { edges { node { id state } } } }"
OTHER = "query Me { viewerPermissions { policyVersion } }"


def _count(executor: str) -> float:
    return EXECUTIONS.labels(executor=executor)._value.get()


@pytest.fixture(scope="module")
async def switched_off(settings: Settings) -> AsyncIterator[GraphQLClient]:
    async with graphql_client(settings.model_copy(update={"compiled_execution": False})) as c:
        yield c.as_user("case_officer", "return_officer")


async def _logged(client: GraphQLClient, query: str) -> dict[str, object]:
    with captured_logs() as logs:
        response = await client.http.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {client.token}"}
        )
    assert response.status_code == 200
    assert "errors" not in response.json(), response.json()
    lines = logs.of_request(response.headers["x-request-id"])
    assert len(lines) == 1, lines
    return lines[0]


async def test_the_compiled_path_is_on_by_default_and_named_on_the_log_line(client):
    assert Settings().compiled_execution
    before = _count(COMPILED)
    line = await _logged(client, QUERY)
    assert line["executor"] == COMPILED
    assert _count(COMPILED) == before + 1


async def test_switched_off_strawberry_completes_every_field(switched_off):
    before = _count(COMPILED), _count(REFERENCE)
    line = await _logged(switched_off, QUERY)
    assert "executor" not in line
    assert (_count(COMPILED), _count(REFERENCE)) == before


async def test_other_queries_name_no_executor(client):
    line = await _logged(client, OTHER)
    assert "executor" not in line
