"""Helpers of the mutation and workflow tests: GraphQL documents, calls, cases in known states.

Every case is built through the public API by the `client` fixture (a Migrationsverket case and
return officer of unit mv-stockholm); police steps use `client.police(unit)` with a unit of the
test's own, so tests never see each other's cases. Selections are kept small: every nested
list selected costs the request a statement.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from api.cases.timers import today_in_sweden
from tests.cases.factory import case_input
from tests.graphql_client import GraphQLClient, Response

TODAY = today_in_sweden()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
MV_UNIT = "mv-stockholm"
# closeCase(CLOSED_OTHER) needs a justification in words, and only it takes one
# (api/cases/closing.py).
JUSTIFICATION = "Personen har lämnat landet enligt uppgift från ambassaden"


def closing(resolution: str) -> dict[str, str | None]:
    """closeCase variables for `resolution`: with the justification CLOSED_OTHER needs."""
    return {"resolution": resolution,
            "justification": JUSTIFICATION if resolution == "CLOSED_OTHER" else None}  # fmt: skip


BASIC = "id version state"
CASE = """id version state subState owningAgency owningUnit responsibleUnit handoverReason
    enforcementBlocked"""
EVENTS = "events { type fromState toState reason actorAgency }"
# The police may not read event reasons (free text from Migrationsverket).
POLICE_EVENTS = "events { type fromState toState actorAgency }"
DECISION = """decision { finalDate finalDateVerified voluntaryDepartureDeadline lapseRule
    lapseDate transferDeadline }"""
HANDOVERS = "handovers { fromAgency fromUnit toAgency toUnit reason checklist guidance }"
OUTCOME = "outcome { departureDate departurePlace destination verifiedBy }"

# Each mutation's own parameters and arguments, after `$id: ID!, $v: Int!` / `caseId, version`.
SIGNATURES: dict[str, tuple[str, str]] = {
    "appealDecision": (
        '$reason: String! = "Överklagat till migrationsdomstolen"',
        "reason: $reason",
    ),
    "markDecisionFinal": (
        "$d: Date!, $verified: Boolean! = true",
        "finalDate: $d, finalDateVerified: $verified",
    ),
    "startVoluntaryPeriod": ("", ""),
    "startEnforcement": ('$reason: String! = "Ingen frivillig avresa"', "reason: $reason"),
    "handOverToPolice": (
        "$unit: String!, $hreason: HandoverReason! = ABSCONDED, "
        '$guidance: String! = "Kontrollera adressen först."',
        "input: {toUnit: $unit, reason: $hreason, guidance: $guidance}",
    ),
    "setPoliceSubState": ("$sub: PoliceSubState!", "subState: $sub"),
    "returnToMigrationsverket": (
        f'$unit: String! = "{MV_UNIT}", $reason: String! = "Personen kan inte lokaliseras"',
        "toUnit: $unit, reason: $reason",
    ),
    "suspend": ('$reason: String! = "Ny prövning begärd"', "reason: $reason"),
    "resume": ('$reason: String! = "Ny prövning avslagen"', "reason: $reason"),
    "closeCase": (
        '$resolution: CaseState!, $reason: String! = "Uppehållstillstånd beviljat", '
        "$justification: String",
        "resolution: $resolution, reason: $reason, justification: $justification",
    ),
    "setPoliceCaseNumber": ("$number: String!", "policeCaseNumber: $number"),
    "correctDecision": (
        '$input: DecisionCorrection!, $reason: String! = "Rättelse"',
        "input: $input, reason: $reason",
    ),
    "decideImpediment": (
        '$imp: ID!, $status: ImpedimentStatus! = RESOLVED, $reason: String! = "Avgjort"',
        "impedimentId: $imp, status: $status, reason: $reason",
    ),
}
INPUT_TYPES = {
    "updatePerson": "PersonUpdate",
    "recordDocument": "DocumentInput",
    "requestTravelDocument": "TravelDocumentRequestInput",
    "recordAddress": "AddressInput",
    "recordContact": "ContactInput",
    "recordFamilyMember": "FamilyMemberInput",
    "recordHealthAssessment": "HealthAssessmentInput",
    "recordRiskAssessment": "RiskAssessmentInput",
    "recordCounselling": "CounsellingInput",
    "recordAbsconding": "AbscondingInput",
    "recordCustody": "CustodyInput",
    "fileImpediment": "ImpedimentInput",
    "recordPoliceFinding": "PoliceFindingInput",
    "recordEnforcementAttempt": "EnforcementAttemptInput",
    "recordDeparture": "DepartureInput",
    "recordPermitDecision": "PermitDecisionInput",
    "recordAppealOutcome": "AppealOutcomeInput",
    "recordDeath": "DeathInput",
}
SIGNATURES.update(
    {name: (f"$input: {kind}!", "input: $input") for name, kind in INPUT_TYPES.items()}
)


def _signature(field: str) -> tuple[str, str]:
    if field == "createCase":
        return "$input: CreateCaseInput!", "input: $input"
    own_params, own_args = SIGNATURES[field]
    params = "$id: ID!, $v: Int!" + (f", {own_params}" if own_params else "")
    args = "caseId: $id, version: $v" + (f", {own_args}" if own_args else "")
    return params, args


def mutation_doc(field: str, selection: str = BASIC) -> str:
    """A mutation on case `$id` at version `$v`, answering with `selection`."""
    params, args = _signature(field)
    return f"mutation({params}) {{ {field}({args}) {{ {selection} }} }}"


def batch_doc(calls: list[tuple[str, str, str]]) -> str:
    """Several mutations, run in order in one request: `calls` are (alias, field, selection), and
    each call's variables are prefixed with its alias (`$a_id`, `$a_v`, ...)."""
    params, fields = [], []
    for alias, field, selection in calls:
        own_params, own_args = _signature(field)

        def rename(text: str, alias: str = alias) -> str:
            return re.sub(r"\$(\w+)", rf"${alias}_\1", text)

        params.append(rename(own_params))
        fields.append(f"{alias}: {field}({rename(own_args)}) {{ {selection} }}")
    return f"mutation({', '.join(params)}) {{\n  " + "\n  ".join(fields) + "\n}"


def batch_variables(alias: str, **variables: Any) -> dict[str, Any]:
    return {f"{alias}_{name}": value for name, value in variables.items()}


async def new_cases(
    client: GraphQLClient, inputs: list[dict[str, Any]], selection: str = BASIC
) -> list[dict[str, Any]]:
    """Create one case per input (see `factory.case_input`) in one request."""
    aliases = [f"c{index}" for index in range(len(inputs))]
    document = batch_doc([(alias, "createCase", selection) for alias in aliases])
    variables: dict[str, Any] = {}
    for alias, values in zip(aliases, inputs, strict=True):
        variables |= batch_variables(alias, input=values)
    data = (await client(document, **variables)).ok()
    return [data[alias] for alias in aliases]


async def new_case(client: GraphQLClient, selection: str = BASIC, **overrides: Any) -> Any:
    """A new case (FINAL unless its decision has no final date), answered with `selection`."""
    return await call(client, mutation_doc("createCase", selection), input=case_input(**overrides))


APPEAL = mutation_doc("appealDecision")
START_VOLUNTARY = mutation_doc("startVoluntaryPeriod")
START_ENFORCEMENT = mutation_doc("startEnforcement")
SUSPEND = mutation_doc("suspend")

ADDRESS_INPUT = {"type": "LAST_KNOWN", "street": "Storgatan 1", "city": "Malmö"}
HEALTH_INPUT = {"assessedOn": YESTERDAY, "fitToTravel": "YES"}
RISK_INPUT = {
    "assessedOn": YESTERDAY,
    "violenceRisk": "LOW",
    "selfHarmRisk": "LOW",
    "escortLevel": "STANDARD",
}
BLOCKING_STAY = {"type": "STAY_OF_ENFORCEMENT", "filedDate": YESTERDAY, "status": "ACTIVE"}

# Completes a factory case's handover checklist (its identity is PROBABLE and its final date
# verified), starts enforcement and optionally hands over: mutations run in order, one request.
_PREPARE_STEPS = """
  address: recordAddress(caseId: $id, version: $v, input: $address) { version }
  health: recordHealthAssessment(caseId: $id, version: $v1, input: $health) { version }
  risk: recordRiskAssessment(caseId: $id, version: $v2, input: $risk) { version }
  enforce: startEnforcement(caseId: $id, version: $v3, reason: "Ingen frivillig avresa") {
    id version state owningUnit }"""
_PREPARE_PARAMS = """$id: ID!, $v: Int!, $v1: Int!, $v2: Int!, $v3: Int!, $address: AddressInput!,
    $health: HealthAssessmentInput!, $risk: RiskAssessmentInput!"""
_PREPARE = f"mutation({_PREPARE_PARAMS}) {{ {_PREPARE_STEPS} }}"
_PREPARE_AND_HAND_OVER = f"""mutation({_PREPARE_PARAMS}, $v4: Int!, $unit: String!,
    $hreason: HandoverReason!) {{ {_PREPARE_STEPS}
  handOver: handOverToPolice(caseId: $id, version: $v4, input: {{toUnit: $unit,
      reason: $hreason, guidance: "Kontrollera adressen först."}}) {{
    id version state owningUnit subState }}
}}"""


def police_unit() -> str:
    """A police unit of the calling test's own."""
    return f"polisen-test-{uuid.uuid4().hex[:10]}"


def only(response: Response) -> Any:
    """The single root field of a successful response."""
    data = response.ok()
    assert len(data) == 1, data
    return next(iter(data.values()))


async def call(client: GraphQLClient, document: str, **variables: Any) -> Any:
    return only(await client(document, **variables))


async def read(client: GraphQLClient, case_id: str, selection: str = f"{CASE} {EVENTS}") -> Any:
    """The case as a Migrationsverket officer sees it now."""
    return only(await client(f"query($id: ID!) {{ case(id: $id) {{ {selection} }} }}", id=case_id))


def error_extensions(response: Response) -> dict[str, Any]:
    assert len(response.errors) == 1, response.errors
    return response.errors[0]["extensions"]


def last_event(case: dict[str, Any]) -> dict[str, Any]:
    event = case["events"][-1]
    return {key: event[key] for key in ("type", "fromState", "toState", "reason")}


def issued(**overrides: Any) -> dict[str, Any]:
    """Input of a case whose decision is not final yet (DECISION_ISSUED)."""
    decision = {"finalDate": None, "finalDateVerified": False, **overrides.pop("decision", {})}
    return case_input(decision=decision, **overrides)


async def issued_case(client: GraphQLClient, selection: str = BASIC, **overrides: Any) -> Any:
    """A new case whose decision is not final yet (DECISION_ISSUED)."""
    return await call(client, mutation_doc("createCase", selection), input=issued(**overrides))


def _versions(version: int, steps: int) -> dict[str, int]:
    return {"v": version, **{f"v{step}": version + step for step in range(1, steps)}}


async def enforcing_case(client: GraphQLClient, **overrides: Any) -> dict[str, Any]:
    """A case in MV_ENFORCEMENT with a complete handover checklist."""
    case = await new_case(client, **overrides)
    data = (
        await client(
            _PREPARE,
            id=case["id"],
            address=ADDRESS_INPUT,
            health=HEALTH_INPUT,
            risk=RISK_INPUT,
            **_versions(case["version"], 4),
        )
    ).ok()
    return data["enforce"]


async def handed_over_case(
    client: GraphQLClient, unit: str, reason: str = "ABSCONDED", **overrides: Any
) -> dict[str, Any]:
    """A case handed over to police unit `unit`."""
    case = await new_case(client, **overrides)
    data = (
        await client(
            _PREPARE_AND_HAND_OVER,
            id=case["id"],
            address=ADDRESS_INPUT,
            health=HEALTH_INPUT,
            risk=RISK_INPUT,
            unit=unit,
            hreason=reason,
            **_versions(case["version"], 5),
        )
    ).ok()
    return data["handOver"]


async def case_in_state(client: GraphQLClient, state: str, **overrides: Any) -> dict[str, Any]:
    """A case brought into an active `state` through the API (fewest steps), answered with at
    least `{id version state}`."""
    if state == "DECISION_ISSUED":
        return await issued_case(client, **overrides)
    if state == "UNDER_APPEAL":
        case = await issued_case(client, **overrides)
        return await call(client, APPEAL, id=case["id"], v=case["version"])
    if state == "FINAL":
        return await new_case(client, **overrides)
    if state == "VOLUNTARY_PERIOD":
        case = await new_case(client, **overrides)
        return await call(client, START_VOLUNTARY, id=case["id"], v=case["version"])
    if state == "MV_ENFORCEMENT":  # checklist incomplete: see `enforcing_case` for handovers
        case = await new_case(client, **overrides)
        return await call(client, START_ENFORCEMENT, id=case["id"], v=case["version"])
    if state == "HANDED_OVER":
        return await handed_over_case(client, police_unit(), **overrides)
    if state == "SUSPENDED":
        case = await new_case(client, **overrides)
        return await call(client, SUSPEND, id=case["id"], v=case["version"])
    raise ValueError(f"no recipe for state {state}")


# The fact each closing resolution rests on, recorded before closing (api/cases/closing.py).
CLOSING_FACT_INPUTS: dict[str, tuple[str, dict[str, Any]]] = {
    "PERMIT_GRANTED": (
        "recordPermitDecision",
        {"permitGrantedOn": YESTERDAY, "permitBasis": "IMPEDIMENT_12_18"},
    ),
    "DECISION_QUASHED": (
        "recordAppealOutcome",
        {"appealOutcome": "QUASHED", "appealDecidedOn": YESTERDAY},
    ),
    "DECEASED": (
        "recordDeath",
        {
            "dateOfDeath": YESTERDAY,
            "deathNotifiedOn": YESTERDAY,
            "deathNoticeSource": "SKATTEVERKET",
        },
    ),
}


async def record_closing_fact(
    client: GraphQLClient, case: dict[str, Any], resolution: str
) -> dict[str, Any]:
    """`case` with the fact `resolution` needs recorded (unchanged when it needs none here)."""
    fact = CLOSING_FACT_INPUTS.get(resolution)
    if fact is None:
        return case
    name, values = fact
    answer = await call(client, mutation_doc(name), id=case["id"], v=case["version"], input=values)
    return {**case, "version": answer["version"]}
