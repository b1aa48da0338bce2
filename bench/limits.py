"""Request-cost limits under attack: each attack of issue 13 replayed, with its time to refusal,
and a search for the most expensive document the default limits accept, with its CPU time.

    .venv/bin/python -m bench.limits [--cases 3000] [--backends sqlite,postgresql]

In process through the whole ASGI app (identity, limits, access control, audit) over a seeded
database, as a Migrationsverket case and return officer, after one warm-up request. CPU time is
this process's (`time.process_time`): the server's work plus httpx's in-process transport (for
the 40 MB token mostly httpx building the header; the verifier's own time is shown apart), not
other processes on a shared machine. Wall time is shown beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from graphql import GraphQLError, parse

from api.app import create_app
from api.graphql.limits import QueryLimits, measure_document
from api.identity.development import mint_token
from api.identity.issuers import token_verifier
from api.identity.tokens import InvalidToken
from api.schema import schema
from api.settings import Settings
from bench.client import in_process
from bench.common import available_backends
from bench.databases import seeded_database
from db.enums import Agency
from tests.graphql.test_limits_cost import _doubling, every_field

GRAPHQL = schema._schema
Request = tuple[str, dict[str, Any], dict[str, str]]  # name, JSON body, headers
IDS_FILTER = "query($ids: [ID!]) { caseEvents(filter: {caseIds: $ids}) { edges { cursor } } }"


async def _timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = await call()
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, result


def _outcome(response: httpx.Response) -> str:
    try:
        errors = orjson.loads(response.content).get("errors") or []
    except orjson.JSONDecodeError:
        return f"HTTP {response.status_code}"
    extensions = [e.get("extensions") or {} for e in errors]
    codes = ",".join(sorted({e.get("code", "?") for e in extensions})) or "ok"
    limits = sorted({e["limit"] for e in extensions if "limit" in e})
    return f"HTTP {response.status_code} {codes}" + (f" ({', '.join(limits)})" if limits else "")


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()


def _ids(count: int) -> list[str]:
    return [f"{i:08d}-0000-4000-8000-000000000000" for i in range(count)]


def attacks(token: str) -> list[Request]:
    auth = {"authorization": f"Bearer {token}"}
    case = every_field("ReturnCase", 2)
    fifteen = " ".join(
        f"a{i}: caseEvents(first: 1000) {{ edges {{ node {{ id }} case {{ ...C }} }} }}"
        for i in range(15)
    )
    big_token = f"{_segment({'alg': 'ES256'})}.{'a' * 40_000_000}.x"
    nul = '{ cases(filter: {owningUnits: ["x\\u0000"]}) { totalCount } }'
    found: list[Request] = [
        ("fragment fan-out, 23 levels", {"query": _doubling(23)}, auth),
        (
            "15 aliases of caseEvents(first: 1000) { case { every field } }",
            {"query": f"{{ {fifteen} }} fragment C on ReturnCase {{ {case} }}"},
            auth,
        ),
        (
            "caseEvents filter with 200,000 ids (8 MB body)",
            {"query": IDS_FILTER, "variables": {"ids": _ids(200_000)}},
            auth,
        ),
        (
            "caseEvents filter with 1,001 ids",
            {"query": IDS_FILTER, "variables": {"ids": _ids(1_001)}},
            auth,
        ),
        ("40 MB unsigned token", {"query": "{ __typename }"}, {"authorization": big_token}),
        ("NUL byte in a filter", {"query": nul}, auth),
        (
            "X-Case-Reference of 300 characters",
            {"query": "{ __typename }"},
            {**auth, "x-case-reference": "r" * 300},
        ),
        (
            "operation name of 300 characters",
            {"query": f"query {'Q' * 300} {{ __typename }}"},
            auth,
        ),
    ]
    for header, claims in [
        ({"alg": ["ES256"]}, {"iss": "x"}),
        ({}, {}),
        ({"alg": "ES256"}, {"iss": []}),
        ({"alg": "ES256"}, {}),
    ]:
        malformed = f"Bearer {_segment(header)}.{_segment(claims)}.c2ln"
        name = f"token {orjson.dumps(header).decode()}.{orjson.dumps(claims).decode()}"
        found.append((name, {"query": "{ __typename }"}, {"authorization": malformed}))
    return found


def _aliases(count: int, field: str) -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def families() -> dict[str, Callable[[int], str]]:
    """Document shapes, each with a size to push up to the limits."""
    case2, case1 = every_field("ReturnCase", 2), every_field("ReturnCase", 1)
    event, scalars = every_field("CaseEvent", 0), every_field("ReturnCase", 0)
    nested = f"events {{ {event} }} addresses {{ id city street }} documents {{ id type number }}"
    return {
        "cases(first: n) { every field, 2 levels }": (
            lambda n: f"{{ cases(first: {n}) {{ edges {{ node {{ {case2} }} }} }} }}"
        ),
        "caseEvents(first: n) { every field, its case's too }": (
            lambda n: (
                f"{{ caseEvents(first: {n}) {{ edges {{ node {{ {event} }} "
                f"case {{ {case1} }} }} }} }}"
            )
        ),
        "n aliases of cases(first: 1000) { scalars }": (
            lambda n: _aliases(n, f"cases(first: 1000) {{ edges {{ node {{ {scalars} }} }} }}")
        ),
        "cases(first: n) { events, addresses, documents }": (
            lambda n: f"{{ cases(first: {n}) {{ edges {{ node {{ {nested} }} }} }} }}"
        ),
        "n aliases of caseEvents(first: 1000) { changedFields }": (
            lambda n: _aliases(
                n, "caseEvents(first: 1000) { edges { node { changedFields type occurredAt } } }"
            )
        ),
    }


def _largest_accepted(build: Callable[[int], str], limits: QueryLimits) -> tuple[int, int]:
    """The largest size whose document passes every limit, and its estimated cost."""
    best, cost, low, high = 0, 0, 1, 1000
    while low <= high:
        middle = (low + high) // 2
        try:
            document = parse(build(middle), max_tokens=limits.max_tokens)
        except GraphQLError:  # over the token limit
            high = middle - 1
            continue
        measure = next(iter(measure_document(GRAPHQL, document, limits).values()))
        if (
            measure.cost <= limits.max_cost
            and measure.depth <= limits.max_depth
            and measure.aliases <= limits.max_aliases
        ):
            best, cost, low = middle, measure.cost, middle + 1
        else:
            high = middle - 1
    return best, cost


async def _post(http: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str]) -> Any:
    content = orjson.dumps(body)
    return await http.post(
        "/graphql", content=content, headers={"content-type": "application/json", **headers}
    )


async def _replay(http: httpx.AsyncClient, settings: Settings, token: str) -> None:
    print("| attack | answer | CPU ms | wall ms |\n|---|---|---:|---:|")
    for name, body, headers in attacks(token):
        cpu, wall, response = await _timed(lambda b=body, h=headers: _post(http, b, h))
        print(f"| {name} | {_outcome(response)} | {cpu:.1f} | {wall:.1f} |")
    verifier, huge = token_verifier(settings), "a" * 40_000_000
    start = time.process_time()
    with contextlib.suppress(InvalidToken):
        verifier.verify(huge, requested_purpose=None)
    print(f"| 40 MB token, the verifier alone | InvalidToken | "
          f"{(time.process_time() - start) * 1000:.3f} | |")  # fmt: skip
    statuses: dict[int, int] = {}

    async def flood() -> None:
        for _ in range(700):
            response = await _post(
                http, {"query": "{ __typename }"}, {"authorization": "Bearer x.y.z"}
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    cpu, wall, _ = await _timed(flood)
    summary = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    print(f"| 700 bad tokens from one address | {summary} | {cpu:.0f} in all | {wall:.0f} in all |")
    await _healthz_under_fan_out(http, token)


async def _healthz_under_fan_out(http: httpx.AsyncClient, token: str) -> None:
    """The slowest /healthz answer while ten fan-out documents are refused concurrently."""
    auth = {"authorization": f"Bearer {token}"}
    attack = asyncio.gather(*(_post(http, {"query": _doubling(23)}, auth) for _ in range(10)))
    probes = []
    while not attack.done():
        _, wall, _ = await _timed(lambda: http.get("/healthz"))
        probes.append(wall)
        await asyncio.sleep(0.001)  # in process, a probe may never yield to the attack
    await attack
    print(f"| /healthz during 10 concurrent fan-out attacks | {len(probes)} probes | | "
          f"max {max(probes, default=0):.1f} |", flush=True)  # fmt: skip


async def _worst_accepted(http: httpx.AsyncClient, token: str, limits: QueryLimits) -> None:
    print("\n| accepted document (largest size the limits let through) | size | estimate | "
          "bytes | CPU ms (median of 3) |\n|---|---:|---:|---:|---:|")  # fmt: skip
    worst = 0.0
    for name, build in families().items():
        size, cost = _largest_accepted(build, limits)
        runs, response = [], None
        body, auth = {"query": build(size)}, {"authorization": f"Bearer {token}"}
        for _ in range(3):
            cpu, _, response = await _timed(lambda b=body, a=auth: _post(http, b, a))
            answer = orjson.loads(response.content)
            codes = {(e.get("extensions") or {}).get("code") for e in answer.get("errors") or ()}
            if answer.get("data") is None or codes - {"FORBIDDEN"}:  # withheld fields are fine
                raise RuntimeError(f"{name} was not answered: {codes}")
            runs.append(cpu)
        median = statistics.median(runs)
        worst = max(worst, median)
        print(f"| {name} | {size} | {cost:,} | {len(response.content):,} | {median:.0f} |")
    print(f"\nWorst accepted document: {worst:.0f} ms CPU (target: under 1,000 ms).")


async def run(backend: str, cases: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        async with seeded_database(backend, cases, Path(directory)) as seeded:
            settings = Settings(database_url=seeded.url, dev_key_dir=Path(directory) / "key")
            token = mint_token(
                settings.dev_key_dir,
                subject="bench",
                agency=Agency.MIGRATIONSVERKET,
                roles=["case_officer", "return_officer"],
                unit="mv-stockholm",
                purposes=["CASE_HANDLING"],
            )
            async with in_process(create_app(settings)) as http:
                warm = {"query": "{ cases(first: 1) { totalCount } }"}
                await _post(http, warm, {"authorization": f"Bearer {token}"})
                print(f"\n## {backend}, {cases} cases\n")
                await _replay(http, settings, token)
                await _worst_accepted(http, token, QueryLimits())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--backends", default=None, help="comma-separated; default: all available")
    arguments = parser.parse_args()
    backends = arguments.backends.split(",") if arguments.backends else await available_backends()
    for backend in backends:
        await run(backend, arguments.cases)


if __name__ == "__main__":
    asyncio.run(main())
