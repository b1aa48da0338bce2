"""(d) Naive per-resolver authorization: one Casbin `enforce()` per resolved field, as pycasbin's
graphql-authz middleware does, over the repository's own model and policy files.

It runs on the bare strawberry schema of (b) with the rows already in memory, so what it adds is
the per-field enforcement alone; fields of the connection wrappers (edges, node, pageInfo) are
let through unchecked, which only flatters it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import casbin
from strawberry.extensions import SchemaExtension

from api.cases.graph import all_nodes
from bench.client import User

CASE_TYPES = frozenset(node.type_name for node in all_nodes())


class Counter:
    calls = 0


def enforcer_for(user: User, policy_dir: Path = Path("policies")) -> casbin.Enforcer:
    enforcer = casbin.Enforcer(str(policy_dir / "model.conf"), str(policy_dir / "policy.csv"))
    enforcer.add_role_for_user_in_domain(user.subject, user.role, user.agency.value)
    return enforcer


def per_field_enforcement(enforcer: casbin.Enforcer, user: User) -> Callable[[], SchemaExtension]:
    """A strawberry extension factory: enforce before every case field resolves; null if denied."""
    subject, agency, purpose = user.subject, user.agency.value, user.purpose

    class PerFieldCasbin(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            parent = info.parent_type.name
            if parent in CASE_TYPES:
                Counter.calls += 1
                coordinate = f"{parent}.{info.field_name}"
                if not enforcer.enforce(subject, agency, coordinate, "read", purpose, "*"):
                    return None
            return _next(root, info, *args, **kwargs)

    return PerFieldCasbin
