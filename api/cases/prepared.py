"""A case read's selections, prepared once and kept across requests (issue 20).

Every read of cases turns the field nodes below its root field into a selection, cuts that to
what the access plan allows (api/authz/restrict.py), and the audit prepares from the cut one
what each case discloses (api/audit/record.py `Disclosure`). All three are functions of the
operation (the parsed document is shared by every request sending the same text:
api/graphql/document_cache.py), the field's path, the values of the variables `@skip` and
`@include` read, the plan, the coordinates a break-glass grant opens and, for the audit, the
request's withheld set: nothing a row holds. Rebuilt for every request they cost a case view
a third of a millisecond of CPU.

Each entry keeps the objects its key names by identity, so no id is reused while it lives;
bounded, least recently used first out. The selections are shared by every request that hits
them: nothing downstream changes a selection once it is built (api/authz/selection.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Hashable
from typing import Any, Generic, TypeVar

from api.audit.record import DisclosureMemo
from api.authz.catalogue import Shape
from api.authz.plan import AccessPlan
from api.authz.restrict import restrict
from api.graphql.conditions import CONDITIONS
from api.graphql.selection import Selection, selection_of

DEFAULT_SIZE = 512
_NOTHING: frozenset[str] = frozenset()

Value = TypeVar("Value")


class _Bounded(Generic[Value]):
    """Least recently used first out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Value] = OrderedDict()

    def get(self, key: Hashable) -> Value | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Value) -> None:
        self._entries[key] = value
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


class PreparedReads:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        # (operation, path, condition values) -> (operation, selection)
        self._asked: _Bounded[tuple[Any, Selection]] = _Bounded(size)
        # (node, asked, plan, opened) -> (node, asked, plan, readable, withheld)
        self._readable: _Bounded[tuple[Shape, Selection, AccessPlan, Selection, frozenset[str]]] = (
            _Bounded(size)
        )
        # (readable, plan, withheld) -> (readable, plan, memo)
        self._memos: _Bounded[tuple[Selection, AccessPlan, DisclosureMemo]] = _Bounded(size)

    def asked(self, info: Any) -> Selection:
        """The selection below the field a strawberry resolver is resolving
        (api/graphql/selection.py `selection_from_info`)."""
        raw = info._raw_info
        operation = raw.operation
        variables = getattr(raw.variable_values, "coerced", raw.variable_values) or {}
        fragments = {name: getattr(f, "definition", f) for name, f in raw.fragments.items()}
        key = (
            id(operation),
            tuple(raw.path.as_list()),
            CONDITIONS.values(operation, fragments, variables),
        )
        found = self._asked.get(key)
        if found is not None:
            return found[1]
        selection = selection_of(raw.field_nodes, fragments, variables)
        self._asked.put(key, (operation, selection))
        return selection

    def readable(
        self, node: Shape, asked: Selection, plan: AccessPlan, opened: Collection[str]
    ) -> tuple[Selection, frozenset[str]]:
        """`asked` cut to what `plan` allows, and the coordinates cut away (withheld)."""
        if not asked.fields:  # nothing asked (a fresh empty selection): nothing to keep
            return Selection(), _NOTHING
        opening = frozenset(opened) if opened else _NOTHING
        key = (id(node), id(asked), id(plan), opening)
        found = self._readable.get(key)
        if found is not None:
            return found[3], found[4]
        withheld: set[str] = set()
        kept = restrict(node, asked, plan, withheld, opening)
        self._readable.put(key, (node, asked, plan, kept, frozenset(withheld)))
        return kept, frozenset(withheld)

    def disclosure_memo(
        self, selection: Selection, plan: AccessPlan, withheld: Collection[str]
    ) -> DisclosureMemo:
        """The memo `record_cases` keeps for this selection, plan and withheld set."""
        key = (id(selection), id(plan), frozenset(withheld))
        found = self._memos.get(key)
        if found is not None:
            return found[2]
        memo: DisclosureMemo = {}
        self._memos.put(key, (selection, plan, memo))
        return memo

    def clear(self) -> None:
        """Forget everything (tests comparing a warm cache with a cold one)."""
        self._asked.clear()
        self._readable.clear()
        self._memos.clear()


PREPARED = PreparedReads()
