"""The Python example waits out RATE_LIMITED for `Retry-After` seconds and misses nothing. Its
sync was started in the background when the server came up (conftest `rate_limited_sync`);
this module runs last, so the wait of up to a minute overlaps the other tests."""

from __future__ import annotations

from tests.examples.conftest import Background, json_lines


def test_a_rate_limited_sync_waits_for_retry_after_and_misses_nothing(
    rate_limited_sync: Background,
):
    assert rate_limited_sync.process.wait(timeout=180) == 0
    stderr = rate_limited_sync.stderr.read_text()
    assert "rate limited: waiting" in stderr, stderr
    received = [event["cursor"] for event in json_lines(rate_limited_sync.stdout.read_text())]
    expected = rate_limited_sync.expected
    assert received[: len(expected)] == expected, (len(received), len(expected), stderr)
