"""A database that goes away under a running service: clients get HTTP 503 SERVICE_UNAVAILABLE
with Retry-After (both media types), a read whose audit entry cannot be written returns no
data, a cut-off write leaves nothing half-written, and the log has one line per failed request,
no traceback and no case value.

The outage is real: the service reaches PostgreSQL through a TCP proxy on loopback that the
test stops (every connection reset, then refused) and starts again; the shared server is never
touched. On SQLite, a pool with every connection taken times out.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text

from api.settings import Settings
from tests.cases.factory import create_case
from tests.databases import migrated_database
from tests.graphql_client import GraphQLClient, graphql_client
from tests.logs import CapturedLogs, captured_logs
from tests.proxy import Proxy

# Values that exist only in this test's case: none may ever reach a log line.
PLANTED = ("Qzxjplanted", "Vyrkwfamily", "Jwqzrenamed")
GRAPHQL_RESPONSE = "application/graphql-response+json"
MEDIA_TYPES = ("application/json", GRAPHQL_RESPONSE)

READ = """query ReadCase($id: ID!) {
  case(id: $id) { id version person { fullName } decision { type } }
}"""
LIST = "query Worklist { cases(first: 5) { totalCount edges { node { id } } } }"
RENAME = """mutation Rename($id: ID!, $v: Int!, $name: String!) {
  updatePerson(caseId: $id, version: $v, input: {givenName: $name}) { id version }
}"""


@pytest.fixture
async def through_proxy(
    tmp_path: Path, dev_key_dir: Path
) -> AsyncIterator[tuple[Proxy, GraphQLClient, dict[str, Any]]]:
    """A service on its own PostgreSQL database, reached through a proxy; one case with the
    planted values."""
    async with migrated_database("postgresql", tmp_path) as url:
        proxy = Proxy(url)
        await proxy.start()
        settings = Settings(
            database_url=proxy.database_url,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
        )
        try:
            async with graphql_client(settings) as anonymous:
                officer = anonymous.as_user("case_officer", "return_officer")
                case = await create_case(
                    officer, person={"givenName": PLANTED[0], "familyName": PLANTED[1]}
                )
                yield proxy, officer, case
        finally:
            await proxy.stop()


async def _post(client: GraphQLClient, accept: str, query: str, **variables: Any) -> Any:
    return await client.http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {client.token}", "Accept": accept},
    )


def _assert_unavailable(response: Any, accept: str) -> str:
    """503, Retry-After, the media type asked for, one SERVICE_UNAVAILABLE error and no data
    (a mutation's field is null); the request's id."""
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["content-type"].startswith(accept)
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert not any((body.get("data") or {}).values())
    request_id = body["errors"][0]["extensions"]["requestId"]
    assert response.headers["x-request-id"] == request_id
    return request_id


def _assert_quiet(logs: CapturedLogs, request_ids: list[str]) -> None:
    """One warning per failed request, naming who and the outcome; nothing anywhere with a
    traceback or a planted value."""
    for request_id in request_ids:
        lines = logs.of_request(request_id)
        assert len(lines) == 1, lines
        (line,) = lines
        assert line["outcome"] == "SERVICE_UNAVAILABLE"
        assert line["level"] == "warning"
        assert line["reason"]
        assert line["subject"] == "test-user"
        assert line["agency"] == "migrationsverket"
        assert line["purpose"] == "CASE_HANDLING"
        assert isinstance(line["duration_ms"], float)
    assert "Traceback" not in logs.text
    assert not any("exception" in line for line in logs.lines)
    for value in PLANTED:
        assert value not in logs.text


@pytest.mark.postgres
async def test_a_stopped_database_answers_503_with_retry_after_for_both_media_types(
    through_proxy,
):
    proxy, officer, case = through_proxy
    assert PLANTED[0] in (await officer(READ, id=case["id"])).ok()["case"]["person"]["fullName"]
    request_ids = []
    with captured_logs() as logs:
        await proxy.stop()
        for accept in MEDIA_TYPES:
            for query, variables in [
                (READ, {"id": case["id"]}),
                (LIST, {}),
                (RENAME, {"id": case["id"], "v": case["version"], "name": PLANTED[2]}),
            ]:
                response = await _post(officer, accept, query, **variables)
                request_ids.append(_assert_unavailable(response, accept))
        ready = await officer.http.get("/readyz")
        assert ready.status_code == 503
        assert int(ready.headers["retry-after"]) > 0
        (probe,) = logs.of_request(ready.headers["x-request-id"])
        assert (probe["outcome"], probe["path"]) == ("SERVICE_UNAVAILABLE", "/readyz")
        await proxy.start()
        # Back without a restart, and the refused rename wrote nothing.
        recovered = (await officer(READ, id=case["id"])).ok()["case"]
    assert recovered["version"] == case["version"]
    assert PLANTED[2] not in recovered["person"]["fullName"]
    _assert_quiet(logs, request_ids)


@pytest.mark.postgres
@pytest.mark.parametrize("accept", MEDIA_TYPES)
async def test_a_read_whose_audit_entry_cannot_be_written_returns_no_data(through_proxy, accept):
    proxy, officer, case = through_proxy
    # Fresh connections send each statement's text, so the cut happens at the audit write:
    # after the case was read, before its audit entry is committed.
    await officer.app.state.db.engine.dispose()
    # The request's own write (the sequencer chains it later, on a connection of its own).
    proxy.cut_on(b"INSERT INTO audit_pending")
    failures = REGISTRY.get_sample_value("returncases_audit_write_failures_total") or 0.0
    with captured_logs() as logs:
        response = await _post(officer, accept, READ, id=case["id"])
        request_id = _assert_unavailable(response, accept)
        assert "audit" in response.json()["errors"][0]["message"]
        assert PLANTED[0] not in response.text
        await proxy.start()
    _assert_quiet(logs, [request_id])
    assert REGISTRY.get_sample_value("returncases_audit_write_failures_total") == failures + 1


@pytest.mark.postgres
@pytest.mark.parametrize("accept", MEDIA_TYPES)
async def test_a_write_cut_off_mid_statement_leaves_nothing_half_written(through_proxy, accept):
    proxy, officer, case = through_proxy
    await officer.app.state.db.engine.dispose()
    proxy.cut_on(b"UPDATE person")
    with captured_logs() as logs:
        response = await _post(
            officer, accept, RENAME, id=case["id"], v=case["version"], name=PLANTED[2]
        )
        request_id = _assert_unavailable(response, accept)
        await proxy.start()
        after = (await officer(READ, id=case["id"])).ok()["case"]
    assert after["version"] == case["version"]
    assert PLANTED[2] not in after["person"]["fullName"]
    _assert_quiet(logs, [request_id])


async def test_a_pool_with_no_free_connection_answers_503_on_sqlite(tmp_path, dev_key_dir):
    async with migrated_database("sqlite", tmp_path) as url:
        settings = Settings(
            database_url=url,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
            db_pool_timeout_seconds=0.2,
        )
        async with graphql_client(settings) as anonymous:
            officer = anonymous.as_user("case_officer", "return_officer")
            case = await create_case(
                officer, person={"givenName": PLANTED[0], "familyName": PLANTED[1]}
            )
            engine = officer.app.state.db.engine
            with captured_logs() as logs:
                async with contextlib.AsyncExitStack() as held:
                    pool = engine.sync_engine.pool
                    for _ in range(pool.size() + pool._max_overflow):
                        connection = await held.enter_async_context(engine.connect())
                        await connection.execute(text("SELECT 1"))
                    request_ids = []
                    for accept in MEDIA_TYPES:
                        response = await _post(officer, accept, READ, id=case["id"])
                        request_ids.append(_assert_unavailable(response, accept))
                assert (await officer(READ, id=case["id"])).ok()["case"]["id"] == case["id"]
    _assert_quiet(logs, request_ids)
    reasons = {logs.of_request(request_id)[0]["reason"] for request_id in request_ids}
    assert reasons == {"connection pool timeout"}


def test_serve_with_no_database_listening_says_so_in_one_line(tmp_path):
    import os
    import subprocess

    from tests.servers import RETURNCASES, unused_port

    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres:secret@127.0.0.1:{unused_port()}/nothing",
        "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
    }
    done = subprocess.run(
        [RETURNCASES, "serve", "--port", "0"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    # Besides the JSON log lines (if any), one line for the person who started it.
    (line,) = [line for line in done.stderr.splitlines() if not line.startswith("{")]
    assert line.startswith("database unavailable at postgresql://postgres:***@127.0.0.1:")
    assert "secret" not in line
