"""What the service is compared with, each an ASGI app reached through the same HTTP client:

(a) the service itself with access control and audit switched off,
(b) bare strawberry over the same case objects already in memory (same types, no extensions),
(c) the floor: the same rows fetched with SQLAlchemy Core and encoded with orjson.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import strawberry
from graphql import FieldNode, ObjectValueNode, OperationDefinitionNode, parse
from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

import api.audit.extension
import api.cases.queries
from api.app import create_app
from api.authz.rows import RowRules
from api.cases.graph import RETURN_CASE, Node
from api.cases.ordering import CaseOrder, CaseOrderField, Ordering, encode_cursor
from api.cases.reading import read_case, read_cases
from api.cases.types import PageInfo, ReturnCase, ReturnCaseConnection, ReturnCaseEdge
from api.graphql.selection import Selection, selection_of
from api.settings import Settings
from db.engine import Database
from db.models import Decision
from db.models import ReturnCase as ReturnCaseRow


def settings_for(url: str, key_dir: Path, **extra: Any) -> Settings:
    return Settings(
        database_url=url,
        dev_key_dir=key_dir,
        rate_limit_per_minute=1_000_000_000,
        max_page_size=1000,
        log_level="WARNING",
        **extra,
    )


def service_app(url: str, key_dir: Path) -> Starlette:
    return create_app(settings_for(url, key_dir))


def switched_off_app(url: str, key_dir: Path) -> Starlette:
    """(a): the API's benchmark-only setting (every coordinate and case allowed, no audit
    write). Use it inside `no_audit()`, which also skips collecting the per-case record."""
    return create_app(settings_for(url, key_dir, benchmark_without_access_control=True))


@contextmanager
def no_audit() -> Iterator[None]:
    """Neither collect nor write audit records while (a) is measured (process-wide, undone on
    exit): the per-case disclosure bookkeeping is skipped as well as the write."""

    async def finish(self: Any, context: Any, result: Any) -> None:
        return None

    saved = (api.cases.queries.record_read, api.audit.extension.AuditExtension._finish)
    api.cases.queries.record_read = lambda *_args: None
    api.audit.extension.AuditExtension._finish = finish  # type: ignore[method-assign]
    try:
        yield
    finally:
        api.cases.queries.record_read, api.audit.extension.AuditExtension._finish = saved


# ------------------------------------------------------------------------------------------
# Rows in memory, as the service's loader builds them, for (b) and (d).


def _root_field(query: str) -> tuple[str, FieldNode]:
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.name is not None
    root = operation.selection_set.selections[0]
    assert isinstance(root, FieldNode)
    return operation.name.value, root


def _order_of(root: FieldNode) -> CaseOrder | None:
    for argument in root.arguments:
        if argument.name.value == "orderBy" and isinstance(argument.value, ObjectValueNode):
            value = {f.name.value: getattr(f.value, "value", None) for f in argument.value.fields}
            return CaseOrder(field=CaseOrderField[value["field"]])
    return None


async def rows_in_memory(url: str, query: str, variables: dict[str, Any]) -> Any:
    """The answer's objects, loaded once with the service's own loader (unrestricted)."""
    _, root = _root_field(query)
    selection = selection_of([root], {}, variables)
    database = Database.connect(url)
    try:
        async with database.reads() as session:
            if root.name.value == "case":
                return await read_case(session, selection, variables["id"], true(), RowRules())
            page = await read_cases(
                session,
                selection.path("edges", "node"),
                scope=true(),
                case_filter=None,
                order=_order_of(root),
                first=variables["first"],
                after=None,
                count_total="totalCount" in selection.fields,
                rules=RowRules(),
            )
    finally:
        await database.dispose()
    edges = [ReturnCaseEdge(cursor=encode_cursor(case._key), node=case) for case in page.cases]
    return ReturnCaseConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=False,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total_count,
    )


@strawberry.type
class BareQuery:
    """`case` and `cases` answering from memory, by operation name."""

    @strawberry.field
    def case(self, info: strawberry.Info, id: strawberry.ID) -> ReturnCase | None:
        return info.context["rows"][info.operation.name.value]

    @strawberry.field
    def cases(
        self,
        info: strawberry.Info,
        first: int | None = None,
        order_by: CaseOrder | None = None,
        after: str | None = None,
    ) -> ReturnCaseConnection:
        return info.context["rows"][info.operation.name.value]


class BareGraphQL(GraphQL):  # type: ignore[type-arg]
    def __init__(self, schema: strawberry.Schema, rows: dict[str, Any]) -> None:
        super().__init__(schema, graphql_ide=None)
        self.rows = rows

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"rows": self.rows}


def bare_app(rows: dict[str, Any], extensions: list[Any] | None = None) -> Starlette:
    """(b): plain strawberry over `rows` (operation name -> answer). With `extensions`, (d)."""
    schema = strawberry.Schema(query=BareQuery, extensions=extensions or [])
    return Starlette(routes=[Route("/graphql", BareGraphQL(schema, rows), methods=["POST"])])


# ------------------------------------------------------------------------------------------
# (c) The floor.

_case = ReturnCaseRow.__table__
_decision = Decision.__table__


def _columns(node: Node, selection: Selection) -> list[Any]:
    """Stored columns of the selected fields, named as the API names them; a computed field
    comes as the columns it is computed from."""
    table = node.model.__table__  # type: ignore[attr-defined]
    columns: dict[str, Any] = {}
    for name in sorted(selection.fields):
        if name in node.columns:
            columns[name] = table.c[node.columns[name].key].label(name)
        for required in node.computed.get(name, ()):
            columns[required] = table.c[required]
    return list(columns.values())


async def _attach(
    connection: AsyncConnection, node: Node, selection: Selection, parents: list[dict[str, Any]]
) -> None:
    """One statement per selected relation, for all parents at once; children as dicts."""
    by_case = {parent["_case"]: parent for parent in parents}
    for name, relation in node.relations.items():
        if name not in selection.fields:
            continue
        child = relation.node
        table = child.model.__table__  # type: ignore[attr-defined]
        statement = (
            select(table.c.case_id.label("_case"), *_columns(child, selection.child(name)))
            .where(table.c.case_id.in_(list(by_case)))
            .order_by(*relation.order_by)
        )
        children = [dict(row._mapping) for row in await connection.execute(statement)]
        if child.relations:
            await _attach(connection, child, selection.child(name), children)
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in children:
            grouped.setdefault(row.pop("_case"), []).append(row)
        for case_id, parent in by_case.items():
            found = grouped.get(case_id, [])
            parent[name] = found if relation.many else (found[0] if found else None)


class Floor:
    """Answers the scenario documents by operation name with hand-written Core queries."""

    def __init__(self, engine: AsyncEngine, documents: dict[str, str]) -> None:
        self.engine = engine
        self.plans = {}
        for query in documents.values():
            name, root = _root_field(query)
            self.plans[name] = (root.name.value, selection_of([root], {}, {}), _order_of(root))

    async def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        name, _ = _root_field(body["query"])
        root_name, selection, order = self.plans[name]
        variables = body.get("variables") or {}
        async with self.engine.connect() as connection:
            if root_name == "case":
                return {"case": await self._case(connection, selection, variables["id"])}
            return {"cases": await self._page(connection, selection, order, variables["first"])}

    async def _case(
        self, connection: AsyncConnection, selection: Selection, case_id: str
    ) -> dict[str, Any] | None:
        statement = select(_case.c.id.label("_case"), *_columns(RETURN_CASE, selection))
        rows = [dict(r._mapping) for r in await connection.execute(statement.where(
            _case.c.id == case_id))]  # fmt: skip
        await _attach(connection, RETURN_CASE, selection, rows)
        for row in rows:
            row.pop("_case")
        return rows[0] if rows else None

    async def _page(
        self, connection: AsyncConnection, selection: Selection, order: CaseOrder | None, first: int
    ) -> dict[str, Any]:
        nodes = selection.path("edges", "node")
        ordering = Ordering.of(order)
        source = _case.join(_decision, _decision.c.case_id == _case.c.id)  # as the service
        statement = (
            select(_case.c.id.label("_case"), *_columns(RETURN_CASE, nodes))
            .select_from(source if ordering.joins_decision else _case)
            .order_by(*ordering.clauses())
            .limit(first + 1)
        )
        rows = [dict(r._mapping) for r in await connection.execute(statement)]
        has_next, rows = len(rows) > first, rows[:first]
        await _attach(connection, RETURN_CASE, nodes, rows)
        edges = [{"cursor": encode_cursor(row.pop("_case")), "node": row} for row in rows]
        page: dict[str, Any] = {
            "edges": edges,
            "pageInfo": {
                "hasNextPage": has_next,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
        }
        if "totalCount" in selection.fields:
            page["totalCount"] = await connection.scalar(select(func.count()).select_from(_case))
        return page


def floor_app(engine: AsyncEngine, documents: dict[str, str]) -> Starlette:
    """(c): POST a scenario's document, get its rows as orjson-encoded JSON."""
    floor = Floor(engine, documents)

    async def endpoint(request: Request) -> Response:
        body = orjson.loads(await request.body())
        data = await floor.answer(body)
        return Response(orjson.dumps({"data": data}), media_type="application/json")

    return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])
