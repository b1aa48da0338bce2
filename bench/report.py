"""The Markdown report and the PNG chart of one suite run."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

from bench.figures import COMPARED, BackendFigures, Figures, budgets
from bench.scenarios import BY_KEY, SCENARIOS

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _kib(value: float) -> str:
    return f"{value / 1024:,.1f}"


def _in_process(backend: BackendFigures) -> list[str]:
    lines = [
        f"### {BACKEND_NAMES[backend.backend]} ({backend.cases:,} cases, "
        f"seeded in {backend.seed_seconds:.0f} s)",
        "",
        "| scenario | median ms | p99 ms | runs | SQL statements / request (audit) "
        "| audit entries / request | audit case rows / request | audit KiB / request "
        "| response KiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        found = backend.service.get(scenario.key)
        if found is None:
            lines.append(f"| {scenario.title} | not measured | | | | | | | |")
            continue
        lines.append(
            f"| {scenario.title} | {_ms(found.timing.median_ms)} | {_ms(found.timing.p99_ms)} "
            f"| {found.timing.runs} | {found.statements:.1f} ({found.audit_statements:.1f}) "
            f"| {found.audit_entries:.2f} | {found.audit_case_rows:,.0f} "
            f"| {_kib(found.audit_bytes)} | {_kib(found.response_bytes)} |"
        )
    return lines


def _comparisons(figures: Figures, backend: BackendFigures) -> list[str]:
    lines = [
        f"### {BACKEND_NAMES[backend.backend]}: median ms (ratio to the service)",
        "",
        "| scenario | service | (a) no access control, no audit | added by access control "
        "+ audit | (b) bare strawberry, rows in memory | service ÷ (b) | (c) floor: Core + "
        "orjson | service ÷ (c) | (d) naive per-field Casbin |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in COMPARED:
        if key not in backend.service:
            continue
        service = backend.service[key].timing.median_ms
        off = backend.switched_off.get(key)
        bare = backend.bare.get(key)
        floor = backend.floor.get(key)
        added = backend.added(key)
        naive = "–"
        if key == "bulk" and figures.naive is not None:
            naive = (
                f"{figures.naive.timing.median_ms / 1000:,.1f} s "
                f"({figures.naive.timing.median_ms / service:,.0f}× slower)"
            )
        lines.append(
            f"| {BY_KEY[key].title} | {_ms(service)} "
            f"| {_ms(off.timing.median_ms) if off else '–'} "
            f"| {f'{added * 100:+.1f} %' if added is not None else '–'} "
            f"| {_ms(bare.median_ms) if bare else '–'} "
            f"| {f'{service / bare.median_ms:.2f}×' if bare else '–'} "
            f"| {_ms(floor.median_ms) if floor else '–'} "
            f"| {f'{service / floor.median_ms:.2f}×' if floor else '–'} | {naive} |"
        )
    if backend.statements_by_page:
        sizes = sorted(backend.statements_by_page)
        lines += [
            "",
            "SQL statements per bulk-sync request (same ~20 fields) by page size: "
            + ", ".join(f"`first: {s}` → {backend.statements_by_page[s]:.1f}" for s in sizes)
            + ".",
        ]
    return lines


def _load(figures: Figures) -> list[str]:
    settings = figures.load_settings
    if not figures.load or settings is None:
        return ["Not run (PostgreSQL unavailable or `--no-load`)."]
    lines = [
        f"`returncases serve` (uvicorn) on PostgreSQL; `bench.load_driver` (httpx, asyncio) in "
        f"another process, {settings.concurrency} concurrent users, {settings.seconds:g} s "
        f"measured after {settings.warmup_seconds:g} s of warm-up. The machine has the "
        "driver and the server workers on the same cores: the driver's CPU share shows when it "
        "set the pace.",
        "",
        "| workers | scenario | requests/s | median ms | p99 ms | errors | requests sent "
        "| audit entries | distinct request ids | one entry per request | server CPU ms / request "
        "| worker CPU split | PostgreSQL CPU ms / request | driver CPU |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|",
    ]
    for run in figures.load:
        for result in run.results:
            lines.append(
                f"| {run.workers} | {BY_KEY[result.scenario].title} | {result.rps:,.1f} "
                f"| {_ms(result.median_ms)} | {_ms(result.p99_ms)} | {result.errors} "
                f"| {result.sent:,} | {result.audit_entries:,} | {result.audit_requests:,} "
                f"| {'yes' if result.one_entry_per_request else '**no**'} "
                f"| {result.server_cpu_ms:.1f} "
                f"| {' / '.join(f'{share * 100:.0f}' for share in result.worker_split)} % "
                f"| {result.postgres_cpu_ms:.1f} | {result.driver_cpu * 100:.0f} % |"
            )
    lines.append("")
    for run in figures.load:
        verdict = "intact" if run.chain_ok else f"BROKEN: {run.chain_problem}"
        lines.append(
            f"- after {run.workers} worker(s): `verify_chain` over the whole trail: {verdict}, "
            f"{run.chain_entries:,} entries ({run.verify_seconds:.1f} s)"
        )
        for result in run.results:
            for sample in result.error_samples:
                lines.append(f"  - error ({result.scenario}): `{sample}`")
    return lines


def _profile(figures: Figures) -> list[str]:
    profile = figures.profile
    if profile is None:
        return ["Not run."]
    per_request = profile.total_seconds / profile.requests * 1000
    return [
        f"pyinstrument, {profile.requests} bulk-sync requests in process on "
        f"{BACKEND_NAMES.get(figures.profile_backend or '', figures.profile_backend)} "
        f"({per_request:.0f} ms each, sampled, main thread). Full trees: "
        "[profile_bulk.html](profile_bulk.html), [profile_bulk.txt](profile_bulk.txt).",
        "",
        f"Without the profiler, with the collector as the service tunes it "
        f"(`api/gc_tuning.py`: start-up objects frozen, gen-0 threshold 50,000): "
        f"{profile.ms_per_request:.0f} ms per request, of which "
        f"{profile.gc_ms_per_request:.1f} ms in garbage-collector pauses (collections per "
        f"generation over {profile.requests} requests: "
        f"{' / '.join(str(n) for n in profile.gc_collections)}). With the interpreter's "
        f"defaults (700, 10, 10), nothing frozen: {profile.untuned_ms_per_request:.0f} ms, "
        f"{profile.untuned_gc_ms_per_request:.1f} ms of it in the collector "
        f"({' / '.join(str(n) for n in profile.untuned_gc_collections)}).",
        "",
        "| stage (inclusive) | share |",
        "|---|---:|",
        *(f"| {h.where} | {h.share * 100:.0f} % |" for h in profile.stages),
        "",
        "| package (self time) | share |",
        "|---|---:|",
        *(f"| {h.where} | {h.share * 100:.0f} % |" for h in profile.by_package),
        "",
        "| function (self time) | share |",
        "|---|---:|",
        *(f"| `{h.where}` | {h.share * 100:.1f} % |" for h in profile.by_function),
    ]


def markdown(figures: Figures) -> str:
    mode = "quick smoke run" if figures.quick else "full run"
    lines = [
        "# returncases benchmark report",
        "",
        f"{mode}, {figures.cases:,} cases, started {figures.started}, commit {figures.commit}; "
        f"{figures.machine}.",
        "",
        f"Command: `{figures.command}`. Figures, not pass/fail tests; every ratio below comes "
        "from this one run.",
        "",
        "## Budgets",
        "",
        "| budget | measured | met |",
        "|---|---|---|",
    ]
    for budget in budgets(figures):
        met = {True: "met", False: "**missed**", None: "not measured"}[budget.met]
        lines.append(f"| {budget.name} | {budget.measured} | {met} |")
    lines += [
        "",
        "## In process, per scenario",
        "",
        "Through the whole ASGI app (guard, authentication, rate limit, GraphQL, audit) with an "
        "in-process httpx client and real development tokens. SQL statements are all statements "
        "sent, in brackets those to the audit tables. Audit bytes are logical: each entry as JSON "
        "plus 48 B per case row.",
        "",
    ]
    for backend in figures.backends:
        lines += [*_in_process(backend), ""]
    lines += [
        "## Comparisons, same run",
        "",
        "All variants answer the same document through the same in-process HTTP client. "
        "(a) the service with every coordinate and case allowed and no audit record collected "
        "or written; (b) strawberry with the same types and no extensions, answering from the "
        "objects the service's loader built (no database); (c) the same rows with hand-written "
        "SQLAlchemy Core queries (one per entity type), encoded with orjson, no GraphQL; (d) (b) "
        "plus one pycasbin `enforce()` per resolved case field against `policies/model.conf` + "
        "`policies/policy.csv`, as casbin's graphql-authz middleware does.",
        "",
    ]
    for backend in figures.backends:
        lines += [*_comparisons(figures, backend), ""]
    if figures.naive is not None:
        lines += [
            f"(d) made {figures.naive.enforce_calls:,.0f} `enforce()` calls per bulk request "
            f"({figures.naive.timing.runs} run(s), rows loaded from "
            f"{BACKEND_NAMES[figures.naive.loaded_from]}).",
            "",
        ]
    lines += ["## Under load (PostgreSQL)", "", *_load(figures), ""]
    lines += ["## Where the bulk-sync time goes", "", *_profile(figures), ""]
    lines += ["## Notes", "", *(f"- {note}" for note in figures.notes), ""]
    lines += ["![latency](latency.png)", ""]
    return "\n".join(lines)


def chart(figures: Figures, path: Path) -> None:
    """Median latency per variant (p99 as a tick) per backend, and throughput under load."""
    panels = len(figures.backends) + (1 if figures.load else 0)
    fig, axes = plt.subplots(1, max(panels, 1), figsize=(6.5 * max(panels, 1), 5.2), squeeze=False)
    variants = (
        ("service", "#1f77b4"),
        ("(a) no AC/audit", "#9ecae1"),
        ("(b) bare strawberry", "#2ca02c"),
        ("(c) Core + orjson", "#98df8a"),
        ("(d) naive Casbin", "#d62728"),
    )
    for axis, backend in zip(axes[0], figures.backends, strict=False):
        keys = [s.key for s in SCENARIOS if s.key in backend.service]
        width = 0.16
        for index, (label, colour) in enumerate(variants):
            medians, p99s, positions = [], [], []
            for position, key in enumerate(keys):
                timing = None
                if index == 0:
                    timing = backend.service[key].timing
                elif index == 1 and key in backend.switched_off:
                    timing = backend.switched_off[key].timing
                elif index == 2:
                    timing = backend.bare.get(key)
                elif index == 3:
                    timing = backend.floor.get(key)
                elif index == 4 and key == "bulk" and figures.naive is not None:
                    timing = figures.naive.timing
                if timing is not None:
                    positions.append(position + (index - 2) * width)
                    medians.append(timing.median_ms)
                    p99s.append(timing.p99_ms)
            if positions:
                axis.bar(positions, medians, width, label=label, color=colour)
                axis.scatter(positions, p99s, marker="_", color="black", s=80, zorder=3)
        axis.set_yscale("log")
        axis.set_xticks(range(len(keys)))
        axis.set_xticklabels(keys, rotation=20)
        axis.set_ylabel("ms (bar: median, tick: p99)")
        axis.set_title(f"In process, {BACKEND_NAMES[backend.backend]}, {backend.cases:,} cases")
        axis.grid(axis="y", which="both", alpha=0.3)
        axis.legend(fontsize=8)
    if figures.load:
        axis = axes[0][-1]
        keys = [
            s.key for s in SCENARIOS if any(r.scenario == s.key for r in figures.load[0].results)
        ]
        width = 0.8 / len(figures.load)
        for index, run in enumerate(figures.load):
            by_key = {result.scenario: result for result in run.results}
            positions = [
                k + (index - (len(figures.load) - 1) / 2) * width for k in range(len(keys))
            ]
            rates = [by_key[key].rps if key in by_key else 0 for key in keys]
            bars = axis.bar(positions, rates, width, label=f"{run.workers} worker(s)")
            for bar, key in zip(bars, keys, strict=True):
                p99 = by_key[key].p99_ms if key in by_key else None
                if p99 is not None:
                    axis.annotate(f"p99 {p99:.0f} ms", (bar.get_x() + bar.get_width() / 2,
                                  bar.get_height()), ha="center", va="bottom", fontsize=7,
                                  rotation=90)  # fmt: skip
        axis.set_yscale("log")
        # Room above the tallest bar for its rotated p99 label, below the title.
        tallest = max((r.rps for run in figures.load for r in run.results), default=1.0)
        axis.set_ylim(top=max(tallest, 1.0) * 12)
        axis.set_xticks(range(len(keys)))
        axis.set_xticklabels(keys, rotation=20)
        axis.set_ylabel("requests / s")
        settings = figures.load_settings
        concurrency = settings.concurrency if settings else "?"
        axis.set_title(f"Under load, PostgreSQL, {concurrency} concurrent users")
        axis.grid(axis="y", which="both", alpha=0.3)
        axis.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
