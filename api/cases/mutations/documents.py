"""The person's identity and travel documents, and requests to embassies for them."""

from __future__ import annotations

import strawberry

from api.cases import inputs
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import record_fact
from api.cases.types import ReturnCase
from api.graphql import resolvers
from api.graphql.context import Info
from db import models
from db.enums import CaseEventType


@strawberry.type
class DocumentMutations:
    @resolvers.mutation(description="Record an identity or travel document.")
    async def record_document(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.DocumentInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "recordDocument",
            models.Document,
            vars(input),
            CaseEventType.DOCUMENT_RECORDED,
        )

    @resolvers.mutation(description="Record a request to an embassy for a travel document.")
    async def request_travel_document(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.TravelDocumentRequestInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "requestTravelDocument",
            models.TravelDocumentRequest,
            vars(input),
            CaseEventType.TRAVEL_DOCUMENT_REQUESTED,
        )
