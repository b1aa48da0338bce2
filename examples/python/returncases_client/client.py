from typing import Any, Optional, Union

from .base_client import ReturnCasesBaseClient
from .base_model import UNSET, UnsetType
from .case_version import CaseVersion
from .enums import CaseState, HandoverReason
from .hand_over import HandOver
from .sync_events import SyncEvents
from .worklist import Worklist


def gql(q: str) -> str:
    return q


class Client(ReturnCasesBaseClient):
    async def case_version(self, id: str, **kwargs: Any) -> CaseVersion:
        query = gql("""
            query CaseVersion($id: ID!) {
              case(id: $id) {
                id
                state
                version
                owningAgency
                owningUnit
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="CaseVersion", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CaseVersion.model_validate(data)

    async def hand_over(
        self,
        id: str,
        version: int,
        to_unit: str,
        reason: HandoverReason,
        guidance: str,
        **kwargs: Any,
    ) -> HandOver:
        query = gql("""
            mutation HandOver($id: ID!, $version: Int!, $toUnit: String!, $reason: HandoverReason!, $guidance: String!) {
              handOverToPolice(
                caseId: $id
                version: $version
                input: {toUnit: $toUnit, reason: $reason, guidance: $guidance}
              ) {
                id
                state
                subState
                owningAgency
                owningUnit
                version
              }
            }
            """)
        variables: dict[str, object] = {
            "id": id,
            "version": version,
            "toUnit": to_unit,
            "reason": reason,
            "guidance": guidance,
        }
        response = await self.execute(
            query=query, operation_name="HandOver", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return HandOver.model_validate(data)

    async def sync_events(
        self, first: int, after: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> SyncEvents:
        query = gql("""
            query SyncEvents($after: String, $first: Int!) {
              caseEvents(first: $first, after: $after) {
                edges {
                  cursor
                  node {
                    occurredAt
                    type
                    fromState
                    toState
                    urgent
                    changedFields
                  }
                  case {
                    id
                    caseNumber
                    state
                    enforcementBlocked
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
            """)
        variables: dict[str, object] = {"after": after, "first": first}
        response = await self.execute(
            query=query, operation_name="SyncEvents", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SyncEvents.model_validate(data)

    async def worklist(
        self,
        first: int,
        states: Union[Optional[list[CaseState]], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Worklist:
        query = gql("""
            query Worklist($states: [CaseState!], $first: Int!, $after: String) {
              cases(
                first: $first
                after: $after
                filter: {states: $states}
                orderBy: {field: VOLUNTARY_DEPARTURE_DEADLINE, direction: ASC}
              ) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  node {
                    ...WorklistCase
                  }
                }
              }
            }

            fragment WorklistCase on ReturnCase {
              id
              caseNumber
              state
              owningUnit
              version
              enforcementBlocked
              person {
                fullName
                protectedIdentity
              }
              decision {
                type
                finalDate
                voluntaryDepartureDeadline
                asylumGrounds
              }
            }
            """)
        variables: dict[str, object] = {
            "states": states,
            "first": first,
            "after": after,
        }
        response = await self.execute(
            query=query, operation_name="Worklist", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Worklist.model_validate(data)
