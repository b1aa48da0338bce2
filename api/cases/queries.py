"""Query fields of the case domain: thin resolvers over `reading`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.cases.access import open_break_glass, readable, record_read, require_filter
from api.cases.filters import CaseFilter, filtered_coordinates
from api.cases.graph import RETURN_CASE
from api.cases.ordering import CaseOrder, encode_cursor, ordered_coordinate
from api.cases.prepared import PREPARED
from api.cases.reading import parse_case_id, read_case, read_cases
from api.cases.types import PageInfo, ReturnCase, ReturnCaseConnection, ReturnCaseEdge
from api.errors import BadUserInput, NotFound
from api.graphql import resolvers
from api.graphql.arguments import After, Filter, First
from api.graphql.context import Info


def page_size(first: int | None, info: Info) -> int:
    settings = info.context.settings
    if first is None:
        return settings.default_page_size
    if first < 0 or first > settings.max_page_size:
        raise BadUserInput(
            f"`first` must be between 0 and {settings.max_page_size}.", field="first"
        )
    return first


@strawberry.type
class CaseQueries:
    @resolvers.field(
        description="One return case by id. A case that does not exist and a case outside "
        "your access are both NOT_FOUND."
    )
    async def case(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The case's `id`.")],
    ) -> ReturnCase | None:
        case_id = parse_case_id(id)
        asked = PREPARED.asked(info)
        await open_break_glass(info.context, (RETURN_CASE, asked))
        selection = readable(info, asked)
        info.context.audit.read.add("Query.case")
        found = None
        if case_id is not None:
            async with info.context.db.reads() as session:
                found = await read_case(
                    session,
                    selection,
                    case_id,
                    info.context.case_scope,
                    info.context.row_rules(),
                )
        if found is None:
            raise NotFound("No such case.")
        record_read(info, selection, [found])
        return found

    @resolvers.field(
        description="A page of return cases (Relay connection), filtered and ordered. "
        "`first` defaults to 50 and may be at most the configured maximum page size."
    )
    async def cases(
        self,
        info: Info,
        filter: Filter[CaseFilter | None] = None,
        order_by: Annotated[
            CaseOrder | None,
            strawberry.argument(description="Order (default: by registration, oldest first)."),
        ] = None,
        first: First[int | None] = None,
        after: After = None,
    ) -> ReturnCaseConnection:
        size = page_size(first, info)
        ordering = [ordered_coordinate(order_by)] if order_by is not None else []
        require_filter(info, [*filtered_coordinates(filter), *ordering])
        selection = PREPARED.asked(info)
        await open_break_glass(info.context, (RETURN_CASE, selection.path("edges", "node")))
        nodes = readable(info, selection.path("edges", "node"))
        info.context.audit.read.add("Query.cases")
        async with info.context.db.reads() as session:
            page = await read_cases(
                session,
                nodes,
                scope=info.context.case_scope,
                case_filter=filter,
                order=order_by,
                first=size,
                after=after,
                count_total="totalCount" in selection.fields,
                rules=info.context.row_rules(),
            )
        record_read(info, nodes, page.cases)
        edges = [ReturnCaseEdge(cursor=encode_cursor(case._key), node=case) for case in page.cases]
        return ReturnCaseConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total_count,
        )
