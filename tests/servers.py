"""Real `returncases serve` processes (and in-process uvicorn servers) for end-to-end tests.

Every server gets a socket this process has already bound and put in listening state: a child
inherits it (`serve --fd`), an in-process uvicorn takes it (`Server.serve(sockets=...)`). The
port is held from bind to the server's exit, so nothing can take it in between, which
bind-and-release (take a free port, close it, let the server bind it) allowed: another test's
server, or an outgoing connection's ephemeral port from the same range, on a busy machine.
Connections made before the server accepts wait in the socket's backlog instead of being
refused, and readiness is the server's own answer (`/healthz`, `/readyz`).
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from asgi_lifespan import LifespanManager

RETURNCASES = str(Path(sys.executable).with_name("returncases"))


def listening_socket() -> socket.socket:
    """A TCP socket listening on a free loopback port, to hand to a server."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def base_url(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


def unused_port() -> int:
    """A port nobody listens on (for a client's "nothing there" answer), never to bind a
    server on: servers take `listening_socket()` instead."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_on(
    sock: socket.socket, command: Sequence[str | Path], **popen: Any
) -> subprocess.Popen[Any]:
    """Run `command` (a `returncases ... serve ...` command line) on `sock`, which it
    inherits (`--fd`)."""
    fd = sock.fileno()
    return subprocess.Popen([*command, "--fd", str(fd)], pass_fds=(fd,), **popen)


def spawn_serving(command: Sequence[str | Path], **popen: Any) -> tuple[str, subprocess.Popen[Any]]:
    """`serve_on` a socket of its own; its base URL and process. This process closes its
    copy at once, so a server that exits leaves nothing listening."""
    with listening_socket() as sock:
        return base_url(sock), serve_on(sock, command, **popen)


# A bound for a hung start, not a latency claim: the wait ends as soon as the server answers or
# exits. A two-worker `serve` on PostgreSQL took 28 s to answer at load average 11 on two cores
# (each worker process imports and builds the schema), and `serve --demo` seeds first.
UP_BOUND_S = 240.0
STOP_BOUND_S = 60.0


def app_lifespan(app: Any) -> LifespanManager:
    """An ASGI app's start-up and shutdown run in this process, within the same bounds as a
    served process's: asgi-lifespan's defaults (5 s each) are latency claims that a loaded
    machine broke (a PostgreSQL app's shutdown took longer in a full run at load 8)."""
    return LifespanManager(app, startup_timeout=UP_BOUND_S, shutdown_timeout=STOP_BOUND_S)


def wait_until_up(base_url: str, server: subprocess.Popen[Any], path: str = "/healthz") -> None:
    """Poll until the server answers 200, failing early if it exits."""
    deadline = time.monotonic() + UP_BOUND_S
    while True:
        try:
            if httpx.get(f"{base_url}{path}", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, server.stdout.read() if server.stdout else "server exited"
        assert time.monotonic() < deadline, "server did not come up"
        time.sleep(0.1)


def stop(server: subprocess.Popen[Any]) -> None:
    """SIGTERM and wait for the graceful shutdown; a server that does not stop is killed, and
    that is a failure (it would hold its database and port)."""
    server.terminate()
    try:
        server.wait(timeout=STOP_BOUND_S)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        raise AssertionError(f"the server did not stop within {STOP_BOUND_S:.0f} s") from None


def start_serve(env: dict[str, str], *arguments: str) -> tuple[str, subprocess.Popen[bytes]]:
    """`returncases serve` on a socket of its own with `env` (output discarded); its base URL."""
    return spawn_serving(
        [RETURNCASES, "serve", *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@asynccontextmanager
async def serving_in_process(app: Any) -> AsyncIterator[str]:
    """`app` served by uvicorn in this event loop on a socket of its own; its base URL."""
    sock = listening_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        # uvicorn offers no event to wait on; a server that fails to start ends the task.
        while not server.started:
            assert not serving.done(), "uvicorn did not start"
            await asyncio.sleep(0.02)
        yield base_url(sock)
    finally:
        server.should_exit = True
        await serving
        sock.close()
