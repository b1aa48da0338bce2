"""Conformance with the public GraphQL-over-HTTP audit suite (graphql-http's serverAudits),
run by Node.js against a real `returncases serve`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.identity.development import mint_token
from db.enums import Agency

HERE = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_passes_every_required_graphql_over_http_audit(tmp_path):
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "graphql-http").is_dir():
        reason = "Node.js or tests/conformance/node_modules missing (scripts/bootstrap installs)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'audit.db'}",
        "RETURNCASES_DEV_KEY_DIR": str(tmp_path / "key"),
        "RETURNCASES_POLICY_DIR": str(HERE.parents[1] / "policies"),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("returncases")), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None
            assert time.monotonic() < deadline
            time.sleep(0.2)
        token = mint_token(
            tmp_path / "key",
            subject="auditor-of-http",
            agency=Agency.MIGRATIONSVERKET,
            roles=["return_officer"],
            purposes=["CASE_HANDLING"],
        )
        output = subprocess.run(
            [node, str(HERE / "audit.js"), f"http://127.0.0.1:{port}/graphql", token],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    results = json.loads(output)
    assert len(results) > 50
    failed = [(r["name"], r["reason"]) for r in results if r["status"] in ("error", "warn")]
    assert failed == []
    # The only notices are the optional GET forms, which are off by design.
    notices = [r["name"] for r in results if r["status"] == "notice"]
    assert all("GET" in name for name in notices), notices
