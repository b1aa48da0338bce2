"""Build the persisted-operation allow-list from a client's `.graphql` files.

A client registers every operation it sends; production then runs persisted-only
(`RETURNCASES_PERSISTED_ONLY=true`), so no other document reaches the executor. Each operation
is registered in one canonical text, the form a client can compute from its own copy of the
document: the operation, then every fragment it uses (transitively) in name order, printed and
then stripped of ignored characters (graphql-js `stripIgnoredCharacters(print(doc))`,
graphql-core `strip_ignored_characters(print_ast(doc))`). Stripping makes the text independent
of the printer's version (graphql-js 16 prints `{a: 1}`, graphql-core 3.3 `{ a: 1 }`). The
allow-list maps the SHA-256 of that text to the text (`api/http/persisted.py` loads it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    print_ast,
    strip_ignored_characters,
    validate,
)
from graphql.language import Visitor, visit

from api.http.persisted import sha256


class DocumentProblem(ValueError):
    """A file that cannot be registered: it does not parse, validate, or names clash."""


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    source: str  # file it came from, for messages
    text: str  # canonical text (what the client sends and the hash covers)

    @property
    def digest(self) -> str:
        return sha256(self.text)


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.add(node.name.value)


def _spreads(node: OperationDefinitionNode | FragmentDefinitionNode) -> set[str]:
    visitor = _Spreads()
    visit(node, visitor)
    return visitor.names


def _used_fragments(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FragmentDefinitionNode]:
    """Every fragment the operation reaches, in name order; an unknown one is left for
    validation to report."""
    seen: set[str] = set()
    pending = list(_spreads(operation))
    while pending:
        name = pending.pop()
        if name in seen or name not in fragments:
            continue
        seen.add(name)
        pending.extend(_spreads(fragments[name]))
    return [fragments[name] for name in sorted(seen)]


def canonical_text(document: str) -> str:
    """The canonical form of a document of one operation (and its fragments): what a client
    hashes before it sends `extensions.persistedQuery.sha256Hash`."""
    parsed = parse(document, no_location=True)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise DocumentProblem("a persisted document holds exactly one operation")
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _print(operations[0], _used_fragments(operations[0], fragments))


def _print(operation: OperationDefinitionNode, fragments: list[FragmentDefinitionNode]) -> str:
    return strip_ignored_characters(print_ast(DocumentNode(definitions=(operation, *fragments))))


def _parse(source: str, text: str) -> DocumentNode:
    try:
        return parse(text, no_location=True)
    except GraphQLError as error:
        raise DocumentProblem(f"{source}: {error.message}") from None


def collect_operations(files: Iterable[tuple[str, str]], schema: GraphQLSchema) -> list[Operation]:
    """Every operation of `files` ((name, text) pairs) in canonical form, validated against
    `schema`. Fragments are shared across files; operation and fragment names must be unique."""
    operations: dict[str, tuple[str, OperationDefinitionNode]] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for source, text in files:
        for definition in _parse(source, text).definitions:
            if isinstance(definition, FragmentDefinitionNode):
                name = definition.name.value
                if name in fragments:
                    raise DocumentProblem(f"{source}: fragment {name} is defined twice")
                fragments[name] = definition
            elif not isinstance(definition, OperationDefinitionNode):
                raise DocumentProblem(f"{source}: only operations and fragments belong here")
            else:
                if definition.name is None:
                    raise DocumentProblem(f"{source}: every operation needs a name")
                name = definition.name.value
                if name in operations:
                    raise DocumentProblem(f"{source}: operation {name} is defined twice")
                operations[name] = (source, definition)
    if not operations:
        raise DocumentProblem("no operations found")
    result = []
    for name, (source, operation) in sorted(operations.items()):
        used = _used_fragments(operation, fragments)
        document = DocumentNode(definitions=(operation, *used))
        errors = validate(schema, document)
        if errors:
            raise DocumentProblem(f"{source}: operation {name}: {errors[0].message}")
        result.append(Operation(name=name, source=source, text=_print(operation, used)))
    return result


def read_folder(folder: Path) -> list[tuple[str, str]]:
    """The `.graphql` files under `folder` (recursively), in path order."""
    paths = sorted(folder.rglob("*.graphql"))
    return [(str(path.relative_to(folder)), path.read_text(encoding="utf-8")) for path in paths]


def allow_list(operations: Iterable[Operation]) -> dict[str, str]:
    return {operation.digest: operation.text for operation in operations}
