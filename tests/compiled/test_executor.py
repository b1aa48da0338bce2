"""What the compiled path does not complete itself goes to strawberry, with the same answer:
a null where none may be, an error raised while completing, a type it does not compile."""

from __future__ import annotations

import strawberry

from api.compiled.execute import CompiledExecutor
from api.compiled.served import COMPILED, EXECUTIONS, FALLBACK, REFERENCE


@strawberry.type
class Item:
    id: strawberry.ID
    label: str | None = None

    @strawberry.field
    def shouted(self) -> str | None:
        if self.label == "boom":
            raise ValueError("boom")
        return None if self.label is None else self.label.upper()


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Person(Named):
    age: int


def _query(items: list[Item]) -> type:
    @strawberry.type
    class Query:
        @strawberry.field
        def cases(self) -> list[Item]:
            return items

        @strawberry.field
        def case(self) -> Named:
            return Person(name="x", age=3)

    return Query


def _count(executor: str) -> float:
    return EXECUTIONS.labels(executor=executor)._value.get()


def _both(items: list[Item], document: str) -> tuple[object, object]:
    query = _query(items)
    compiled = strawberry.Schema(
        query=query, types=[Person], execution_context_class=CompiledExecutor
    )
    reference = strawberry.Schema(query=query, types=[Person])
    return compiled.execute_sync(document), reference.execute_sync(document)


def _same(compiled: object, reference: object) -> None:
    assert compiled.data == reference.data  # type: ignore[attr-defined]
    assert [e.formatted for e in compiled.errors or ()] == [  # type: ignore[attr-defined]
        e.formatted
        for e in reference.errors or ()  # type: ignore[attr-defined]
    ]


def test_a_happy_result_is_compiled() -> None:
    before = _count(COMPILED)
    compiled, reference = _both(
        [Item(id="1", label="a"), Item(id="2")],
        "{ cases { __typename k: id ... on Item { label shouted } } }",
    )
    _same(compiled, reference)
    assert compiled.data == {  # type: ignore[attr-defined]
        "cases": [
            {"__typename": "Item", "k": "1", "label": "a", "shouted": "A"},
            {"__typename": "Item", "k": "2", "label": None, "shouted": None},
        ]
    }
    assert _count(COMPILED) == before + 1


def test_a_null_in_a_non_null_position_falls_back() -> None:
    before = _count(FALLBACK)
    compiled, reference = _both([Item(id="1"), Item(id=None)], "{ cases { id label } }")  # type: ignore[arg-type]
    _same(compiled, reference)
    assert compiled.errors  # type: ignore[attr-defined]
    assert _count(FALLBACK) == before + 1


def test_an_error_while_completing_falls_back() -> None:
    before = _count(FALLBACK)
    compiled, reference = _both([Item(id="1", label="boom")], "{ cases { id shouted } }")
    _same(compiled, reference)
    assert compiled.data == {"cases": [{"id": "1", "shouted": None}]}  # type: ignore[attr-defined]
    assert _count(FALLBACK) == before + 1


def test_an_interface_is_left_to_strawberry() -> None:
    before = _count(REFERENCE)
    compiled, reference = _both([], "{ case { name ... on Person { age } } }")
    _same(compiled, reference)
    assert _count(REFERENCE) == before + 1


def test_programs_are_kept_by_document_and_condition_values() -> None:
    """The same document compiles once; other values of a `@skip` variable are another
    program (they select other fields), and each answers as strawberry does."""
    from api.compiled.cache import PROGRAMS
    from api.graphql.document_cache import Documents, document_cache

    query = _query([Item(id="1", label="a")])
    compiled = strawberry.Schema(  # parsed once, as the server parses a document
        query=query,
        execution_context_class=CompiledExecutor,
        extensions=[document_cache(Documents())],
    )
    reference = strawberry.Schema(query=query)
    document = "query Q($s: Boolean!) { cases { id label @skip(if: $s) } }"
    for skip in (True, False, True, False):
        _same(
            compiled.execute_sync(document, variable_values={"s": skip}),
            reference.execute_sync(document, variable_values={"s": skip}),
        )
    # Counted by this test's own schema: the cache is shared by the whole test session and may
    # be full (then older entries make room), so its length says nothing.
    ours = [entry for entry in PROGRAMS._programs.values() if entry[0] is compiled._schema]
    assert len(ours) == 2
    answer = compiled.execute_sync(document, variable_values={"s": True})
    assert answer.data == {"cases": [{"id": "1"}]}
