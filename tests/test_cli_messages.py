"""What a newcomer sees when something is wrong: one line on stderr and an exit code, never a
traceback, from the installed `returncases` command (its real `main()`)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import asyncpg
import pytest

from api.events.client import websocket_url
from api.settings import ConfigurationError
from api.startup import LISTENERS_PER_WORKER, ConnectionBudget, connection_budget
from db.engine import MAX_OVERFLOW, POOL_SIZE
from tests.databases import POSTGRES_ADMIN_URL, migrated_database
from tests.servers import RETURNCASES, unused_port


def _returncases(tmp_path: Path, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETURNCASES_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [RETURNCASES, *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**clean, **env},
        check=False,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr + result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith("returncases: ")
    return line


def test_events_watch_with_nothing_listening_says_so_in_one_line(tmp_path):
    url = f"http://127.0.0.1:{unused_port()}"
    result = _returncases(
        tmp_path, "events", "watch", RETURNCASES_URL=url, RETURNCASES_TOKEN="not-a-token"
    )
    assert result.returncode == 1
    assert _one_line(result).startswith(
        f"returncases: cannot connect to {url.replace('http', 'ws')}/graphql"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8000", "ws://127.0.0.1:8000/graphql"),
        ("https://rc.example.se/", "wss://rc.example.se/graphql"),
        ("ws://host:1/graphql", "ws://host:1/graphql"),
        ("wss://host/custom/path", "wss://host/custom/path"),
    ],
)
def test_events_watch_accepts_the_service_address_or_its_websocket_url(given, expected):
    assert websocket_url(given) == expected


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"RETURNCASES_ENV": "production"}, "production mode needs RETURNCASES_ISSUERS_FILE"),
        ({"RETURNCASES_ISSUERS_FILE": "/nonexistent/issuers.json"}, "cannot read /nonexistent"),
        ({"RETURNCASES_MAX_DEPTH": "deep"}, "max_depth: Input should be a valid integer"),
        ({"DATABASE_URL": "mysql://x/y"}, "unsupported database backend 'mysql'"),
    ],
)
def test_serve_refuses_an_unusable_setting_in_one_line(tmp_path, env, says):
    result = _returncases(tmp_path, "serve", **env)
    assert result.returncode == 2
    assert says in _one_line(result)
    assert not (tmp_path / "returncases.db").exists()


def test_the_budget_counts_pool_overflow_and_listeners_of_every_worker():
    budget = ConnectionBudget(workers=3, max_connections=100, reserved=3)
    assert budget.per_worker == POOL_SIZE + MAX_OVERFLOW + LISTENERS_PER_WORKER
    assert budget.needed == 3 * budget.per_worker
    budget.check()
    with pytest.raises(ConfigurationError, match=r"use at most 4 worker\(s\)"):
        ConnectionBudget(workers=5, max_connections=100, reserved=3).check()


@pytest.mark.postgres
async def test_serve_refuses_more_workers_than_postgresql_accepts_connections(tmp_path):
    async with migrated_database("postgresql", tmp_path) as url:
        budget = await connection_budget(url, 1)
        assert budget is not None
        budget.check()  # one worker fits
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            maximum = int(await admin.fetchval("SHOW max_connections"))
        finally:
            await admin.close()
        too_many = maximum // budget.per_worker + 1
        result = _returncases(tmp_path, "serve", "--workers", str(too_many), DATABASE_URL=url)
    assert result.returncode == 2
    line = _one_line(result)
    assert f"{too_many} worker(s) may open {too_many * budget.per_worker} PostgreSQL" in line
    assert f"max_connections {maximum}" in line


async def test_sqlite_has_no_connection_budget(tmp_path):
    assert await connection_budget(f"sqlite:///{tmp_path / 'x.db'}", 8) is None


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "issuers file"),
        ('[{"issuer": "https://idp.example", "agency": "nasa", "pem_file": "k.pem"}]', "'nasa'"),
        ('[{"issuer": "https://idp.example", "agency": "polisen"}]', "an entry lacks 'pem_file'"),
    ],
)
def test_serve_refuses_a_malformed_issuers_file_in_one_line(tmp_path, content, says):
    issuers = tmp_path / "issuers.json"
    issuers.write_text(content)
    result = _returncases(tmp_path, "serve", RETURNCASES_ISSUERS_FILE=str(issuers))
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith(f"returncases: issuers file {issuers}: ")
    assert says in line


def test_serve_refuses_a_persisted_query_that_does_not_match_its_hash(tmp_path):
    persisted = tmp_path / "persisted.json"
    persisted.write_text('{"0000": "{ __typename }"}')
    result = _returncases(tmp_path, "serve", RETURNCASES_PERSISTED_QUERIES_FILE=str(persisted))
    assert result.returncode == 2
    assert "does not match its hash" in _one_line(result)


@pytest.mark.parametrize("command", [("serve",), ("db", "upgrade"), ("audit", "verify")])
def test_an_unreachable_database_is_one_line_without_the_url(tmp_path, command):
    url = f"postgresql://someone:s3cret-pw@127.0.0.1:{unused_port()}/returncases"  # nobody there
    result = _returncases(tmp_path, *command, DATABASE_URL=url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    (line,) = result.stderr.splitlines()
    assert "database" in line
    assert "is it running?" in line
    assert "s3cret" not in result.stderr + result.stdout


@pytest.mark.parametrize("command", [("serve",), ("db", "upgrade"), ("seed",)])
def test_a_sqlite_database_in_a_missing_directory_is_one_line(tmp_path, command):
    url = f"sqlite:///{tmp_path / 'missing' / 'returncases.db'}"
    result = _returncases(tmp_path, *command, DATABASE_URL=url)
    assert result.returncode == 2
    assert "the directory of the SQLite database" in _one_line(result)


def test_serve_on_a_descriptor_that_is_no_listening_socket_says_so_in_one_line(tmp_path):
    """`serve --fd` takes a listening socket from a supervisor (the tests hand theirs over);
    a wrong descriptor is named before anything is migrated."""
    closed = _returncases(tmp_path, "serve", "--fd", "97")
    assert closed.returncode == 2
    assert _one_line(closed) == "returncases: --fd 97: Bad file descriptor"
    with socket.socket() as bound:  # bound, not listening
        bound.bind(("127.0.0.1", 0))
        fd = bound.fileno()
        result = subprocess.run(
            [RETURNCASES, "serve", "--fd", str(fd)],
            capture_output=True, text=True, timeout=120, cwd=tmp_path, pass_fds=(fd,),
            env={k: v for k, v in os.environ.items() if not k.startswith("RETURNCASES_")},
            check=False,
        )  # fmt: skip
    assert result.returncode == 2
    assert _one_line(result) == f"returncases: --fd {fd} is not a listening TCP socket"
    assert not (tmp_path / "returncases.db").exists()  # nothing migrated
