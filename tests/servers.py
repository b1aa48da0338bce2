"""Real `returncases serve` processes for end-to-end tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

RETURNCASES = str(Path(sys.executable).with_name("returncases"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base_url: str, server: subprocess.Popen, path: str = "/healthz") -> None:
    """Poll until the server answers 200 (at most 60 s), failing early if it exits."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base_url}{path}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, server.stdout.read() if server.stdout else "server exited"
        assert time.monotonic() < deadline, "server did not come up"
        time.sleep(0.2)


def start_serve(env: dict[str, str], *arguments: str) -> tuple[str, subprocess.Popen[bytes]]:
    """`returncases serve` on a free port with `env` (output discarded); its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [RETURNCASES, "serve", "--port", str(port), *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return f"http://127.0.0.1:{port}", server
