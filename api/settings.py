"""One settings object, read from the environment in one place and passed down."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _packaged_policy_dir() -> Path:
    """The default policies: in a wheel the copies of `policies/` that its build step puts in
    the package (build_support/policies.py); in a source checkout (an editable install, the
    tests) the repository's `policies/` itself. RETURNCASES_POLICY_DIR overrides it."""
    packaged = Path(__file__).with_name("default_policies")
    return packaged if packaged.is_dir() else Path(__file__).parents[1] / "policies"


PACKAGED_POLICY_DIR = _packaged_policy_dir()


class ConfigurationError(Exception):
    """A setting points at something the service cannot use. The command line prints the
    message as one line, without a traceback: it is the operator's to fix, not a bug."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RETURNCASES_", frozen=True, extra="ignore", validate_by_name=True
    )

    env: Environment = Environment.DEVELOPMENT
    # DATABASE_URL is the conventional name; RETURNCASES_DATABASE_URL works too.
    database_url: str = Field(
        default="sqlite:///./returncases.db",
        validation_alias=AliasChoices("DATABASE_URL", "RETURNCASES_DATABASE_URL"),
    )
    default_page_size: int = Field(default=50, ge=1)
    max_page_size: int = Field(default=1000, ge=1)
    # Query limits, checked before any resolver runs (QUERY_TOO_COMPLEX names the limit).
    max_depth: int = Field(default=8, ge=1)
    max_aliases: int = Field(default=15, ge=0)
    max_directives: int = Field(default=4, ge=0)
    max_tokens: int = Field(default=2000, ge=10)
    max_cost: int = Field(default=100_000, ge=1)
    # Roles allowed to introspect the schema, comma-separated; "*" for everyone. Unset: everyone
    # in development, nobody in production.
    introspection_roles: str | None = None
    max_body_bytes: int = Field(default=100_000, ge=1_000)
    # Queries (never mutations) over GET, e.g. for HTTP caches; off by default.
    allow_get_queries: bool = False
    # Batched requests (a JSON array of operations): off (0), or at most this many operations.
    max_batch_operations: int = Field(default=0, ge=0, le=50)
    # Requests per minute per client (subject and client id); counted in Redis when set.
    rate_limit_per_minute: int = Field(default=600, ge=1)
    # Registered operations (JSON {"sha256": "query"}); with persisted_only nothing else runs.
    persisted_queries_file: Path | None = None
    persisted_only: bool = False
    # The schema reference at /reference (it shows which roles see which coordinates):
    # unset means on in development and off in production.
    reference_page: bool | None = None
    # Automatic persisted queries for integrators; development only unless enabled explicitly.
    automatic_persisted_queries: bool | None = None
    redis_url: str | None = None
    # How often subscriptions look for new events on SQLite, which cannot notify; on PostgreSQL
    # LISTEN/NOTIFY wakes them at once and the head is polled only as a safety net.
    event_poll_seconds: float = Field(default=0.1, gt=0)
    event_fallback_poll_seconds: float = Field(default=5.0, gt=0)
    # PostgreSQL: how often the elected sequencer looks for entries and events other workers
    # committed (its own worker's commits wake it at once), and how often the other workers
    # try to take over its advisory lock, which a dead holder loses (db/election.py).
    sequencer_poll_seconds: float = Field(default=0.02, gt=0)
    sequencer_takeover_seconds: float = Field(default=1.0, gt=0)
    # While entries keep coming, the sequencer integrates at most this often: what commits
    # meanwhile joins one larger batch (a pass costs about the same for 5 entries as for 50).
    sequencer_pace_seconds: float = Field(default=0.02, ge=0)
    # How often a worker looks for a new policy version on SQLite (PostgreSQL notifies at once).
    policy_poll_seconds: float = Field(default=0.5, gt=0)
    # Break-glass grants (nödåtkomst) last this many minutes at most; a grant may ask for less.
    break_glass_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Open subscriptions one WebSocket may hold; more are refused (close code 4409 / an error).
    max_subscriptions_per_connection: int = Field(default=10, ge=1)
    # A WebSocket that has not sent `connection_init` by then is closed (4408).
    connection_init_timeout_seconds: float = Field(default=10.0, gt=0)
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    # Objects allocated between gen-0 collections (CPython's default is 700); objects alive
    # after start-up are frozen out of collections. 0 keeps the interpreter's defaults.
    # See api/gc_tuning.py.
    gc_gen0_threshold: int = Field(default=50_000, ge=0)
    # Benchmarks only: every principal may read, filter, write and call everything on every case,
    # and nothing is audited, to measure what access control and audit cost. Refused in
    # production.
    benchmark_without_access_control: bool = False
    # Complete `case`, `cases` and `caseEvents` with the compiled executor (api/compiled/),
    # proven identical to strawberry's by tests/compiled; off: strawberry completes every field.
    compiled_execution: bool = True
    # Statistics (`caseStatistics`): the smallest count published (a policy's p3 line may raise
    # it for a role, never lower it) and the most cells one table may have.
    statistics_min_cell_size: int = Field(default=5, ge=2)
    statistics_max_cells: int = Field(default=2000, ge=1)
    # MV's case number is opaque; the pattern is configurable per deployment.
    case_number_pattern: str = r"^MV-[0-9]{4}-[0-9]{6}$"
    log_level: str = "INFO"
    # `json`: one JSON object per line, for a log store; `text`: aligned lines for a terminal.
    log_format: Literal["json", "text"] = "json"
    # Seconds to wait for a database connection (a free one in the pool, or a new one) before
    # answering SERVICE_UNAVAILABLE; below the request timeout, so the answer is honest.
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    # A worker that starts while the database is unavailable (a restart during an outage, or
    # the database stopping between `serve`'s check and the worker's start) waits this long
    # for it (taking no request meanwhile), then exits with one line.
    startup_database_wait_seconds: float = Field(default=120.0, ge=0)
    # Prometheus metrics, served by `returncases serve` on their own listener (never on the
    # GraphQL port); off unless a port is given (0: a free one, printed at start). Bind beyond
    # loopback only on a network that only the scraper reaches.
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    # Distinct operation names counted as metric labels per worker; the rest count as `other`.
    metrics_max_operations: int = Field(default=200, ge=0)
    # Token issuers: a JSON file with a list of {issuer, agency, jwks_file | pem_file [, kid]}.
    # Without it, development mode trusts the local development issuer only.
    issuers_file: Path | None = None
    audience: str = "returncases"
    # Longest token lifetime accepted (`exp - iat`); a token valid for a century is refused.
    max_token_lifetime_seconds: int = Field(default=24 * 3600, ge=60)
    dev_key_dir: Path = Path(".returncases")
    policy_dir: Path = PACKAGED_POLICY_DIR
    # Ed25519 private key (PEM) that signs audit checkpoints.
    audit_signing_key: Path | None = None
    # Entries older than this may be pruned, whole ranges up to a signed checkpoint only.
    audit_retention_days: int | None = Field(default=None, ge=1)

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        backend = url.partition(":")[0].partition("+")[0]
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database backend {backend!r}: use sqlite or postgresql")
        path = url.partition(":///")[2].partition("?")[0] if backend == "sqlite" else ""
        if path not in ("", ":memory:") and not Path(path).parent.is_dir():
            raise ValueError(f"the directory of the SQLite database {path} does not exist")
        return url

    @property
    def is_development(self) -> bool:
        return self.env is Environment.DEVELOPMENT

    @property
    def introspecting_roles(self) -> frozenset[str]:
        if self.introspection_roles is None:
            return frozenset({"*"}) if self.is_development else frozenset()
        return frozenset(r.strip() for r in self.introspection_roles.split(",") if r.strip())

    @property
    def reference_page_enabled(self) -> bool:
        return self.is_development if self.reference_page is None else self.reference_page

    @property
    def apq_enabled(self) -> bool:
        if self.automatic_persisted_queries is None:
            return self.is_development
        return self.automatic_persisted_queries

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        if self.env is not Environment.PRODUCTION:
            return self
        if self.issuers_file is None:
            raise ValueError(
                "production mode needs RETURNCASES_ISSUERS_FILE: the development issuer "
                "is never trusted in production"
            )
        if "*" in self.introspecting_roles:
            raise ValueError("production mode refuses introspection for everyone")
        if self.benchmark_without_access_control:
            raise ValueError("production mode refuses benchmark_without_access_control")
        if self.log_level.upper() == "DEBUG":
            raise ValueError("production mode refuses debug logging (it may log personal data)")
        return self
