"""Parse and validate each distinct document once, not on every request.

Clients send the same few documents over and over (a worklist, a case view, a sync page), and
parsing plus validating one costs more than a small request's whole database work: 2 ms for the
worklist, 7 ms for the full case view. The parsed document is kept by its text and the parser's
token limit; a document is remembered as valid together with the exact validation rules it
passed (they differ by role where introspection is refused), so a cached verdict is never
applied under other rules. Invalid documents are not remembered: their errors are produced
afresh for each request. Both caches are bounded (least recently used goes first).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import suppress
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension

DEFAULT_SIZE = 256


class Documents:
    """The caches of one schema."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self.parse: Callable[[str, int | None], DocumentNode] = lru_cache(maxsize=size)(
            lambda query, max_tokens: parse(query, max_tokens=max_tokens)
        )
        self._valid: OrderedDict[Hashable, None] = OrderedDict()

    def is_valid(self, key: Hashable) -> bool:
        if key in self._valid:
            self._valid.move_to_end(key)
            return True
        return False

    def remember_valid(self, key: Hashable) -> None:
        self._valid[key] = None
        if len(self._valid) > self.size:
            self._valid.popitem(last=False)


def document_cache(documents: Documents) -> Callable[[], SchemaExtension]:
    """The extension; list it after every extension that changes the validation rules."""

    class DocumentCache(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            execution = self.execution_context
            if execution.query:
                # On a syntax error strawberry parses it again and reports it as usual.
                with suppress(GraphQLError):
                    execution.graphql_document = documents.parse(
                        execution.query, execution.parse_options.get("max_tokens")
                    )
            yield

        def on_validate(self) -> Iterator[None]:
            execution = self.execution_context
            key: Any = (execution.query, tuple(execution.validation_rules))
            if documents.is_valid(key):
                execution.pre_execution_errors = []  # strawberry skips validation
                yield
                return
            yield
            if execution.pre_execution_errors == []:
                documents.remember_valid(key)

    return DocumentCache
