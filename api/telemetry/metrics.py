"""The service's Prometheus metrics (prometheus-client).

Under `returncases serve` every worker writes its values to files in PROMETHEUS_MULTIPROC_DIR
(multiprocess mode, set before any worker starts) and the scrape adds them up; elsewhere (tests,
one process) they live in memory. Gauges say how workers combine: `livesum` adds up the
workers that are running, `liveall` keeps one series per worker (`pid`).

Labels have bounded values only: operation names pass through `api.telemetry.operations`,
outcome codes are the service's own error codes.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "returncases_requests",
    "HTTP requests by GraphQL operation name and outcome code (OK when nothing failed).",
    ["operation", "outcome"],
)
REQUEST_SECONDS = Histogram(
    "returncases_request_duration_seconds",
    "Time from the request's arrival to the end of its answer.",
    ["operation"],
    buckets=_LATENCY,
)
RATE_LIMITED = Counter(
    "returncases_rate_limit_refusals",
    "Requests refused with RATE_LIMITED (HTTP 429).",
)
AUDIT_WRITE_SECONDS = Histogram(
    "returncases_audit_write_duration_seconds",
    "Time to commit one batch of audit entries (group commit).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0),
)
AUDIT_BATCH_SIZE = Histogram(
    "returncases_audit_batch_size",
    "Audit entries committed in one batch.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
AUDIT_WRITE_FAILURES = Counter(
    "returncases_audit_write_failures",
    "Audit batches that could not be written (their requests got no data).",
)
POOL_IN_USE = Gauge(
    "returncases_db_pool_in_use",
    "Database connections checked out of the pools of the running workers.",
    multiprocess_mode="livesum",
)
POOL_WAITING = Gauge(
    "returncases_db_pool_waiting",
    "Callers waiting for a database connection (for a free one, or for one being opened).",
    multiprocess_mode="livesum",
)
OPEN_SUBSCRIPTIONS = Gauge(
    "returncases_open_subscriptions",
    "Subscriptions open over WebSocket.",
    multiprocess_mode="livesum",
)
AUDIT_INTEGRATION_SECONDS = Histogram(
    "returncases_audit_integration_lag_seconds",
    "From an audit entry's commit to its integration into the chain by the sequencer.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0),
)
SEQUENCER_BATCH_SIZE = Histogram(
    "returncases_sequencer_batch_size",
    "Audit entries and case events integrated in one sequencer pass.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
)
EVENT_DELIVERY_SECONDS = Histogram(
    "returncases_event_delivery_lag_seconds",
    "From a case event's commit to its delivery to a subscriber.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0),
)
POLICY_VERSION = Gauge(
    "returncases_policy_version",
    "The stored policy version each worker runs.",
    multiprocess_mode="liveall",
)
