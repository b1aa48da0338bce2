"""Serving the metrics of every worker: Prometheus multiprocess mode, on a listener of its own.

`returncases serve` runs several uvicorn workers; each writes its metric values to files in
one directory (PROMETHEUS_MULTIPROC_DIR, set before any worker starts, emptied at start, so
counts never carry over from an earlier run). The serving process itself reads them all and
answers scrapes on a separate address and port, never on the GraphQL port: metrics name
operations and outcomes, which is nobody's business on the public endpoint, and the scraper is
kept out by binding to loopback or an internal interface (see README, "Metrics").

prometheus-client is imported only after the directory is set: it picks its storage at import.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

ENVIRONMENT_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare_directory() -> tuple[Path, bool]:
    """The multiprocess directory, empty: PROMETHEUS_MULTIPROC_DIR if set, else a new temporary
    one. Sets the variable for the workers; True when the directory is ours to remove."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
        created = False
    else:
        directory = Path(tempfile.mkdtemp(prefix="returncases-metrics-"))
        created = True
    os.environ[ENVIRONMENT_VARIABLE] = str(directory)
    return directory, created


def remove_directory(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LiveWorkers:
    """All workers' values; a worker that is gone (restarted, crashed) drops out of the live
    gauges (in use, waiting, open subscriptions, policy version) before each scrape."""

    def __init__(self, directory: Path) -> None:
        from prometheus_client.multiprocess import MultiProcessCollector

        self.directory = directory
        self._collector = MultiProcessCollector(None, path=str(directory))

    def collect(self) -> Iterable[Metric]:
        from prometheus_client.multiprocess import mark_process_dead

        for path in self.directory.glob("gauge_live*_*.db"):
            pid = path.stem.rsplit("_", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                mark_process_dead(int(pid), str(self.directory))
        metrics: Iterable[Metric] = self._collector.collect()
        return metrics


def serve_metrics(directory: Path, host: str, port: int) -> Any:
    """Answer scrapes on host:port from a daemon thread of this process; the server."""
    from prometheus_client import CollectorRegistry, start_http_server

    registry = CollectorRegistry()
    registry.register(LiveWorkers(directory))
    server, _thread = start_http_server(port, addr=host, registry=registry)
    return server
