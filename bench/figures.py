"""The figures of one suite run, and the budgets they are judged against."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.load import LoadRun, LoadSettings
from bench.measure import Measurement, Timing
from bench.profiling import ProfileSummary

COMPARED = ("detail", "worklist", "bulk")


@dataclass(slots=True)
class BackendFigures:
    backend: str
    cases: int
    seed_seconds: float
    service: dict[str, Measurement] = field(default_factory=dict)
    switched_off: dict[str, Measurement] = field(default_factory=dict)  # (a)
    bare: dict[str, Timing] = field(default_factory=dict)  # (b)
    floor: dict[str, Timing] = field(default_factory=dict)  # (c)
    statements_by_page: dict[int, float] = field(default_factory=dict)

    def added(self, scenario: str) -> float | None:
        """What access control and audit add to the median, as a fraction of (a)."""
        if scenario not in self.service or scenario not in self.switched_off:
            return None
        on, off = self.service[scenario], self.switched_off[scenario]
        return on.timing.median_ms / off.timing.median_ms - 1


@dataclass(slots=True)
class Naive:
    """(d), measured once: it runs over rows in memory, whatever the backend."""

    timing: Timing
    enforce_calls: float  # per request
    loaded_from: str


@dataclass(slots=True)
class Figures:
    cases: int
    quick: bool
    command: str
    started: str
    commit: str
    machine: str
    notes: list[str] = field(default_factory=list)
    backends: list[BackendFigures] = field(default_factory=list)
    naive: Naive | None = None
    load_settings: LoadSettings | None = None
    load: list[LoadRun] = field(default_factory=list)
    profile: ProfileSummary | None = None
    profile_backend: str | None = None


@dataclass(frozen=True, slots=True)
class Budget:
    name: str
    measured: str
    met: bool | None  # None: not measured in this run


def _pct(value: float) -> str:
    return f"{value * 100:+.1f} %"


def budgets(figures: Figures) -> list[Budget]:
    found = []
    for backend in figures.backends:
        for scenario in ("worklist", "bulk"):
            added = backend.added(scenario)
            if added is not None:
                found.append(
                    Budget(
                        f"{backend.backend}: access control + audit add ≤ 10 % ({scenario})",
                        _pct(added),
                        added <= 0.10,
                    )
                )
        pages = backend.statements_by_page
        if pages:
            spread = max(pages.values()) - min(pages.values())
            shown = ", ".join(f"{size}: {count:.1f}" for size, count in sorted(pages.items()))
            found.append(
                Budget(
                    f"{backend.backend}: SQL statements do not grow with page size",
                    shown,
                    spread < 1,
                )
            )
        if "bulk" in backend.service and "bulk" in backend.bare:
            ratio = backend.service["bulk"].timing.median_ms / backend.bare["bulk"].median_ms
            found.append(
                Budget(f"{backend.backend}: bulk sync within 1.5× of (b)", f"{ratio:.2f}×",
                       ratio <= 1.5)
            )  # fmt: skip
        if figures.naive is not None and "bulk" in backend.service:
            speedup = figures.naive.timing.median_ms / backend.service["bulk"].timing.median_ms
            found.append(
                Budget(f"{backend.backend}: ≥ 1,000× faster than (d) on bulk", f"{speedup:,.0f}×",
                       speedup >= 1000)
            )  # fmt: skip
    if figures.load:
        results = [result for run in figures.load for result in run.results]
        errors = sum(result.errors for result in results)
        exact = all(result.one_entry_per_request for result in results)
        chains = all(run.chain_ok for run in figures.load)
        sent = sum(result.sent for result in results)
        entries = sum(result.audit_entries for result in results)
        found.append(
            Budget(
                "under load: no errors, audit chain verifies, one entry per request",
                f"{errors} errors in {sent:,} requests; {entries:,} audit entries; "
                f"chain {'verified' if chains else 'BROKEN'}",
                errors == 0 and exact and chains,
            )
        )
    else:
        found.append(Budget("under load: no errors, chain verifies", "not run", None))
    return found
