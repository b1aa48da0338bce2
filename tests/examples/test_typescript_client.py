"""The TypeScript example (examples/typescript: graphql-codegen typed documents, the graphql-ws
client) compiled with tsc and run by Node against a real persisted-only server: the token goes
in `connection_init`; when it expires the subscription ends UNAUTHENTICATED, the client
connects again with a fresh token and `after` = its last cursor, and the event committed while
it was away arrives exactly once."""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from api.identity.development import mint_token
from db.enums import Agency
from tests.examples.conftest import EXAMPLES, Service, json_lines, run_python_example
from tests.servers import RETURNCASES, base_url, listening_socket, serve_on, stop, wait_until_up

EXAMPLE = EXAMPLES / "typescript"
UNIT = "polisen-region-stockholm"


def _node_or_skip() -> str:
    node = shutil.which("node")
    if node is None or not (EXAMPLE / "node_modules" / "graphql-ws").is_dir():
        reason = "Node.js or examples/typescript/node_modules missing (scripts/bootstrap installs)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return node


def _compile(node: str, tmp: Path) -> Path:
    """tsc type-checks the example against the generated types and emits it to `tmp`."""
    out = tmp / "dist"
    subprocess.run(
        [node, str(EXAMPLE / "node_modules" / "typescript" / "bin" / "tsc"),
         "-p", str(EXAMPLE / "tsconfig.json"), "--outDir", str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    shutil.copy2(EXAMPLE / "package.json", tmp / "package.json")  # ES modules
    (tmp / "node_modules").symlink_to(EXAMPLE / "node_modules")
    return out / "follow.js"


def _police_token(service: Service, ttl_seconds: int) -> str:
    return mint_token(service.key_dir, subject="sara", agency=Agency.POLISEN,
                      roles=["border_police_officer"], unit=UNIT, purposes=["ENFORCEMENT"],
                      ttl_seconds=ttl_seconds)  # fmt: skip


class Lines:
    """The JSON lines a running process writes, read with a deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.selector = selectors.DefaultSelector()
        self.selector.register(process.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]

    def next(self, seconds: float = 30) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.selector.select(timeout=deadline - time.monotonic()):
                line = self.process.stdout.readline()  # type: ignore[union-attr]
                assert line, f"the example exited: {self.process.stderr.read()}"  # type: ignore[union-attr]
                return json.loads(line)
        raise AssertionError("no line from the example in time")


def _hand_over_next(service: Service, token: str, candidates: list[dict]) -> str:
    """Hand over the next candidate whose checklist is complete; its id."""
    while candidates:
        row = candidates.pop(0)
        done = run_python_example(service, token, "hand-over", row["id"],
                                  "--version", str(row["version"]), "--to-unit", UNIT)  # fmt: skip
        if done.returncode == 0:
            return row["id"]
    raise AssertionError("no seeded case left to hand over")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    node = _node_or_skip()
    return node, _compile(node, tmp_path_factory.mktemp("typescript"))


def _follow(node: str, script: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([node, str(script)], env={**os.environ, **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def test_the_subscriber_resumes_after_its_token_expired_without_gaps_or_repeats(
    service: Service, tmp_path: Path, compiled: tuple[str, Path]
):
    node, script = compiled
    officer = service.token("return_officer", "CASE_HANDLING", "mv-stockholm")
    head = json_lines(run_python_example(service, officer, "sync", "--state-file",
                                         str(tmp_path / "cursor.txt")).stdout)  # fmt: skip
    page = run_python_example(service, officer, "worklist", "--first", "50")
    candidates = json_lines(page.stdout)
    # Before the client starts, so finding a case with a complete checklist (slow on a busy
    # machine) cannot outlast the short token: the client catches up on it from `after`.
    first = _hand_over_next(service, officer, candidates)
    token_file = tmp_path / "token.txt"
    token_file.write_text(_police_token(service, ttl_seconds=10))
    process = _follow(node, script, {
        "RETURNCASES_WS_URL": service.url.replace("http://", "ws://"),
        "RETURNCASES_TOKEN_FILE": str(token_file), "RETURNCASES_PURPOSE": "ENFORCEMENT",
        "RETURNCASES_STOP_AFTER": "2", "RETURNCASES_AFTER": head[-1]["cursor"],
    })  # fmt: skip
    try:
        lines = Lines(process)
        assert lines.next() == {"connected": True, "after": head[-1]["cursor"]}
        event = lines.next()
        assert (event["type"], event["caseId"]) == ("HANDED_OVER", first), event
        assert event["withheld"] == ["CaseEvent.reason"]  # the police never see the reason
        assert lines.next() == {"ended": "UNAUTHENTICATED", "after": event["cursor"]}

        second = _hand_over_next(service, officer, candidates)  # while the client is away
        token_file.write_text(_police_token(service, ttl_seconds=600))
        assert lines.next() == {"connected": True, "after": event["cursor"]}
        resumed = lines.next()
        assert (resumed["type"], resumed["caseId"]) == ("HANDED_OVER", second)
        assert resumed["cursor"] != event["cursor"]
        assert lines.next() == {"ended": "DONE", "after": resumed["cursor"]}
        assert process.wait(timeout=30) == 0
    finally:
        _stop(process)


def test_the_subscriber_resumes_after_the_server_went_away(
    service: Service, tmp_path: Path, compiled: tuple[str, Path]
):
    node, script = compiled
    officer = service.token("return_officer", "CASE_HANDLING", "mv-stockholm")
    head = json_lines(run_python_example(service, officer, "sync", "--state-file",
                                         str(tmp_path / "cursor.txt")).stdout)  # fmt: skip
    candidates = json_lines(
        run_python_example(service, officer, "worklist", "--first", "50").stdout
    )
    token_file = tmp_path / "token.txt"
    token_file.write_text(_police_token(service, ttl_seconds=600))
    # Held for the whole test: the restarted server takes the same socket, so the port cannot
    # be taken while it is down (the client's retries then wait in the socket's backlog).
    sock = listening_socket()
    base = base_url(sock)

    def serve() -> subprocess.Popen[bytes]:
        server = serve_on(sock, [RETURNCASES, "serve"], env=service.env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        wait_until_up(base, server, "/readyz")
        return server

    server = serve()
    process = _follow(node, script, {
        "RETURNCASES_WS_URL": base.replace("http://", "ws://") + "/graphql",
        "RETURNCASES_TOKEN_FILE": str(token_file), "RETURNCASES_PURPOSE": "ENFORCEMENT",
        "RETURNCASES_STOP_AFTER": "2", "RETURNCASES_AFTER": head[-1]["cursor"],
    })  # fmt: skip
    try:
        lines = Lines(process)
        assert lines.next() == {"connected": True, "after": head[-1]["cursor"]}
        first = _hand_over_next(service, officer, candidates)
        event = lines.next()
        assert event["caseId"] == first
        stop(server)
        assert lines.next() == {"ended": "CLOSED", "after": event["cursor"]}
        second = _hand_over_next(service, officer, candidates)  # through the other server
        server = serve()
        while (line := lines.next()).get("ended") == "CLOSED":  # retries while it was down
            assert line["after"] == event["cursor"]
        assert line == {"connected": True, "after": event["cursor"]}
        resumed = lines.next()
        assert (resumed["type"], resumed["caseId"]) == ("HANDED_OVER", second)
        assert lines.next() == {"ended": "DONE", "after": resumed["cursor"]}
    finally:
        _stop(process)
        stop(server)
        sock.close()
