"""Break-glass end to end on a real server: open, read, expire, audit, follow (query and
WebSocket subscription); and what it can never do (widen the row scope, open C4 to the police)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from api.settings import Settings
from db.engine import create_engine
from db.models import BreakGlassGrant
from tests.authz.cases import handed_over
from tests.authz.roles import as_role
from tests.cases.factory import create_case
from tests.conftest import BACKENDS
from tests.databases import migrated_database
from tests.events.ws import subscriber
from tests.graphql_client import GraphQLClient, graphql_client
from tests.servers import start_serve, stop, wait_until_up

POLICIES = Path(__file__).parents[2] / "policies"
OPEN = """mutation($input: BreakGlassInput!) { openBreakGlass(input: $input) {
    id caseId subject coordinates reason caseReference openedAt expiresAt active } }"""
READ = "query($id: ID!) { case(id: $id) { id decision { asylumGrounds groundsSummary } } }"
GRANTS = """query($filter: BreakGlassFilter) { breakGlassGrants(filter: $filter) {
    grants { id caseId subject coordinates reason caseReference active } } }"""
AUDIT = """query($filter: AuditFilter) { auditEvents(first: 20, filter: $filter) {
    events { kind outcome subject read withheld cases { caseId read withheld breakGlass } } } }"""


@dataclass
class Served:
    base: str
    database_url: str
    mv: GraphQLClient

    def role(self, role: str, subject: str | None = None) -> GraphQLClient:
        user = as_role(self.mv, role, "polisen-none")
        if subject is None:
            return user
        # The same role under another name: grants are personal.
        return replace(
            user, token=self.mv.as_user(role, purposes=("CASE_HANDLING",), subject=subject).token
        )


@pytest.fixture(scope="module", params=BACKENDS)
async def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[Served]:
    directory = tmp_path_factory.mktemp("break-glass")
    async with migrated_database(request.param, directory) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "RETURNCASES_DEV_KEY_DIR": str(dev_key_dir),
            "RETURNCASES_RATE_LIMIT_PER_MINUTE": "1000000",
            "RETURNCASES_POLICY_DIR": str(POLICIES),
            "RETURNCASES_BREAK_GLASS_MINUTES": "30",
        }
        base, server = start_serve(env)
        try:
            wait_until_up(base, server, "/readyz")
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                settings = Settings(database_url=url, dev_key_dir=dev_key_dir)
                mv = GraphQLClient(http, None, settings).as_user(  # type: ignore[arg-type]
                    "case_officer", "return_officer"
                )
                yield Served(base, url, mv)
        finally:
            stop(server)


def _input(case_id: str, **overrides: object) -> dict[str, object]:
    return {
        "caseId": case_id,
        "coordinates": ["Decision.asylumGrounds"],
        "reason": "Risk of persecution must be weighed before a charter",
        "caseReference": "VERK-2026-17",
        **overrides,
    }


async def test_break_glass_opens_one_case_for_a_while_marked_in_the_audit(served: Served):
    granted, other = await create_case(served.mv), await create_case(served.mv)
    officer = served.role("return_officer")
    before = await officer(READ, id=granted["id"])
    assert before.data["case"]["decision"]["asylumGrounds"] is None
    assert before.withheld == ["Decision.asylumGrounds"]

    grant = (await officer(OPEN, input=_input(granted["id"]))).ok()["openBreakGlass"]
    assert grant["active"] is True
    assert grant["coordinates"] == ["Decision.asylumGrounds"]
    opened = datetime.fromisoformat(grant["openedAt"])
    assert datetime.fromisoformat(grant["expiresAt"]) - opened == timedelta(minutes=30)

    shown = (await officer(READ, id=granted["id"])).ok()["case"]["decision"]
    assert shown["asylumGrounds"] == "Synthetic narrative."
    # Only that case: the next one stays withheld, and someone else with the same role too.
    assert (await officer(READ, id=other["id"])).withheld == ["Decision.asylumGrounds"]
    colleague = served.role("return_officer", subject="colleague")
    assert (await colleague(READ, id=granted["id"])).withheld == ["Decision.asylumGrounds"]

    auditor = served.role("auditor")
    events = (await auditor(AUDIT, filter={"subject": "mv-return_officer"})).ok()
    events = events["auditEvents"]["events"]
    opening = next(e for e in events if e["kind"] == "break_glass")
    assert opening["cases"] == [
        {
            "caseId": granted["id"],
            "read": [],
            "withheld": [],
            "breakGlass": ["Decision.asylumGrounds"],
        }
    ]
    read_under = next(e for e in events if e["outcome"] == "break_glass" and e["kind"] == "graphql")
    assert read_under["cases"][0]["caseId"] == granted["id"]
    assert read_under["cases"][0]["breakGlass"] == ["Decision.asylumGrounds"]
    assert "Decision.asylumGrounds" in read_under["cases"][0]["read"]
    kinds = (await auditor(AUDIT, filter={"kind": "break_glass"})).ok()["auditEvents"]["events"]
    assert [e["kind"] for e in kinds]
    assert {e["kind"] for e in kinds} == {"break_glass"}

    # Expiry: the grant's end moved into the past (the clock is not waited for).
    engine = create_engine(served.database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(BreakGlassGrant.__table__)
                .where(BreakGlassGrant.__table__.c.id == grant["id"])
                .values(expires_at=opened - timedelta(seconds=1))
            )
    finally:
        await engine.dispose()
    after = await officer(READ, id=granted["id"])
    assert after.data["case"]["decision"]["asylumGrounds"] is None
    assert after.withheld == ["Decision.asylumGrounds"]
    past = (await auditor(GRANTS, filter={"caseId": granted["id"]})).ok()
    assert [g["active"] for g in past["breakGlassGrants"]["grants"]] == [False]


async def test_security_officers_and_auditors_follow_openings_live(served: Served):
    case = await create_case(served.mv)
    officer = served.role("return_officer")
    # Each follower starts after the newest grant (not at whatever the head is when the server
    # gets to the subscription, which races the next opening on a loaded machine).
    newest = (await officer(OPEN, input=_input(case["id"], caseReference="before"))).ok()
    for role in ("auditor", "security_officer"):
        follower = served.role(role)
        async with subscriber(served.base, follower.token or "") as socket:
            operation = await socket.subscribe(
                "subscription($after: ID) { breakGlassOpened(after: $after) "
                "{ id caseId subject coordinates reason caseReference active } }",
                after=newest["openBreakGlass"]["id"],
            )
            newest = (await officer(OPEN, input=_input(case["id"], caseReference=role))).ok()
            message = await socket.receive()
            assert message["id"] == operation
            assert message["type"] == "next", message
            delivered = message["payload"]["data"]["breakGlassOpened"]
            assert delivered["caseReference"] == role  # nothing older is replayed
            assert delivered["caseId"] == case["id"]
            assert delivered["coordinates"] == ["Decision.asylumGrounds"]
            assert delivered["active"] is True
        listed = (await follower(GRANTS, filter={"caseId": case["id"], "active": True})).ok()
        assert role in {g["caseReference"] for g in listed["breakGlassGrants"]["grants"]}


@pytest.mark.parametrize(
    ("role", "overrides", "code"),
    [
        ("return_officer", {"reason": "  "}, "BAD_USER_INPUT"),
        ("return_officer", {"caseReference": ""}, "BAD_USER_INPUT"),
        ("return_officer", {"minutes": 31}, "BAD_USER_INPUT"),
        ("return_officer", {"coordinates": ["Decision.nothing"]}, "BAD_USER_INPUT"),
        ("return_officer", {"coordinates": []}, "BAD_USER_INPUT"),
        # Readable anyway, or not openable: nothing to break glass for.
        ("return_officer", {"coordinates": ["Decision.groundsSummary"]}, "FORBIDDEN"),
        ("return_officer", {"coordinates": ["RiskAssessment.basis"]}, "FORBIDDEN"),
        ("case_officer", {}, "FORBIDDEN"),
        ("border_police_officer", {}, "FORBIDDEN"),
        ("auditor", {}, "FORBIDDEN"),
        ("security_officer", {}, "FORBIDDEN"),
        ("police_analyst", {}, "FORBIDDEN"),
    ],
)
async def test_break_glass_refuses_what_it_may_not_open(served: Served, role, overrides, code):
    case = await create_case(served.mv)
    response = await served.role(role)(OPEN, input=_input(case["id"], **overrides))
    assert response.codes == [code], response.errors
    assert response.data is None


async def test_break_glass_on_a_case_outside_scope_is_not_found_like_a_missing_one(
    served: Served,
):
    officer = served.role("return_officer")
    missing = await officer(OPEN, input=_input(str(uuid.uuid4())))
    assert missing.codes == ["NOT_FOUND"]


# A policy in which the police may break glass, to prove the rails hold whatever it says.
LOOSE = """
p, border_police_officer, polisen, Mutation.openBreakGlass, call, *, *, allow
p, border_police_officer, polisen, Decision.asylumGrounds, breakglass, *, *, allow
p, border_police_officer, polisen, HealthAssessment.diagnoses, breakglass, *, *, allow
"""


@pytest.fixture(scope="module", params=BACKENDS)
async def loose(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dev_key_dir: Path
) -> AsyncIterator[GraphQLClient]:
    directory = tmp_path_factory.mktemp("loose-policy")
    rules = (POLICIES / "policy.csv").read_text(encoding="utf-8")
    rules = "\n".join(
        line for line in rules.splitlines() if "breakglass, *, *, deny" not in line
    )  # the explicit police denies go, so only the code's rail is left
    (directory / "policy.csv").write_text(rules + LOOSE, encoding="utf-8")
    for name in ("model.conf", "sensitivity.csv"):  # without classes, everything counts as C4
        (directory / name).write_text((POLICIES / name).read_text(), encoding="utf-8")
    async with migrated_database(request.param, directory) as url:
        settings = Settings(
            database_url=url,
            dev_key_dir=dev_key_dir,
            policy_dir=directory,
            rate_limit_per_minute=1_000_000,
        )
        async with graphql_client(settings) as graphql:
            yield graphql.as_user("case_officer", "return_officer")


async def test_police_never_break_glass_into_c4_even_if_the_policy_allowed_it(loose):
    unit = f"polisen-bg-{uuid.uuid4().hex[:8]}"
    case = await handed_over(loose, unit)
    police = loose.police(unit)
    response = await police(OPEN, input=_input(case["id"]))
    assert response.codes == ["FORBIDDEN"]
    assert response.errors[0]["extensions"]["coordinates"] == ["Decision.asylumGrounds"]


async def test_break_glass_cannot_widen_the_row_scope(loose):
    unit = f"polisen-bg-{uuid.uuid4().hex[:8]}"
    mine = await handed_over(loose, unit)
    theirs = await handed_over(loose, f"polisen-bg-{uuid.uuid4().hex[:8]}")
    police = loose.police(unit)
    diagnoses = _input(theirs["id"], coordinates=["HealthAssessment.diagnoses"])
    assert (await police(OPEN, input=diagnoses)).codes == ["NOT_FOUND"]
    # In scope it opens, and reads the diagnoses of that case only.
    diagnoses["caseId"] = mine["id"]
    (await police(OPEN, input=diagnoses)).ok()
    read = "query($id: ID!) { case(id: $id) { health { diagnoses } } }"
    shown = (await police(read, id=mine["id"])).ok()["case"]["health"]
    assert shown == {"diagnoses": "Synthetic diagnosis"}
    assert (await police(read, id=theirs["id"])).codes == ["NOT_FOUND"]


async def test_a_grant_counts_only_under_a_purpose_that_allows_break_glass(served: Served):
    case = await create_case(served.mv)
    officer = served.mv.as_user(
        "return_officer", purposes=("CASE_HANDLING", "ENFORCEMENT"), subject="two-purposes"
    )
    (await officer(OPEN, input=_input(case["id"]))).ok()
    assert (await officer(READ, id=case["id"])).withheld == []
    enforcing = replace(officer, headers={"X-Purpose": "ENFORCEMENT"})
    assert (await enforcing(READ, id=case["id"])).withheld == ["Decision.asylumGrounds"]
