"""A real `returncases serve` with seeded demo cases, running registered operations only: the
allow-list is built by `returncases persisted build` from the examples' own `.graphql` files,
exactly as the README's production workflow does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.identity.development import mint_token
from db.enums import Agency
from tests.servers import RETURNCASES, start_serve, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
OPERATION_FOLDERS = [EXAMPLES / "python" / "queries", EXAMPLES / "typescript" / "operations"]
DEMO_CASES = 200


@dataclass
class Service:
    url: str  # the GraphQL endpoint
    limited_url: str  # the same database behind a rate limit of RATE_LIMIT requests a minute
    open_url: str  # the same database, any document (development defaults), for the README
    key_dir: Path
    env: dict[str, str]  # what the persisted-only server runs with, to start another one

    def token(self, role: str, purpose: str, unit: str | None = None) -> str:
        police = role == "border_police_officer"
        return mint_token(
            self.key_dir,
            subject=f"integrator-{role}",
            agency=Agency.POLISEN if police else Agency.MIGRATIONSVERKET,
            roles=[role],
            unit=unit,
            purposes=[purpose],
        )


RATE_LIMIT = 2


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'examples.db'}",
        "RETURNCASES_DEV_KEY_DIR": str(tmp / "key"),
        "RETURNCASES_POLICY_DIR": str(ROOT / "policies"),
        "RETURNCASES_PERSISTED_QUERIES_FILE": str(tmp / "persisted-operations.json"),
        "RETURNCASES_PERSISTED_ONLY": "true",
        "RETURNCASES_AUTOMATIC_PERSISTED_QUERIES": "false",
        **extra,
    }


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp = tmp_path_factory.mktemp("examples")
    folders = [str(folder) for folder in OPERATION_FOLDERS if folder.is_dir()]
    allow_list = str(tmp / "persisted-operations.json")
    subprocess.run(
        [RETURNCASES, "persisted", "build", *folders, "--output", allow_list],
        check=True, capture_output=True, env=_env(tmp),
    )  # fmt: skip
    subprocess.run([RETURNCASES, "db", "upgrade"], check=True, capture_output=True, env=_env(tmp))
    subprocess.run(
        [RETURNCASES, "seed", "--cases", str(DEMO_CASES), "--seed", "1"],
        check=True, capture_output=True, env=_env(tmp),
    )  # fmt: skip
    servers: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        # One after the other: a port is only taken once its server listens, so two servers
        # started at once can be handed the same free port (and one answers for both).
        for extra in ({"RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000"},
                      {"RETURNCASES_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT)},
                      {"RETURNCASES_PERSISTED_ONLY": "false"}):  # fmt: skip
            servers.append(start_serve(_env(tmp, **extra)))
            wait_until_up(servers[-1][0], servers[-1][1], "/readyz")
            assert servers[-1][1].poll() is None, "the server exited"
        (url, _), (limited, _), (open_, _) = servers
        yield Service(f"{url}/graphql", f"{limited}/graphql", open_, tmp / "key", _env(tmp))
    finally:
        for _, server in servers:
            server.terminate()
        for _, server in servers:
            stop(server)  # already terminated: waits (both shut down at once)


def run_python_example(
    service: Service, token: str, *arguments: str, url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """examples/python/integrator.py as an integrator runs it (JSON lines on stdout)."""
    env = {**os.environ, "RETURNCASES_URL": url or service.url, "RETURNCASES_TOKEN": token,
           "RETURNCASES_PURPOSE": "CASE_HANDLING"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "integrator.py", *arguments],
        cwd=EXAMPLES / "python", env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@dataclass
class Background:
    expected: list[str]  # the feed's cursors when it started
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path


@pytest.fixture(scope="session", autouse=True)  # at once: it runs while the other tests do
def rate_limited_sync(
    service: Service, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Background]:
    """The Python example syncing through the rate-limited server, started early in the
    background (it has to wait out a `Retry-After` of up to a minute)."""
    tmp = tmp_path_factory.mktemp("rate-limited")
    token = service.token("return_officer", "CASE_HANDLING", "mv-stockholm")
    full = run_python_example(service, token, "sync", "--state-file", str(tmp / "full.txt"))
    expected = [event["cursor"] for event in json_lines(full.stdout)]
    page_size = len(expected) // (RATE_LIMIT + 1)  # more pages than one minute's limit
    # The limit counts per clock minute: start just after one begins, so the whole burst meets
    # the limit within that minute however slowly the machine runs (the wait is in background).
    delay = 60.5 - time.time() % 60
    env = {**os.environ, "RETURNCASES_URL": service.limited_url, "RETURNCASES_TOKEN": token,
           "RETURNCASES_PURPOSE": "CASE_HANDLING"}  # fmt: skip
    command = [sys.executable, "integrator.py", "sync", "--state-file", str(tmp / "limited.txt"),
               "--page-size", str(page_size)]  # fmt: skip
    # Output goes to files: a full pipe would stall the burst until the test reads it.
    with (tmp / "stdout").open("w") as stdout, (tmp / "stderr").open("w") as stderr:
        process = subprocess.Popen(
            ["/bin/sh", "-c", 'sleep "$0" && exec "$@"', f"{delay:.1f}", *command],
            cwd=EXAMPLES / "python", env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
    try:
        yield Background(expected, process, tmp / "stdout", tmp / "stderr")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
