"""The person's circumstances: addresses, contact information, family members."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import inputs
from api.cases.commands import ClaimedCase
from api.cases.mutations.arguments import CaseId, CaseVersion, Input
from api.cases.mutations.facts import record_fact
from api.cases.reading import parse_case_id
from api.cases.types import ReturnCase
from api.errors import NotFound
from api.graphql import resolvers
from api.graphql.context import Info
from db import models
from db.enums import CaseEventType


@strawberry.type
class CircumstanceMutations:
    @resolvers.mutation(description="Record an address.")
    async def record_address(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.AddressInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "recordAddress",
            models.Address,
            vars(input),
            CaseEventType.ADDRESS_RECORDED,
        )

    @resolvers.mutation(description="Record contact information.")
    async def record_contact(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.ContactInput],
    ) -> ReturnCase | None:
        return await record_fact(
            info,
            case_id,
            version,
            "recordContact",
            models.ContactInfo,
            vars(input),
            CaseEventType.CONTACT_RECORDED,
        )

    @resolvers.mutation(description="Record a family member.")
    async def record_family_member(
        self,
        info: Info,
        case_id: CaseId,
        version: CaseVersion,
        input: Input[inputs.FamilyMemberInput],
    ) -> ReturnCase | None:
        values = vars(input).copy()
        linked = values.get("linked_case_id")

        async def check_link(session: AsyncSession, claimed: ClaimedCase) -> None:
            if linked is None:
                return
            linked_id = parse_case_id(linked)
            case = models.ReturnCase.__table__
            found = None
            if linked_id is not None:
                found = (
                    await session.execute(
                        select(case.c.id).where(case.c.id == linked_id, info.context.case_scope)
                    )
                ).first()
            if found is None:
                raise NotFound("No such linked case.", field="input.linkedCaseId")
            values["linked_case_id"] = linked_id

        return await record_fact(
            info,
            case_id,
            version,
            "recordFamilyMember",
            models.FamilyMember,
            values,
            CaseEventType.FAMILY_MEMBER_RECORDED,
            before=check_link,
        )
