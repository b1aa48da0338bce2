"""Metrics counted in process: requests by operation and outcome, label values that stay
bounded whatever names clients send, refusals of the rate limit, connections in use."""

from __future__ import annotations

import uuid

from prometheus_client import REGISTRY

from api.telemetry.operations import ANONYMOUS, INVALID, OTHER, OperationNames
from tests.graphql_client import graphql_client


def _count(operation: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "returncases_requests_total", {"operation": operation, "outcome": outcome}
    )
    return value or 0.0


def _labels(prefix: str) -> set[str]:
    return {
        sample.labels["operation"]
        for family in REGISTRY.collect()
        if family.name == "returncases_requests"
        for sample in family.samples
        if sample.labels.get("operation", "").startswith(prefix)
    }


def test_operation_names_are_admitted_up_to_the_limit():
    names = OperationNames(limit=2, preset=frozenset({"Worklist"}))
    assert names.label("Worklist", valid=True) == "Worklist"
    assert names.label("Case", valid=True) == "Case"
    assert names.label("Other1", valid=True) == OTHER
    assert names.label("Case", valid=True) == "Case"
    assert names.label(None, valid=True) == ANONYMOUS
    assert names.label("Worklist", valid=False) == INVALID
    assert OperationNames(limit=5).label("not a name!", valid=True) == OTHER


async def test_requests_are_counted_by_operation_name_and_outcome(client):
    ok, forbidden = _count("CountedCases", "OK"), _count("CountedGrounds", "FORBIDDEN")
    for _ in range(3):
        assert (await client("query CountedCases { cases(first: 1) { totalCount } }")).ok()
    police = client.police("polisen-metrics")
    withheld = (
        "query CountedGrounds { cases(first: 1) { edges { node { decision { asylumGrounds } } } } }"
    )
    assert (await police(withheld)).codes == ["FORBIDDEN"]
    assert _count("CountedCases", "OK") == ok + 3
    assert _count("CountedGrounds", "FORBIDDEN") == forbidden + 1
    seconds = REGISTRY.get_sample_value(
        "returncases_request_duration_seconds_count", {"operation": "CountedCases"}
    )
    assert (seconds or 0) >= 3


async def test_random_operation_names_do_not_grow_the_label_set(settings):
    prefix = f"Random{uuid.uuid4().hex[:6]}"
    async with graphql_client(settings.model_copy(update={"metrics_max_operations": 2})) as app:
        officer = app.as_user("case_officer")
        other = _count(OTHER, "OK")
        invalid = _count(INVALID, "GRAPHQL_VALIDATION_FAILED")
        for n in range(10):
            assert (await officer(f"query {prefix}N{n} {{ __typename }}")).ok()
        for n in range(5):  # names of documents that do not validate never become labels
            assert (await officer(f"query {prefix}Bad{n} {{ nope }}")).codes == [
                "GRAPHQL_VALIDATION_FAILED"
            ]
    assert len(_labels(prefix)) <= 2
    assert not any("Bad" in label for label in _labels(prefix))
    assert _count(OTHER, "OK") >= other + 8
    assert _count(INVALID, "GRAPHQL_VALIDATION_FAILED") == invalid + 5


async def test_rate_limit_refusals_are_counted(settings):
    from tests.rate_windows import early_in_a_window

    await early_in_a_window()  # the three requests share one window
    before = REGISTRY.get_sample_value("returncases_rate_limit_refusals_total") or 0.0
    async with graphql_client(settings.model_copy(update={"rate_limit_per_minute": 1})) as app:
        officer = app.as_user("case_officer")
        statuses = [(await officer("{ __typename }")).status for _ in range(3)]
    assert statuses == [200, 429, 429]
    assert REGISTRY.get_sample_value("returncases_rate_limit_refusals_total") == before + 2


async def test_connections_held_are_counted_in_use(client):
    from contextlib import AsyncExitStack

    engine = client.app.state.db.engine
    async with AsyncExitStack() as held:
        for _ in range(3):
            await held.enter_async_context(engine.connect())
        in_use = REGISTRY.get_sample_value("returncases_db_pool_in_use")
        assert (in_use or 0) >= 3


async def test_registered_operations_keep_their_names_past_the_limit(settings, tmp_path):
    import json

    from api.http.persisted import sha256

    registered = "query RegisteredProbe { __typename }"
    allow_list = tmp_path / "persisted.json"
    allow_list.write_text(json.dumps({sha256(registered): registered}))
    limited = settings.model_copy(
        update={"metrics_max_operations": 0, "persisted_queries_file": allow_list}
    )
    before = _count("RegisteredProbe", "OK")
    async with graphql_client(limited) as app:
        officer = app.as_user("case_officer")
        assert (await officer(registered)).ok()
        assert (await officer(f"query Unregistered{uuid.uuid4().hex[:6]} {{ __typename }}")).ok()
    assert _count("RegisteredProbe", "OK") == before + 1
    assert not _labels("Unregistered")


async def test_a_request_waiting_for_a_connection_is_counted_waiting(dev_key_dir, tmp_path):
    import asyncio
    from contextlib import AsyncExitStack

    from api.settings import Settings
    from tests.databases import migrated_database

    async with migrated_database("sqlite", tmp_path) as url:
        patient = Settings(
            database_url=url,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
            db_pool_timeout_seconds=60,
            # The policy poller must not be the one waiting for a connection.
            policy_poll_seconds=3600,
        )
        async with graphql_client(patient) as app:
            officer = app.as_user("case_officer")
            engine = app.app.state.db.engine
            pool = engine.sync_engine.pool
            async with AsyncExitStack() as held:
                for _ in range(pool.size() + pool._max_overflow):
                    await held.enter_async_context(engine.connect())
                request = asyncio.create_task(officer("{ cases(first: 1) { totalCount } }"))
                for _ in range(600):  # until the request is waiting for a connection
                    if (REGISTRY.get_sample_value("returncases_db_pool_waiting") or 0) >= 1:
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError("the waiting request was not counted")
                assert not request.done()
            # Connections given back: the request gets one and answers.
            assert (await request).ok()["cases"]["totalCount"] == 0
