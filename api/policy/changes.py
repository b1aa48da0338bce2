"""A policy change as security officers make it: rules to add and rules to remove.

Rules are edited in the policy text itself, so the stored version stays a readable
`policy.csv` with its comments: removed rules disappear from their place, added ones are
appended under a comment that names the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from api.authz.policy import PolicyText
from api.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Rule:
    """One `p` line: role, agency, object, action, purpose, row condition, effect."""

    role: str
    agency: str
    object: str
    action: str
    purpose: str = "*"
    condition: str = "*"
    effect: str = "allow"

    @property
    def fields(self) -> tuple[str, ...]:
        return (
            self.role,
            self.agency,
            self.object,
            self.action,
            self.purpose,
            self.condition,
            self.effect,
        )

    @property
    def line(self) -> str:
        return ", ".join(("p", *self.fields))

    @classmethod
    def parse(cls, line: str) -> Rule | None:
        """The rule on a policy line, or None for anything else (comments, g and p2 lines)."""
        parts = [part.strip() for part in line.split(",")]
        if len(parts) != 8 or parts[0] != "p":
            return None
        return cls(*parts[1:])


def inheritance_of(text: PolicyText) -> list[tuple[str, str, str]]:
    """(role, inherited role, agency) of every `g` line."""
    found = []
    for line in text.rules.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if len(parts) == 4 and parts[0] == "g":
            found.append((parts[1], parts[2], parts[3]))
    return found


def rules_of(text: PolicyText) -> list[Rule]:
    return [rule for line in text.rules.splitlines() if (rule := Rule.parse(line)) is not None]


def _check_fields(problems: list[tuple[str, str]], where: str, rule: Rule) -> None:
    for name, value in zip(
        ("role", "agency", "object", "action", "purpose", "condition", "effect"),
        rule.fields,
        strict=True,
    ):
        if not value or any(c in value for c in ",\n\r#\"'") or value != value.strip():
            problems.append((f"{where}.{name}", "must be a non-empty value without , # or quotes"))


def apply_change(
    text: PolicyText, add: Iterable[Rule], remove: Iterable[Rule], note: str
) -> PolicyText:
    """The policy with `remove` taken out and `add` appended; BAD_USER_INPUT for a rule to
    remove that is not there, one to add that already is, or an empty change."""
    add, remove = list(add), list(remove)
    problems: list[tuple[str, str]] = []
    for index, rule in enumerate(add):
        _check_fields(problems, f"add[{index}]", rule)
    for index, rule in enumerate(remove):
        _check_fields(problems, f"remove[{index}]", rule)
    if not add and not remove:
        problems.append(("add", "the change adds and removes nothing"))
    existing = set(rules_of(text))
    for index, rule in enumerate(remove):
        if rule not in existing:
            problems.append((f"remove[{index}]", f"no such rule: {rule.line}"))
    for index, rule in enumerate(add):
        if rule in existing and rule not in remove:
            problems.append((f"add[{index}]", f"the policy already has {rule.line}"))
    if len(set(add)) != len(add):
        problems.append(("add", "a rule is listed twice"))
    if problems:
        raise InvalidInput(problems)
    removed = set(remove)
    lines = [line for line in text.rules.splitlines() if Rule.parse(line) not in removed]
    if add:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"# {note}", *(rule.line for rule in add)]
    return PolicyText(model=text.model, rules="\n".join(lines) + "\n")
