"""What each value of the domain's enums means, for the schema (and so the reference page).

Kept apart from `db.enums`, whose values are storage identifiers; `api/cases/types/enums.py`
attaches these to its strawberry enums (`api/graphql/describe.py`). A value without an entry
fails the schema's description test; an entry for a value that does not exist fails at import.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from db import enums

DESCRIPTIONS: Mapping[type[enum.Enum], Mapping[str, str]] = {
    enums.DublinRequestType: {
        "TAKE_CHARGE": "A take-charge request (Reg. 604/2013 art. 18(1)(a)).",
        "TAKE_BACK": "A take-back request (Reg. 604/2013 art. 18(1)(b)-(d)).",
    },
    enums.DublinExtension: {
        "IMPRISONMENT": "Extended to 12 months: the person is imprisoned (art. 29(2)).",
        "ABSCONDING": "Extended to 18 months: the person absconded (art. 29(2)).",
    },
    enums.Agency: {
        "MIGRATIONSVERKET": "The Swedish Migration Agency.",
        "POLISEN": "The Swedish Police Authority (Polismyndigheten).",
    },
    enums.CaseState: {
        "DECISION_ISSUED": "A refusal-of-entry or expulsion decision exists, not yet final.",
        "UNDER_APPEAL": "The decision is appealed (överklagat).",
        "FINAL": "The decision is final (laga kraft).",
        "VOLUNTARY_PERIOD": "The period for voluntary departure runs (Migrationsverket).",
        "MV_ENFORCEMENT": "Migrationsverket enforces the decision itself.",
        "HANDED_OVER": "Handed over to a police unit for enforcement (12 kap 14 § UtlL).",
        "RETURNED_TO_MV": "The police handed the case back to Migrationsverket.",
        "SUSPENDED": "Suspended by an impediment, stay or new examination; resumes in the "
        "state it had.",
        "DEPARTED_VOLUNTARILY": "Terminal: the person left voluntarily.",
        "ENFORCED": "Terminal: the decision was enforced.",
        "DUBLIN_TRANSFERRED": "Terminal: transferred to the responsible Dublin state.",
        "DUBLIN_DEADLINE_EXPIRED": "Terminal: the Dublin transfer deadline passed.",
        "PERMIT_GRANTED": "Terminal: a residence permit was granted.",
        "LAPSED": "Terminal: the decision lapsed (preskriberat, 12 kap 22 § UtlL).",
        "DECISION_QUASHED": "Terminal: the decision was quashed.",
        "DECEASED": "Terminal: the person died.",
        "CLOSED_OTHER": "Terminal: closed for another reason.",
    },
    enums.PoliceSubState: {
        "WANTED": "The person is sought (efterlyst).",
        "LOCATED": "The person has been located.",
        "PREPARING": "The return is being prepared (travel documents, tickets, escort).",
        "IN_CUSTODY": "The person is held in custody.",
        "SCHEDULED": "The return is scheduled.",
        "IN_EXECUTION": "The return is under way.",
    },
    enums.HandoverReason: {
        "ABSCONDED": "The person has absconded (avvikit).",
        "COERCION_NEEDED": "Coercion is likely to be needed.",
    },
    enums.DecisionType: {
        "AVVISNING": "Refusal of entry.",
        "UTVISNING": "Expulsion.",
        "DUBLIN_TRANSFER": "Transfer to the Dublin state responsible for the application.",
        "BROTTSUTVISNING": "Expulsion on account of crime (decided by a general court).",
        "POLICE_AVVISNING": "Refusal of entry decided by the police.",
    },
    enums.DecidingBody: {
        "MIGRATIONSVERKET": "The Swedish Migration Agency.",
        "MIGRATION_COURT": "A migration court (migrationsdomstol).",
        "MIGRATION_COURT_OF_APPEAL": "The Migration Court of Appeal (Migrationsöverdomstolen).",
        "GENERAL_COURT": "A general court (allmän domstol).",
        "POLICE": "The Police.",
    },
    enums.LapseRule: {
        "PRE_2025": "Decisions before 2025-04-01: lapse 4 years after the final date.",
        "POST_2025": "Decisions from 2025-04-01: lapse 5 years after departure.",
    },
    enums.IdentityNumberKind: {
        "PERSONNUMMER": "Personal identity number.",
        "SAMORDNINGSNUMMER": "Coordination number (day of birth + 60).",
    },
    enums.IdentityStatus: {
        "ACTIVE": "The number is in use.",
        "DORMANT": "The number is dormant (vilande).",
    },
    enums.IdentityAssurance: {
        "VERIFIED": "Established (styrkt).",
        "PROBABLE": "Probable (sannolik).",
        "UNCERTAIN": "Uncertain (osäker).",
    },
    enums.DateCertainty: {
        "EXACT": "Known exactly.",
        "APPROXIMATE": "Approximately known.",
        "ASSESSED": "Assessed, e.g. by an age assessment.",
    },
    enums.Sex: {
        "FEMALE": "Female.",
        "MALE": "Male.",
        "OTHER": "Other.",
        "UNKNOWN": "Not known.",
    },
    enums.CitizenshipBasis: {
        "CLAIMED": "Stated by the person.",
        "ASSESSED": "Assessed by the authority.",
        "VERIFIED": "Verified, e.g. by a document or the embassy.",
    },
    enums.NameKind: {
        "ALIAS": "Another name the person has used.",
        "TRANSLITERATION": "The same name in another transliteration.",
    },
    enums.DocumentType: {
        "PASSPORT": "Passport.",
        "NATIONAL_ID_CARD": "National identity card.",
        "LAISSEZ_PASSER": "Laissez-passer (a one-way travel document).",
        "BIRTH_CERTIFICATE": "Birth certificate.",
        "OTHER": "Another document.",
    },
    enums.DocumentHolder: {
        "PERSON": "The person holds it.",
        "MIGRATIONSVERKET": "Migrationsverket holds it.",
        "POLICE": "The police hold it.",
        "EMBASSY": "The embassy holds it.",
    },
    enums.TravelDocumentStatus: {
        "REQUESTED": "Requested from the embassy.",
        "INTERVIEW_SCHEDULED": "The embassy scheduled an interview.",
        "ISSUED": "Issued.",
        "REFUSED": "Refused by the embassy.",
        "NO_RESPONSE": "The embassy has not answered.",
    },
    enums.AddressType: {
        "REGISTERED": "Registered address (folkbokföring).",
        "ACCOMMODATION": "Where the person is accommodated (boende).",
        "LAST_KNOWN": "Last known whereabouts.",
        "CUSTODY": "A detention centre or other custody.",
    },
    enums.ContactKind: {
        "PHONE": "Telephone number.",
        "EMAIL": "E-mail address.",
        "LEGAL_REPRESENTATIVE": "The person's legal representative (offentligt biträde).",
    },
    enums.FamilyRelation: {
        "CHILD": "Child.",
        "SPOUSE": "Spouse or partner.",
        "PARENT": "Parent.",
        "SIBLING": "Sibling.",
        "OTHER": "Other relation.",
    },
    enums.FitToTravel: {
        "YES": "Fit to travel.",
        "NO": "Not fit to travel.",
        "WITH_CONDITIONS": "Fit to travel under conditions (e.g. medical escort).",
    },
    enums.RiskLevel: {"LOW": "Low.", "MEDIUM": "Medium.", "HIGH": "High."},
    enums.EscortLevel: {
        "NONE": "No escort.",
        "STANDARD": "Standard escort.",
        "REINFORCED": "Reinforced escort.",
    },
    enums.CustodyType: {
        "FORVAR": "Detention (förvar).",
        "UPPSIKT": "Supervision (uppsikt).",
        "OMHANDERTAGANDE": "Taken into police custody (omhändertagande).",
    },
    enums.ImpedimentType: {
        "IMPEDIMENT_12_18": "Impediment to enforcement (verkställighetshinder, 12 kap 18 § UtlL).",
        "NEW_EXAMINATION_12_19": "New examination (ny prövning, 12 kap 19 § UtlL).",
        "STAY_OF_ENFORCEMENT": "A court's stay of enforcement (inhibition).",
        "CRIMINAL_PROCEEDINGS": "Pending criminal proceedings.",
        "PRACTICAL": "A practical impediment (e.g. no travel document, no flights).",
    },
    enums.ImpedimentStatus: {
        "PENDING": "Filed, not yet decided; open.",
        "ACTIVE": "In force; open.",
        "RESOLVED": "No longer in force.",
        "REJECTED": "Rejected.",
    },
    enums.EnforcementMode: {
        "UNESCORTED": "The person travels without escort.",
        "ESCORTED": "The person travels with escort.",
        "CHARTER": "A charter flight.",
    },
    enums.EscortProvider: {
        "KRIMINALVARDEN": "The Prison and Probation Service's transport service.",
        "POLICE": "The police.",
        "FRONTEX": "A Frontex-coordinated operation.",
    },
    enums.AttemptOutcome: {
        "PLANNED": "Planned, not yet carried out.",
        "COMPLETED": "Carried out.",
        "FAILED": "Attempted and failed (see the failure reason).",
        "CANCELLED": "Cancelled before it was carried out.",
    },
    enums.WantedStatus: {
        "NOT_WANTED": "Not sought.",
        "WANTED": "Sought (efterlyst).",
        "FOUND": "Found after being sought.",
    },
    enums.CounsellingOutcome: {
        "WILLING_TO_RETURN": "The person is willing to return.",
        "UNDECIDED": "The person is undecided.",
        "REFUSES": "The person refuses to return.",
        "DID_NOT_APPEAR": "The person did not come.",
    },
    enums.CaseEventType: {
        "CASE_CREATED": "The case was registered.",
        "STATE_CHANGED": "The case moved to another state (see fromState and toState).",
        "HANDED_OVER": "The case was handed over to the police.",
        "RETURNED_TO_MV": "The police handed the case back to Migrationsverket.",
        "PERSON_UPDATED": "The person's identity data changed.",
        "DECISION_CORRECTED": "The decision was corrected.",
        "DOCUMENT_RECORDED": "A document was recorded.",
        "TRAVEL_DOCUMENT_REQUESTED": "A travel document was requested from an embassy.",
        "ADDRESS_RECORDED": "An address was recorded.",
        "CONTACT_RECORDED": "Contact information was recorded.",
        "FAMILY_MEMBER_RECORDED": "A family member was recorded.",
        "HEALTH_ASSESSED": "A health assessment was recorded.",
        "RISK_ASSESSED": "A risk assessment was recorded.",
        "ABSCONDING_RECORDED": "The person absconded.",
        "CUSTODY_RECORDED": "A custody decision was recorded.",
        "IMPEDIMENT_FILED": "An impediment, stay or new examination was filed.",
        "IMPEDIMENT_DECIDED": "An impediment was decided.",
        "COUNSELLING_RECORDED": "Return counselling was recorded.",
        "ENFORCEMENT_ATTEMPT_RECORDED": "An enforcement attempt was planned or recorded.",
        "DEPARTURE_RECORDED": "The person's departure was recorded.",
        "PERMIT_DECISION_RECORDED": "A residence permit granted after the decision was recorded.",
        "APPEAL_OUTCOME_RECORDED": "A court's outcome on an appeal was recorded.",
        "DEATH_RECORDED": "The person's death was recorded.",
        "POLICE_CASE_NUMBER_RECORDED": "The police recorded their own case number.",
        "POLICE_FINDING_RECORDED": "The police recorded a finding.",
    },
    enums.PermitBasis: {
        "IMPEDIMENT_12_18": "Granted because of an impediment to enforcement (12 kap. 18 § UtlL).",
        "NEW_EXAMINATION_12_19": "Granted after a new examination (12 kap. 19 § UtlL).",
        "OTHER": "Granted on another ground (for example a new application).",
    },
    enums.AppealOutcome: {
        "UPHELD": "The court upheld the decision (avslag på överklagandet).",
        "QUASHED": "The court quashed the decision (upphävt).",
        "QUASHED_REFERRED_BACK": "The court quashed the decision and referred the case back "
        "(upphävt och återförvisat).",
    },
    enums.DeathNoticeSource: {
        "SKATTEVERKET": "Skatteverket's population register (folkbokföringen).",
        "POLICE": "The police.",
        "FOREIGN_AUTHORITY": "An authority of another country.",
        "OTHER": "Another source.",
    },
}
