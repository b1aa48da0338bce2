"""What the audit records per case (api/audit/record.py `record_cases`) is what the loaded
objects disclosed, computed here the obvious way: object by object, flag by flag. Generated
selections of the real case graph, masked and closed coordinate sets, and object trees with
every combination of present, absent and flagged nested objects."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.audit.record import AuditRecord, CoordinateSet, record_cases
from api.authz.selection import Selection
from api.cases.graph import RETURN_CASE, Node

MAX_DEPTH = 2


def _selection(node: Node, depth: int = 0) -> st.SearchStrategy[Selection]:
    names = sorted({*node.columns, *node.computed, "__typename"})
    relations = sorted(node.relations) if depth < MAX_DEPTH else []

    @st.composite
    def build(draw: st.DrawFn) -> Selection:
        fields = set(draw(st.lists(st.sampled_from(names), max_size=4)))
        nested = {}
        for name in draw(st.lists(st.sampled_from(relations), max_size=3)) if relations else []:
            fields.add(name)
            nested[name] = draw(_selection(node.relations[name].node, depth + 1))
        return Selection(fields, nested)

    return build()


def _coordinates(node: Node, selection: Selection) -> set[str]:
    found = {f"{node.type_name}.{name}" for name in selection.fields if name != "__typename"}
    for name, relation in node.relations.items():
        if name in selection.fields:
            found |= _coordinates(relation.node, selection.child(name))
    return found


def _object(draw: st.DrawFn, node: Node, selection: Selection) -> SimpleNamespace:
    obj = SimpleNamespace()
    for flag in ("_protected", "_closed"):
        if draw(st.booleans()):  # the loader sets a flag only where it selected it
            setattr(obj, flag, draw(st.booleans()))
    for name, relation in node.relations.items():
        if name not in selection.fields:
            continue
        child = selection.child(name)
        if relation.many:
            count = draw(st.integers(0, 3))
            value: Any = [_object(draw, relation.node, child) for _ in range(count)]
        else:
            value = _object(draw, relation.node, child) if draw(st.booleans()) else None
        setattr(obj, node.attributes[name], value)
    return obj


def _expected(
    node: Node, selection: Selection, obj: Any, masked: frozenset[str], closed: frozenset[str]
) -> tuple[set[str], set[str]]:
    own = {f"{node.type_name}.{name}" for name in selection.fields if name != "__typename"}
    hidden = set()
    if getattr(obj, "_protected", False):
        hidden |= own & masked
    if getattr(obj, "_closed", False):
        hidden |= own & closed
    read, withheld = own - hidden, set(hidden)
    for name, relation in node.relations.items():
        if name not in selection.fields:
            continue
        value = getattr(obj, node.attributes[name], None)
        children = (value or []) if relation.many else ([] if value is None else [value])
        for child in children:
            child_read, child_withheld = _expected(
                relation.node, selection.child(name), child, masked, closed
            )
            read |= child_read
            withheld |= child_withheld
    return read, withheld


Page = tuple[Selection, list[Any], frozenset[str], frozenset[str], set[str]]


@st.composite
def _pages(draw: st.DrawFn) -> Page:
    selection = draw(_selection(RETURN_CASE))
    coordinates = sorted(_coordinates(RETURN_CASE, selection))
    subsets = st.frozensets(st.sampled_from(coordinates)) if coordinates else st.just(frozenset())
    masked, closed = draw(subsets), draw(subsets)
    planned = set(draw(subsets))
    cases = []
    for n in range(draw(st.integers(1, 6))):
        case = _object(draw, RETURN_CASE, selection)
        case._case = f"case-{n % 4}"  # a case read twice on one page is recorded once
        cases.append(case)
    return selection, cases, masked, closed, planned


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_each_case_is_recorded_with_what_its_objects_disclosed(page: Page) -> None:
    selection, cases, masked, closed, planned = page
    record = AuditRecord(principal=None, policy_version=None)
    record_cases(record, RETURN_CASE, selection, cases, masked, set(planned), closed)
    expected: dict[str, tuple[set[str], set[str]]] = {}
    for case in cases:
        read, withheld = _expected(RETURN_CASE, selection, case, masked, closed)
        known = expected.setdefault(case._case, (set(), set()))
        known[0].update(read)
        known[1].update(withheld | (planned - masked - closed))
    assert {
        case_id: (set(found.read), set(found.withheld)) for case_id, found in record.cases.items()
    } == expected
    assert all(isinstance(found, CoordinateSet) for found in record.cases.values())
    assert record.read == set().union(*(read for read, _ in expected.values()))
