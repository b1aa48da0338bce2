"""The role × coordinate matrix of a policy version, as the administration page shows it."""

from __future__ import annotations

from api.authz.authorizer import Authorizer
from api.authz.coordinates import field_coordinates, mutation_coordinates
from api.authz.explain import PURPOSE_OF, ROLE_AGENCIES
from api.authz.plan import AccessPlan
from api.authz.policy import Policy
from api.authz.sensitivity import SensitivityClasses
from api.policy.types import MatrixAction, MatrixColumn, MatrixRow, PolicyMatrix
from api.settings import Settings


def _cell(plan: AccessPlan, action: MatrixAction, coordinate: str) -> str:
    if action is MatrixAction.READ:
        if coordinate not in plan.readable:
            return "deny"
        narrowing = plan.read_narrowing(coordinate)
        return narrowing[:1].lower() + narrowing[1:] if narrowing else "allow"
    granted = {
        MatrixAction.WRITE: plan.writable,
        MatrixAction.FILTER: plan.filterable,
        MatrixAction.CALL: plan.callable,
    }[action]
    return "allow" if coordinate in granted else "deny"


def _sort_key(coordinate: str) -> tuple[str, bool, str]:
    type_name, _, field = coordinate.partition(".")
    return (type_name, field != "id", field)  # each type's id first


def matrix(
    authorizer: Authorizer,
    policy: Policy,
    version: int,
    action: MatrixAction,
    settings: Settings,
) -> PolicyMatrix:
    classes = SensitivityClasses.load(settings.policy_dir)
    columns = [
        MatrixColumn(agency=agency, role=role, purpose=PURPOSE_OF.get(role, "CASE_HANDLING"))
        for agency, role in ROLE_AGENCIES
    ]
    plans = [
        authorizer.plan(policy, column.agency, frozenset({column.role}), column.purpose)
        for column in columns
    ]
    universe = mutation_coordinates() if action is MatrixAction.CALL else field_coordinates()
    rows = [
        MatrixRow(
            coordinate=coordinate,
            type_name=coordinate.partition(".")[0],
            sensitivity=classes.of(coordinate),
            cells=[_cell(plan, action, coordinate) for plan in plans],
        )
        for coordinate in sorted(universe, key=_sort_key)
    ]
    return PolicyMatrix(version=version, action=action, columns=columns, rows=rows)
