"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 14:09:56.257131
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "return_case",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("police_case_number", sa.String(length=40), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "DECISION_ISSUED",
                "UNDER_APPEAL",
                "FINAL",
                "VOLUNTARY_PERIOD",
                "MV_ENFORCEMENT",
                "HANDED_OVER",
                "RETURNED_TO_MV",
                "SUSPENDED",
                "DEPARTED_VOLUNTARILY",
                "ENFORCED",
                "DUBLIN_TRANSFERRED",
                "DUBLIN_DEADLINE_EXPIRED",
                "PERMIT_GRANTED",
                "LAPSED",
                "DECISION_QUASHED",
                "DECEASED",
                "CLOSED_OTHER",
                name=op.f("ck_return_case_state"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "sub_state",
            sa.Enum(
                "WANTED",
                "LOCATED",
                "PREPARING",
                "IN_CUSTODY",
                "SCHEDULED",
                "IN_EXECUTION",
                name=op.f("ck_return_case_sub_state"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "state_before_suspension",
            sa.Enum(
                "DECISION_ISSUED",
                "UNDER_APPEAL",
                "FINAL",
                "VOLUNTARY_PERIOD",
                "MV_ENFORCEMENT",
                "HANDED_OVER",
                "RETURNED_TO_MV",
                "SUSPENDED",
                "DEPARTED_VOLUNTARILY",
                "ENFORCED",
                "DUBLIN_TRANSFERRED",
                "DUBLIN_DEADLINE_EXPIRED",
                "PERMIT_GRANTED",
                "LAPSED",
                "DECISION_QUASHED",
                "DECEASED",
                "CLOSED_OTHER",
                name=op.f("ck_return_case_state_before_suspension"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "owning_agency",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_return_case_owning_agency"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("owning_unit", sa.String(length=80), nullable=False),
        sa.Column("responsible_unit", sa.String(length=80), nullable=False),
        sa.Column(
            "handover_reason",
            sa.Enum(
                "ABSCONDED",
                "COERCION_NEEDED",
                name=op.f("ck_return_case_handover_reason"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("enforcement_blocked", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_case")),
        sa.UniqueConstraint("case_number", name=op.f("uq_return_case_case_number")),
    )
    with op.batch_alter_table("return_case", schema=None) as batch_op:
        batch_op.create_index("ix_return_case_created_at", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_return_case_owning_unit", ["owning_unit"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_return_case_responsible_unit"), ["responsible_unit"], unique=False
        )
        batch_op.create_index("ix_return_case_state_unit", ["state", "owning_unit"], unique=False)
        batch_op.create_index("ix_return_case_updated_at", ["updated_at", "id"], unique=False)

    op.create_table(
        "absconding_event",
        sa.Column("absconded_on", sa.Date(), nullable=False),
        sa.Column(
            "reported_by",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_absconding_event_reported_by"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "wanted_status",
            sa.Enum(
                "NOT_WANTED",
                "WANTED",
                "FOUND",
                name=op.f("ck_absconding_event_wanted_status"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("sis_alert_ref", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_absconding_event_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absconding_event")),
    )
    with op.batch_alter_table("absconding_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absconding_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "address",
        sa.Column(
            "type",
            sa.Enum(
                "REGISTERED",
                "ACCOMMODATION",
                "LAST_KNOWN",
                "CUSTODY",
                name=op.f("ck_address_type"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_address_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_case_id"), ["case_id"], unique=False)

    op.create_table(
        "biometrics",
        sa.Column("fingerprint_ref", sa.String(length=60), nullable=True),
        sa.Column("match_result", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_biometrics_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometrics")),
    )
    with op.batch_alter_table("biometrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_biometrics_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_event",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
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
                name=op.f("ck_case_event_type"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("actor_subject", sa.String(length=200), nullable=True),
        sa.Column(
            "actor_agency",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_case_event_actor_agency"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "from_state",
            sa.Enum(
                "DECISION_ISSUED",
                "UNDER_APPEAL",
                "FINAL",
                "VOLUNTARY_PERIOD",
                "MV_ENFORCEMENT",
                "HANDED_OVER",
                "RETURNED_TO_MV",
                "SUSPENDED",
                "DEPARTED_VOLUNTARILY",
                "ENFORCED",
                "DUBLIN_TRANSFERRED",
                "DUBLIN_DEADLINE_EXPIRED",
                "PERMIT_GRANTED",
                "LAPSED",
                "DECISION_QUASHED",
                "DECEASED",
                "CLOSED_OTHER",
                name=op.f("ck_case_event_from_state"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "DECISION_ISSUED",
                "UNDER_APPEAL",
                "FINAL",
                "VOLUNTARY_PERIOD",
                "MV_ENFORCEMENT",
                "HANDED_OVER",
                "RETURNED_TO_MV",
                "SUSPENDED",
                "DEPARTED_VOLUNTARILY",
                "ENFORCED",
                "DUBLIN_TRANSFERRED",
                "DUBLIN_DEADLINE_EXPIRED",
                "PERMIT_GRANTED",
                "LAPSED",
                "DECISION_QUASHED",
                "DECEASED",
                "CLOSED_OTHER",
                name=op.f("ck_case_event_to_state"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "changed_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["return_case.id"], name=op.f("fk_case_event_case_id_return_case")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_case_event")),
        sa.UniqueConstraint("id", name=op.f("uq_case_event_id")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "citizenship",
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column(
            "basis",
            sa.Enum(
                "CLAIMED",
                "ASSESSED",
                "VERIFIED",
                name=op.f("ck_citizenship_basis"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_citizenship_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizenship")),
    )
    with op.batch_alter_table("citizenship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizenship_case_id"), ["case_id"], unique=False)

    op.create_table(
        "contact_info",
        sa.Column(
            "kind",
            sa.Enum(
                "PHONE",
                "EMAIL",
                "LEGAL_REPRESENTATIVE",
                name=op.f("ck_contact_info_kind"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_contact_info_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_info")),
    )
    with op.batch_alter_table("contact_info", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_info_case_id"), ["case_id"], unique=False)

    op.create_table(
        "custody",
        sa.Column(
            "type",
            sa.Enum(
                "FORVAR",
                "UPPSIKT",
                "OMHANDERTAGANDE",
                name=op.f("ck_custody_type"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "deciding_agency",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_custody_deciding_agency"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("legal_basis", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("reporting_duties", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_custody_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody")),
    )
    with op.batch_alter_table("custody", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_case_id"), ["case_id"], unique=False)

    op.create_table(
        "decision",
        sa.Column(
            "type",
            sa.Enum(
                "AVVISNING",
                "UTVISNING",
                "DUBLIN_TRANSFER",
                "BROTTSUTVISNING",
                "POLICE_AVVISNING",
                name=op.f("ck_decision_type"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "deciding_body",
            sa.Enum(
                "MIGRATIONSVERKET",
                "MIGRATION_COURT",
                "MIGRATION_COURT_OF_APPEAL",
                "GENERAL_COURT",
                "POLICE",
                name=op.f("ck_decision_deciding_body"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("court_case_number", sa.String(length=20), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("final_date", sa.Date(), nullable=True),
        sa.Column("final_date_verified", sa.Boolean(), nullable=False),
        sa.Column("immediate_enforcement", sa.Boolean(), nullable=False),
        sa.Column("voluntary_departure_deadline", sa.Date(), nullable=True),
        sa.Column("entry_ban_until", sa.Date(), nullable=True),
        sa.Column(
            "destination_countries",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "lapse_rule",
            sa.Enum(
                "PRE_2025",
                "POST_2025",
                name=op.f("ck_decision_lapse_rule"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("lapse_date", sa.Date(), nullable=True),
        sa.Column("transfer_deadline", sa.Date(), nullable=True),
        sa.Column("grounds_summary", sa.Text(), nullable=True),
        sa.Column("asylum_grounds", sa.Text(), nullable=True),
        sa.Column("persecution_actor", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_decision_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("case_id", name=op.f("uq_decision_case_id")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_decision_date"), ["decision_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_decision_final_date"), ["final_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_lapse_date"), ["lapse_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_type"), ["type"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_decision_voluntary_departure_deadline"),
            ["voluntary_departure_deadline"],
            unique=False,
        )

    op.create_table(
        "document",
        sa.Column(
            "type",
            sa.Enum(
                "PASSPORT",
                "NATIONAL_ID_CARD",
                "LAISSEZ_PASSER",
                "BIRTH_CERTIFICATE",
                "OTHER",
                name=op.f("ck_document_type"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("issuing_country", sa.String(length=3), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column(
            "held_by",
            sa.Enum(
                "PERSON",
                "MIGRATIONSVERKET",
                "POLICE",
                "EMBASSY",
                name=op.f("ck_document_held_by"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("deposited_at", sa.String(length=120), nullable=True),
        sa.Column("scan_ref", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_document_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_case_id"), ["case_id"], unique=False)

    op.create_table(
        "enforcement_attempt",
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum(
                "UNESCORTED",
                "ESCORTED",
                "CHARTER",
                name=op.f("ck_enforcement_attempt_mode"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "escort_provider",
            sa.Enum(
                "KRIMINALVARDEN",
                "POLICE",
                "FRONTEX",
                name=op.f("ck_enforcement_attempt_escort_provider"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("route", sa.String(length=200), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "PLANNED",
                "COMPLETED",
                "FAILED",
                "CANCELLED",
                name=op.f("ck_enforcement_attempt_outcome"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_enforcement_attempt_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_attempt")),
    )
    with op.batch_alter_table("enforcement_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enforcement_attempt_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "family_member",
        sa.Column(
            "relation",
            sa.Enum(
                "CHILD",
                "SPOUSE",
                "PARENT",
                "SIBLING",
                "OTHER",
                name=op.f("ck_family_member_relation"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("full_name", sa.String(length=400), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("linked_case_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("same_decision", sa.Boolean(), nullable=False),
        sa.Column("is_child", sa.Boolean(), nullable=False),
        sa.Column("custody_note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_family_member_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_case_id"],
            ["return_case.id"],
            name=op.f("fk_family_member_linked_case_id_return_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_member")),
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_member_case_id"), ["case_id"], unique=False)

    op.create_table(
        "handover",
        sa.Column(
            "from_agency",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_handover_from_agency"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("from_unit", sa.String(length=80), nullable=True),
        sa.Column(
            "to_agency",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_handover_to_agency"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("to_unit", sa.String(length=80), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "ABSCONDED",
                "COERCION_NEEDED",
                name=op.f("ck_handover_reason"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "checklist",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("guidance", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_handover_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
    )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_case_id"), ["case_id"], unique=False)

    op.create_table(
        "health_assessment",
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column(
            "fit_to_travel",
            sa.Enum(
                "YES",
                "NO",
                "WITH_CONDITIONS",
                name=op.f("ck_health_assessment_fit_to_travel"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("medical_escort_needed", sa.Boolean(), nullable=False),
        sa.Column("medication_on_journey", sa.Boolean(), nullable=False),
        sa.Column("diagnoses", sa.Text(), nullable=True),
        sa.Column("certificate_ref", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_health_assessment_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_assessment")),
        sa.UniqueConstraint("case_id", name=op.f("uq_health_assessment_case_id")),
    )
    op.create_table(
        "impediment",
        sa.Column(
            "type",
            sa.Enum(
                "IMPEDIMENT_12_18",
                "NEW_EXAMINATION_12_19",
                "STAY_OF_ENFORCEMENT",
                "CRIMINAL_PROCEEDINGS",
                "PRACTICAL",
                name=op.f("ck_impediment_type"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("filed_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "ACTIVE",
                "RESOLVED",
                "REJECTED",
                name=op.f("ck_impediment_status"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("blocks_enforcement", sa.Boolean(), nullable=False),
        sa.Column("decided_date", sa.Date(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_impediment_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impediment")),
    )
    with op.batch_alter_table("impediment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_impediment_case_id"), ["case_id"], unique=False)

    op.create_table(
        "outcome",
        sa.Column("departure_date", sa.Date(), nullable=False),
        sa.Column("departure_place", sa.String(length=120), nullable=True),
        sa.Column("destination", sa.String(length=3), nullable=True),
        sa.Column(
            "verified_by",
            sa.Enum(
                "migrationsverket",
                "polisen",
                name=op.f("ck_outcome_verified_by"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_outcome_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
        sa.UniqueConstraint("case_id", name=op.f("uq_outcome_case_id")),
    )
    op.create_table(
        "person",
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column(
            "date_of_birth_certainty",
            sa.Enum(
                "EXACT",
                "APPROXIMATE",
                "ASSESSED",
                name=op.f("ck_person_date_of_birth_certainty"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "sex",
            sa.Enum(
                "FEMALE",
                "MALE",
                "OTHER",
                "UNKNOWN",
                name=op.f("ck_person_sex"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("identity_number", sa.String(length=12), nullable=True),
        sa.Column(
            "identity_number_kind",
            sa.Enum(
                "PERSONNUMMER",
                "SAMORDNINGSNUMMER",
                name=op.f("ck_person_identity_number_kind"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "identity_status",
            sa.Enum(
                "ACTIVE",
                "DORMANT",
                name=op.f("ck_person_identity_status"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "identity_assurance",
            sa.Enum(
                "VERIFIED",
                "PROBABLE",
                "UNCERTAIN",
                name=op.f("ck_person_identity_assurance"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("stateless", sa.Boolean(), nullable=False),
        sa.Column(
            "languages",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("protected_identity", sa.Boolean(), nullable=False),
        sa.Column("photo_ref", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_person_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("case_id", name=op.f("uq_person_case_id")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_identity_number"), ["identity_number"], unique=False
        )

    op.create_table(
        "person_name",
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ALIAS",
                "TRANSLITERATION",
                name=op.f("ck_person_name_kind"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_person_name_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_name")),
    )
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_case_id"), ["case_id"], unique=False)

    op.create_table(
        "police_finding",
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.Column("location_area", sa.String(length=120), nullable=True),
        sa.Column("new_identity_findings", sa.Text(), nullable=True),
        sa.Column("travel_document_obtained", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_police_finding_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_finding")),
    )
    with op.batch_alter_table("police_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_police_finding_case_id"), ["case_id"], unique=False)

    op.create_table(
        "return_counselling",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "WILLING_TO_RETURN",
                "UNDECIDED",
                "REFUSES",
                "DID_NOT_APPEAR",
                name=op.f("ck_return_counselling_outcome"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("stated_intent", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_return_counselling_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_counselling")),
    )
    with op.batch_alter_table("return_counselling", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_counselling_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "risk_assessment",
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column(
            "violence_risk",
            sa.Enum(
                "LOW",
                "MEDIUM",
                "HIGH",
                name=op.f("ck_risk_assessment_violence_risk"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "self_harm_risk",
            sa.Enum(
                "LOW",
                "MEDIUM",
                "HIGH",
                name=op.f("ck_risk_assessment_self_harm_risk"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "escort_level",
            sa.Enum(
                "NONE",
                "STANDARD",
                "REINFORCED",
                name=op.f("ck_risk_assessment_escort_level"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("source_register", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_risk_assessment_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
        sa.UniqueConstraint("case_id", name=op.f("uq_risk_assessment_case_id")),
    )
    op.create_table(
        "travel_document_request",
        sa.Column("embassy_country", sa.String(length=3), nullable=False),
        sa.Column("embassy_contact", sa.String(length=200), nullable=True),
        sa.Column("request_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "REQUESTED",
                "INTERVIEW_SCHEDULED",
                "ISSUED",
                "REFUSED",
                "NO_RESPONSE",
                name=op.f("ck_travel_document_request_status"),
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("embassy_safe", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["return_case.id"],
            name=op.f("fk_travel_document_request_case_id_return_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_document_request")),
    )
    with op.batch_alter_table("travel_document_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_travel_document_request_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("travel_document_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_travel_document_request_case_id"))

    op.drop_table("travel_document_request")
    op.drop_table("risk_assessment")
    with op.batch_alter_table("return_counselling", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_counselling_case_id"))

    op.drop_table("return_counselling")
    with op.batch_alter_table("police_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_police_finding_case_id"))

    op.drop_table("police_finding")
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_case_id"))

    op.drop_table("person_name")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_identity_number"))

    op.drop_table("person")
    op.drop_table("outcome")
    with op.batch_alter_table("impediment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impediment_case_id"))

    op.drop_table("impediment")
    op.drop_table("health_assessment")
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_case_id"))

    op.drop_table("handover")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_member_case_id"))

    op.drop_table("family_member")
    with op.batch_alter_table("enforcement_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enforcement_attempt_case_id"))

    op.drop_table("enforcement_attempt")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_case_id"))

    op.drop_table("document")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_voluntary_departure_deadline"))
        batch_op.drop_index(batch_op.f("ix_decision_type"))
        batch_op.drop_index(batch_op.f("ix_decision_lapse_date"))
        batch_op.drop_index(batch_op.f("ix_decision_final_date"))
        batch_op.drop_index(batch_op.f("ix_decision_decision_date"))

    op.drop_table("decision")
    with op.batch_alter_table("custody", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_case_id"))

    op.drop_table("custody")
    with op.batch_alter_table("contact_info", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_info_case_id"))

    op.drop_table("contact_info")
    with op.batch_alter_table("citizenship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizenship_case_id"))

    op.drop_table("citizenship")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))

    op.drop_table("case_event")
    with op.batch_alter_table("biometrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_biometrics_case_id"))

    op.drop_table("biometrics")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_case_id"))

    op.drop_table("address")
    with op.batch_alter_table("absconding_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absconding_event_case_id"))

    op.drop_table("absconding_event")
    with op.batch_alter_table("return_case", schema=None) as batch_op:
        batch_op.drop_index("ix_return_case_updated_at")
        batch_op.drop_index("ix_return_case_state_unit")
        batch_op.drop_index("ix_return_case_owning_unit")
        batch_op.drop_index(batch_op.f("ix_return_case_responsible_unit"))
        batch_op.drop_index("ix_return_case_created_at")

    op.drop_table("return_case")
