"""The service's log output as a test sees it: every record of every logger (but the test's
HTTP client), rendered by the service's own JSON formatter, parsed back line by line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from api.telemetry.logs import formatter


@dataclass
class CapturedLogs:
    stream: io.StringIO = field(default_factory=io.StringIO)

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[dict[str, Any]]:
        """One JSON object per line, or the test fails."""
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def of_request(self, request_id: str) -> list[dict[str, Any]]:
        return [line for line in self.lines if request_id in json.dumps(line)]


@contextmanager
def captured_logs(level: int = logging.INFO) -> Iterator[CapturedLogs]:
    captured = CapturedLogs()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(formatter("json"))
    # The test's own HTTP client logs its requests' URLs; it is not the service.
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
