"""The Python example waits out RATE_LIMITED for `Retry-After` seconds and misses nothing. Its
sync was started in the background when the server came up (conftest `rate_limited_sync`);
this module runs last, so the wait of up to a minute overlaps the other tests."""

from __future__ import annotations

from tests.examples.conftest import json_lines


def test_a_rate_limited_sync_waits_for_retry_after_and_misses_nothing(rate_limited_sync):
    expected, process = rate_limited_sync
    stdout, stderr = process.communicate(timeout=180)
    assert process.returncode == 0, stderr
    assert "rate limited: waiting" in stderr, stderr
    received = [event["cursor"] for event in json_lines(stdout)]
    assert received[: len(expected)] == expected, (len(received), len(expected), stderr)
