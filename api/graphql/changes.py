"""Schema changes since the last release, and whether the changelog declares them.

Integrators build against `schema.graphql`; a change that can break a working client (a field,
argument or enum value removed, a type changed, a required argument added) must never arrive
by surprise. The check compares the current SDL with the last released one
(`schema/released.graphql`, copied at each release) using graphql-core's
`find_breaking_changes` and `find_dangerous_changes`:

- every breaking change must be declared under `### Breaking` in the `## Unreleased` section of
  CHANGELOG.md, naming its schema coordinate in backticks (e.g. `` `ReturnCase.caseNumber` ``);
- a field, argument, input field or enum value may only be removed after a deprecation
  period: it must already carry `@deprecated` in the released schema;
- dangerous changes (an enum value or optional argument added, a default changed) are reported,
  not refused: clients with exhaustive enum handling should hear of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import (
    BreakingChange,
    BreakingChangeType,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

_DOTTED = re.compile(r"@?[_A-Za-z]\w*\.[_A-Za-z]\w*(?:\([_A-Za-z]\w*:\))?")
_DIRECTIVE = re.compile(r"@[_A-Za-z]\w*(?:\([_A-Za-z]\w*:\))?")
_REMOVALS = {
    BreakingChangeType.FIELD_REMOVED,
    BreakingChangeType.ARG_REMOVED,
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM,
}


@dataclass(frozen=True, slots=True)
class Report:
    breaking: list[str]  # every breaking change, "coordinate: description"
    refused: list[str]  # the ones that make the check fail, with the reason
    dangerous: list[str]

    @property
    def ok(self) -> bool:
        return not self.refused


def coordinate(change: BreakingChange) -> str:
    """The schema coordinate a change is about, as the changelog must name it."""
    description = change.description
    if change.type is BreakingChangeType.TYPE_REMOVED_FROM_UNION:
        return description.rstrip(".").split()[-1]  # "X was removed from union type U."
    for pattern in (_DOTTED, _DIRECTIVE):
        found = pattern.search(description)
        if found:
            return found.group(0)
    return description.split()[0].rstrip(".")  # "T was removed.", "T changed from …"


def _was_deprecated(released: GraphQLSchema, subject: str) -> bool:
    """Whether the removed field, argument or enum value carried @deprecated in the release."""
    match = re.fullmatch(r"(\w+)\.(\w+)(?:\((\w+):\))?", subject)
    if match is None:
        return False
    type_name, member, argument = match.groups()
    owner = released.get_type(type_name)
    if isinstance(owner, GraphQLEnumType):
        value = owner.values.get(member)
        return value is not None and value.deprecation_reason is not None
    if not isinstance(owner, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        return False
    field = owner.fields.get(member)
    if field is None:
        return False
    if argument is None:
        return field.deprecation_reason is not None
    arg = getattr(field, "args", {}).get(argument)
    return arg is not None and arg.deprecation_reason is not None


def declared_breaking(changelog: str) -> set[str]:
    """The coordinates in backticks under `### Breaking` of the `## Unreleased` section."""
    declared: set[str] = set()
    section = subsection = None
    for line in changelog.splitlines():
        if line.startswith("## "):
            section, subsection = line[3:].strip().lower(), None
        elif line.startswith("### "):
            subsection = line[4:].strip().lower()
        elif section == "unreleased" and subsection == "breaking":
            declared.update(re.findall(r"`([^`]+)`", line))
    return declared


def check(released_sdl: str, current_sdl: str, changelog: str) -> Report:
    released = build_schema(released_sdl)
    current = build_schema(current_sdl)
    declared = declared_breaking(changelog)
    breaking, refused = [], []
    for change in find_breaking_changes(released, current):
        if change.description.startswith("Standard scalar"):
            continue  # no longer mentioned in the SDL, but every server still has it
        subject = coordinate(change)
        line = f"{subject}: {change.description}"
        breaking.append(line)
        if change.type in _REMOVALS and not _was_deprecated(released, subject):
            refused.append(f"{line} (not @deprecated in the released schema: deprecate first)")
        elif subject not in declared:
            refused.append(
                f"{line} (not declared: add `{subject}` under '### Breaking' in the "
                "'## Unreleased' section of CHANGELOG.md)"
            )
    dangerous = [change.description for change in find_dangerous_changes(released, current)]
    return Report(breaking=breaking, refused=refused, dangerous=dangerous)
