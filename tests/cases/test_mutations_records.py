"""Recording facts on a case: every record mutation reads back through the case it returns and
writes its event; one-per-case assessments replace the current one; impediments block
enforcement while open. (The police's records, recordEnforcementAttempt and
recordPoliceFinding, are in test_workflow_transitions.py with the rest of the police's work.)"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest

from api.cases.identity_numbers import generate_personnummer
from tests.cases.factory import case_input
from tests.cases.mutation_helpers import (
    BLOCKING_STAY,
    DECISION,
    TODAY,
    YESTERDAY,
    batch_doc,
    batch_variables,
    call,
    error_extensions,
    handed_over_case,
    mutation_doc,
    new_case,
    new_cases,
    police_unit,
    read,
)

NEXT_REVIEW = (TODAY + timedelta(days=14)).isoformat()

# mutation, the case field it fills, a full input, the event it writes
RECORDS = [
    (
        "recordDocument",
        "documents",
        {
            "type": "PASSPORT",
            "heldBy": "MIGRATIONSVERKET",
            "number": "P1234567",
            "issuingCountry": "IRQ",
            "validFrom": "2020-01-01",
            "validUntil": "2030-01-01",
            "depositedAt": "Mottagningsenheten Märsta",
        },
        "DOCUMENT_RECORDED",
    ),
    (
        "requestTravelDocument",
        "travelDocumentRequests",
        {
            "embassyCountry": "IRQ",
            "requestDate": YESTERDAY,
            "embassySafe": False,
            "status": "INTERVIEW_SCHEDULED",
            "embassyContact": "Konsulatet, Stockholm",
            "response": "Intervju bokad",
        },
        "TRAVEL_DOCUMENT_REQUESTED",
    ),
    (
        "recordAddress",
        "addresses",
        {
            "type": "ACCOMMODATION",
            "street": "Parkvägen 2",
            "postalCode": "802 50",
            "city": "Gävle",
            "country": "SWE",
            "validFrom": "2026-01-01",
            "source": "Boendeenheten",
            "lastVerified": YESTERDAY,
        },
        "ADDRESS_RECORDED",
    ),
    (
        "recordContact",
        "contacts",
        {"kind": "LEGAL_REPRESENTATIVE", "value": "+46 8 123 456", "name": "Advokat Berg"},
        "CONTACT_RECORDED",
    ),
    (
        "recordFamilyMember",
        "family",
        {
            "relation": "CHILD",
            "fullName": "Noor Testsson",
            "dateOfBirth": "2018-05-01",
            "linkedCaseId": None,
            "sameDecision": True,
            "isChild": True,
            "custodyNote": "Gemensam vårdnad",
        },
        "FAMILY_MEMBER_RECORDED",
    ),
    (
        "recordHealthAssessment",
        "health",
        {
            "assessedOn": YESTERDAY,
            "fitToTravel": "WITH_CONDITIONS",
            "medicalEscortNeeded": True,
            "medicationOnJourney": True,
        },
        "HEALTH_ASSESSED",
    ),
    (
        "recordRiskAssessment",
        "risk",
        {
            "assessedOn": YESTERDAY,
            "violenceRisk": "HIGH",
            "selfHarmRisk": "MEDIUM",
            "escortLevel": "REINFORCED",
        },
        "RISK_ASSESSED",
    ),
    (
        "recordCounselling",
        "counselling",
        {"heldOn": YESTERDAY, "outcome": "WILLING_TO_RETURN", "statedIntent": "Vill resa i mars"},
        "COUNSELLING_RECORDED",
    ),
    (
        "recordAbsconding",
        "absconding",
        {
            "abscondedOn": YESTERDAY,
            "reportedBy": "POLISEN",
            "wantedStatus": "WANTED",
            "sisAlertRef": "SIS-RET-000123",
        },
        "ABSCONDING_RECORDED",
    ),
    (
        "recordCustody",
        "custody",
        {
            "type": "FORVAR",
            "decidingAgency": "MIGRATIONSVERKET",
            "startDate": YESTERDAY,
            "legalBasis": "10 kap 1 § UtlL",
            "endDate": None,
            "nextReview": NEXT_REVIEW,
            "reportingDuties": None,
        },
        "CUSTODY_RECORDED",
    ),
    (
        "fileImpediment",
        "impediments",
        {
            "type": "IMPEDIMENT_12_18",
            "filedDate": YESTERDAY,
            "status": "PENDING",
            "blocksEnforcement": True,
        },
        "IMPEDIMENT_FILED",
    ),
]


def fact_selection(case_field: str, values: dict) -> str:
    return f"{case_field} {{ {' '.join(values)} }}"


async def test_each_record_reads_back_through_the_returned_case_with_its_event(client):
    # Given a final case at version v
    case = await new_case(client)
    # When every kind of fact is recorded on it, one after the other (in one request)
    calls, variables = [], {}
    for index, (field, case_field, values, _) in enumerate(RECORDS):
        selection = (
            f"version state {fact_selection(case_field, values)} events {{ type changedFields }}"
        )
        calls.append((field, field, selection))
        variables |= batch_variables(field, id=case["id"], v=case["version"] + index, input=values)
    recorded = (await client(batch_doc(calls), **variables)).ok()
    for index, (field, case_field, values, event) in enumerate(RECORDS):
        answer = recorded[field]
        # Then each returned case carries the fact exactly as given, one version later
        assert answer["version"] == case["version"] + index + 1, field
        assert answer["state"] == "FINAL", field
        fact = answer[case_field]
        assert fact == (values if isinstance(fact, dict) else [values]), field
        # And one event names the recorded fields, never their values
        assert len(answer["events"]) == index + 2, field
        assert answer["events"][-1]["type"] == event, field
        given = {name for name, value in values.items() if value is not None}
        assert given <= set(answer["events"][-1]["changedFields"]), field


PERSON = """person { givenName familyName fullName dateOfBirth sex identityNumber
    identityNumberKind identityAssurance languages interpreterNeeded stateless }"""


async def test_officer_updates_the_person_and_omitted_fields_stay(client):
    case = await new_case(client)
    number = generate_personnummer(random.Random(11), date(1991, 7, 19))
    # When some identity data change, the number given in the 10-digit form
    updated = await call(
        client,
        mutation_doc("updatePerson", f"version {PERSON} events {{ type changedFields }}"),
        id=case["id"],
        v=case["version"],
        input={
            "givenName": "Amira",
            "familyName": "Testdottir",
            "identityNumber": f"{number[2:8]}-{number[8:]}",
            "identityAssurance": "VERIFIED",
            "languages": ["ar", "ku"],
            "interpreterNeeded": True,
        },
    )
    # Then they read back, the number normalized, and what was left out is as it was
    assert updated["person"] == {
        "givenName": "Amira",
        "familyName": "Testdottir",
        "fullName": "Amira Testdottir",
        "dateOfBirth": "1990-04-12",
        "sex": "FEMALE",
        "identityNumber": number,
        "identityNumberKind": "PERSONNUMMER",
        "identityAssurance": "VERIFIED",
        "languages": ["ar", "ku"],
        "interpreterNeeded": True,
        "stateless": False,
    }
    assert updated["events"][-1] == {
        "type": "PERSON_UPDATED",
        "changedFields": [
            "familyName",
            "givenName",
            "identityAssurance",
            "identityNumber",
            "identityNumberKind",
            "interpreterNeeded",
            "languages",
        ],
    }
    # When the number is removed, its kind goes with it
    cleared = await call(
        client,
        mutation_doc("updatePerson", "version person { identityNumber identityNumberKind }"),
        id=case["id"],
        v=updated["version"],
        input={"identityNumber": None},
    )
    assert cleared["person"] == {"identityNumber": None, "identityNumberKind": None}


CORRECT = mutation_doc(
    "correctDecision",
    f"""version {DECISION} decision {{ courtCaseNumber decidingBody destinationCountries }}
    events {{ type reason changedFields }}""",
)


async def test_officer_corrects_the_decision_and_the_derived_dates_follow(client):
    case = await new_case(
        client, decision={"decisionDate": "2024-01-10", "finalDate": "2024-02-01"}
    )
    corrected = await call(
        client,
        CORRECT,
        id=case["id"],
        v=case["version"],
        input={
            "finalDate": "2024-03-01",
            "courtCaseNumber": "UM 4021-23",
            "decidingBody": "MIGRATION_COURT",
            "destinationCountries": ["IRQ", "TUR"],
        },
        reason="Fel laga kraft-datum kopierat",
    )
    assert corrected["decision"] == {
        "finalDate": "2024-03-01",
        "finalDateVerified": True,
        "voluntaryDepartureDeadline": "2024-03-15",
        "lapseRule": "PRE_2025",
        "lapseDate": "2028-03-01",
        "transferDeadline": None,
        "courtCaseNumber": "UM 4021-23",
        "decidingBody": "MIGRATION_COURT",
        "destinationCountries": ["IRQ", "TUR"],
    }
    assert corrected["events"][-1] == {
        "type": "DECISION_CORRECTED",
        "reason": "Fel laga kraft-datum kopierat",
        "changedFields": ["courtCaseNumber", "decidingBody", "destinationCountries", "finalDate"],
    }
    # When the decision date is corrected across 2025-04-01, the lapse rule changes with it
    moved = await call(
        client,
        CORRECT,
        id=case["id"],
        v=corrected["version"],
        input={"decisionDate": "2025-04-01", "finalDate": "2025-04-15"},
    )
    assert (moved["decision"]["lapseRule"], moved["decision"]["lapseDate"]) == ("POST_2025", None)
    assert moved["decision"]["voluntaryDepartureDeadline"] == "2025-04-29"


async def test_a_family_member_links_to_an_existing_case_only(client):
    parent, child = await new_cases(client, [case_input(), case_input()])
    # When a member is linked to a case that does not exist, to something not a case id, and
    # to the member's own case (in one request, all at the parent case's version)
    links = [("unknown", str(uuid.uuid4())), ("malformed", "not-a-case-id")]
    links.append(("own", child["id"]))
    calls, variables = [], {}
    for alias, linked in links:
        calls.append((alias, "recordFamilyMember", "version family { fullName linkedCaseId }"))
        member = {"relation": "CHILD", "fullName": "Noor Testsson", "linkedCaseId": linked}
        variables |= batch_variables(alias, id=parent["id"], v=parent["version"], input=member)
    response = await client(batch_doc(calls), **variables)
    # Then the missing links are NOT_FOUND naming the link, and write nothing
    assert {
        error["path"][0]: (error["extensions"]["code"], error["extensions"]["field"])
        for error in response.errors
    } == dict.fromkeys(["unknown", "malformed"], ("NOT_FOUND", "input.linkedCaseId"))
    # And the link to the member's own case is recorded, at the version the case had
    assert response.data["own"] == {
        "version": parent["version"] + 1,
        "family": [{"fullName": "Noor Testsson", "linkedCaseId": child["id"]}],
    }


@pytest.mark.parametrize(
    ("field", "case_field", "event", "first", "second"),
    [
        (
            "recordHealthAssessment",
            "health",
            "HEALTH_ASSESSED",
            {"assessedOn": "2026-01-10", "fitToTravel": "NO", "medicalEscortNeeded": True},
            {"assessedOn": YESTERDAY, "fitToTravel": "YES", "medicalEscortNeeded": False},
        ),
        (
            "recordRiskAssessment",
            "risk",
            "RISK_ASSESSED",
            {
                "assessedOn": "2026-01-10",
                "violenceRisk": "HIGH",
                "selfHarmRisk": "HIGH",
                "escortLevel": "REINFORCED",
            },
            {
                "assessedOn": YESTERDAY,
                "violenceRisk": "LOW",
                "selfHarmRisk": "MEDIUM",
                "escortLevel": "NONE",
            },
        ),
    ],
)
async def test_a_new_assessment_replaces_the_current_one(
    client, field, case_field, event, first, second
):
    case = await new_case(client)
    # When an assessment is recorded, and then a newer one (in one request)
    selection = f"version {fact_selection(case_field, first)} events {{ type }}"
    answers = (
        await client(
            batch_doc([("earlier", field, selection), ("later", field, selection)]),
            **batch_variables("earlier", id=case["id"], v=case["version"], input=first),
            **batch_variables("later", id=case["id"], v=case["version"] + 1, input=second),
        )
    ).ok()
    # Then each is the case's assessment once recorded: the newer one replaces the earlier
    earlier, later = answers["earlier"], answers["later"]
    assert earlier[case_field] == first
    assert later[case_field] == second
    # And the history keeps that there were two
    assert [e["type"] for e in later["events"]] == ["CASE_CREATED", event, event]


async def test_absconding_extends_a_dublin_transfer_deadline_to_eighteen_months(client):
    # Given a Dublin transfer decision (six months to transfer) and an avvisning
    dublin, avvisning = await new_cases(
        client,
        [
            case_input(
                decision={
                    "type": "DUBLIN_TRANSFER",
                    "decisionDate": "2025-08-01",
                    "finalDate": "2025-08-31",
                }
            ),
            case_input(decision={"decisionDate": "2024-01-10", "finalDate": "2024-02-01"}),
        ],
    )
    # When each person absconds
    absconding = {"abscondedOn": "2025-10-01", "reportedBy": "MIGRATIONSVERKET"}
    calls = [("dublin", "recordAbsconding", f"version {DECISION}")]
    calls.append(("avvisning", "recordAbsconding", f"version {DECISION}"))
    answers = (
        await client(
            batch_doc(calls),
            **batch_variables("dublin", id=dublin["id"], v=dublin["version"], input=absconding),
            **batch_variables(
                "avvisning", id=avvisning["id"], v=avvisning["version"], input=absconding
            ),
        )
    ).ok()
    # Then the Dublin transfer deadline becomes 18 months from the final date
    assert answers["dublin"]["decision"]["transferDeadline"] == "2027-02-28"  # clamped
    assert answers["dublin"]["decision"]["voluntaryDepartureDeadline"] is None
    # And a decision that is no Dublin transfer gets no transfer deadline, its lapse date as was
    assert answers["avvisning"]["decision"]["transferDeadline"] is None
    assert answers["avvisning"]["decision"]["lapseDate"] == "2028-02-01"


FILE = mutation_doc("fileImpediment", "version enforcementBlocked impediments { id status }")
DECIDE = mutation_doc(
    "decideImpediment",
    """version enforcementBlocked impediments { id status blocksEnforcement decidedDate }
    events { type reason changedFields }""",
)
ATTEMPT = mutation_doc(
    "recordEnforcementAttempt", "version subState enforcementAttempts { outcome }"
)
DEPART = mutation_doc("recordDeparture")


async def test_an_open_stay_blocks_enforcement_until_it_is_resolved(client):
    # Given a handed-over case
    unit = police_unit()
    police = client.police(unit)
    case = await handed_over_case(client, unit, reason="COERCION_NEEDED")
    # When Migrationsverket files a stay of enforcement
    filed = await call(client, FILE, id=case["id"], v=case["version"], input=BLOCKING_STAY)
    # Then enforcement is blocked in the same change
    assert filed["enforcementBlocked"] is True
    version = filed["version"]
    # And the police can neither plan nor complete an attempt, nor record an enforced departure
    calls, variables = [], {}
    for outcome in ("PLANNED", "COMPLETED"):
        attempt = {"plannedDate": "2026-12-01", "mode": "ESCORTED", "outcome": outcome}
        calls.append((outcome.lower(), "recordEnforcementAttempt", "version"))
        variables |= batch_variables(outcome.lower(), id=case["id"], v=version, input=attempt)
    departure = {"departureDate": YESTERDAY, "enforced": True}
    calls.append(("departure", "recordDeparture", "version"))
    variables |= batch_variables("departure", id=case["id"], v=version, input=departure)
    refused = await police(batch_doc(calls), **variables)
    assert {
        error["path"][0]: (error["extensions"]["code"], error["extensions"]["action"])
        for error in refused.errors
    } == {
        "planned": ("INVALID_TRANSITION", "recordEnforcementAttempt"),
        "completed": ("INVALID_TRANSITION", "recordEnforcementAttempt"),
        "departure": ("INVALID_TRANSITION", "recordDeparture"),
    }
    # (nor can Migrationsverket record an enforced departure)
    refused = await client(DEPART, id=case["id"], v=version, input=departure)
    assert refused.codes == ["INVALID_TRANSITION"]
    assert error_extensions(refused)["action"] == "recordDeparture"
    after = await read(client, case["id"], "version state subState enforcementAttempts { id }")
    assert after == {
        "version": version,
        "state": "HANDED_OVER",
        "subState": "PREPARING",
        "enforcementAttempts": [],
    }
    # But a failed or cancelled attempt may still be written back
    failed = await call(
        police,
        ATTEMPT,
        id=case["id"],
        v=version,
        input={"plannedDate": "2026-11-20", "mode": "UNESCORTED", "outcome": "CANCELLED"},
    )
    assert failed["subState"] == "PREPARING"
    # When the stay is resolved, enforcement is free again
    stay = filed["impediments"][0]["id"]
    lifted = await call(
        client, DECIDE, id=case["id"], v=failed["version"], imp=stay, reason="Inhibition upphävd"
    )
    assert lifted["enforcementBlocked"] is False
    assert lifted["impediments"] == [
        {
            "id": stay,
            "status": "RESOLVED",
            "blocksEnforcement": True,
            "decidedDate": TODAY.isoformat(),
        }
    ]
    assert lifted["events"][-1] == {
        "type": "IMPEDIMENT_DECIDED",
        "reason": "Inhibition upphävd",
        "changedFields": ["decidedDate", "status"],
    }
    planned = await call(
        police,
        ATTEMPT,
        id=case["id"],
        v=lifted["version"],
        input={"plannedDate": "2026-12-01", "mode": "ESCORTED"},
    )
    assert planned["subState"] == "SCHEDULED"


async def test_enforcement_is_blocked_while_any_blocking_impediment_is_open(client):
    case = await new_case(client)
    v = case["version"]
    # When a non-blocking impediment is filed, then two blocking ones, the first merely
    # pending (in one request)
    filings = [
        ("practical", {"type": "PRACTICAL", "filedDate": YESTERDAY, "blocksEnforcement": False}),
        ("examination", {"type": "NEW_EXAMINATION_12_19", "filedDate": YESTERDAY}),
        ("stay", BLOCKING_STAY),
    ]
    calls, variables = [], {}
    for index, (alias, values) in enumerate(filings):
        calls.append((alias, "fileImpediment", "version enforcementBlocked impediments { id }"))
        variables |= batch_variables(alias, id=case["id"], v=v + index, input=values)
    filed = (await client(batch_doc(calls), **variables)).ok()
    # Then only a blocking one blocks
    assert [filed[alias]["enforcementBlocked"] for alias, _ in filings] == [False, True, True]
    practical = {i["id"] for i in filed["practical"]["impediments"]}
    [examination] = {i["id"] for i in filed["examination"]["impediments"]} - practical
    [stay] = {i["id"] for i in filed["stay"]["impediments"]} - practical - {examination}
    # When one is rejected, the other resolved, and the rejected one reopened (one request)
    decisions = [("reject", examination, "REJECTED"), ("resolve", stay, "RESOLVED")]
    decisions.append(("reopen", examination, "ACTIVE"))
    calls, variables = [], {}
    for index, (alias, impediment, status) in enumerate(decisions):
        calls.append((alias, "decideImpediment", "enforcementBlocked"))
        variables |= batch_variables(
            alias, id=case["id"], v=v + 3 + index, imp=impediment, status=status
        )
    decided = (await client(batch_doc(calls), **variables)).ok()
    # Then the case stays blocked while any blocking one is open, and only then
    assert [decided[alias]["enforcementBlocked"] for alias, _, _ in decisions] == [
        True,
        False,
        True,
    ]
    # And a blocked case may still depart voluntarily (only enforcement is blocked)
    departure = {"departureDate": YESTERDAY, "enforced": False}
    done = await call(client, DEPART, id=case["id"], v=v + 6, input=departure)
    assert done["state"] == "DEPARTED_VOLUNTARILY"


async def test_deciding_an_impediment_of_another_case_is_not_found(client):
    case, other = await new_cases(client, [case_input(), case_input()])
    filed = await call(client, FILE, id=other["id"], v=other["version"], input=BLOCKING_STAY)
    # When the impediment of another case, or one that does not exist, is decided (one request)
    calls = [("foreign", "decideImpediment", "version"), ("unknown", "decideImpediment", "id")]
    response = await client(
        batch_doc(calls),
        **batch_variables(
            "foreign", id=case["id"], v=case["version"], imp=filed["impediments"][0]["id"]
        ),
        **batch_variables("unknown", id=case["id"], v=case["version"], imp=str(uuid.uuid4())),
    )
    # Then both are NOT_FOUND naming the impediment, and neither case changed
    assert {
        error["path"][0]: (error["extensions"]["code"], error["extensions"]["field"])
        for error in response.errors
    } == dict.fromkeys(["foreign", "unknown"], ("NOT_FOUND", "impedimentId"))
    both = (
        await client(
            """query($a: ID!, $b: ID!) { a: case(id: $a) { version }
                b: case(id: $b) { version enforcementBlocked impediments { status } } }""",
            a=case["id"],
            b=other["id"],
        )
    ).ok()
    assert both == {
        "a": {"version": case["version"]},
        "b": {
            "version": filed["version"],
            "enforcementBlocked": True,
            "impediments": [{"status": "ACTIVE"}],
        },
    }


async def test_deciding_an_impediment_by_a_malformed_id_is_not_found(client):
    case = await new_case(client)
    response = await client(DECIDE, id=case["id"], v=case["version"], imp="nonsense")
    assert response.codes == ["NOT_FOUND"]
    assert error_extensions(response)["field"] == "impedimentId"
    assert (await read(client, case["id"], "version"))["version"] == case["version"]


async def test_the_final_date_of_a_final_case_cannot_be_corrected_away(client):
    case = await new_case(client)
    response = await client(
        CORRECT,
        id=case["id"],
        v=case["version"],
        input={"finalDate": None, "finalDateVerified": False},
        reason="Fel datum",
    )
    assert response.codes == ["BAD_USER_INPUT"]
    assert error_extensions(response)["field"] == "input.finalDate"
