"""Several uvicorn worker processes on one PostgreSQL keep one valid, gap-free chain."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx

from api.audit.verify import verify_chain
from api.identity.development import mint_token
from db.engine import create_engine
from db.enums import Agency
from tests.databases import migrated_database
from tests.servers import start_serve, stop, wait_until_up

REQUESTS = 60
# Requests in flight at once: concurrent across both workers, yet within one worker's pool
# (db/engine.py: 10 + 10 overflow). All 60 at once queued at the pools, and on a loaded machine
# a wait beyond db_pool_timeout_seconds is, rightly, a 503 SERVICE_UNAVAILABLE: a capacity
# answer, not what this test is about.
IN_FLIGHT = 12


async def test_concurrent_requests_across_two_workers_make_one_chain(tmp_path: Path):
    async with migrated_database("postgresql", tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
            "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[2] / "policies"),
        }
        token = mint_token(
            tmp_path / "key",
            subject="load",
            agency=Agency.MIGRATIONSVERKET,
            roles=["return_officer"],
            purposes=["CASE_HANDLING"],
        )
        base, server = start_serve(env, "--workers", "2")
        try:
            await asyncio.to_thread(wait_until_up, base, server, "/readyz")
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                headers = {"Authorization": f"Bearer {token}"}
                query = {"query": "{ cases(first: 1) { totalCount } }"}
                gate = asyncio.Semaphore(IN_FLIGHT)

                async def one() -> httpx.Response:
                    async with gate:
                        return await http.post("/graphql", json=query, headers=headers)

                responses = await asyncio.gather(*(one() for _ in range(REQUESTS)))
        finally:
            await asyncio.to_thread(stop, server)
        refused = [r.text for r in responses if r.status_code != 200]
        assert not refused, refused[:3]
        assert all("errors" not in r.json() for r in responses)
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                verdict = await verify_chain(connection)
        finally:
            await engine.dispose()
        assert verdict.ok, verdict
        assert verdict.entries == verdict.head_seq == REQUESTS
