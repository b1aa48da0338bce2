"""What one request did, collected while it runs; never field values."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.cases.graph import Node
from api.graphql.selection import Selection
from api.identity.principal import Principal


@dataclass(frozen=True, slots=True)
class CoordinateSet:
    read: frozenset[str] = frozenset()
    withheld: frozenset[str] = frozenset()
    written: frozenset[str] = frozenset()

    def as_json(self) -> dict[str, list[str]]:
        return {
            "read": sorted(self.read),
            "withheld": sorted(self.withheld),
            "written": sorted(self.written),
        }


@dataclass(slots=True)
class AuditRecord:
    """The buffer of one request, written in one batch when it ends."""

    principal: Principal | None
    policy_version: str | None
    kind: str = "graphql"
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    operation_type: str | None = None
    operation_name: str | None = None
    document_hash: str | None = None
    read: set[str] = field(default_factory=set)
    withheld: set[str] = field(default_factory=set)
    denied: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    errors: int = 0
    cases: dict[str, CoordinateSet] = field(default_factory=dict)
    written_to_store: bool = False
    # Entries already appended by mutations in their own transactions.
    mutations_written: int = 0

    def for_mutation(self) -> AuditRecord:
        """A record of one mutation, written in the mutation's transaction."""
        return AuditRecord(
            principal=self.principal,
            policy_version=self.policy_version,
            request_id=self.request_id,
            occurred_at=self.occurred_at,
            operation_type=self.operation_type,
            operation_name=self.operation_name,
            document_hash=self.document_hash,
        )

    @property
    def empty(self) -> bool:
        return not (
            self.read or self.withheld or self.denied or self.written or self.cases or self.errors
        )

    def document(self, operation_type: str | None, name: str | None, query: str | None) -> None:
        self.operation_type = operation_type
        self.operation_name = name
        if query is not None:
            self.document_hash = hashlib.sha256(query.encode()).hexdigest()

    def case(self, case_id: str, coordinates: CoordinateSet) -> None:
        known = self.cases.get(case_id)
        if known is not None:
            coordinates = CoordinateSet(
                known.read | coordinates.read,
                known.withheld | coordinates.withheld,
                known.written | coordinates.written,
            )
        self.cases[case_id] = coordinates
        self.read |= coordinates.read
        self.withheld |= coordinates.withheld
        self.written |= coordinates.written

    @property
    def outcome(self) -> str:
        if self.errors:
            return "error"
        if self.denied:
            return "denied"
        if self.withheld:
            return "withheld"
        return "allowed"


def disclosed(node: Node, selection: Selection, obj: Any, into: set[str]) -> None:
    """Coordinates actually disclosed for one object: a nested field counts only where the
    nested object exists."""
    for name in selection.fields:
        if name == "__typename":
            continue
        into.add(f"{node.type_name}.{name}")
        relation = node.relations.get(name)
        if relation is None:
            continue
        value = getattr(obj, node.attributes[name], None)
        children = value if relation.many else ([value] if value is not None else [])
        for child in children or ():
            disclosed(relation.node, selection.child(name), child, into)


def record_cases(
    record: AuditRecord | None,
    node: Node,
    selection: Selection,
    objects: list[Any],
    masked: frozenset[str],
    withheld: set[str],
) -> None:
    """Per case: what was read, what the plan withheld (masked ones where a row was masked)."""
    if record is None:
        return
    sets: dict[frozenset[str], CoordinateSet] = {}
    planned = frozenset(withheld)
    for obj in objects:
        coordinates: set[str] = set()
        disclosed(node, selection, obj, coordinates)
        key = frozenset(coordinates)
        found = sets.get(key)
        if found is None:
            hidden = key & masked if masked else frozenset()
            found = sets[key] = CoordinateSet(key - hidden, planned | hidden)
        record.case(obj._case, found)
