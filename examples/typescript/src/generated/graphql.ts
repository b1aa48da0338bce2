/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Kind of change to a case. */
export type CaseEventType =
  /** The person absconded. */
  | 'ABSCONDING_RECORDED'
  /** An address was recorded. */
  | 'ADDRESS_RECORDED'
  /** A court's outcome on an appeal was recorded. */
  | 'APPEAL_OUTCOME_RECORDED'
  /** The case was registered. */
  | 'CASE_CREATED'
  /** Contact information was recorded. */
  | 'CONTACT_RECORDED'
  /** Return counselling was recorded. */
  | 'COUNSELLING_RECORDED'
  /** A custody decision was recorded. */
  | 'CUSTODY_RECORDED'
  /** The person's death was recorded. */
  | 'DEATH_RECORDED'
  /** The decision was corrected. */
  | 'DECISION_CORRECTED'
  /** The person's departure was recorded. */
  | 'DEPARTURE_RECORDED'
  /** A document was recorded. */
  | 'DOCUMENT_RECORDED'
  /** An enforcement attempt was planned or recorded. */
  | 'ENFORCEMENT_ATTEMPT_RECORDED'
  /** A family member was recorded. */
  | 'FAMILY_MEMBER_RECORDED'
  /** The case was handed over to the police. */
  | 'HANDED_OVER'
  /** A health assessment was recorded. */
  | 'HEALTH_ASSESSED'
  /** An impediment was decided. */
  | 'IMPEDIMENT_DECIDED'
  /** An impediment, stay or new examination was filed. */
  | 'IMPEDIMENT_FILED'
  /** A residence permit granted after the decision was recorded. */
  | 'PERMIT_DECISION_RECORDED'
  /** The person's identity data changed. */
  | 'PERSON_UPDATED'
  /** The police recorded their own case number. */
  | 'POLICE_CASE_NUMBER_RECORDED'
  /** The police recorded a finding. */
  | 'POLICE_FINDING_RECORDED'
  /** The police handed the case back to Migrationsverket. */
  | 'RETURNED_TO_MV'
  /** A risk assessment was recorded. */
  | 'RISK_ASSESSED'
  /** The case moved to another state (see fromState and toState). */
  | 'STATE_CHANGED'
  /** A travel document was requested from an embassy. */
  | 'TRAVEL_DOCUMENT_REQUESTED';

/** Where a return case stands (återvändandeärendets status); see DOMAIN.md. */
export type CaseState =
  /** Terminal: closed for another reason. */
  | 'CLOSED_OTHER'
  /** Terminal: the person died. */
  | 'DECEASED'
  /** A refusal-of-entry or expulsion decision exists, not yet final. */
  | 'DECISION_ISSUED'
  /** Terminal: the decision was quashed. */
  | 'DECISION_QUASHED'
  /** Terminal: the person left voluntarily. */
  | 'DEPARTED_VOLUNTARILY'
  /** Terminal: the Dublin transfer deadline passed. */
  | 'DUBLIN_DEADLINE_EXPIRED'
  /** Terminal: transferred to the responsible Dublin state. */
  | 'DUBLIN_TRANSFERRED'
  /** Terminal: the decision was enforced. */
  | 'ENFORCED'
  /** The decision is final (laga kraft). */
  | 'FINAL'
  /** Handed over to a police unit for enforcement (12 kap 14 § UtlL). */
  | 'HANDED_OVER'
  /** Terminal: the decision lapsed (preskriberat, 12 kap 22 § UtlL). */
  | 'LAPSED'
  /** Migrationsverket enforces the decision itself. */
  | 'MV_ENFORCEMENT'
  /** Terminal: a residence permit was granted. */
  | 'PERMIT_GRANTED'
  /** The police handed the case back to Migrationsverket. */
  | 'RETURNED_TO_MV'
  /** Suspended by an impediment, stay or new examination; resumes in the state it had. */
  | 'SUSPENDED'
  /** The decision is appealed (överklagat). */
  | 'UNDER_APPEAL'
  /** The period for voluntary departure runs (Migrationsverket). */
  | 'VOLUNTARY_PERIOD';

export type FollowCaseEventsSubscriptionVariables = Exact<{
  after?: string | null | undefined;
  types?: Array<CaseEventType> | CaseEventType | null | undefined;
}>;


export type FollowCaseEventsSubscription = { caseEvents: { cursor: string, node: { occurredAt: string | null, type: CaseEventType | null, fromState: CaseState | null, toState: CaseState | null, urgent: boolean | null, reason: string | null }, case: { id: string, caseNumber: string | null, state: CaseState | null, owningUnit: string | null, enforcementBlocked: boolean | null } | null } };


export const FollowCaseEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"FollowCaseEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CaseEventType"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"caseEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"fromState"}},{"kind":"Field","name":{"kind":"Name","value":"toState"}},{"kind":"Field","name":{"kind":"Name","value":"urgent"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"case"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"caseNumber"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"owningUnit"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementBlocked"}}]}}]}}]}}]} as unknown as DocumentNode<FollowCaseEventsSubscription, FollowCaseEventsSubscriptionVariables>;