"""`explainQuery` and `returncases policy explain-query` say, without running a document, what
running it as that principal does: for every demo role the withheld coordinates and refusals
are those of the real request, each decision names Casbin's deciding rule, and the row scope
is the SQL the request filters by."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.cli import DEMO_USERS, app
from tests.authz.cases import handed_over
from tests.cases.test_viewer_permissions import ROOT, demo, selection

EXPLAIN = """query($q: String!, $p: ExplainPrincipalInput!, $v: JSON) {
  explainQuery(query: $q, principal: $p, variables: $v) {
    policyVersion operationType withheld refused rowScopes rowScopeSql cost depth limitErrors
    coordinates { coordinate action decision decidingRule note }
  }
}"""
CASE = f"query($id: ID!) {{ case(id: $id) {{ {selection(ROOT)} }} }}"
WORKLIST = """query($f: CaseFilter) { cases(first: 20, filter: $f, orderBy: {field: FINAL_DATE})
  { totalCount edges { node { id decision { type asylumGrounds } } } } }"""
CORRECT = """mutation($id: ID!) { correctDecision(caseId: $id, version: 1, reason: "x",
  input: {finalDate: "2026-01-01"}) { id } }"""


def principal_of(user: tuple) -> dict:
    _, agency, role, unit, purpose = user
    return {"agency": agency, "roles": [role], "purpose": purpose, "unit": unit}


@pytest.fixture(scope="module")
async def case(client):
    return await handed_over(client, "polisen-region-stockholm")


@pytest.fixture(scope="module")
def security(anonymous):
    return anonymous.as_user("security_officer", purposes=["POLICY_ADMIN"], unit=None,
                             subject="maria.sakerhet")  # fmt: skip


@pytest.mark.parametrize("user", DEMO_USERS, ids=[user[2] for user in DEMO_USERS])
async def test_the_explanation_of_a_case_query_is_what_the_request_gets(
    anonymous, security, case, user
):
    explained = (await security(EXPLAIN, q=CASE, p=principal_of(user), v={"id": case["id"]})).ok()[
        "explainQuery"
    ]
    answer = await demo(anonymous, user)(CASE, id=case["id"])
    assert explained["withheld"] == sorted(set(answer.withheld))
    assert explained["policyVersion"] == anonymous.app.state.authorizer.policy.version
    for decision in explained["coordinates"]:
        if decision["decision"] == "deny" and decision["note"] is None:
            # Casbin's own verdict agrees: a deny rule, or none (deny by default).
            rule = decision["decidingRule"]
            assert rule is None or rule.endswith(", deny"), decision
        if decision["decision"] == "allow":
            assert decision["decidingRule"].endswith(", allow"), decision
    assert explained["refused"] == []


async def test_filters_orderings_and_calls_that_would_be_refused_are_named(security):
    border = principal_of(DEMO_USERS[2])
    explained = (
        await security(EXPLAIN, q=WORKLIST, p=border, v={"f": {"states": ["HANDED_OVER"]}})
    ).ok()["explainQuery"]
    filters = {d["coordinate"]: d["decision"] for d in explained["coordinates"]
               if d["action"] == "filter"}  # fmt: skip
    assert filters == {"ReturnCase.state": "allow", "Decision.finalDate": "allow"}
    assert explained["withheld"] == ["Decision.asylumGrounds"]
    assert explained["rowScopes"] == ["handedOverToOwnUnit"]
    assert "owning_unit = 'polisen-region-stockholm'" in explained["rowScopeSql"]
    assert explained["cost"] > 20

    refused = (await security(EXPLAIN, q=CORRECT, p=border, v={"id": "x"})).ok()["explainQuery"]
    assert refused["refused"] == ["Mutation.correctDecision"]
    [call] = [d for d in refused["coordinates"] if d["action"] == "call"]
    assert call["decidingRule"] is None  # no rule grants it: deny by default

    analyst = principal_of(DEMO_USERS[3])
    nothing = (await security(EXPLAIN, q=WORKLIST, p=analyst)).ok()["explainQuery"]
    assert nothing["rowScopes"] == []
    assert nothing["rowScopeSql"] in ("0", "false")  # no case at all (SQLite, PostgreSQL)


async def test_bad_documents_and_principals_are_bad_input_and_others_may_not_explain(
    security, client
):
    border = principal_of(DEMO_USERS[2])
    assert (await security(EXPLAIN, q="{ nope }", p=border)).codes == ["BAD_USER_INPUT"]
    assert (await security(EXPLAIN, q="{ cases", p=border)).codes == ["BAD_USER_INPUT"]
    wrong = {**border, "roles": ["sheriff"], "purpose": "FUN"}
    refused = await security(EXPLAIN, q=WORKLIST, p=wrong)
    assert refused.codes == ["BAD_USER_INPUT"]
    assert {f["field"] for f in refused.errors[0]["extensions"]["fields"]} == {
        "principal.roles", "principal.purpose"}  # fmt: skip
    assert (await client(EXPLAIN, q=WORKLIST, p=border)).codes == ["FORBIDDEN"]


def test_the_command_line_twin_explains_from_the_policy_files(tmp_path):
    document = tmp_path / "worklist.graphql"
    document.write_text(WORKLIST, encoding="utf-8")
    result = CliRunner().invoke(app, [
        "policy", "explain-query", "--agency", "polisen", "--role", "border_police_officer",
        "--purpose", "ENFORCEMENT", "--unit", "polisen-x", str(document),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    explained = json.loads(result.output)
    assert explained["withheld"] == ["Decision.asylumGrounds"]
    [asylum] = [d for d in explained["decisions"] if d["coordinate"] == "Decision.asylumGrounds"]
    assert asylum["deciding_rule"] == (
        "p, border_police_officer, polisen, Decision.asylumGrounds, read, *, *, deny"
    )
    bad = CliRunner().invoke(app, [
        "policy", "explain-query", "--agency", "polisen", "--role", "sheriff",
        "--purpose", "ENFORCEMENT", str(document),
    ])  # fmt: skip
    assert bad.exit_code == 2


DIRECTIVES = """query($id: ID!, $grounds: Boolean!) { case(id: $id) {
  id decision { type asylumGrounds @include(if: $grounds)
    grounds: asylumGrounds @skip(if: $grounds) } } }"""


@pytest.mark.parametrize("grounds", [True, False])
async def test_directives_on_variables_explain_as_the_request_runs(
    anonymous, security, case, grounds
):
    """`@include`/`@skip` read the coerced variables: the explanation withholds what the request
    withholds, for either value (it read the variables as a mapping, which they are not)."""
    user = DEMO_USERS[2]  # the border police officer: asylum grounds are withheld
    variables = {"id": case["id"], "grounds": grounds}
    explained = (await security(EXPLAIN, q=DIRECTIVES, p=principal_of(user), v=variables)).ok()[
        "explainQuery"
    ]
    answer = await demo(anonymous, user)(DIRECTIVES, **variables)
    assert explained["withheld"] == sorted(set(answer.withheld))
