"""Generate realistic, deterministic synthetic return cases.

Every case follows a plausible path through the state machine to its current state, and the
data agrees with that path and with the rules the API enforces (`tests/db/test_seed_invariants`
checks every one with the API's own functions): final dates only after finality, voluntary
periods that run on the seed's day, enforcement only of verified, unlapsed decisions past their
voluntary period, handover checklists that match the facts, Dublin transfers to Dublin states
within their deadlines, entry bans from departure, custody with its review ahead.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

from sqlalchemy import Table

from api.cases import timers
from api.cases.dublin import DUBLIN_STATES
from api.cases.identity_numbers import generate_personnummer, generate_samordningsnummer
from api.seed import names
from db import models as m
from db.base import Base
from db.enums import (
    AddressType,
    Agency,
    AppealOutcome,
    AttemptOutcome,
    CaseEventType,
    CaseState,
    CitizenshipBasis,
    ContactKind,
    CounsellingOutcome,
    CustodyType,
    DateCertainty,
    DeathNoticeSource,
    DecidingBody,
    DecisionType,
    DocumentHolder,
    DocumentType,
    DublinRequestType,
    EnforcementMode,
    EscortLevel,
    EscortProvider,
    FamilyRelation,
    FitToTravel,
    HandoverReason,
    IdentityAssurance,
    IdentityNumberKind,
    IdentityStatus,
    ImpedimentStatus,
    ImpedimentType,
    NameKind,
    PermitBasis,
    PoliceSubState,
    RiskLevel,
    Sex,
    TravelDocumentStatus,
    WantedStatus,
)

S = CaseState
_MV = [S.DECISION_ISSUED, S.FINAL, S.VOLUNTARY_PERIOD, S.MV_ENFORCEMENT]
_POLICE = [*_MV, S.HANDED_OVER]

# Current state -> (weight, path of states leading to it).
PATHS: dict[CaseState, tuple[int, list[CaseState]]] = {
    S.DECISION_ISSUED: (4, [S.DECISION_ISSUED]),
    S.UNDER_APPEAL: (6, [S.DECISION_ISSUED, S.UNDER_APPEAL]),
    S.FINAL: (5, [S.DECISION_ISSUED, S.UNDER_APPEAL, S.FINAL]),
    S.VOLUNTARY_PERIOD: (14, _MV[:3]),
    S.MV_ENFORCEMENT: (14, _MV),
    S.HANDED_OVER: (18, _POLICE),
    S.RETURNED_TO_MV: (4, [*_POLICE, S.RETURNED_TO_MV]),
    S.SUSPENDED: (5, [*_MV, S.SUSPENDED]),
    S.DEPARTED_VOLUNTARILY: (9, [*_MV[:3], S.DEPARTED_VOLUNTARILY]),
    S.ENFORCED: (7, [*_POLICE, S.ENFORCED]),
    S.DUBLIN_TRANSFERRED: (3, [S.DECISION_ISSUED, S.FINAL, S.MV_ENFORCEMENT, S.DUBLIN_TRANSFERRED]),
    S.DUBLIN_DEADLINE_EXPIRED: (
        1,
        [S.DECISION_ISSUED, S.FINAL, S.MV_ENFORCEMENT, S.DUBLIN_DEADLINE_EXPIRED],
    ),
    S.PERMIT_GRANTED: (3, [*_MV[:3], S.SUSPENDED, S.PERMIT_GRANTED]),
    S.LAPSED: (2, [*_MV, S.LAPSED]),
    S.DECISION_QUASHED: (1, [S.DECISION_ISSUED, S.UNDER_APPEAL, S.DECISION_QUASHED]),
    S.DECEASED: (1, [*_MV[:3], S.DECEASED]),
    S.CLOSED_OTHER: (2, [S.DECISION_ISSUED, S.FINAL, S.CLOSED_OTHER]),
}
_STATES = list(PATHS)
_WEIGHTS = [PATHS[state][0] for state in _STATES]
_DUBLIN_STATES = {S.DUBLIN_TRANSFERRED, S.DUBLIN_DEADLINE_EXPIRED}
_TWO_WEEKS = {DecisionType.AVVISNING, DecisionType.POLICE_AVVISNING}
# States whose path went through the enforceability gate: their final date was verified.
_VERIFIED = {
    S.MV_ENFORCEMENT,
    S.HANDED_OVER,
    S.RETURNED_TO_MV,
    S.SUSPENDED,
    S.ENFORCED,
    S.DUBLIN_TRANSFERRED,
    S.LAPSED,
}
# States a decision with immediate enforcement (and so no voluntary period) can be in.
_IMMEDIATE_OK = {S.MV_ENFORCEMENT, S.HANDED_OVER, S.ENFORCED, S.CLOSED_OTHER}
# States where custody for enforcement may run now (the case is enforceable).
_ENFORCING = {S.MV_ENFORCEMENT, S.HANDED_OVER}


CLOSED_OTHER_JUSTIFICATION = "Synthetic demo: the person left Sweden, as the embassy reported."


def _police_case_number(decided: date, serial: int) -> str:
    """A police diarienummer in the accepted form (api/cases/police_case_numbers.py)."""
    return f"A{serial // 1000}.{serial % 1000:03d}/{decided.year}"


class Rows:
    """Rows per table, each with every column of its table (executemany needs equal keys)."""

    def __init__(self) -> None:
        self.by_table: dict[Table, list[dict[str, Any]]] = defaultdict(list)

    def add(self, model: type[Base], **values: Any) -> dict[str, Any]:
        table: Table = model.__table__
        row = {column.key: None for column in table.columns if column.key != "seq"}
        row.update(values)
        self.by_table[table].append(row)
        return row


class Dates(TypedDict):
    """The dates of one generated case's decision and outcome."""

    decision: date
    final: date | None
    accepted: date | None
    departure: date | None


class CaseGenerator:
    def __init__(self, rng: random.Random, today: date, first_number: int) -> None:
        self.rng = rng
        self.today = today
        self.number = first_number
        self.families = 0
        # Every state at least once, even in a small demo; then the weighted spread.
        self.unvisited = list(_STATES)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, day: date) -> datetime:
        seconds = self.rng.randrange(7 * 3600, 18 * 3600)
        return datetime.combine(day, time(), tzinfo=UTC) + timedelta(seconds=seconds)

    def day_between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def generate(self, rows: Rows, room: int) -> int:
        """One case and the cases of children on the same decision, at most `room` in all."""
        state = self.unvisited.pop() if self.unvisited else self.rng.choices(_STATES, _WEIGHTS)[0]
        adult = self._case(rows, state, age=(18, 70))
        count = 1
        if self.rng.random() < 0.10:
            children = []
            for _ in range(min(self.rng.randint(1, 2), room - 1)):
                child = self._case(rows, state, age=(1, 17), like=adult)
                self._link(rows, adult, child)
                children.append(child)
                count += 1
            self._household(rows, adult, children)
        return count

    def _household(self, rows: Rows, adult: dict[str, Any], children: list[dict[str, Any]]) -> None:
        """Children live at the parent's address, and every third family's parent has
        protected identity, so the demo always has protected households (issue 16). Set after
        the rows are drawn, so the random sequence (and every other row) stays the same."""
        if not children:
            return
        self.families += 1
        ids = {adult["case"]["id"], *(child["case"]["id"] for child in children)}
        # The family's cases were drawn last: at most one address each, at the end of the list.
        recent = rows.by_table[m.Address.__table__][-len(ids) :]
        addresses = [row for row in recent if row["case_id"] in ids]
        home = next((a for a in addresses if a["case_id"] == adult["case"]["id"]), None)
        if home is not None:
            for address in addresses:
                address.update(
                    street=home["street"], postal_code=home["postal_code"], city=home["city"]
                )
        if self.families % 3 == 1:
            for person in reversed(rows.by_table[m.Person.__table__]):
                if person["case_id"] == adult["case"]["id"]:
                    person["protected_identity"] = True
                    break

    def _case(
        self, rows: Rows, state: CaseState, age: tuple[int, int], like: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        rng = self.rng
        path = PATHS[state][1]
        case_id = self.uuid()
        if like is None:
            decision_type = (
                DecisionType.DUBLIN_TRANSFER
                if state in _DUBLIN_STATES
                else rng.choices(list(DecisionType), [40, 30, 0, 8, 6])[0]
            )
            dates = self._dates(state, decision_type)
            mv_unit = rng.choice(names.MV_UNITS)
            police_unit = rng.choice(names.POLICE_UNITS)
        else:
            decision_type = like["decision_type"]
            dates = like["dates"]
            mv_unit, police_unit = like["mv_unit"], like["police_unit"]
        decision_date, final_date = dates["decision"], dates["final"]
        handed = S.HANDED_OVER in path
        owned_by_police = state is S.HANDED_OVER
        self.number += 1
        created = self.moment(decision_date)
        case = rows.add(
            m.ReturnCase,
            id=case_id,
            case_number=f"MV-{decision_date.year}-{self.number:06d}",
            police_case_number=_police_case_number(decision_date, rng.randrange(10**5, 10**6))
            if handed
            else None,
            state=state,
            sub_state=rng.choice(list(PoliceSubState)) if owned_by_police else None,
            state_before_suspension=path[-2] if state is S.SUSPENDED else None,
            owning_agency=Agency.POLISEN if owned_by_police else Agency.MIGRATIONSVERKET,
            owning_unit=police_unit if owned_by_police else mv_unit,
            responsible_unit=mv_unit,
            handover_reason=rng.choice(list(HandoverReason)) if handed else None,
            # closeCase(CLOSED_OTHER) needs a justification in words (api/cases/closing.py).
            closing_justification=CLOSED_OTHER_JUSTIFICATION if state is S.CLOSED_OTHER else None,
            enforcement_blocked=state is S.SUSPENDED,
            version=len(path),
            created_at=created,
            updated_at=created,
        )
        context = {
            "case": case,
            "dates": dates,
            "decision_date": decision_date,
            "decision_type": decision_type,
            "final_date": final_date,
            "mv_unit": mv_unit,
            "police_unit": police_unit,
        }
        birth = self.today - timedelta(days=rng.randrange(age[0] * 365, age[1] * 365))
        self._person(rows, case_id, birth, like, handed=handed)
        if state is S.DECEASED:  # the notified death a DECEASED closing rests on
            rows.by_table[m.Person.__table__][-1].update(
                date_of_death=self.today - timedelta(days=10),
                death_notified_on=self.today - timedelta(days=7),
                death_notice_source=DeathNoticeSource.SKATTEVERKET,
            )
        context["family_name"] = self._family_name
        departure = self._decision_and_outcome(rows, context, state, path)
        self._facts(rows, context, state, path, departure)
        self._events(rows, context, path)
        case["updated_at"] = context.get("last_event", created)
        context["birth"] = birth
        return context

    def _dates(self, state: CaseState, decision_type: DecisionType) -> Dates:
        """Dates that put the case where its state says, by the rules the API enforces: a
        voluntary period that runs today, enforcement after it and before the lapse date, a
        lapse date passed for LAPSED, a Dublin transfer within its deadline."""
        rng, today = self.rng, self.today
        days = timedelta
        period = days(weeks=2 if decision_type in _TWO_WEEKS else 4)
        accepted = departure = None
        final: date | None
        if decision_type is DecisionType.DUBLIN_TRANSFER:
            if state is S.DUBLIN_DEADLINE_EXPIRED:
                accepted = today - days(days=rng.randrange(200, 500))
            else:
                accepted = today - days(days=rng.randrange(20, 170))
            decision = accepted + days(days=rng.randrange(1, 10))
            final = min(decision + days(days=rng.randrange(7, 21)), today - days(days=2))
            decision = min(decision, final)
            if state is S.DUBLIN_TRANSFERRED:
                deadline = timers.dublin_transfer_deadline(
                    accepted, imprisoned=False, absconded=False
                )
                assert deadline is not None  # the acceptance date is set
                departure = self.day_between(final, min(deadline, today))
            return {
                "decision": decision,
                "final": final,
                "accepted": accepted,
                "departure": departure,
            }
        if state is S.LAPSED:
            # Old 12 kap. 22 § UtlL: four years from a verified final date, passed by now.
            final = self.day_between(date(2020, 6, 1), timers.add_months(today, -49))
        elif S.FINAL not in PATHS[state][1]:
            final = None
        elif state is S.VOLUNTARY_PERIOD:
            final = today - days(days=rng.randrange(0, period.days))
        elif state in (S.FINAL, S.DEPARTED_VOLUNTARILY, S.CLOSED_OTHER, S.DECEASED):
            final = today - days(days=rng.randrange(3, 900))
        else:  # enforced or on the way to it: past the voluntary period, well before the lapse
            final = today - days(days=rng.randrange(period.days + 2, 1200))
        anchor = final or today - days(days=rng.randrange(1, 300))
        decision = anchor - days(days=rng.randrange(21, 300))
        if state is S.LAPSED:
            decision = min(decision, timers.LAPSE_RULE_CHANGE_DATE - days(days=1))
        if state is S.ENFORCED:
            assert final is not None  # enforced and departed cases have a final decision
            departure = self.day_between(final + period + days(days=1), today)
        elif state is S.DEPARTED_VOLUNTARILY:
            assert final is not None
            departure = self.day_between(final, today)
        return {"decision": decision, "final": final, "accepted": None, "departure": departure}

    def _person(
        self,
        rows: Rows,
        case_id: str,
        birth: date,
        like: dict[str, Any] | None,
        *,
        handed: bool,
    ) -> None:
        rng = self.rng
        family = like["family_name"] if like else rng.choice(names.FAMILY_NAMES)
        self._family_name = family
        roll = rng.random()
        number = kind = None
        if roll < 0.60:
            number, kind = (
                generate_samordningsnummer(rng, birth),
                IdentityNumberKind.SAMORDNINGSNUMMER,
            )
        elif roll < 0.75:
            number, kind = generate_personnummer(rng, birth), IdentityNumberKind.PERSONNUMMER
        # A handover needs an established identity (its checklist): never UNCERTAIN then.
        assurance_weights = [40, 60, 0] if handed else [30, 45, 25]
        stateless = rng.random() < 0.03
        rows.add(
            m.Person,
            id=self.uuid(),
            case_id=case_id,
            created_at=self.moment(birth),
            given_name=rng.choice(names.GIVEN_NAMES),
            family_name=family,
            date_of_birth=birth,
            date_of_birth_certainty=rng.choices(list(DateCertainty), [70, 20, 10])[0],
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
            identity_number=number,
            identity_number_kind=kind,
            # Only a coordination number can be dormant (vilande).
            identity_status=(
                rng.choice(list(IdentityStatus))
                if kind is IdentityNumberKind.SAMORDNINGSNUMMER
                else IdentityStatus.ACTIVE
            )
            if number
            else None,
            identity_assurance=rng.choices(list(IdentityAssurance), assurance_weights)[0],
            stateless=stateless,
            languages=rng.sample(names.LANGUAGES, rng.randint(1, 3)),
            interpreter_needed=rng.random() < 0.7,
            protected_identity=rng.random() < 0.03,
            photo_ref=f"photo/{self.uuid()}" if rng.random() < 0.5 else None,
        )
        for _ in range(rng.choices([0, 1, 2], [60, 30, 10])[0]):
            rows.add(
                m.PersonName,
                id=self.uuid(),
                case_id=case_id,
                created_at=self.moment(birth),
                name=f"{rng.choice(names.GIVEN_NAMES)} {family}",
                kind=rng.choice(list(NameKind)),
            )
        # A stateless person has no citizenship to record.
        count = 0 if stateless else rng.choices([1, 2], [85, 15])[0]
        for country in rng.sample(names.COUNTRIES, count):
            rows.add(
                m.Citizenship,
                id=self.uuid(),
                case_id=case_id,
                created_at=self.moment(birth),
                country=country,
                basis=rng.choice(list(CitizenshipBasis)),
            )

    def _decision_and_outcome(
        self, rows: Rows, context: dict[str, Any], state: CaseState, path: list[CaseState]
    ) -> date | None:
        rng = self.rng
        case_id = context["case"]["id"]
        decision_type = context["decision_type"]
        dates: Dates = context["dates"]
        final_date, departure = dates["final"], dates["departure"]
        dublin = decision_type is DecisionType.DUBLIN_TRANSFER
        member_state = rng.choice(sorted(DUBLIN_STATES)) if dublin else None
        if departure is not None:
            rows.add(
                m.Outcome,
                id=self.uuid(),
                case_id=case_id,
                created_at=self.moment(departure),
                departure_date=departure,
                departure_place=rng.choice(["Arlanda", "Landvetter", "Kastrup", "Trelleborg"]),
                destination=member_state or rng.choice(names.COUNTRIES),
                verified_by=Agency.POLISEN if state is S.ENFORCED else Agency.MIGRATIONSVERKET,
            )
        verified = final_date is not None and (state in _VERIFIED or rng.random() < 0.85)
        rule = timers.transitional_lapse_rule(context["decision_date"], final_date)
        asylum = decision_type in (DecisionType.AVVISNING, DecisionType.UTVISNING)
        immediate = (
            decision_type is DecisionType.POLICE_AVVISNING
            and state in _IMMEDIATE_OK
            and rng.random() < 0.5
        )
        general_court = decision_type is DecisionType.BROTTSUTVISNING
        # An entry ban runs from departure (8 kap. 23 § UtlL): its end is known only then.
        entry_ban_until = None
        if departure is not None and (general_court or rng.random() < 0.3):
            years = rng.randint(5, 10) if general_court else rng.randint(1, 5)
            entry_ban_until = timers.add_months(departure, 12 * years)
        if general_court:
            body = DecidingBody.GENERAL_COURT
            court_number = f"B {rng.randrange(100, 9999)}-{rng.randrange(18, 27):02d}"
        elif decision_type is DecisionType.POLICE_AVVISNING:
            body, court_number = DecidingBody.POLICE, None
        else:
            appealed = S.UNDER_APPEAL in path
            body = DecidingBody.MIGRATION_COURT if appealed else DecidingBody.MIGRATIONSVERKET
            court_number = (
                f"UM {rng.randrange(100, 99999)}-{rng.randrange(18, 27):02d}" if appealed else None
            )
        accepted = dates["accepted"]
        rows.add(
            m.Decision,
            id=self.uuid(),
            case_id=case_id,
            created_at=self.moment(context["decision_date"]),
            type=decision_type,
            deciding_body=body,
            court_case_number=court_number,
            decision_date=context["decision_date"],
            final_date=final_date,
            final_date_verified=verified,
            immediate_enforcement=immediate,
            voluntary_departure_deadline=timers.voluntary_departure_deadline(
                decision_type, final_date, immediate=immediate
            ),
            entry_ban_until=entry_ban_until,
            destination_countries=[member_state]
            if member_state
            else rng.sample(names.COUNTRIES, 1),
            lapse_rule=rule,
            lapse_date=timers.lapse_date(
                rule,
                final_date,
                verified,
                departure,
                entry_ban_until=entry_ban_until,
                general_court_expulsion=general_court,
            ),
            transfer_deadline=timers.dublin_transfer_deadline(
                accepted, imprisoned=False, absconded=False
            )
            if dublin
            else None,
            dublin_member_state=member_state,
            dublin_request_type=rng.choice(list(DublinRequestType)) if dublin else None,
            dublin_acceptance_date=accepted,
            dublin_suspensive_appeal=False,
            # The facts a PERMIT_GRANTED or DECISION_QUASHED closing rests on.
            permit_granted_on=min(self.today, context["decision_date"] + timedelta(days=120))
            if state is S.PERMIT_GRANTED
            else None,
            permit_basis=PermitBasis.IMPEDIMENT_12_18 if state is S.PERMIT_GRANTED else None,
            appeal_outcome=AppealOutcome.QUASHED if state is S.DECISION_QUASHED else None,
            appeal_decided_on=min(self.today, context["decision_date"] + timedelta(days=90))
            if state is S.DECISION_QUASHED
            else None,
            grounds_summary="Beslut enligt 8 kap. UtlL; synthetic demo text.",
            asylum_grounds="Synthetic asylum narrative for demo purposes only." if asylum else None,
            persecution_actor="Synthetic actor" if asylum and rng.random() < 0.5 else None,
        )
        return departure

    def _facts(
        self,
        rows: Rows,
        context: dict[str, Any],
        state: CaseState,
        path: list[CaseState],
        departure: date | None,
    ) -> None:
        rng = self.rng
        case = context["case"]
        case_id = case["id"]
        start = context["final_date"] or context["decision_date"]
        handed = S.HANDED_OVER in path
        past_final = S.FINAL in path

        def day() -> date:
            return self.day_between(start, self.today)

        def child(model: type, on: date, **values: Any) -> None:
            rows.add(model, id=self.uuid(), case_id=case_id, created_at=self.moment(on), **values)

        if handed or rng.random() < 0.8:
            city, postal = rng.choice(names.CITIES)
            child(
                m.Address,
                start,
                type=rng.choice([AddressType.LAST_KNOWN, AddressType.ACCOMMODATION]),
                street=f"{rng.choice(names.STREETS)} {rng.randint(1, 80)}",
                postal_code=postal,
                city=city,
                country="SWE",
                valid_from=start,
                source=rng.choice(["Migrationsverket", "Skatteverket", "Polisen"]),
                last_verified=day(),
            )
        if rng.random() < 0.5:
            child(
                m.ContactInfo,
                start,
                kind=ContactKind.PHONE,
                value=f"+4670{rng.randrange(10**6, 10**7)}",
            )
        if rng.random() < 0.3:
            child(
                m.ContactInfo,
                start,
                kind=ContactKind.LEGAL_REPRESENTATIVE,
                value=f"advokat{rng.randrange(100)}@example.invalid",
                name=f"Advokat {rng.choice(names.FAMILY_NAMES)}",
            )
        if handed or (past_final and rng.random() < 0.8):
            child(
                m.HealthAssessment,
                start,
                assessed_on=day(),
                # A handover needs a person fit to travel (its checklist).
                fit_to_travel=rng.choices(list(FitToTravel), [75, 0 if handed else 5, 20])[0],
                medical_escort_needed=rng.random() < 0.1,
                medication_on_journey=rng.random() < 0.2,
                diagnoses="Synthetic diagnosis text." if rng.random() < 0.3 else None,
            )
            child(
                m.RiskAssessment,
                start,
                assessed_on=day(),
                violence_risk=rng.choices(list(RiskLevel), [70, 22, 8])[0],
                self_harm_risk=rng.choices(list(RiskLevel), [75, 20, 5])[0],
                escort_level=rng.choice(list(EscortLevel)),
                basis="Synthetic basis." if rng.random() < 0.4 else None,
                source_register="Misstankeregistret" if rng.random() < 0.1 else None,
            )
        if rng.random() < 0.6:
            child(
                m.Document,
                start,
                type=rng.choice(list(DocumentType)),
                number=f"X{rng.randrange(10**7, 10**8)}",
                issuing_country=rng.choice(names.COUNTRIES),
                valid_from=start - timedelta(days=800),
                valid_until=start + timedelta(days=900),
                held_by=rng.choice(list(DocumentHolder)),
            )
        if past_final and rng.random() < 0.3:
            child(
                m.TravelDocumentRequest,
                start,
                embassy_country=rng.choice(names.COUNTRIES),
                request_date=day(),
                status=rng.choice(list(TravelDocumentStatus)),
                embassy_safe=rng.random() < 0.8,
            )
        if rng.random() < 0.5:
            child(
                m.Biometrics,
                start,
                fingerprint_ref=f"EURODAC-{rng.randrange(10**9)}",
                match_result=rng.choice(["NO_HIT", "HIT_SE", "HIT_OTHER_MS"]),
            )
        if S.VOLUNTARY_PERIOD in path and rng.random() < 0.6:
            child(
                m.ReturnCounselling,
                start,
                held_on=day(),
                outcome=rng.choice(list(CounsellingOutcome)),
            )
        if handed and case["handover_reason"] is HandoverReason.ABSCONDED:
            child(
                m.AbscondingEvent,
                start,
                absconded_on=day(),
                reported_by=Agency.MIGRATIONSVERKET,
                wanted_status=rng.choice(list(WantedStatus)),
                sis_alert_ref=f"SIS-{rng.randrange(10**8)}",
            )
        in_custody = case["sub_state"] is PoliceSubState.IN_CUSTODY
        if in_custody or (state in _ENFORCING and rng.random() < 0.1):
            self._custody(child, state)
        elif past_final and rng.random() < 0.05:
            # Custody that ended: no review ahead.
            begin = day()
            child(
                m.Custody,
                begin,
                type=CustodyType.UPPSIKT,
                deciding_agency=Agency.MIGRATIONSVERKET,
                legal_basis="10 kap. 6 § UtlL",
                start_date=begin,
                end_date=min(begin + timedelta(days=rng.randrange(1, 30)), self.today),
            )
        if handed:
            # Before the departure, so handover-to-departure durations are what they would be.
            handed_at = self.moment(self.day_between(start, departure or self.today))
            context["handed_at"] = handed_at
            child(
                m.Handover,
                handed_at.date(),
                from_agency=Agency.MIGRATIONSVERKET,
                from_unit=context["mv_unit"],
                to_agency=Agency.POLISEN,
                to_unit=context["police_unit"],
                handed_over_at=handed_at,
                reason=case["handover_reason"],
                checklist={
                    "identity": True,
                    "finalDecisionVerified": True,
                    "lastKnownAddressOrAbsconding": True,
                    "fitToTravel": True,
                    "riskAssessment": True,
                },
                guidance="Synthetic guidance to the police.",
            )
            if case["sub_state"] is PoliceSubState.SCHEDULED:
                child(
                    m.EnforcementAttempt,
                    self.today,
                    planned_date=self.today + timedelta(days=rng.randrange(1, 30)),
                    mode=rng.choice(list(EnforcementMode)),
                    escort_provider=rng.choice(list(EscortProvider)),
                    outcome=AttemptOutcome.PLANNED,
                )
            for _ in range(rng.choices([0, 1, 2], [50, 35, 15])[0]):
                child(
                    m.EnforcementAttempt,
                    start,
                    planned_date=day(),
                    mode=rng.choice(list(EnforcementMode)),
                    escort_provider=rng.choice(list(EscortProvider)),
                    outcome=AttemptOutcome.FAILED,
                    failure_reason="Synthetic failure reason.",
                )
            if state is S.ENFORCED:
                child(
                    m.EnforcementAttempt,
                    departure or start,
                    planned_date=departure or start,
                    mode=EnforcementMode.ESCORTED,
                    escort_provider=EscortProvider.POLICE,
                    outcome=AttemptOutcome.COMPLETED,
                )
            if rng.random() < 0.4:
                child(
                    m.PoliceFinding,
                    start,
                    last_seen=day(),
                    location_area=rng.choice(names.CITIES)[0],
                    travel_document_obtained=rng.random() < 0.2,
                )
        if state is S.SUSPENDED:
            child(
                m.Impediment,
                start,
                type=rng.choice(list(ImpedimentType)),
                filed_date=day(),
                status=ImpedimentStatus.ACTIVE,
                blocks_enforcement=True,
                details="Synthetic impediment content.",
            )
        elif past_final and rng.random() < 0.1:
            filed = day()
            child(
                m.Impediment,
                start,
                type=rng.choice(list(ImpedimentType)),
                filed_date=filed,
                status=ImpedimentStatus.REJECTED,
                blocks_enforcement=True,
                decided_date=filed,
                details="Synthetic impediment content.",
            )

    def _custody(self, child: Any, state: CaseState) -> None:
        """Detention for enforcement that runs now: reviewed every two months (10 kap. 12 §
        UtlL), so the next review is always ahead."""
        begin = self.today - timedelta(days=self.rng.randrange(1, 150))
        review = timers.add_months(begin, 2)
        while review < self.today:
            review = timers.add_months(review, 2)
        child(
            m.Custody,
            begin,
            type=CustodyType.FORVAR,
            deciding_agency=Agency.POLISEN if state is S.HANDED_OVER else Agency.MIGRATIONSVERKET,
            legal_basis="10 kap. 1 § 2 st. UtlL",
            start_date=begin,
            next_review=review,
        )

    def _events(self, rows: Rows, context: dict[str, Any], path: list[CaseState]) -> None:
        case = context["case"]
        moment = case["created_at"]
        rows.add(
            m.CaseEvent,
            id=self.uuid(),
            case_id=case["id"],
            occurred_at=moment,
            type=CaseEventType.CASE_CREATED,
            to_state=path[0],
            changed_fields=[],
            urgent=False,
        )
        for before, after in itertools.pairwise(path):
            moment = min(
                moment + timedelta(days=self.rng.randint(1, 60)),
                datetime.combine(self.today, time(12), tzinfo=UTC),
            )
            event_type = {
                S.HANDED_OVER: CaseEventType.HANDED_OVER,
                S.RETURNED_TO_MV: CaseEventType.RETURNED_TO_MV,
            }.get(after, CaseEventType.STATE_CHANGED)
            if after is S.RETURNED_TO_MV and "handed_at" in context:
                # The hand-back follows the handover record it ends.
                moment = min(
                    max(moment, context["handed_at"] + timedelta(days=self.rng.randint(7, 120))),
                    datetime.combine(self.today, time(12), tzinfo=UTC),
                )
            rows.add(
                m.CaseEvent,
                id=self.uuid(),
                case_id=case["id"],
                occurred_at=moment,
                type=event_type,
                actor_agency=Agency.POLISEN if before is S.HANDED_OVER else Agency.MIGRATIONSVERKET,
                from_state=before,
                to_state=after,
                changed_fields=["state"],
                urgent=False,
            )
        context["last_event"] = moment

    def _link(self, rows: Rows, adult: dict[str, Any], child: dict[str, Any]) -> None:
        """Children on the same decision: family rows on both cases, pointing at each other."""
        child_person = rows.by_table[m.Person.__table__][-1]
        adult_person = next(
            p
            for p in reversed(rows.by_table[m.Person.__table__])
            if p["case_id"] == adult["case"]["id"]
        )
        for owner, other, person, relation, is_child in (
            (adult, child, child_person, FamilyRelation.CHILD, True),
            (child, adult, adult_person, FamilyRelation.PARENT, False),
        ):
            rows.add(
                m.FamilyMember,
                id=self.uuid(),
                case_id=owner["case"]["id"],
                created_at=owner["case"]["created_at"],
                relation=relation,
                full_name=f"{person['given_name']} {person['family_name']}",
                date_of_birth=person["date_of_birth"],
                linked_case_id=other["case"]["id"],
                same_decision=True,
                is_child=is_child,
            )
