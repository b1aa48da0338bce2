"""GraphQL enums: the domain vocabularies of `db.enums`, described for integrators.

Each name is the `db.enums` class itself (a type alias mypy can check), registered with
`strawberry.enum`, which marks the class in place and returns it unchanged.
"""

from __future__ import annotations

import strawberry

from api.cases.types import enum_values
from api.graphql.describe import describe_values
from db import enums

Agency = enums.Agency
strawberry.enum(Agency, description="An authority sharing return cases.")
CaseState = enums.CaseState
strawberry.enum(
    CaseState,
    description="Where a return case stands (återvändandeärendets status); see DOMAIN.md.",
)
PoliceSubState = enums.PoliceSubState
strawberry.enum(PoliceSubState, description="The police's own progress on a handed-over case.")
HandoverReason = enums.HandoverReason
strawberry.enum(
    HandoverReason,
    description="Why enforcement was handed to the police (12 kap 14 § UtlL).",
)
DecisionType = enums.DecisionType
strawberry.enum(
    DecisionType,
    description="Refusal of entry (avvisning), expulsion (utvisning), Dublin transfer, "
    "expulsion on account of crime (utvisning på grund av brott) or police refusal of entry.",
)
DecidingBody = enums.DecidingBody
strawberry.enum(DecidingBody, description="Who made the decision.")
LapseRule = enums.LapseRule
strawberry.enum(
    LapseRule,
    description="Version of the lapse rule (preskription, 12 kap 22 § UtlL): PRE_2025 lapses "
    "4 years after the final date, or when a longer entry ban ends, and a general court's "
    "expulsion for crime when its entry ban ends; POST_2025 (decisions from 2025-04-01, prop. "
    "2024/25:92) 5 years after departure, or later while an entry ban runs.",
)
DublinRequestType = enums.DublinRequestType
strawberry.enum(
    DublinRequestType,
    description="Dublin request (Reg. 604/2013 art. 18): take charge or take back.",
)
DublinExtension = enums.DublinExtension
strawberry.enum(
    DublinExtension,
    description="Why the Dublin transfer deadline was extended (Reg. 604/2013 art. 29(2)): "
    "imprisonment (12 months) or absconding (18 months).",
)
IdentityNumberKind = enums.IdentityNumberKind
strawberry.enum(
    IdentityNumberKind,
    description="Personal identity number (personnummer) or coordination number "
    "(samordningsnummer).",
)
IdentityStatus = enums.IdentityStatus
strawberry.enum(IdentityStatus, description="Whether the number is active or dormant (vilande).")
IdentityAssurance = enums.IdentityAssurance
strawberry.enum(
    IdentityAssurance,
    description="How well the identity is established: verified (styrkt), probable (sannolik), "
    "uncertain (osäker).",
)
DateCertainty = enums.DateCertainty
strawberry.enum(DateCertainty, description="How certain a date is.")
Sex = enums.Sex
strawberry.enum(Sex, description="Sex (kön) as recorded.")
CitizenshipBasis = enums.CitizenshipBasis
strawberry.enum(
    CitizenshipBasis, description="Whether a citizenship is claimed, assessed or verified."
)
NameKind = enums.NameKind
strawberry.enum(NameKind, description="Alias or transliteration of a name.")
DocumentType = enums.DocumentType
strawberry.enum(DocumentType, description="Kind of identity document.")
DocumentHolder = enums.DocumentHolder
strawberry.enum(DocumentHolder, description="Who holds a document.")
TravelDocumentStatus = enums.TravelDocumentStatus
strawberry.enum(
    TravelDocumentStatus, description="Progress of a travel-document request to an embassy."
)
AddressType = enums.AddressType
strawberry.enum(AddressType, description="Kind of address.")
ContactKind = enums.ContactKind
strawberry.enum(ContactKind, description="Kind of contact information.")
FamilyRelation = enums.FamilyRelation
strawberry.enum(FamilyRelation, description="Family relation.")
FitToTravel = enums.FitToTravel
strawberry.enum(FitToTravel, description="Fit to travel (reseduglighet): the operational summary.")
RiskLevel = enums.RiskLevel
strawberry.enum(RiskLevel, description="Assessed level of a risk.")
EscortLevel = enums.EscortLevel
strawberry.enum(EscortLevel, description="Escort level needed.")
CustodyType = enums.CustodyType
strawberry.enum(
    CustodyType,
    description="Detention (förvar), supervision (uppsikt) or police custody (omhändertagande).",
)
ImpedimentType = enums.ImpedimentType
strawberry.enum(
    ImpedimentType,
    description="Impediment to enforcement (verkställighetshinder, 12 kap 18 §), new examination "
    "(ny prövning, 12 kap 19 §), stay of enforcement (inhibition), criminal proceedings or a "
    "practical impediment.",
)
ImpedimentStatus = enums.ImpedimentStatus
strawberry.enum(ImpedimentStatus, description="Status of an impediment.")
EnforcementMode = enums.EnforcementMode
strawberry.enum(EnforcementMode, description="How a return is carried out.")
EscortProvider = enums.EscortProvider
strawberry.enum(EscortProvider, description="Who escorts: Kriminalvården, the police or Frontex.")
AttemptOutcome = enums.AttemptOutcome
strawberry.enum(AttemptOutcome, description="Outcome of an enforcement attempt.")
WantedStatus = enums.WantedStatus
strawberry.enum(WantedStatus, description="Whether the person is wanted (efterlyst).")
CounsellingOutcome = enums.CounsellingOutcome
strawberry.enum(
    CounsellingOutcome, description="Outcome of return counselling (återvändandesamtal)."
)
PermitBasis = enums.PermitBasis
strawberry.enum(
    PermitBasis,
    description="Why a residence permit was granted after a final refusal or expulsion decision.",
)
AppealOutcome = enums.AppealOutcome
strawberry.enum(AppealOutcome, description="What the court did with the appealed decision.")
DeathNoticeSource = enums.DeathNoticeSource
strawberry.enum(DeathNoticeSource, description="Who notified a death.")
CaseEventType = enums.CaseEventType
strawberry.enum(CaseEventType, description="Kind of change to a case.")

for _enum, _values in enum_values.DESCRIPTIONS.items():
    describe_values(_enum, _values)
