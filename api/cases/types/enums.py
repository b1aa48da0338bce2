"""GraphQL enums: the domain vocabularies of `db.enums`, described for integrators."""

from __future__ import annotations

import strawberry

from api.cases.types import enum_values
from api.graphql.describe import describe_values
from db import enums

Agency = strawberry.enum(enums.Agency, description="An authority sharing return cases.")
CaseState = strawberry.enum(
    enums.CaseState,
    description="Where a return case stands (återvändandeärendets status); see DOMAIN.md.",
)
PoliceSubState = strawberry.enum(
    enums.PoliceSubState, description="The police's own progress on a handed-over case."
)
HandoverReason = strawberry.enum(
    enums.HandoverReason,
    description="Why enforcement was handed to the police (12 kap 14 § UtlL).",
)
DecisionType = strawberry.enum(
    enums.DecisionType,
    description="Refusal of entry (avvisning), expulsion (utvisning), Dublin transfer, "
    "expulsion on account of crime (utvisning på grund av brott) or police refusal of entry.",
)
DecidingBody = strawberry.enum(enums.DecidingBody, description="Who made the decision.")
LapseRule = strawberry.enum(
    enums.LapseRule,
    description="Version of the lapse rule (preskription, 12 kap 22 § UtlL): PRE_2025 lapses "
    "4 years after the final date, or when a longer entry ban ends, and a general court's "
    "expulsion for crime when its entry ban ends; POST_2025 (decisions from 2025-04-01, prop. "
    "2024/25:92) 5 years after departure, or later while an entry ban runs.",
)
DublinRequestType = strawberry.enum(
    enums.DublinRequestType,
    description="Dublin request (Reg. 604/2013 art. 18): take charge or take back.",
)
DublinExtension = strawberry.enum(
    enums.DublinExtension,
    description="Why the Dublin transfer deadline was extended (Reg. 604/2013 art. 29(2)): "
    "imprisonment (12 months) or absconding (18 months).",
)
IdentityNumberKind = strawberry.enum(
    enums.IdentityNumberKind,
    description="Personal identity number (personnummer) or coordination number "
    "(samordningsnummer).",
)
IdentityStatus = strawberry.enum(
    enums.IdentityStatus, description="Whether the number is active or dormant (vilande)."
)
IdentityAssurance = strawberry.enum(
    enums.IdentityAssurance,
    description="How well the identity is established: verified (styrkt), probable (sannolik), "
    "uncertain (osäker).",
)
DateCertainty = strawberry.enum(enums.DateCertainty, description="How certain a date is.")
Sex = strawberry.enum(enums.Sex, description="Sex (kön) as recorded.")
CitizenshipBasis = strawberry.enum(
    enums.CitizenshipBasis, description="Whether a citizenship is claimed, assessed or verified."
)
NameKind = strawberry.enum(enums.NameKind, description="Alias or transliteration of a name.")
DocumentType = strawberry.enum(enums.DocumentType, description="Kind of identity document.")
DocumentHolder = strawberry.enum(enums.DocumentHolder, description="Who holds a document.")
TravelDocumentStatus = strawberry.enum(
    enums.TravelDocumentStatus, description="Progress of a travel-document request to an embassy."
)
AddressType = strawberry.enum(enums.AddressType, description="Kind of address.")
ContactKind = strawberry.enum(enums.ContactKind, description="Kind of contact information.")
FamilyRelation = strawberry.enum(enums.FamilyRelation, description="Family relation.")
FitToTravel = strawberry.enum(
    enums.FitToTravel, description="Fit to travel (reseduglighet): the operational summary."
)
RiskLevel = strawberry.enum(enums.RiskLevel, description="Assessed level of a risk.")
EscortLevel = strawberry.enum(enums.EscortLevel, description="Escort level needed.")
CustodyType = strawberry.enum(
    enums.CustodyType,
    description="Detention (förvar), supervision (uppsikt) or police custody (omhändertagande).",
)
ImpedimentType = strawberry.enum(
    enums.ImpedimentType,
    description="Impediment to enforcement (verkställighetshinder, 12 kap 18 §), new examination "
    "(ny prövning, 12 kap 19 §), stay of enforcement (inhibition), criminal proceedings or a "
    "practical impediment.",
)
ImpedimentStatus = strawberry.enum(enums.ImpedimentStatus, description="Status of an impediment.")
EnforcementMode = strawberry.enum(enums.EnforcementMode, description="How a return is carried out.")
EscortProvider = strawberry.enum(
    enums.EscortProvider, description="Who escorts: Kriminalvården, the police or Frontex."
)
AttemptOutcome = strawberry.enum(
    enums.AttemptOutcome, description="Outcome of an enforcement attempt."
)
WantedStatus = strawberry.enum(
    enums.WantedStatus, description="Whether the person is wanted (efterlyst)."
)
CounsellingOutcome = strawberry.enum(
    enums.CounsellingOutcome, description="Outcome of return counselling (återvändandesamtal)."
)
PermitBasis = strawberry.enum(
    enums.PermitBasis,
    description="Why a residence permit was granted after a final refusal or expulsion decision.",
)
AppealOutcome = strawberry.enum(
    enums.AppealOutcome, description="What the court did with the appealed decision."
)
DeathNoticeSource = strawberry.enum(enums.DeathNoticeSource, description="Who notified a death.")
CaseEventType = strawberry.enum(enums.CaseEventType, description="Kind of change to a case.")

for _enum, _values in enum_values.DESCRIPTIONS.items():
    describe_values(_enum, _values)
