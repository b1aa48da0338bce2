"""The real server: `returncases serve` answers over a socket."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx

from api.identity.development import mint_token
from db.enums import Agency
from tests.servers import RETURNCASES, spawn_serving, wait_until_up


def test_returncases_serve_answers_graphql_over_a_socket(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
        "RETURNCASES_POLICY_DIR": str(Path(__file__).parents[1] / "policies"),
    }
    base, server = spawn_serving(
        [RETURNCASES, "serve", "--demo", "--demo-cases", "40"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_up(base, server)
        assert httpx.get(f"{base}/readyz").json() == {"status": "ok"}
        query = {"query": "{ cases(first: 5) { totalCount edges { node { id state } } } }"}
        assert httpx.post(f"{base}/graphql", json=query).status_code == 401
        token = mint_token(
            tmp_path / "key",
            subject="e2e",
            agency=Agency.MIGRATIONSVERKET,
            roles=["return_officer"],
            unit="mv-stockholm",
            purposes=["CASE_HANDLING"],
        )
        response = httpx.post(
            f"{base}/graphql", json=query, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
        assert response.json()["data"]["cases"]["totalCount"] == 40
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert "Demo tokens" in output
