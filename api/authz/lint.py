"""Policy lint: rules that cannot do what their author meant are findings, not surprises.

Checks (DESIGN.md invariant 2): only trailing wildcards (`Type.*`); every pattern matches a
schema coordinate, mutation or scope; actions fit their objects; only known roles, agencies,
purposes and row attributes; a role that reads a type decides every field of it; a role that
reads a type can read its id; every field declared free text is gated on protected identity
(a p2 line), since prose carries what the columns withhold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casbin.util import key_match

from api.authz.aggregation import identifying_matches
from api.authz.catalogue import Catalogue, installed
from api.authz.policy import Policy
from api.authz.scopes import SCOPES
from api.identity.principal import ROLES, Purpose
from db.enums import Agency

_OBJECT = re.compile(r"^[A-Z][A-Za-z]*\.(\*|[A-Za-z_][A-Za-z0-9_]*)$")
ACTIONS = {
    "read": "field",
    "write": "field",
    "filter": "field",
    "call": "call",
    "see": "Scope",
    "breakglass": "field",
    "aggregate": "aggregate",
}
DOMAINS = {agency.value for agency in Agency} | {"*"}
ATTRIBUTES = {"protectedIdentity", "otherDecision", "caseClosed"}
# Row attributes whose rows exist only on some types (the loader has SQL for those only).
ATTRIBUTE_TYPES = {"otherDecision": "FamilyMember"}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    problem: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.problem}"


def _objects(kind: str, catalogue: Catalogue) -> frozenset[str]:
    if kind == "call":
        return catalogue.calls
    scopes = frozenset(f"Scope.{name}" for name in SCOPES)
    if kind == "Scope":
        return scopes
    if kind == "aggregate":  # coordinates to group by, and the scopes aggregates cover
        return catalogue.fields | scopes
    return catalogue.fields


def lint(policy: Policy, catalogue: Catalogue | None = None) -> list[Finding]:
    """The findings on `policy` against the coordinates of `catalogue` (the installed one by
    default): lint needs the coordinates it decides, not the server that has them."""
    catalogue = catalogue or installed()
    findings: list[Finding] = []
    enforcer = policy.enforcer
    inherited = {rule[0] for rule in enforcer.get_grouping_policy()}
    known_roles = ROLES | inherited
    for rule in enforcer.get_policy():
        text = ", ".join(["p", *rule])
        if len(rule) != 7:
            findings.append(
                Finding(
                    text,
                    "a rule has 7 fields: role, agency, object, action, purpose, condition, effect",
                )
            )
            continue
        role, domain, obj, action, purpose, condition, effect = rule
        if role not in known_roles:
            findings.append(Finding(text, f"unknown role {role!r}"))
        if domain not in DOMAINS:
            findings.append(Finding(text, f"unknown agency {domain!r}"))
        if purpose != "*" and purpose not in Purpose.ALL:
            findings.append(Finding(text, f"unknown purpose {purpose!r}"))
        if condition != "*" and condition not in ATTRIBUTES:
            findings.append(Finding(text, f"unknown row condition {condition!r}"))
        if effect not in ("allow", "deny"):
            findings.append(Finding(text, f"effect must be allow or deny, not {effect!r}"))
        if action not in ACTIONS:
            findings.append(Finding(text, f"unknown action {action!r}"))
            continue
        if not _OBJECT.match(obj):
            findings.append(
                Finding(
                    text,
                    "objects are Type.field or Type.* (a `*` anywhere else would "
                    "match more than it says)",
                )
            )
            continue
        if not any(key_match(candidate, obj) for candidate in _objects(ACTIONS[action], catalogue)):
            findings.append(
                Finding(text, f"{obj} matches no {ACTIONS[action]} coordinate for action {action}")
            )
        identifying = identifying_matches(obj, catalogue.fields)
        if action == "aggregate" and effect == "allow" and identifying:
            findings.append(
                Finding(
                    text, f"identifying coordinates are never aggregated: {', '.join(identifying)}"
                )
            )
    for pattern, attribute in enforcer.get_named_policy("p2"):
        text = f"p2, {pattern}, {attribute}"
        if attribute not in ATTRIBUTES:
            findings.append(Finding(text, f"unknown row attribute {attribute!r}"))
        if not any(key_match(c, pattern) for c in catalogue.fields):
            findings.append(Finding(text, f"{pattern} matches no coordinate"))
        owner = ATTRIBUTE_TYPES.get(attribute)
        if owner is not None and not pattern.startswith(f"{owner}."):
            findings.append(Finding(text, f"{attribute} applies to {owner} rows only"))
    for role, domain, size in policy.cell_sizes:
        text = f"p3, {role}, {domain}, {size}"
        if role not in known_roles:
            findings.append(Finding(text, f"unknown role {role!r}"))
        if domain not in DOMAINS:
            findings.append(Finding(text, f"unknown agency {domain!r}"))
        if not size.isdigit() or int(size) < 2:
            findings.append(Finding(text, "a statistics cell size is a whole number of at least 2"))
    findings.extend(_ungated_free_text(policy, catalogue))
    findings.extend(_gaps(policy, catalogue))
    return findings


def _ungated_free_text(policy: Policy, catalogue: Catalogue) -> list[Finding]:
    """Free text on a protected household is withheld like the address (issue 16)."""
    return [
        Finding(coordinate, "free text must be gated: add `p2, <coordinate>, protectedIdentity`")
        for coordinate in sorted(catalogue.free_text)
        if "protectedIdentity" not in policy.attributes_of(coordinate)
    ]


def _gaps(policy: Policy, catalogue: Catalogue) -> list[Finding]:
    """A role that reads some field of a type must decide all of them, and read the id."""
    findings = []
    by_role: dict[tuple[str, str], list[str]] = {}
    for role, domain, obj, action, _, condition, _effect in (
        r for r in policy.enforcer.get_policy() if len(r) == 7
    ):
        if action == "read" and condition == "*":
            by_role.setdefault((role, domain), []).append(obj)
    for (role, domain), patterns in sorted(by_role.items()):
        allowed = _allowed_reads(policy, role, domain, catalogue.fields)
        for type_name in sorted(catalogue.types):
            fields = sorted(c for c in catalogue.fields if c.startswith(f"{type_name}."))
            if not any(key_match(c, p) for c in fields for p in patterns):
                continue
            undecided = [c for c in fields if not any(key_match(c, p) for p in patterns)]
            for coordinate in undecided:
                findings.append(
                    Finding(f"{role} ({domain})", f"{coordinate} is undecided: allow or deny it")
                )
            if f"{type_name}.id" not in allowed and allowed & set(fields):
                findings.append(
                    Finding(f"{role} ({domain})", f"reads {type_name} but not {type_name}.id")
                )
    return findings


def _allowed_reads(policy: Policy, role: str, domain: str, coordinates: frozenset[str]) -> set[str]:
    rules = [r for r in policy.enforcer.get_policy() if len(r) == 7]
    allowed = set()
    for coordinate in coordinates:
        matching = [
            r[6]
            for r in rules
            if r[0] == role
            and r[1] == domain
            and r[3] == "read"
            and r[5] == "*"
            and key_match(coordinate, r[2])
        ]
        if "allow" in matching and "deny" not in matching:
            allowed.add(coordinate)
    return allowed
