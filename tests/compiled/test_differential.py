"""The compiled executor against strawberry's: for generated documents over `case`, `cases` and
`caseEvents` (variables, fragments, aliases, directives) and for every demo role, both return
byte-identical `data`, the same errors and record the same audit entry, on SQLite and
PostgreSQL. Any difference is a defect of the compiled path.

Documents per role: RETURNCASES_DIFFERENTIAL_EXAMPLES per root field (default 12); set it to
1000 or more for the long run (`scripts/` does not run it; see the CHANGELOG entry).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.cli import DEMO_USERS
from api.compiled.served import COMPILED, EXECUTIONS, FALLBACK, REFERENCE
from api.schema import schema
from api.seed import seed
from api.settings import Settings
from db.engine import create_engine
from db.models.audit import AuditCaseAccess, AuditEntry
from tests.compiled.documents import documents
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.demo import demo_user
from tests.graphql_client import GraphQLClient, graphql_client

EXAMPLES = int(os.environ.get("RETURNCASES_DIFFERENTIAL_EXAMPLES", "12"))
ROOTS = ("case", "cases", "caseEvents")
ROLES = [user[2] for user in DEMO_USERS]
# What differs between two entries of the same request by design.
_VOLATILE = {"seq", "request_id", "occurred_at", "prev_hash", "entry_hash", "pending_id"}
# The one column that differs by design: which executor completed the case reads (the
# reference client has the compiled executor switched off, so it records none).
_EXECUTOR = "executor"
_EXECUTORS = {COMPILED, FALLBACK, REFERENCE}


# Query limits high enough for every generated document to reach the executors.
LIMITS: dict[str, Any] = {
    "max_depth": 20,
    "max_aliases": 1000,
    "max_directives": 1000,
    "max_tokens": 100_000,
    "max_cost": 100_000_000,
}

# How long a committed audit entry may wait for the sequencer: a bound for a loaded machine.
INTEGRATION_BOUND_S = 20.0


class Pair:
    def __init__(self, compiled: GraphQLClient, reference: GraphQLClient, url: str) -> None:
        self.compiled = compiled
        self.reference = reference
        self.engine = create_engine(url)
        self.case_ids: list[str] = []


@asynccontextmanager
async def generous_settings(
    backend: str, directory: Path, dev_key_dir: Path
) -> AsyncIterator[Settings]:
    """A seeded database of its own, with query limits every generated document passes."""
    async with migrated_database(backend, directory) as url:
        engine = create_engine(url)
        try:
            await seed(engine, 40, seed=11)
        finally:
            await engine.dispose()
        yield Settings(
            database_url=url,
            max_page_size=200,
            dev_key_dir=dev_key_dir,
            rate_limit_per_minute=1_000_000,
            # Half the generated documents are over the default query limits (aliases,
            # directives): both paths would refuse them alike before execution.
            **LIMITS,
        )


@pytest.fixture(scope="module", params=BACKENDS)
async def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[Pair]:
    directory = tmp_path_factory.mktemp("differential")
    async with (
        generous_settings(request.param, directory, dev_key_dir) as base,
        graphql_client(base) as compiled,
        graphql_client(replace_settings(base, compiled_execution=False)) as reference,
    ):
        found = Pair(compiled, reference, base.database_url)
        found.case_ids = await _case_ids(compiled)
        try:
            yield found
        finally:
            await found.engine.dispose()


def replace_settings(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update=changes)


async def _case_ids(client: GraphQLClient) -> list[str]:
    officer = client.as_user("case_officer", "return_officer")
    response = await officer("{ cases(first: 40) { edges { node { id } } } }")
    return [edge["node"]["id"] for edge in response.ok()["cases"]["edges"]]


def _draw(root: str, case_ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(documents(schema._schema, root, case_ids))
    def collect(document: tuple[str, dict[str, Any]]) -> None:
        found.append(document)

    collect()
    return found


async def _post(client: GraphQLClient, query: str, variables: dict[str, Any]) -> Any:
    return await client.http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {client.token}"},
    )


def _errors(body: dict[str, Any]) -> list[Any]:
    """Errors without the request id (which differs by design)."""
    errors = []
    for error in body.get("errors") or ():
        extensions = {k: v for k, v in (error.get("extensions") or {}).items() if k != "requestId"}
        errors.append({**error, "extensions": extensions})
    return errors


async def _audit(engine: AsyncEngine, request_id: str) -> Any:
    """The request's chained audit entry; on PostgreSQL the sequencer chains it just after the
    answer (api/sequencing.py), so wait for it within a bound, never for a fixed time."""
    entry = AuditEntry.__table__
    access = AuditCaseAccess.__table__
    statement = select(entry).where(entry.c.request_id == request_id)
    deadline = asyncio.get_running_loop().time() + INTEGRATION_BOUND_S
    while True:
        async with engine.connect() as connection:
            row = (await connection.execute(statement)).first()
        if row is not None or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.02)
    if row is None:
        return None
    async with engine.connect() as connection:
        cases = (
            await connection.execute(
                select(access.c.case_id, access.c.coordinate_set)
                .where(access.c.entry_seq == row.seq)
                .order_by(access.c.case_id)
            )
        ).all()
    kept = {k: v for k, v in row._mapping.items() if k not in _VOLATILE}
    return kept, [tuple(case) for case in cases]


def _executor(audit: Any) -> Any:
    """Take the executor out of an entry read by `_audit` (it differs by design)."""
    if audit is None:
        return None, None
    kept, cases = audit
    executor = kept.pop(_EXECUTOR)
    return executor, (kept, cases)


def _data(raw: bytes) -> str:
    """The `data` member exactly as sent (orjson keeps the order of keys)."""
    return json.dumps(json.loads(raw).get("data"), ensure_ascii=False)


@pytest.mark.parametrize("root", ROOTS)
async def test_compiled_and_reference_answer_alike(pair: Pair, root: str) -> None:
    generated = _draw(root, pair.case_ids)
    assert len(generated) >= min(EXAMPLES, 5)
    served = 0
    before = _count(COMPILED), _count(FALLBACK)
    for role in ROLES:
        compiled_user = demo_user(pair.compiled, role)
        reference_user = replace(demo_user(pair.reference, role), token=compiled_user.token)
        for query, variables in generated:
            compiled = await _post(compiled_user, query, variables)
            reference = await _post(reference_user, query, variables)
            where = (role, query, variables)
            assert compiled.status_code == reference.status_code, where
            assert _data(compiled.content) == _data(reference.content), where
            if b"requestId" not in compiled.content:  # then the whole answer, byte for byte
                assert compiled.content == reference.content, where
            compiled_body, reference_body = compiled.json(), reference.json()
            assert _errors(compiled_body) == _errors(reference_body), where
            compiled_executor, compiled_audit = _executor(
                await _audit(pair.engine, compiled.headers["x-request-id"])
            )
            reference_executor, reference_audit = _executor(
                await _audit(pair.engine, reference.headers["x-request-id"])
            )
            assert compiled_audit == reference_audit, where
            assert reference_executor is None, where
            answered = any(v is not None for v in (compiled_body.get("data") or {}).values())
            # A root field that answered was completed by one of the executors, named in the
            # entry (a root whose resolver refused, NOT_FOUND say, reached neither).
            assert compiled_executor in (_EXECUTORS if answered else _EXECUTORS | {None}), where
            served += answered
    # Most generated documents must reach data, and the compiled path must serve most of
    # those, or the test proves little.
    compiled_count = _count(COMPILED) - before[0]
    fallback_count = _count(FALLBACK) - before[1]
    print(f"{root}: {len(generated)} documents x {len(ROLES)} roles, {served} with data, "
          f"{compiled_count} compiled, {fallback_count} fell back")  # fmt: skip
    assert served >= len(generated) // 2, served
    assert compiled_count >= served // 2, (compiled_count, served)


def _count(executor: str) -> float:
    return EXECUTIONS.labels(executor=executor)._value.get()
