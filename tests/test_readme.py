"""README.md's promises, checked: every GraphQL example runs as written against the demo data as
the role its marker names (`<!-- runs as: ... -->`, see tests/readme.py), with exactly the errors
the README says it gets; every version the prose quotes is the one the demo data has; every
error code the service can answer is in the table of error codes; every relative link resolves
in a clone."""

from __future__ import annotations

import ast
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from api.cases.handover import CHECKLIST
from api.cli import DEMO_USERS
from tests.authz.cases import ENFORCE, handed_over
from tests.cases.factory import create_case
from tests.cases.mutation_helpers import BLOCKING_STAY, call, mutation_doc
from tests.demo import demo_server, demo_user
from tests.events.ws import subscriber
from tests.graphql_client import GraphQLClient
from tests.readme import README, Example, examples

REPO = Path(__file__).parents[1]
UNIT = "polisen-region-stockholm"  # the demo border police officer's unit
ROLES = {user[2] for user in DEMO_USERS}
FILE = mutation_doc("fileImpediment", "version enforcementBlocked")
ANY_CASE = "{ cases(first: 1) { edges { node { id } } } }"


@pytest.fixture
async def demo(tmp_path: Path, dev_key_dir: Path) -> AsyncIterator[GraphQLClient]:
    async with demo_server(tmp_path, dev_key_dir, cases=2000) as anonymous:
        yield anonymous


def test_every_graphql_example_names_a_demo_role():
    found = examples()
    assert len(found) >= 8
    for block in found:
        assert block.role in ROLES, f"README.md line {block.line}: no `<!-- runs as: role -->`"


def _expected_errors(block: Example) -> list[dict[str, str]]:
    expected = []
    for item in filter(None, (block.errors or "").split(",")):
        code, _, coordinate = item.strip().partition(" ")
        expected.append({"code": code, **({"coordinate": coordinate} if coordinate else {})})
    return expected


def _quoted_versions(block: Example) -> list[int]:
    return [int(v) for v in re.findall(r'"version": (\d+)', block.prose)]


class Walkthrough:
    """Runs the examples in README order, carrying what one hands to the next (the candidate
    case and its version), as a reader following along would."""

    def __init__(self, anonymous: GraphQLClient) -> None:
        self.anonymous = anonymous
        self.candidate: dict[str, Any] | None = None
        self.failures: list[str] = []
        self.ran: list[str] = []

    async def variables(self, block: Example, client: GraphQLClient) -> dict[str, Any]:
        if block.variables == "a case":
            edges = (await client(ANY_CASE)).ok()["cases"]["edges"]
            return {"id": edges[0]["node"]["id"]}
        if block.variables == "first candidate":
            assert self.candidate is not None, "HandoverCandidates must come first"
            return dict(self.candidate)
        assert block.variables is None, block.variables
        return {}

    async def run(self, block: Example) -> None:
        client = demo_user(self.anonymous, block.role or "", block.subject)
        for operation in block.operations:
            self.ran.append(operation.split("{")[0].split("(")[0].strip() or "{")
            if operation.startswith("subscription"):
                await self.subscribe(block, client, operation)
                continue
            variables = await self.variables(block, client)
            quoted = _quoted_versions(block)
            if quoted and quoted != [variables.get("version")]:
                self.failures.append(f"line {block.line}: README says {quoted}, is {variables}")
            answer = await client(operation, **variables)
            errors = [error.get("extensions", {}) for error in answer.errors]
            if errors != _expected_errors(block):
                self.failures.append(f"line {block.line}: {operation[:40]!r} -> {answer.errors}")
                continue
            self.carry(operation, answer.data)

    def carry(self, operation: str, data: dict[str, Any]) -> None:
        if operation.startswith("query HandoverCandidates"):
            node = data["cases"]["edges"][0]["node"]
            self.candidate = {"id": node["id"], "version": node["version"]}
        elif operation.startswith("mutation") and self.candidate is not None:
            changed = next(iter(data.values()))
            if isinstance(changed, dict) and changed.get("id") == self.candidate["id"]:
                self.candidate["version"] = changed["version"]

    async def subscribe(self, block: Example, client: GraphQLClient, operation: str) -> None:
        """Run a subscription over the WebSocket until it delivers an event. Without `after` it
        starts with the next event, so each attempt commits a new matching one: however long the
        subscription takes to start, one of them arrives."""
        mv = demo_user(self.anonymous, "case_officer")
        officer = mv.as_user("case_officer", "return_officer")
        base = str(self.anonymous.http.base_url)
        async with subscriber(base, client.token or "") as socket:
            await socket.subscribe(operation)
            for _ in range(20):
                case = await handed_over(officer, UNIT)
                if "caseEvents" in operation:
                    await call(officer, FILE, id=case["id"], v=case["version"], input=BLOCKING_STAY)
                try:
                    message = await socket.receive(seconds=2)
                except TimeoutError:
                    continue
                if message["type"] != "next" or "errors" in message["payload"]:
                    self.failures.append(f"line {block.line}: {operation[:40]!r} -> {message}")
                return
        self.failures.append(f"line {block.line}: {operation[:40]!r} delivered nothing")


async def test_every_graphql_example_in_the_readme_runs_as_written_as_its_role(demo):
    walkthrough = Walkthrough(demo)
    for block in examples():
        await walkthrough.run(block)
    assert walkthrough.failures == []
    assert len(walkthrough.ran) == sum(len(block.operations) for block in examples())
    assert walkthrough.candidate is not None


def test_the_checklist_table_says_how_to_complete_every_item_a_handover_can_lack():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| missing item |") :].split("\n\n")[0]
    items = re.findall(r"^\| `(\w+)` \| ", table, re.M)
    assert sorted(items) == sorted(CHECKLIST)


async def test_an_incomplete_checklist_answers_the_items_the_table_names(demo):
    officer = demo.as_user("case_officer", "return_officer")
    (hand_over,) = [b for b in examples() if "mutation HandOver" in b.document]
    case = await create_case(officer)  # no health or risk assessment yet
    enforced = (await officer(ENFORCE, id=case["id"], v=case["version"])).ok()
    version = enforced["startEnforcement"]["version"]
    answer = await officer(hand_over.document, id=case["id"], version=version)
    (error,) = answer.errors
    assert error["extensions"]["code"] == "INVALID_TRANSITION"
    assert set(error["extensions"]["missing"]) <= set(CHECKLIST)
    assert {"fitToTravel", "riskAssessment"} <= set(error["extensions"]["missing"])


# Upper-case string constants in api/ that are not error codes: schema enum values and the
# purposes are taken from their sources; these are the rest, each with what it is.
NOT_CODES = {
    "ALLOW", "DENY",  # policy effects in `policy explain`
    "BENCHMARK",  # the benchmark plan's purpose
    "GET", "POST",  # HTTP methods
    "DEBUG", "INFO",  # log levels
    "SWE",  # the default country of an address
    "LAPSE_RULE_CHANGE_DATE",  # a constant's name in a legal-rule citation
    "PYTHONUNBUFFERED", "DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR",  # environment variables
    "JSON",  # the scalar whose values count as structured input
    "OPEN",  # the statistics outcome of a case still open
}  # fmt: skip


def _source_codes() -> set[str]:
    import pycountry
    from graphql import GraphQLEnumType, build_schema

    from api.cases.countries import KOSOVO, STATELESS
    from api.identity.principal import Purpose

    schema = build_schema((REPO / "schema.graphql").read_text(encoding="utf-8"))
    enum_values = {
        value
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLEnumType)
        for value in graphql_type.values
    }
    constants = set()
    for path in (REPO / "api").rglob("*.py"):
        if path.is_relative_to(REPO / "api" / "seed"):
            continue  # demo data (e.g. Eurodac results), never an answer of the service
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and re.fullmatch(r"[A-Z][A-Z_]{2,}", value):
                constants.add(value)
    settings = {c for c in constants if c.startswith("RETURNCASES_")}
    # Country codes (Dublin states, destinations) are data, never an error code.
    countries = {country.alpha_3 for country in pycountry.countries} | {KOSOVO, STATELESS}
    return constants - enum_values - set(Purpose.ALL) - NOT_CODES - settings - countries


def _table_codes() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Errors\n") : text.index("\n## ", text.index("## Errors\n") + 1)]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {code for row in rows for code in re.findall(r"`([A-Z_]+)`", row)}


def test_the_error_table_lists_every_code_the_service_can_answer_and_no_other():
    source, table = _source_codes(), _table_codes()
    assert source - table == set(), "codes missing from README.md's table of error codes"
    assert table - source == set(), "README.md lists codes the service never answers"
    assert {"METHOD_NOT_ALLOWED", "UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST"} <= table


def test_every_relative_link_in_the_readme_resolves_in_a_clone():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    relative = [link for link in links if "://" not in link]
    assert "docs/DOMAIN.md" in relative
    for link in relative:
        assert (REPO / link).resolve().is_relative_to(REPO), link
        assert (REPO / link).exists(), link
    assert "../shared" not in text


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout")
def test_keys_checkpoints_and_identity_provider_files_are_git_ignored():
    import subprocess

    paths = [
        "audit-key.pem",
        "audit-key.pub.pem",
        "checkpoints.jsonl",
        "deploy/issuers/polisen.jwks.json",
        "deploy/issuers/polisen-signing.pem",
    ]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],  # noqa: S607 - git from PATH, fixed args
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(ignored.stdout.split()) == sorted(paths)
