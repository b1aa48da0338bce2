"""Mutations of the case domain."""

import strawberry

from api.cases.mutations.endings import EndingMutations
from api.cases.mutations.lifecycle import LifecycleMutations
from api.cases.mutations.records import RecordMutations


@strawberry.type
class CaseMutations(LifecycleMutations, EndingMutations, RecordMutations):
    pass


__all__ = ["CaseMutations"]
