"""The `returncases` command: serve, migrate, seed, export the schema."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from api.settings import ConfigurationError, Settings

if TYPE_CHECKING:
    from api.authz.policy import Policy

app = typer.Typer(
    help="Return cases shared by Migrationsverket and the Police.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)
app.add_typer(db_app, name="db")
policy_app = typer.Typer(help="Check and explain the access policy.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
audit_app = typer.Typer(help="Verify, sign and export the audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
events_app = typer.Typer(help="Follow case events of a running service.", no_args_is_help=True)
app.add_typer(events_app, name="events")
persisted_app = typer.Typer(help="Register client operations.", no_args_is_help=True)
app.add_typer(persisted_app, name="persisted")


async def _with_connection(work: Any) -> Any:
    from db.engine import create_engine

    engine = create_engine(Settings().database_url)
    try:
        async with engine.connect() as connection:
            return await work(connection)
    finally:
        await engine.dispose()


@audit_app.command("verify")
def audit_verify(
    checkpoints: Annotated[
        Path | None, typer.Option(help="Exported checkpoints (JSON lines) to check against.")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option(help="Ed25519 key (PEM) that signed the checkpoints.")
    ] = None,
) -> None:
    """Recompute the hash chain; report the first entry that was edited, removed or reordered."""
    from api.audit.checkpoints import load_public_key
    from api.audit.verify import Checkpoint, verify_chain

    signed = []
    if checkpoints is not None:
        lines = checkpoints.read_text(encoding="utf-8").splitlines()
        signed = [Checkpoint.from_json(line) for line in lines if line.strip()]
    key = load_public_key(public_key) if public_key else None
    verdict = asyncio.run(_with_connection(lambda c: verify_chain(c, signed, key)))
    if verdict.pending:
        since = verdict.pending_since.isoformat() if verdict.pending_since else "unknown"
        typer.echo(
            f"{verdict.pending} entries committed but not yet integrated (oldest since {since})"
        )
    if verdict.ok:
        typer.echo(f"audit chain intact: {verdict.entries} entries, head {verdict.head_seq}")
        return
    typer.echo(f"audit chain BROKEN at entry {verdict.seq}: {verdict.problem}")
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the current head of the chain; append the printed line to your checkpoint file."""
    from api.audit.checkpoints import checkpoint, load_private_key

    path = Settings().audit_signing_key
    if path is None:
        raise typer.BadParameter("set RETURNCASES_AUDIT_SIGNING_KEY to an Ed25519 key (PEM)")
    key = load_private_key(path)
    typer.echo(asyncio.run(_with_connection(lambda c: checkpoint(c, key))).to_json())


@audit_app.command("keygen")
def audit_keygen(
    out: Annotated[
        Path,
        typer.Option(help="Where to write the private key (PEM); the public key goes beside it."),
    ],
) -> None:
    """Create an Ed25519 key pair for signing checkpoints and verifying them."""
    from api.audit.checkpoints import generate_key

    try:
        public = generate_key(out)
    except FileExistsError as error:
        typer.echo(f"returncases: {error.filename} exists; not overwritten", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {out} (private: RETURNCASES_AUDIT_SIGNING_KEY, keep it secret)")
    typer.echo(f"wrote {public} (public: audit verify/prune --public-key)")


@audit_app.command("prune")
def audit_prune(
    checkpoints: Annotated[Path, typer.Option(help="Exported checkpoints (JSON lines).")],
    public_key: Annotated[Path, typer.Option(help="Ed25519 key (PEM) that signed them.")],
    older_than_days: Annotated[
        int | None, typer.Option(help="Defaults to RETURNCASES_AUDIT_RETENTION_DAYS.")
    ] = None,
) -> None:
    """Delete entries older than the retention, up to a signed checkpoint, keeping the rest of
    the chain verifiable."""
    from datetime import UTC, datetime, timedelta

    from api.audit.checkpoints import load_public_key
    from api.audit.retention import prune
    from api.audit.verify import Checkpoint
    from db.engine import create_engine

    days = older_than_days or Settings().audit_retention_days
    if days is None:
        raise typer.BadParameter("give --older-than-days or RETURNCASES_AUDIT_RETENTION_DAYS")
    lines = checkpoints.read_text(encoding="utf-8").splitlines()
    signed = [Checkpoint.from_json(line) for line in lines if line.strip()]
    key = load_public_key(public_key)
    cutoff = datetime.now(UTC) - timedelta(days=days)

    async def run() -> Any:
        engine = create_engine(Settings().database_url)
        try:
            async with engine.begin() as connection:
                return await prune(connection, signed, key, cutoff)
        finally:
            await engine.dispose()

    result = asyncio.run(run())
    typer.echo(f"pruned {result.entries} entries (up to {result.up_to})")


@audit_app.command("export")
def audit_export(
    since: Annotated[int, typer.Option(help="Export entries after this sequence number.")] = 0,
) -> None:
    """Print entries after `since` as JSON lines, for shipping to an external log store."""
    from api.audit.export import export_lines

    async def run(connection: Any) -> None:
        async for line in export_lines(connection, since):
            typer.echo(line)

    asyncio.run(_with_connection(run))


@audit_app.command("tail")
def audit_tail(
    lines: Annotated[int, typer.Option("-n", help="How many of the newest entries.")] = 20,
) -> None:
    """Print the newest entries as JSON lines."""
    from api.audit.export import newest_lines

    for line in asyncio.run(_with_connection(lambda c: newest_lines(c, lines))):
        typer.echo(line)


def _policy() -> Policy:
    """The configured policy, with the catalogue of coordinates it decides installed (building
    the schema installs it, api/schema.py)."""
    import api.schema  # noqa: F401
    from api.authz.policy import Policy, PolicyText

    return Policy.load(PolicyText.from_directory(Settings().policy_dir))


@policy_app.command("lint")
def policy_lint() -> None:
    """Report rules that match nothing, unknown roles, wildcards that over-match and gaps."""
    from api.authz.lint import lint

    findings = lint(_policy())
    for finding in findings:
        typer.echo(str(finding))
    typer.echo(f"{len(findings)} finding(s)")
    raise typer.Exit(1 if findings else 0)


@policy_app.command("test")
def policy_test(
    table: Annotated[Path | None, typer.Option(help="Expected decisions (CSV).")] = None,
) -> None:
    """Run the table of expected decisions (policies/policy_tests.csv by default)."""
    from api.authz.policy_tests import load_expectations, run_expectations

    policy = _policy()  # the directory first: a missing one is the clearer message
    path = table or Settings().policy_dir / "policy_tests.csv"
    expectations = load_expectations(path)
    failures = run_expectations(policy, expectations)
    for failure in failures:
        typer.echo(f"FAIL {failure}")
    typer.echo(f"{len(expectations) - len(failures)} passed, {len(failures)} failed")
    raise typer.Exit(1 if failures else 0)


@policy_app.command("explain")
def policy_explain(
    agency: Annotated[str, typer.Option(help="migrationsverket or polisen.")],
    role: Annotated[list[str], typer.Option(help="Role; repeat for several.")],
    coordinate: Annotated[str, typer.Option(help="E.g. Decision.asylumGrounds.")],
    action: Annotated[str, typer.Option(help="read, write, filter, call or see.")] = "read",
    purpose: Annotated[str, typer.Option(help="The request's purpose.")] = "CASE_HANDLING",
    condition: Annotated[
        str,
        typer.Option(help="* or a row attribute: protectedIdentity, otherDecision, caseClosed."),
    ] = "*",
) -> None:
    """Show the decision and the rule lines that made it."""
    from api.authz.explain import explain

    typer.echo(
        str(
            explain(
                _policy(),
                agency=agency,
                roles=role,
                coordinate=coordinate,
                action=action,
                purpose=purpose,
                condition=condition,
            )
        )
    )


@policy_app.command("explain-query")
def policy_explain_query(
    agency: Annotated[str, typer.Option(help="migrationsverket or polisen.")],
    role: Annotated[list[str], typer.Option(help="Role; repeat for several.")],
    purpose: Annotated[str, typer.Option(help="The request's purpose.")],
    query: Annotated[Path, typer.Argument(help="File with the GraphQL document; - for stdin.")],
    unit: Annotated[str | None, typer.Option(help="The token's unit.")] = None,
    variables: Annotated[str | None, typer.Option(help="Variables as JSON.")] = None,
) -> None:
    """Explain a document as a principal under the policy files, without running it: per
    coordinate the decision and its rule, what is withheld or refused, row scope SQL, cost."""
    import dataclasses
    import json
    import sys

    from sqlalchemy.engine import make_url

    from api.authz.plan import build_plan
    from api.graphql.limits import QueryLimits
    from api.policy.explain_api import ExplainPrincipalInput
    from api.policy.query_explain import ExplainError, explain_document
    from api.schema import schema

    settings = Settings()
    document = sys.stdin.read() if str(query) == "-" else query.read_text(encoding="utf-8")
    try:
        who = ExplainPrincipalInput(
            agency=agency, roles=role, purpose=purpose, unit=unit
        ).principal()
        policy = _policy()
        plan = build_plan(policy, who.agency.value, who.roles, who.purpose)
        dialect = make_url(settings.database_url).get_dialect()()
        limits = QueryLimits.from_settings(settings)
        found = explain_document(
            schema._schema, policy, plan, who, document,
            json.loads(variables) if variables else None, limits, dialect,
        )  # fmt: skip
    except (ExplainError, ValueError) as error:
        typer.echo(f"cannot explain: {error}", err=True)
        raise typer.Exit(2) from None
    except Exception as error:  # InvalidInput (a GraphQLError) for a bad principal
        typer.echo(f"cannot explain: {getattr(error, 'message', error)}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(dataclasses.asdict(found), indent=2))


@policy_app.command("matrix")
def policy_matrix(
    html: Annotated[bool, typer.Option(help="HTML instead of Markdown.")] = False,
) -> None:
    """Print the role x coordinate matrix of the current policy."""
    from api.authz.explain import matrix_html, matrix_markdown

    typer.echo((matrix_html if html else matrix_markdown)(_policy()), nl=False)


SCHEMA_PATH = Path("schema.graphql")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database (DATABASE_URL) to `revision`."""
    from db.migrate import upgrade

    asyncio.run(upgrade(Settings().database_url, revision))
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to `revision` (`base` empties it)."""
    from db.migrate import downgrade

    asyncio.run(downgrade(Settings().database_url, revision))
    typer.echo(f"database at {revision}")


async def _seed(database_url: str, cases: int, seed: int, only_if_empty: bool) -> int:
    from sqlalchemy import func, select

    from api.seed import seed as generate
    from db.engine import create_engine
    from db.models import ReturnCase

    engine = create_engine(database_url)
    try:
        if only_if_empty:
            async with engine.connect() as connection:
                existing = await connection.scalar(select(func.count()).select_from(ReturnCase))
            if existing:
                return 0
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ) as progress:
            task = progress.add_task("seeding cases", total=cases)
            return await generate(
                engine, cases, seed=seed, progress=lambda n: progress.advance(task, n)
            )
    finally:
        await engine.dispose()


@app.command("seed")
def seed_command(
    cases: Annotated[int, typer.Option(min=1, help="Number of cases to generate.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 1,
) -> None:
    """Generate synthetic demo cases (no real people)."""
    inserted = asyncio.run(_seed(Settings().database_url, cases, seed, only_if_empty=False))
    typer.echo(f"inserted {inserted} cases")


@app.command("token")
def token(
    subject: Annotated[str, typer.Option(help="Who the token is for (sub).")],
    agency: Annotated[str, typer.Option(help="migrationsverket or polisen.")],
    role: Annotated[list[str], typer.Option(help="Role; repeat for several.")],
    unit: Annotated[str | None, typer.Option(help="The holder's unit.")] = None,
    purpose: Annotated[
        list[str] | None, typer.Option(help="Allowed purpose; repeat for several.")
    ] = None,
    ttl: Annotated[int, typer.Option(min=1, help="Lifetime in seconds.")] = 3600,
) -> None:
    """Print a token signed by the local development issuer (development mode only)."""
    from api.identity.development import mint_token
    from api.identity.principal import Purpose
    from db.enums import Agency

    settings = Settings()
    if not settings.is_development:
        raise typer.BadParameter("the development issuer is not available in production mode")
    purposes = purpose or sorted(Purpose.ALL - {Purpose.POLICY_ADMIN, Purpose.AUDIT})
    typer.echo(
        mint_token(
            settings.dev_key_dir,
            subject=subject,
            agency=Agency(agency),
            roles=role,
            unit=unit,
            purposes=purposes,
            ttl_seconds=ttl,
        )
    )


@events_app.command("watch")
def events_watch(
    token: Annotated[str, typer.Option(envvar="RETURNCASES_TOKEN", help="Bearer token.")],
    url: Annotated[
        str,
        typer.Option(
            envvar="RETURNCASES_URL",
            help="The service: its GraphQL WebSocket URL, or its http(s) address.",
        ),
    ] = "ws://127.0.0.1:8000/graphql",
    purpose: Annotated[str | None, typer.Option(help="X-Purpose for the connection.")] = None,
    after: Annotated[str | None, typer.Option(help="Resume after this event cursor.")] = None,
    urgent: Annotated[bool, typer.Option(help="Only urgent events.")] = False,
    handovers: Annotated[
        bool, typer.Option(help="Only handovers to the unit in your token (police).")
    ] = False,
) -> None:
    """Print each case event you may see as one JSON line, as it commits."""
    from websockets.exceptions import InvalidStatus, InvalidURI

    from api.events.client import SubscriptionEnded, document, follow, websocket_url

    variables: dict[str, Any] = {}
    if not handovers:
        variables = {"after": after, "filter": {"urgent": True} if urgent else None}

    async def watch() -> None:
        async for payload in follow(url, token, document(handovers=handovers), variables, purpose):
            typer.echo(orjson.dumps(payload).decode())

    url = websocket_url(url)
    try:
        asyncio.run(watch())
    except OSError as error:  # nothing listens there, or the name does not resolve
        typer.echo(f"returncases: cannot connect to {url}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    except InvalidURI as error:
        typer.echo(f"returncases: {error}", err=True)
        raise typer.Exit(2) from None
    except InvalidStatus as error:
        typer.echo(f"returncases: {url} refused the WebSocket: {error}", err=True)
        raise typer.Exit(1) from None
    except SubscriptionEnded as ended:
        typer.echo(f"subscription ended: {ended}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        pass


@app.command("stats")
def stats(
    token: Annotated[str, typer.Option(envvar="RETURNCASES_TOKEN", help="Bearer token.")],
    group_by: Annotated[
        list[str] | None, typer.Option("--group-by", help="A dimension, e.g. POLICE_REGION.")
    ] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", help="A duration, e.g. HANDOVER_TO_DEPARTURE."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", help="DIMENSION=VALUE, e.g. DEPARTURE_YEAR=2026."),
    ] = None,
    url: Annotated[str, typer.Option(help="The service's GraphQL URL.")] = (
        "http://127.0.0.1:8000/graphql"
    ),
    chart: Annotated[Path | None, typer.Option(help="Also draw the table to this PNG.")] = None,
    title: Annotated[str | None, typer.Option(help="The chart's title.")] = None,
) -> None:
    """Print a statistics table (`caseStatistics`, purpose STATISTICS), small counts
    suppressed; --chart draws it (needs the stats extra)."""
    from api.statistics import client

    conditions: dict[str, str] = {}
    for condition in where or []:
        dimension, separator, value = condition.partition("=")
        if not separator:
            raise typer.BadParameter(f"--where takes DIMENSION=VALUE, not {condition!r}")
        conditions[dimension.strip()] = value.strip()
    dimensions = group_by or []
    try:
        table = client.fetch(url, token, dimensions, measure or [], conditions)
        typer.echo(client.render(client.rows(table, dimensions)))
        typer.echo(f"threshold {table['threshold']}; {table['suppressedCells']} cells suppressed")
        if chart is not None:
            described = ", ".join(f"{k} {v}" for k, v in conditions.items())
            default = f"{', '.join(measure or ['cases'])} by {', '.join(dimensions) or 'total'}"
            client.chart(table, dimensions, title or f"{default} ({described})", chart)
            typer.echo(f"wrote {chart}")
    except client.StatisticsError as error:
        typer.echo(f"stats: {error}", err=True)
        raise typer.Exit(1) from None


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = SCHEMA_PATH,
) -> None:
    """Write the GraphQL schema (SDL) that clients and the sync test compare against."""
    from api.schema import schema

    output.write_text(schema.as_str() + "\n", encoding="utf-8")
    typer.echo(f"wrote {output}")


@app.command("schema-check")
def schema_check(
    released: Annotated[Path, typer.Option(help="SDL of the last release.")] = Path(
        "schema/released.graphql"
    ),
    current: Annotated[Path, typer.Option(help="SDL to be released.")] = SCHEMA_PATH,
    changelog: Annotated[Path, typer.Option(help="Declares breaking changes.")] = Path(
        "CHANGELOG.md"
    ),
) -> None:
    """Fail on a breaking schema change since the last release that CHANGELOG.md does not
    declare, or on a removal without a @deprecated period (api/graphql/changes.py)."""
    from api.graphql.changes import check

    report = check(*(p.read_text(encoding="utf-8") for p in (released, current, changelog)))
    for line in report.breaking:
        typer.echo(f"breaking: {line}")
    for line in report.dangerous:
        typer.echo(f"dangerous: {line}")
    for line in report.refused:
        typer.echo(f"refused: {line}", err=True)
    if not report.ok:
        raise typer.Exit(1)
    typer.echo(f"schema check passed against {released}")


@persisted_app.command("build")
def persisted_build(
    folders: Annotated[list[Path], typer.Argument(help="Folders of .graphql operation files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Allow-list file to write.")],
) -> None:
    """Validate every operation against the schema and write the allow-list
    (`{"<sha256>": "<canonical query>"}`) for RETURNCASES_PERSISTED_QUERIES_FILE."""
    from api.http.persisted_documents import (
        DocumentProblem,
        allow_list,
        collect_operations,
        read_folder,
    )
    from api.schema import schema

    files = [(str(f / name), text) for f in folders for name, text in read_folder(f)]
    try:
        operations = collect_operations(files, schema._schema)
    except DocumentProblem as problem:
        typer.echo(f"persisted build: {problem}", err=True)
        raise typer.Exit(1) from None
    body = orjson.dumps(allow_list(operations), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    output.write_bytes(body + b"\n")
    for operation in operations:
        typer.echo(f"{operation.digest[:12]}  {operation.name}  ({operation.source})")
    typer.echo(f"wrote {len(operations)} operations to {output}")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    fd: Annotated[
        int | None,
        typer.Option(
            help="Serve on this inherited, listening socket (a file descriptor) instead of "
            "binding --host/--port: socket activation by a supervisor, or a test that holds "
            "its port from bind to exit."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    demo: Annotated[bool, typer.Option(help="Seed demo data when the database is empty.")] = False,
    demo_cases: Annotated[int, typer.Option(help="Demo cases to seed.")] = 2000,
    log_format: Annotated[
        str | None,
        typer.Option(
            help="json (one object per line) or text (for a terminal); default "
            "RETURNCASES_LOG_FORMAT, else json."
        ),
    ] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            help="Serve Prometheus metrics of all workers on this port (its own "
            "listener; default RETURNCASES_METRICS_PORT, else off)."
        ),
    ] = None,
    metrics_host: Annotated[
        str | None,
        typer.Option(help="Interface of the metrics listener (default 127.0.0.1)."),
    ] = None,
) -> None:
    """Migrate, optionally seed demo data, and serve the API with uvicorn."""
    import uvicorn

    from api.startup import check_files
    from api.telemetry.logs import configure_logging

    if log_format not in (None, "json", "text"):
        raise typer.BadParameter("--log-format is json or text")
    if fd is not None:
        host, port = _socket_address(fd)
    # Options reach the workers (separate processes) through the environment.
    for name, value in (
        ("RETURNCASES_LOG_FORMAT", log_format),
        ("RETURNCASES_METRICS_PORT", metrics_port),
        ("RETURNCASES_METRICS_HOST", metrics_host),
    ):
        if value is not None:
            os.environ[name] = str(value)
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    check_files(settings)
    _check_connection_budget(settings.database_url, workers)
    _migrate_or_exit(settings.database_url)
    if demo:
        inserted = asyncio.run(_seed(settings.database_url, demo_cases, 1, only_if_empty=True))
        if inserted:
            typer.echo(f"seeded {inserted} demo cases")
        if settings.is_development:
            _print_demo_tokens(settings)
    metrics_directory = _serve_metrics(settings)
    typer.echo(f"GraphQL on http://{host}:{port}/graphql")
    try:
        uvicorn.run(
            "api.app:create_served_app",
            factory=True,
            host=host,
            port=port,
            fd=fd,
            workers=workers,
            log_level=settings.log_level.lower(),
            # Logging is ours (api/telemetry/logs.py), one line per request included.
            log_config=None,
            access_log=False,
            proxy_headers=False,
            env_file=None,
            # A WebSocket message may be as large as an HTTP body, no larger (the protocol
            # layer refuses it before the app reads it; SizeLimitedSocket checks again).
            ws_max_size=settings.max_body_bytes,
            # No permessage-deflate: a subscription result is a few hundred bytes, which a
            # compressor per socket (tens of kilobytes each) makes hardly smaller, at a cost
            # per message on both ends (bench.events --profile, issue 18).
            ws_per_message_deflate=False,
        )
    finally:
        if metrics_directory is not None:
            from api.telemetry.exposition import remove_directory

            remove_directory(metrics_directory)


def _socket_address(fd: int) -> tuple[str, int]:
    """The address an inherited socket listens on; a descriptor that is no listening TCP
    socket is one line and exit status 2 (api/cli_errors.py), not a traceback in uvicorn."""
    import socket

    try:
        with socket.socket(fileno=os.dup(fd)) as inherited:
            listening = inherited.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
            address = inherited.getsockname()
    except OSError as error:
        raise ConfigurationError(f"--fd {fd}: {error.strerror}") from None
    if not listening or not isinstance(address, tuple):
        raise ConfigurationError(f"--fd {fd} is not a listening TCP socket")
    return str(address[0]), int(address[1])


def _check_connection_budget(database_url: str, workers: int) -> None:
    """Refuse more workers than PostgreSQL accepts connections, before touching anything. A
    database that cannot be reached is left to the migration, which says so in one line."""
    from api.startup import connection_budget
    from db.outage import unavailable_reason

    try:
        budget = asyncio.run(connection_budget(database_url, workers))
    except Exception as error:
        if unavailable_reason(error) is None:
            raise
        return
    if budget is not None:
        budget.check()


def _migrate_or_exit(database_url: str) -> None:
    """Migrate; a database that cannot be reached is one line and exit status 1, not a
    traceback."""
    from sqlalchemy.engine import make_url

    from db.migrate import upgrade
    from db.outage import unavailable_reason

    try:
        asyncio.run(upgrade(database_url))
    except Exception as error:
        reason = unavailable_reason(error)
        if reason is None:
            raise
        where = make_url(database_url).render_as_string(hide_password=True)
        typer.echo(f"database unavailable at {where} ({reason}); is it running?", err=True)
        raise typer.Exit(1) from None


def _serve_metrics(settings: Settings) -> Path | None:
    """Empty the workers' metrics directory and start the metrics listener when configured;
    the directory to remove at exit (None when there is none, or it is the operator's)."""
    from api.telemetry.exposition import ENVIRONMENT_VARIABLE

    if settings.metrics_port is None and not os.environ.get(ENVIRONMENT_VARIABLE):
        return None  # no files: each worker counts in memory, and nobody scrapes
    from api.telemetry.exposition import prepare_directory, serve_metrics

    directory, created = prepare_directory()
    if settings.metrics_port is not None:
        # Port 0 takes a free port; the line says which (tests read it, so no port race).
        server = serve_metrics(directory, settings.metrics_host, settings.metrics_port)
        typer.echo(f"metrics on http://{settings.metrics_host}:{server.server_port}/metrics")
    return directory if created else None


DEMO_USERS = (
    ("anna.handlaggare", "migrationsverket", "case_officer", "mv-stockholm", "CASE_HANDLING"),
    ("erik.atervandande", "migrationsverket", "return_officer", "mv-stockholm", "CASE_HANDLING"),
    (
        "sara.granspolis",
        "polisen",
        "border_police_officer",
        "polisen-region-stockholm",
        "ENFORCEMENT",
    ),
    ("olle.analytiker", "polisen", "police_analyst", None, "STATISTICS"),
    ("maria.sakerhet", "migrationsverket", "security_officer", None, "POLICY_ADMIN"),
    ("jonas.granskare", "migrationsverket", "auditor", None, "AUDIT"),
)


def _print_demo_tokens(settings: Settings) -> None:
    """Demo tokens for every role, valid for 12 hours, ready to paste into GraphiQL's headers."""
    from api.identity.development import mint_token
    from db.enums import Agency

    typer.echo('Demo tokens (development issuer; paste as {"Authorization": "Bearer …"}):')
    for subject, agency, role, unit, purpose in DEMO_USERS:
        token = mint_token(
            settings.dev_key_dir,
            subject=subject,
            agency=Agency(agency),
            roles=[role],
            unit=unit,
            purposes=[purpose],
            ttl_seconds=12 * 3600,
        )
        typer.echo(f"  {role} ({agency}{', ' + unit if unit else ''}):\n    {token}")


def main() -> None:
    """Run a command; a problem with the setup is one line on stderr, not a traceback."""
    from api.cli_errors import explain

    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        app()
    except Exception as error:
        explained = explain(error)
        if explained is None:
            raise
        lines, code = explained
        for line in lines:
            typer.echo(f"returncases: {line}", err=True)
        raise SystemExit(code) from None
