"""Operation names as metric labels, with a bounded number of values.

A client names its operations freely, so names cannot go into labels as they come: every
distinct name is a new time series, and a client sending random names would grow the metrics
without limit. A name is admitted only for a document that passed validation, and only the
first `limit` distinct names per process are; the rest count as `other`. Documents that did
not validate count as `invalid`, requests that never reached GraphQL as `-`. The operations
of the persisted-query allow-list are admitted from the start.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from graphql import GraphQLError, OperationDefinitionNode, parse

_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,63}$")
ANONYMOUS = "anonymous"
OTHER = "other"
INVALID = "invalid"
NONE = "-"


class OperationNames:
    def __init__(self, limit: int = 200, preset: frozenset[str] = frozenset()) -> None:
        self.limit = limit
        self._admitted = {name for name in preset if _NAME.match(name)}
        self._lock = threading.Lock()

    def label(self, name: str | None, *, valid: bool) -> str:
        if not valid:
            return INVALID
        if not name:
            return ANONYMOUS
        if name in self._admitted:
            return name
        if not _NAME.match(name):
            return OTHER
        with self._lock:
            if len(self._admitted) < self.limit:
                self._admitted.add(name)
                return name
        return OTHER


def operation_names(documents: Iterable[str]) -> frozenset[str]:
    """The names of the operations in `documents` (registered, so trusted to be few)."""
    names: set[str] = set()
    for document in documents:
        try:
            definitions = parse(document).definitions
        except GraphQLError:
            continue
        names.update(
            definition.name.value
            for definition in definitions
            if isinstance(definition, OperationDefinitionNode) and definition.name
        )
    return frozenset(names)
