"""The schema never breaks a client by surprise: a breaking change since the last release
fails unless CHANGELOG.md declares it, and removals need a @deprecated period first."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from api.graphql.changes import check, declared_breaking
from tests.servers import RETURNCASES

ROOT = Path(__file__).resolve().parents[1]

RELEASED = """
type Query {
  case(id: ID!): Case
  cases(first: Int): [Case!]!
}
type Case {
  id: ID!
  caseNumber: String
  oldName: String @deprecated(reason: "Use caseNumber.")
  state: State
}
enum State { OPEN CLOSED LEGACY @deprecated(reason: "Unused.") }
"""


def _changelog(*breaking: str) -> str:
    entries = "\n".join(f"- `{coordinate}` changed" for coordinate in breaking) or "(none)"
    return (
        f"# Changelog\n\n## Unreleased\n\n### Breaking\n\n{entries}\n\n"
        "## 0.1.0\n\n### Breaking\n\n- `Case.state` in an older release\n"
    )


def test_the_current_schema_has_no_undeclared_breaking_change_since_the_release():
    report = check(
        (ROOT / "schema" / "released.graphql").read_text(encoding="utf-8"),
        (ROOT / "schema.graphql").read_text(encoding="utf-8"),
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
    )
    assert report.refused == []


@pytest.mark.parametrize(
    ("current", "coordinate"),
    [
        (RELEASED.replace("caseNumber: String", "caseNumber: Int"), "Case.caseNumber"),
        (RELEASED.replace("cases(first: Int)", "cases(first: Int!)"), "Query.cases(first:)"),
        (RELEASED.replace("case(id: ID!)", "case(id: ID!, unit: String!)"), "Query.case(unit:)"),
        (RELEASED.replace("state: State\n", "state: String\n"), "Case.state"),
        (RELEASED.replace('enum State { OPEN CLOSED LEGACY @deprecated(reason: "Unused.") }',
                          "scalar State"), "State"),
    ],
)  # fmt: skip
def test_a_breaking_change_fails_until_the_changelog_declares_it(current, coordinate):
    undeclared = check(RELEASED, current, _changelog())
    assert [line.split(":")[0] for line in undeclared.refused][:1] == [coordinate.split(":")[0]]
    assert f"add `{coordinate}` under '### Breaking'" in undeclared.refused[0]
    declared = check(
        RELEASED, current, _changelog(*(r.split(": ")[0] for r in undeclared.breaking))
    )
    assert declared.ok, declared.refused


@pytest.mark.parametrize(
    ("current", "coordinate"),
    [
        (RELEASED.replace("  caseNumber: String\n", ""), "Case.caseNumber"),
        (RELEASED.replace("OPEN CLOSED", "OPEN"), "State.CLOSED"),
        (RELEASED.replace("cases(first: Int)", "cases"), "Query.cases(first:)"),
    ],
)
def test_removing_what_was_never_deprecated_fails_even_when_declared(current, coordinate):
    report = check(RELEASED, current, _changelog(coordinate))
    assert report.refused == [
        f"{coordinate}: {report.breaking[0].split(': ', 1)[1]} (not @deprecated in the released "
        "schema: deprecate first)"
    ]


def test_removing_a_deprecated_field_or_value_passes_once_declared():
    current = RELEASED.replace('  oldName: String @deprecated(reason: "Use caseNumber.")\n', "")
    current = current.replace('LEGACY @deprecated(reason: "Unused.")', "")
    assert not check(RELEASED, current, _changelog()).ok
    report = check(RELEASED, current, _changelog("Case.oldName", "State.LEGACY"))
    assert report.ok, report.refused
    assert len(report.breaking) == 2


def test_additions_pass_and_dangerous_ones_are_reported():
    current = RELEASED.replace("OPEN CLOSED", "OPEN CLOSED ARCHIVED").replace(
        "  state: State\n", "  state: State\n  unit: String\n"
    )
    report = check(RELEASED, current, _changelog())
    assert report.ok
    assert report.breaking == []
    assert report.dangerous == ["Enum value State.ARCHIVED was added."]


def test_only_the_unreleased_breaking_section_declares():
    changelog = _changelog("Case.id") + "\n### Breaking\n\n- `Case.caseNumber` in 0.1.0\n"
    assert declared_breaking(changelog) == {"Case.id"}


def test_the_command_fails_with_the_coordinate_to_declare(tmp_path):
    (tmp_path / "released.graphql").write_text(RELEASED)
    (tmp_path / "current.graphql").write_text(
        RELEASED.replace("caseNumber: String", "caseNumber: Int")
    )
    (tmp_path / "CHANGELOG.md").write_text(_changelog())
    done = subprocess.run(
        [RETURNCASES, "schema-check", "--released", str(tmp_path / "released.graphql"),
         "--current", str(tmp_path / "current.graphql"),
         "--changelog", str(tmp_path / "CHANGELOG.md")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1
    assert "refused: Case.caseNumber: Field Case.caseNumber changed type" in done.stderr
