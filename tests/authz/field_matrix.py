"""How `../shared/field-matrix.csv` speaks about the schema: names, roles, qualified cells, and
the cells where the served policy deliberately differs (each with its reason).

One place for the mapping, beside the test that reads the matrix (test_field_matrix.py).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

# From a clone, `shared/` sits beside the repository (as in CI and in the worktrees).
MATRIX = Path(
    os.environ.get(
        "RETURNCASES_FIELD_MATRIX",
        Path(__file__).resolve().parents[2].parent / "shared" / "field-matrix.csv",
    )
)

ROLES = {
    "mv_case_officer": "case_officer",
    "mv_return_officer": "return_officer",
    "police_border_officer": "border_police_officer",
    "police_analyst": "police_analyst",
    "security_officer": "security_officer",
    "auditor": "auditor",
}


def _fields(type_name: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{type_name}.{name}" for name in names)


# (matrix entity, matrix field) -> schema coordinates. `Query.auditEvents` stands for the audit
# trail (a root field that needs `call`). An empty tuple: not in the schema at all.
COORDINATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("ReturnCase", "id / caseRef"): ("ReturnCase.id",),
    ("ReturnCase", "mvCaseNumber / dossierNumber"): ("ReturnCase.caseNumber",),
    ("ReturnCase", "policeCaseNumber"): ("ReturnCase.policeCaseNumber",),
    ("ReturnCase", "state / subState / owningAgency / owningUnit"): _fields(
        "ReturnCase", "state", "subState", "owningAgency", "owningUnit"
    ),
    ("ReturnCase", "handoverReason(ABSCONDED|COERCION_NEEDED)"): ("ReturnCase.handoverReason",),
    (
        "Decision",
        "type(AVVISNING|UTVISNING|DUBLIN_TRANSFER|BROTTSUTVISNING|POLICE_AVVISNING)",
    ): ("Decision.type",),
    ("Decision", "decidingBody / courtCaseNo (UM nnnn-yy)"): _fields(
        "Decision", "decidingBody", "courtCaseNumber"
    ),
    ("Decision", "decisionDate / finalDate(laga kraft) / immediateEnforcement"): _fields(
        "Decision", "decisionDate", "finalDate", "finalDateVerified", "immediateEnforcement"
    ),
    ("Decision", "voluntaryDepartureDeadline / entryBan(återreseförbud)"): _fields(
        "Decision", "voluntaryDepartureDeadline", "entryBanUntil"
    ),
    ("Decision", "lapseDate (computed) / lapseRuleVersion(PRE_2025|POST_2025)"): _fields(
        "Decision", "lapseDate", "lapseRule", "daysUntilLapse"
    ),
    ("Decision", "destinationCountries[]"): ("Decision.destinationCountries",),
    ("Decision", "groundsSummary (non-asylum: legal basis only)"): ("Decision.groundsSummary",),
    ("Decision", "asylumGroundsNarrative / persecutionActor"): _fields(
        "Decision", "asylumGrounds", "persecutionActor"
    ),
    ("Person", "names / aliases / transliterations"): (
        *_fields("Person", "givenName", "familyName", "fullName"),
        *_fields("PersonName", "name", "kind"),
    ),
    ("Person", "dateOfBirth / dobCertainty / ageAssessment"): _fields(
        "Person", "dateOfBirth", "dateOfBirthCertainty"
    ),
    ("Person", "citizenship[] / statelessFlag / claimedVsAssessed"): (
        *_fields("Citizenship", "country", "basis"),
        "Person.stateless",
    ),
    (
        "Person",
        "personnummer / samordningsnummer / idStatus(active|vilande) / "
        "idAssurance(styrkt|sannolik|osäker)",
    ): _fields(
        "Person", "identityNumber", "identityNumberKind", "identityStatus", "identityAssurance"
    ),
    ("Person", "sex/gender"): ("Person.sex",),
    ("Person", "protectedIdentity flag"): ("Person.protectedIdentity",),
    ("Person", "languages / interpreterNeed"): _fields("Person", "languages", "interpreterNeeded"),
    ("Person", "photo (facial image)"): ("Person.photoRef",),
    ("Biometrics", "fingerprintRef (Eurodac/AFIS id) / matchResult"): _fields(
        "Biometrics", "fingerprintRef", "matchResult"
    ),
    # Raw fingerprints are never stored or served here: nothing to check.
    ("Biometrics", "rawFingerprintImages/templates"): (),
    ("Document", "type / number / issuingCountry / validity / heldBy / depositedAt"): _fields(
        "Document",
        "type",
        "number",
        "issuingCountry",
        "validFrom",
        "validUntil",
        "heldBy",
        "depositedAt",
    ),
    ("Document", "scan/copy"): ("Document.scanRef",),
    ("TravelDocumentRequest", "embassy / requestDate / status / response"): _fields(
        "TravelDocumentRequest",
        "embassyCountry",
        "embassyContact",
        "requestDate",
        "status",
        "response",
        "embassySafe",
    ),
    ("Address", "type / address / validFrom / source / lastVerified"): _fields(
        "Address",
        "type",
        "street",
        "postalCode",
        "city",
        "country",
        "validFrom",
        "source",
        "lastVerified",
    ),
    ("ContactInfo", "phone / email / legalRepresentative"): _fields(
        "ContactInfo", "kind", "value", "name"
    ),
    ("FamilyMember", "relation / linkedPersonRef / sameDecision / isChild / custody"): _fields(
        "FamilyMember",
        "relation",
        "fullName",
        "dateOfBirth",
        "linkedCaseId",
        "sameDecision",
        "isChild",
        "custodyNote",
    ),
    (
        "HealthAssessment",
        "fitToTravel(YES|NO|WITH_CONDITIONS) / medicalEscortNeeded / medicationOnJourney",
    ): _fields(
        "HealthAssessment",
        "assessedOn",
        "fitToTravel",
        "medicalEscortNeeded",
        "medicationOnJourney",
    ),
    ("HealthAssessment", "diagnoses / medical certificates"): _fields(
        "HealthAssessment", "diagnoses", "certificateRef"
    ),
    ("RiskAssessment", "violenceRisk / selfHarmRisk / escortLevel"): _fields(
        "RiskAssessment", "assessedOn", "violenceRisk", "selfHarmRisk", "escortLevel"
    ),
    ("RiskAssessment", "basis / sourceRegister"): _fields(
        "RiskAssessment", "basis", "sourceRegister"
    ),
    ("AbscondingEvent", "date / reportedBy / wantedStatus / SISAlertRef"): _fields(
        "AbscondingEvent", "abscondedOn", "reportedBy", "wantedStatus", "sisAlertRef"
    ),
    (
        "Custody",
        "type(FÖRVAR|UPPSIKT|OMHÄNDERTAGANDE) / decidingAgency / legalBasis / start / end / "
        "nextReview / reportingDuties",
    ): _fields(
        "Custody",
        "type",
        "decidingAgency",
        "legalBasis",
        "startDate",
        "endDate",
        "nextReview",
        "reportingDuties",
    ),
    (
        "Impediment",
        "type(12:18|12:19 ny prövning|inhibition|criminal proceedings|practical) / filedDate / "
        "status / blocksEnforcement",
    ): _fields(
        "Impediment", "type", "filedDate", "status", "blocksEnforcement", "decidedDate", "details"
    ),
    ("ReturnCounselling", "date / outcome / statedIntent"): _fields(
        "ReturnCounselling", "heldOn", "outcome", "statedIntent"
    ),
    (
        "Handover",
        "from / to / date / reason / checklistCompleteness / guidanceToPolice",
    ): _fields(
        "Handover",
        "fromAgency",
        "fromUnit",
        "toAgency",
        "toUnit",
        "handedOverAt",
        "reason",
        "checklist",
        "guidance",
    ),
    (
        "EnforcementAttempt",
        "plannedDate / mode(UNESCORTED|ESCORTED|CHARTER) / escortProvider(KVV|Police|Frontex) / "
        "route / outcome / failureReason",
    ): _fields(
        "EnforcementAttempt",
        "plannedDate",
        "mode",
        "escortProvider",
        "route",
        "outcome",
        "failureReason",
    ),
    ("Outcome", "departureDate / departurePlace / destination / verifiedBy"): _fields(
        "Outcome", "departureDate", "departurePlace", "destination", "verifiedBy"
    ),
    ("PoliceFinding", "lastSeen / locationArea / newIdentityFindings / travelDocObtained"): _fields(
        "PoliceFinding", "lastSeen", "locationArea", "newIdentityFindings", "travelDocumentObtained"
    ),
    (
        "AccessAuditEvent",
        "who / role / agency / caseId / fieldPaths / purpose / decision(permit|deny|breakglass) / "
        "time",
    ): ("Query.auditEvents",),
}

# Qualified cells that grant part of a row: the coordinates the qualifier names; the rest of
# the row is N for that role.
PARTIAL = {
    "R(outcome)": frozenset({"ReturnCounselling.outcome"}),
    "R(status+blocks flag only)": frozenset({"Impediment.status", "Impediment.blocksEnforcement"}),
}
# Qualifiers that keep the cell's letter as it is; the row rule they name is tested elsewhere.
ROW_RULES = {
    "R(after handover)": "row scope handedOverToOwnUnit (test_row_scope.py)",
    "RW(police-owned states)": "the police transitions (test_workflow_transitions.py)",
    "R(flag only)": "the flag is the coordinate",
    "R(ref+result)": "references and results are the coordinates",
    "R(same-decision members)": "other-decision rows left out (test_households.py)",
    "R(need-to-know)": "C4 only with purpose CASE_HANDLING (test_field_matrix.py)",
    "R(metadata)": "the audit trail carries no values",
    "N(system only)": "not in the schema",
}
# Auditors see case ids only inside audit records, never through case queries.
AS_NEVER = {"R(id only)"}


@dataclass(frozen=True, slots=True)
class Cell:
    role: str
    entity: str
    field: str
    text: str

    def decision(self, coordinate: str) -> str:
        """R, RW, BG, A or N for one coordinate of the row."""
        if self.text in PARTIAL:
            return "R" if coordinate in PARTIAL[self.text] else "N"
        if self.text in AS_NEVER:
            return "N"
        return self.text.split("(")[0]


# Cells where the served policy deliberately differs from the matrix: (role, coordinate) ->
# (served decision, why). The matrix is ground truth, so each of these is a proposal to change it.
DEVIATIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("return_officer", "Decision.finalDate"): (
        "RW",
        "markDecisionFinal and re-verifying a corrected final date (issue 15): the matrix gives "
        "no role W, so no case could ever leave DECISION_ISSUED or UNDER_APPEAL.",
    ),
    ("return_officer", "Decision.finalDateVerified"): ("RW", "as the final date."),
    ("return_officer", "Outcome.departureDate"): (
        "RW",
        "voluntary departures are verified by Migrationsverket (recordDeparture, "
        "DEPARTED_VOLUNTARILY); the matrix's R leaves them unrecordable.",
    ),
    ("return_officer", "Outcome.departurePlace"): ("RW", "as the departure date."),
    ("return_officer", "Outcome.destination"): ("RW", "as the departure date."),
    ("return_officer", "Outcome.verifiedBy"): ("RW", "as the departure date."),
    ("case_officer", "Person.sex"): (
        "RW",
        "createCase must record the sex (a required field); the matrix's R leaves no role to "
        "record it. Never derived from the identity number (DOMAIN.md).",
    ),
    ("case_officer", "Person.protectedIdentity"): (
        "RW",
        "someone must record the flag when Skatteverket reports it; with R nobody can, and "
        "protection would fail open.",
    ),
    ("case_officer", "HealthAssessment.diagnoses"): (
        "RW",
        "no role has W on diagnoses in the matrix, so they could never be recorded; the case "
        "officer records what the medical certificate says.",
    ),
    ("case_officer", "HealthAssessment.certificateRef"): (
        "RW",
        "as diagnoses: the reference to the certificate is recorded with the assessment.",
    ),
    ("case_officer", "Person.photoRef"): (
        "RW",
        "the reference to the photo taken at registration is recorded with the person; no "
        "role has W in the matrix, so it could never be recorded.",
    ),
    ("case_officer", "Document.scanRef"): (
        "RW",
        "as the photo: the case officer records the reference to the scan (the 21:5 review "
        "before embassy use is embassySafe on the request).",
    ),
    ("case_officer", "ReturnCase.caseNumber"): (
        "RW",
        "createCase records Migrationsverket's case number of a new case (matrix: R).",
    ),
    ("case_officer", "ReturnCase.owningUnit"): (
        "RW",
        "createCase records the responsible unit of a new case (matrix: R).",
    ),
    ("case_officer", "Decision.destinationCountries"): (
        "RW",
        "createCase and correctDecision record the decision as issued, its destinations "
        "included (matrix: R, though every other decision field is RW).",
    ),
    ("return_officer", "Impediment.details"): (
        "BGW",
        "the content may carry asylum information (C4, JO 320-2015): the return officer files "
        "it but reads it back only by break-glass (matrix: RW).",
    ),
    ("border_police_officer", "RiskAssessment.basis"): (
        "RW",
        "the basis comes from the police's own registers (brottsdatalagen) and the police "
        "record it; the matrix gives no role W, so it could never be recorded.",
    ),
    ("border_police_officer", "RiskAssessment.sourceRegister"): (
        "RW",
        "as the basis: the police name the register they took it from.",
    ),
}


def cells() -> list[Cell]:
    with MATRIX.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Cell(role, row["entity"], row["field"], row[column].strip())
        for row in rows
        for column, role in ROLES.items()
    ]


# Closed cases (a terminal state, row attribute caseClosed): what each role still reads of a
# case it read while open. None: everything it read while the case was open. The police unit
# that held the case reads its outcome only (issue 15): numbers, resolution, departure, its own
# attempts without free text, and the history's transitions that date the resolution.
AFTER_CLOSING: dict[str, frozenset[str] | None] = {
    "case_officer": None,
    "return_officer": None,
    "border_police_officer": frozenset(
        {
            "ReturnCase.id",
            "ReturnCase.caseNumber",
            "ReturnCase.policeCaseNumber",
            "ReturnCase.state",
            "ReturnCase.version",
            "ReturnCase.updatedAt",
            *_fields(
                "Outcome", "id", "departureDate", "departurePlace", "destination", "verifiedBy"
            ),
            *_fields("EnforcementAttempt", "id", "plannedDate", "mode", "outcome"),
            *_fields("CaseEvent", "id", "occurredAt", "type", "fromState", "toState", "urgent"),
        }
    ),
    "police_analyst": frozenset(),
    "security_officer": frozenset(),
    "auditor": frozenset(),
}
