"""What a benchmark user sends, request after request: plain JSON, so the load driver (another
process, no `api` imports) and the in-process runner send exactly the same requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

SUSPEND = """mutation Suspend($caseId: ID!, $version: Int!, $reason: String!) {
  suspend(caseId: $caseId, version: $version, reason: $reason) { id state version }
}"""
RESUME = """mutation Resume($caseId: ID!, $version: Int!, $reason: String!) {
  resume(caseId: $caseId, version: $version, reason: $reason) { id state version }
}"""


class Workload(Protocol):
    def next(self) -> dict[str, Any]:
        """The next request body ({"query", "variables"})."""
        ...

    def observe(self, body: dict[str, Any], data: Any) -> None:
        """Take note of an answer (a mutation's new version)."""
        ...


@dataclass(slots=True)
class Requests:
    """The same document with rotating variables: reads have no state."""

    query: str
    variables: list[dict[str, Any]]
    position: int = 0

    def next(self) -> dict[str, Any]:
        variables = self.variables[self.position % len(self.variables)]
        self.position += 1
        return {"query": self.query, "variables": variables}

    def observe(self, body: dict[str, Any], data: Any) -> None:
        pass


@dataclass(slots=True)
class Transitions:
    """Suspend, then resume, each case of a private pool in turn: every request is a legal state
    transition at the case's current version, so a user never conflicts with another."""

    # case id -> [version, suspended]
    cases: dict[str, list[Any]]
    order: list[str] = field(default_factory=list)
    position: int = 0

    def __post_init__(self) -> None:
        self.order = sorted(self.cases)

    def next(self) -> dict[str, Any]:
        case_id = self.order[self.position % len(self.order)]
        self.position += 1
        version, suspended = self.cases[case_id]
        return {
            "query": RESUME if suspended else SUSPEND,
            "variables": {"caseId": case_id, "version": version, "reason": "Benchmark"},
        }

    def observe(self, body: dict[str, Any], data: Any) -> None:
        if not data:
            return
        changed = data.get("suspend") or data.get("resume")
        if changed:
            self.cases[changed["id"]] = [changed["version"], changed["state"] == "SUSPENDED"]


def to_spec(workload: Requests | Transitions) -> dict[str, Any]:
    if isinstance(workload, Requests):
        return {"kind": "requests", "query": workload.query, "variables": workload.variables}
    return {"kind": "transitions", "cases": workload.cases}


def from_spec(spec: dict[str, Any], user: int = 0, users: int = 1) -> Requests | Transitions:
    """The workload of virtual user `user` of `users`: transitions split the pool of cases."""
    if spec["kind"] == "requests":
        return Requests(spec["query"], spec["variables"], position=user)
    ids = sorted(spec["cases"])[user::users]
    if not ids:
        raise ValueError(f"{users} users need at least {users} cases to transition")
    return Transitions({case_id: list(spec["cases"][case_id]) for case_id in ids})
