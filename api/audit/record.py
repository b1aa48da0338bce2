"""What one request did, collected while it runs; never field values."""

from __future__ import annotations

import functools
import hashlib
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.authz.catalogue import Shape
from api.authz.selection import Selection
from api.identity.principal import Principal
from db.models.audit import AuditEntry


@dataclass(frozen=True, slots=True)
class CoordinateSet:
    read: frozenset[str] = frozenset()
    withheld: frozenset[str] = frozenset()
    written: frozenset[str] = frozenset()
    # Read under a break-glass grant (a subset of `read`).
    break_glass: frozenset[str] = frozenset()

    def as_json(self) -> dict[str, list[str]]:
        found = {
            "read": sorted(self.read),
            "withheld": sorted(self.withheld),
            "written": sorted(self.written),
        }
        if self.break_glass:
            found["breakGlass"] = sorted(self.break_glass)
        return found


# A String column: TypeEngine, as the Table types it, has no length.
MAX_OPERATION_NAME: int = AuditEntry.__table__.c.operation_name.type.length  # type: ignore[attr-defined]


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
    # Coordinates read under a break-glass grant: the outcome is then `break_glass`.
    break_glass: set[str] = field(default_factory=set)
    errors: int = 0
    cases: dict[str, CoordinateSet] = field(default_factory=dict)
    # A statistics request: dimensions, measures, filter, threshold, cells and how many were
    # suppressed (never a count).
    statistics: dict[str, Any] | None = None
    written_to_store: bool = False
    # Entries already appended by mutations in their own transactions.
    mutations_written: int = 0
    # Which executor completed the planned case reads (api/compiled/served.py); stored in the
    # entry's `executor` column.
    executor: str | None = None

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

    def next_delivery(self, policy_version: str | None) -> AuditRecord:
        """The record of the next result of the same subscription (same request id)."""
        return AuditRecord(
            principal=self.principal,
            policy_version=policy_version,
            request_id=self.request_id,
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
        # Names over the column's length are refused at validation (BAD_USER_INPUT); a request
        # naming an operation the document lacks is still recorded, its name cut to fit.
        self.operation_name = name[:MAX_OPERATION_NAME] if name is not None else None
        if query is not None:
            # surrogatepass: a document holding a lone surrogate is refused, and hashed as sent.
            self.document_hash = hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()

    def case(self, case_id: str, coordinates: CoordinateSet) -> None:
        self.many_cases([(case_id, coordinates)])

    def many_cases(self, found: Iterable[tuple[str, CoordinateSet]]) -> None:
        """`case` for each pair; the request's unions are taken once per distinct set (a
        page of cases shares a handful), not once per case."""
        cases = self.cases
        distinct: dict[int, CoordinateSet] = {}
        for case_id, coordinates in found:
            known = cases.get(case_id)
            if known is not None:
                coordinates = CoordinateSet(
                    known.read | coordinates.read,
                    known.withheld | coordinates.withheld,
                    known.written | coordinates.written,
                    known.break_glass | coordinates.break_glass,
                )
            cases[case_id] = coordinates
            distinct[id(coordinates)] = coordinates
        for coordinates in distinct.values():
            self.read |= coordinates.read
            self.withheld |= coordinates.withheld
            self.written |= coordinates.written
            self.break_glass |= coordinates.break_glass

    def mark_break_glass(self, opened: dict[str, frozenset[str]]) -> None:
        """Per case, an opened coordinate counts as read under break-glass where its grant
        applies, and as withheld on every other case (the loader nulled it there)."""
        if not opened:
            return
        self.read -= opened.keys()
        for case_id, known in self.cases.items():
            glass = known.read & opened.keys()
            inside = frozenset(c for c in glass if case_id in opened[c])
            outside = glass - inside
            if glass:
                self.cases[case_id] = CoordinateSet(
                    known.read - outside,
                    known.withheld | outside,
                    known.written,
                    known.break_glass | inside,
                )
            self.read |= self.cases[case_id].read
            self.withheld |= outside
            self.break_glass |= inside

    @property
    def outcome(self) -> str:
        if self.errors:
            return "error"
        if self.denied:
            return "denied"
        if self.break_glass:
            return "break_glass"
        if self.withheld:
            return "withheld"
        return "allowed"


_NONE: frozenset[Any] = frozenset()
_UNFLAGGED = (False, False)


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The coordinates a selection discloses on one object type, prepared once per request:
    per object only the presence of nested objects is looked at."""

    own: frozenset[str]
    nested: tuple[tuple[str, bool, Disclosure], ...]  # (attribute, many, nested disclosure)

    @classmethod
    def of(cls, node: Shape, selection: Selection) -> Disclosure:
        own = frozenset(f"{node.type_name}.{n}" for n in selection.fields if n != "__typename")
        nested = tuple(
            (node.attributes[name], relation.many, cls.of(relation.node, selection.child(name)))
            for name, relation in node.relations.items()
            if name in selection.fields
        )
        return cls(own, nested)

    def signer(
        self, masked: frozenset[str] = frozenset(), closed: frozenset[str] = frozenset()
    ) -> Callable[[Any], tuple[Any, ...]]:
        """An object's signature: which nested objects exist, and whether any was masked for
        a protected identity or a closed case (the only things that vary between objects).

        A flag that cannot change what `coordinates` finds (no coordinate of this type in
        `masked`, or in `closed`) is signed as False without being read, and a nested
        disclosure whose signature is then always the same counts only whether its objects
        exist: the common case. The rest is one generated function per shape (cached): a bulk
        page signs a thousand cases, and a closure per nested disclosure, called object by
        object, was 2.6 ms of its bookkeeping."""
        return _compiled_signer(self, masked, closed)

    def _signature(
        self,
        obj: str,
        masked: frozenset[str],
        closed: frozenset[str],
        namespace: dict[str, Any],
        fresh: Iterator[int],
    ) -> str:
        """The expression of the signature of the object named `obj` in generated code;
        what it needs besides builtins goes into `namespace`, under fresh names."""
        parts = [
            f"bool(getattr({obj}, '_protected', False))" if self.own & masked else "False",
            f"bool(getattr({obj}, '_closed', False))" if self.own & closed else "False",
        ]
        for attribute, many, disclosure in self.nested:
            n = next(fresh)
            present = f"(v{n} := getattr({obj}, {attribute!r}, None))"
            constant = disclosure._constant(masked, closed)
            if constant is not None:
                namespace[f"k{n}"] = constant
                signed = f"k{n}"
            elif many:
                namespace[f"f{n}"] = _compiled_signer(disclosure, masked, closed)
                signed = f"frozenset(map(f{n}, v{n}))"
            else:
                child = disclosure._signature(f"v{n}", masked, closed, namespace, fresh)
                signed = f"({child},)"
            if many:
                parts.append(f"({signed} if {present} else _NONE)")
            else:
                parts.append(f"(_NONE if {present} is None else {signed})")
        return f"({', '.join(parts)},)"

    def _constant(self, masked: frozenset[str], closed: frozenset[str]) -> frozenset[Any] | None:
        """The signatures of existing objects of this disclosure, where all sign alike."""
        if self.nested or self.own & masked or self.own & closed:
            return None
        return frozenset((_UNFLAGGED,))

    def coordinates(
        self, signature: tuple[Any, ...], masked: frozenset[str], closed: frozenset[str]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """(read, withheld on this row) for an object of this signature."""
        protected, shut, *nested = signature
        hidden = (self.own & masked if protected else frozenset()) | (
            self.own & closed if shut else frozenset()
        )
        read, withheld = set(self.own - hidden), set(hidden)
        for (_, _, disclosure), children in zip(self.nested, nested, strict=True):
            for child in children:
                child_read, child_hidden = disclosure.coordinates(child, masked, closed)
                read |= child_read
                withheld |= child_hidden
        return frozenset(read), frozenset(withheld)


@functools.lru_cache(maxsize=512)
def _compiled_signer(
    disclosure: Disclosure, masked: frozenset[str], closed: frozenset[str]
) -> Callable[[Any], tuple[Any, ...]]:
    """`Disclosure.signer`, generated once per (shape, masked, closed). The source holds only
    names of the schema's attributes (as literals) and of values in its namespace."""
    namespace: dict[str, Any] = {"_NONE": _NONE}
    expression = disclosure._signature("obj", masked, closed, namespace, itertools.count())
    source = f"def sign(obj):\n    return {expression}\n"
    exec(compile(source, "<audit signer>", "exec"), namespace)  # noqa: S102
    function: Callable[[Any], tuple[Any, ...]] = namespace["sign"]
    return function


# Per object type, the disclosure of a selection and its coordinate sets by signature: what
# `record_cases` prepares, kept by a caller that records the same selection under the same plan
# and withheld set many times (the subscribers of one group: api/events/subscriptions.py; the
# requests sending one document: api/cases/prepared.py).
DisclosureMemo = dict[str, tuple[Disclosure, dict[tuple[Any, ...], CoordinateSet]]]
# Signatures a memo keeps at most: how many differ is bounded by the shape, but a memo kept
# across requests must stay bounded whatever the rows look like.
MAX_SIGNATURES = 1024


def record_cases(
    record: AuditRecord | None,
    node: Shape,
    selection: Selection,
    objects: list[Any],
    masked: frozenset[str],
    withheld: set[str],
    closed: frozenset[str] = frozenset(),
    memo: DisclosureMemo | None = None,
) -> None:
    """Per case: what was read, what the plan withheld (masked ones where a row was masked).

    A nested field counts as read for a case only where the nested object exists. With `memo`,
    the caller promises that selection, plan and withheld set are those of every earlier call
    with that memo.
    """
    if record is None or not objects:
        return
    prepared = memo.get(node.type_name) if memo is not None else None
    if prepared is None:
        prepared = (Disclosure.of(node, selection), {})
        if memo is not None:
            memo[node.type_name] = prepared
    disclosure, sets = prepared
    sign = disclosure.signer(masked, closed)
    planned = frozenset(withheld) - masked - closed  # masked ones are decided row by row
    found: list[tuple[str, CoordinateSet]] = []
    for obj in objects:
        signature = sign(obj)
        coordinates = sets.get(signature)
        if coordinates is None:
            read, hidden = disclosure.coordinates(signature, masked, closed)
            coordinates = CoordinateSet(read, planned | hidden)
            if len(sets) < MAX_SIGNATURES:
                sets[signature] = coordinates
        found.append((obj._case, coordinates))
    record.many_cases(found)
