"""Mutations of the case domain, one module per family (as the schema lists them).

How a case moves: `creation`, `decision`, `enforcement`, `endings` (transitions are built from
`transitions`). What is recorded on it: `corrections`, `documents`, `circumstances`,
`assessments`, `measures`, `impediments`, `police` (a new fact row is `facts.record_fact`).
Every change runs through `runner.change_case`; a new family is one more base class here, in
the place its fields should stand in the schema.
"""

import strawberry

from api.cases.mutations.assessments import AssessmentMutations
from api.cases.mutations.circumstances import CircumstanceMutations
from api.cases.mutations.closing_facts import ClosingFactMutations
from api.cases.mutations.corrections import CorrectionMutations
from api.cases.mutations.creation import CreationMutations
from api.cases.mutations.decision import DecisionMutations
from api.cases.mutations.documents import DocumentMutations
from api.cases.mutations.endings import EndingMutations
from api.cases.mutations.enforcement import EnforcementMutations
from api.cases.mutations.impediments import ImpedimentMutations
from api.cases.mutations.measures import MeasureMutations
from api.cases.mutations.police import PoliceMutations


@strawberry.type
class CaseMutations(
    CreationMutations,
    DecisionMutations,
    EnforcementMutations,
    EndingMutations,
    ClosingFactMutations,
    CorrectionMutations,
    DocumentMutations,
    CircumstanceMutations,
    AssessmentMutations,
    MeasureMutations,
    ImpedimentMutations,
    PoliceMutations,
):
    pass


__all__ = ["CaseMutations"]
