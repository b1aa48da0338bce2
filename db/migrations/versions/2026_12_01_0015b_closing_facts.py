"""closing facts: permit, appeal outcome, death, the justification of CLOSED_OTHER, and the
events that record them (and the police's case number)

Revision ID: 0015b
Revises: 0016
Create Date: 2026-12-01 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015b"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_EVENT_TYPES = (
    "CASE_CREATED",
    "STATE_CHANGED",
    "HANDED_OVER",
    "RETURNED_TO_MV",
    "PERSON_UPDATED",
    "DECISION_CORRECTED",
    "DOCUMENT_RECORDED",
    "TRAVEL_DOCUMENT_REQUESTED",
    "ADDRESS_RECORDED",
    "CONTACT_RECORDED",
    "FAMILY_MEMBER_RECORDED",
    "HEALTH_ASSESSED",
    "RISK_ASSESSED",
    "ABSCONDING_RECORDED",
    "CUSTODY_RECORDED",
    "IMPEDIMENT_FILED",
    "IMPEDIMENT_DECIDED",
    "COUNSELLING_RECORDED",
    "ENFORCEMENT_ATTEMPT_RECORDED",
    "DEPARTURE_RECORDED",
    "POLICE_FINDING_RECORDED",
)
_NEW_EVENT_TYPES = (
    "PERMIT_DECISION_RECORDED",
    "APPEAL_OUTCOME_RECORDED",
    "DEATH_RECORDED",
    "POLICE_CASE_NUMBER_RECORDED",
)


def _event_types(values: tuple[str, ...]) -> None:
    """Replace the CHECK of `case_event.type` with one listing `values`."""
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table("case_event") as batch:
        batch.drop_constraint(op.f("ck_case_event_type"), type_="check")
        batch.create_check_constraint(op.f("ck_case_event_type"), f"type IN ({listed})")


def _enum(table: str, column: str, *values: str) -> sa.Enum:
    return sa.Enum(
        *values,
        name=op.f(f"ck_{table}_{column}"),
        native_enum=False,
        create_constraint=True,
        length=40,
    )


def upgrade() -> None:
    with op.batch_alter_table("decision") as batch:
        batch.add_column(sa.Column("permit_granted_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column(
                "permit_basis",
                _enum(
                    "decision", "permit_basis", "IMPEDIMENT_12_18", "NEW_EXAMINATION_12_19", "OTHER"
                ),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column(
                "appeal_outcome",
                _enum("decision", "appeal_outcome", "UPHELD", "QUASHED", "QUASHED_REFERRED_BACK"),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("appeal_decided_on", sa.Date(), nullable=True))
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("date_of_death", sa.Date(), nullable=True))
        batch.add_column(sa.Column("death_notified_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column(
                "death_notice_source",
                _enum(
                    "person",
                    "death_notice_source",
                    "SKATTEVERKET",
                    "POLICE",
                    "FOREIGN_AUTHORITY",
                    "OTHER",
                ),
                nullable=True,
            )
        )
    with op.batch_alter_table("return_case") as batch:
        batch.add_column(sa.Column("closing_justification", sa.Text(), nullable=True))
    _event_types(_EVENT_TYPES + _NEW_EVENT_TYPES)


def downgrade() -> None:
    # The history stays whole and gap-free: the new kinds become the nearest older ones.
    for new, old in (
        ("PERMIT_DECISION_RECORDED", "DECISION_CORRECTED"),
        ("APPEAL_OUTCOME_RECORDED", "DECISION_CORRECTED"),
        ("DEATH_RECORDED", "PERSON_UPDATED"),
        ("POLICE_CASE_NUMBER_RECORDED", "STATE_CHANGED"),
    ):
        op.execute(
            sa.text("UPDATE case_event SET type = :old WHERE type = :new").bindparams(
                old=old, new=new
            )
        )
    _event_types(_EVENT_TYPES)
    with op.batch_alter_table("return_case") as batch:
        batch.drop_column("closing_justification")
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint(op.f("ck_person_death_notice_source"), type_="check")
        for column in ("death_notice_source", "death_notified_on", "date_of_death"):
            batch.drop_column(column)
    with op.batch_alter_table("decision") as batch:
        batch.drop_constraint(op.f("ck_decision_appeal_outcome"), type_="check")
        batch.drop_constraint(op.f("ck_decision_permit_basis"), type_="check")
        for column in ("appeal_decided_on", "appeal_outcome", "permit_basis", "permit_granted_on"):
            batch.drop_column(column)
