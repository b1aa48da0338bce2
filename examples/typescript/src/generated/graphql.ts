/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Kind of change to a case. */
export type CaseEventType =
  | 'ABSCONDING_RECORDED'
  | 'ADDRESS_RECORDED'
  | 'CASE_CREATED'
  | 'CONTACT_RECORDED'
  | 'COUNSELLING_RECORDED'
  | 'CUSTODY_RECORDED'
  | 'DECISION_CORRECTED'
  | 'DEPARTURE_RECORDED'
  | 'DOCUMENT_RECORDED'
  | 'ENFORCEMENT_ATTEMPT_RECORDED'
  | 'FAMILY_MEMBER_RECORDED'
  | 'HANDED_OVER'
  | 'HEALTH_ASSESSED'
  | 'IMPEDIMENT_DECIDED'
  | 'IMPEDIMENT_FILED'
  | 'PERSON_UPDATED'
  | 'POLICE_FINDING_RECORDED'
  | 'RETURNED_TO_MV'
  | 'RISK_ASSESSED'
  | 'STATE_CHANGED'
  | 'TRAVEL_DOCUMENT_REQUESTED';

/** Where a return case stands (återvändandeärendets status); see DOMAIN.md. */
export type CaseState =
  | 'CLOSED_OTHER'
  | 'DECEASED'
  | 'DECISION_ISSUED'
  | 'DECISION_QUASHED'
  | 'DEPARTED_VOLUNTARILY'
  | 'DUBLIN_DEADLINE_EXPIRED'
  | 'DUBLIN_TRANSFERRED'
  | 'ENFORCED'
  | 'FINAL'
  | 'HANDED_OVER'
  | 'LAPSED'
  | 'MV_ENFORCEMENT'
  | 'PERMIT_GRANTED'
  | 'RETURNED_TO_MV'
  | 'SUSPENDED'
  | 'UNDER_APPEAL'
  | 'VOLUNTARY_PERIOD';

export type FollowCaseEventsSubscriptionVariables = Exact<{
  after?: string | null | undefined;
  types?: Array<CaseEventType> | CaseEventType | null | undefined;
}>;


export type FollowCaseEventsSubscription = { caseEvents: { cursor: string, node: { occurredAt: string | null, type: CaseEventType | null, fromState: CaseState | null, toState: CaseState | null, urgent: boolean | null, reason: string | null }, case: { id: string, caseNumber: string | null, state: CaseState | null, owningUnit: string | null, enforcementBlocked: boolean | null } | null } };


export const FollowCaseEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FollowCaseEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CaseEventType"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"caseEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"fromState"}},{"kind":"Field","name":{"kind":"Name","value":"toState"}},{"kind":"Field","name":{"kind":"Name","value":"urgent"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"case"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"caseNumber"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"owningUnit"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementBlocked"}}]}}]}}]}}]} as unknown as DocumentNode<FollowCaseEventsSubscription, FollowCaseEventsSubscriptionVariables>;