"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mediadesk.store.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_event_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "local_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_setting")),
    )
    op.create_table(
        "organisation",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "partner",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "social_worker",
                "ccas",
                "fsl",
                "tax_office",
                "enedis",
                "energy_ombudsman",
                "energy_voucher_helpline",
                "supplier",
                "other",
                name="partnerkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("body", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("hours", sa.String(length=400), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
    )
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "referral_list",
        sa.Column("partner", sa.String(length=120), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("source_name", sa.String(length=400), nullable=True),
        sa.Column("imported_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("undone_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_list")),
    )
    with op.batch_alter_table("referral_list", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_list_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "site",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
    )
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column(
            "role",
            sa.Enum("mediator", "team_lead", "admin", name="role", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "collective_action",
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("attendance", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_collective_action_site_id_site")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_action")),
    )
    with op.batch_alter_table("collective_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collective_action_scope_id"), ["scope_id"], unique=False
        )

    op.create_table(
        "device",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("enrolled_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("revoked_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("server_device_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_device_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "household",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("street", sa.String(length=400), nullable=True),
        sa.Column("address_extra", sa.String(length=400), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("referent_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("vulnerability_flags", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "dormant", "closed", name="householdstatus", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "supply_maintained",
                "plan_agreed",
                "handed_over",
                "consent_withdrawn",
                "unreachable",
                "resolved",
                "other",
                name="outcomecode",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("search_rowid", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referent_id"], ["user_account.id"], name=op.f("fk_household_referent_id_user_account")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_household_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("search_rowid", name=op.f("uq_household_search_rowid")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "team",
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_team_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
    )
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "energy_contract",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("supplier", sa.String(length=120), nullable=False),
        sa.Column(
            "energy",
            sa.Enum(
                "electricity", "gas", "water", "other", name="energy", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("customer_ref", sa.String(length=40), nullable=True),
        sa.Column("meter_point", sa.String(length=40), nullable=True),
        sa.Column("linky", sa.Boolean(), nullable=True),
        sa.Column("subscribed_kva", sa.Integer(), nullable=True),
        sa.Column("energy_voucher_attestation_sent", sa.Boolean(), nullable=False),
        sa.Column("main_residence", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_energy_contract_household_id_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_contract")),
    )
    with op.batch_alter_table("energy_contract", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_energy_contract_customer_ref"), ["customer_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_energy_contract_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_energy_contract_meter_point"), ["meter_point"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_energy_contract_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "phone",
                "sms",
                "letter",
                "home_visit",
                "email",
                "counter",
                name="contactchannel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column("done_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["user_account.id"], name=op.f("fk_follow_up_assigned_to_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_follow_up_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_up_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_up_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "household_language",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_language_household_id_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_language")),
    )
    with op.batch_alter_table("household_language", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_language_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_household_language_scope_id"), ["scope_id"], unique=False
        )

    op.create_table(
        "incident",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("anger_target", sa.String(length=120), nullable=True),
        sa.Column("handed_over_to", sa.Uuid(), nullable=True),
        sa.Column("visit_in_pairs", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handed_over_to"],
            ["user_account.id"],
            name=op.f("fk_incident_handed_over_to_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_incident_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_incident_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "interview",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("mediator_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column(
            "place",
            sa.Enum(
                "counter", "home", "phone", name="interviewplace", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column(
            "initiated_by",
            sa.Enum(
                "supplier_list",
                "walk_in",
                "partner",
                "household_call",
                "mediator",
                name="contactinitiator",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("started_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("finished_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("draft", "done", name="interviewstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("current_step", sa.String(length=30), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("autonomy_level", sa.Integer(), nullable=True),
        sa.Column("registers", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_interview_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["user_account.id"], name=op.f("fk_interview_mediator_id_user_account")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_interview_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interview_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_note_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=120), nullable=False),
        sa.Column("last_name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "holder",
                "spouse",
                "child",
                "relative",
                "other",
                name="memberrole",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_person_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "phone",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "valid",
                "unverified",
                "wrong_number",
                "no_answer",
                name="phonestatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_phone_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone")),
    )
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_phone_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "referral_entry",
        sa.Column("list_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("customer_ref", sa.String(length=40), nullable=True),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to"],
            ["user_account.id"],
            name=op.f("fk_referral_entry_assigned_to_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_referral_entry_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"], ["referral_list.id"], name=op.f("fk_referral_entry_list_id_referral_list")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_entry")),
    )
    with op.batch_alter_table("referral_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_entry_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_entry_list_id"), ["list_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_entry_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "action",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "actor",
            sa.Enum("household", "mediator", "partner", name="actor", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "done", "cancelled", name="actionstatus", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_action_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"], ["interview.id"], name=op.f("fk_action_interview_id_interview")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "consent",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "mediation",
                "supplier_exchange",
                "social_worker_sharing",
                "storage",
                name="consentkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("given_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("withdrawn_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("comment", sa.String(length=400), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_consent_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_consent_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consent_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "contact_attempt",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("referral_entry_id", sa.Uuid(), nullable=True),
        sa.Column("phone_id", sa.Uuid(), nullable=True),
        sa.Column("at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "phone",
                "sms",
                "letter",
                "home_visit",
                "email",
                "counter",
                name="contactchannel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "reached",
                "no_answer",
                "wrong_number",
                "refused",
                "message_left",
                name="contactoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("next_attempt_on", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_contact_attempt_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["phone_id"], ["phone.id"], name=op.f("fk_contact_attempt_phone_id_phone")
        ),
        sa.ForeignKeyConstraint(
            ["referral_entry_id"],
            ["referral_entry.id"],
            name=op.f("fk_contact_attempt_referral_entry_id_referral_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempt")),
    )
    with op.batch_alter_table("contact_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_attempt_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contact_attempt_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "debt",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("supplier_amount_cents", sa.Integer(), nullable=True),
        sa.Column("household_amount_cents", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("bill_date", sa.Date(), nullable=True),
        sa.Column("contested", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["energy_contract.id"],
            name=op.f("fk_debt_contract_id_energy_contract"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_debt_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debt")),
    )
    with op.batch_alter_table("debt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_debt_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_debt_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "note_revision",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["note.id"], name=op.f("fk_note_revision_note_id_note")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_revision")),
    )
    with op.batch_alter_table("note_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_revision_note_id"), ["note_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_revision_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "orientation",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=True),
        sa.Column(
            "partner_kind",
            sa.Enum(
                "social_worker",
                "ccas",
                "fsl",
                "tax_office",
                "enedis",
                "energy_ombudsman",
                "energy_voucher_helpline",
                "supplier",
                "other",
                name="partnerkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("oriented_on", sa.Date(), nullable=False),
        sa.Column("check_due_on", sa.Date(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("check_outcome", sa.String(length=400), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_orientation_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"], ["interview.id"], name=op.f("fk_orientation_interview_id_interview")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_orientation_partner_id_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientation")),
    )
    with op.batch_alter_table("orientation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orientation_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_orientation_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "payment_plan",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("debt_id", sa.Uuid(), nullable=True),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "agreed",
                "ongoing",
                "completed",
                "broken",
                name="paymentplanstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("proposed_by", sa.String(length=20), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["debt_id"], ["debt.id"], name=op.f("fk_payment_plan_debt_id_debt")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_payment_plan_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_plan")),
    )
    with op.batch_alter_table("payment_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_plan_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payment_plan_scope_id"), ["scope_id"], unique=False)

    op.create_table(
        "instalment",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_cents", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scope_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_on_device", sa.Uuid(), nullable=True),
        sa.Column("updated_at", mediadesk.store.base.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_on_device", sa.Uuid(), nullable=True),
        sa.Column("deleted_at", mediadesk.store.base.UtcDateTime(), nullable=True),
        sa.Column("deleted_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["payment_plan.id"], name=op.f("fk_instalment_plan_id_payment_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalment")),
    )
    with op.batch_alter_table("instalment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instalment_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_instalment_scope_id"), ["scope_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("instalment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instalment_scope_id"))
        batch_op.drop_index(batch_op.f("ix_instalment_plan_id"))

    op.drop_table("instalment")
    with op.batch_alter_table("payment_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_plan_scope_id"))
        batch_op.drop_index(batch_op.f("ix_payment_plan_household_id"))

    op.drop_table("payment_plan")
    with op.batch_alter_table("orientation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orientation_scope_id"))
        batch_op.drop_index(batch_op.f("ix_orientation_household_id"))

    op.drop_table("orientation")
    with op.batch_alter_table("note_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_revision_scope_id"))
        batch_op.drop_index(batch_op.f("ix_note_revision_note_id"))

    op.drop_table("note_revision")
    with op.batch_alter_table("debt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debt_scope_id"))
        batch_op.drop_index(batch_op.f("ix_debt_household_id"))

    op.drop_table("debt")
    with op.batch_alter_table("contact_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_attempt_scope_id"))
        batch_op.drop_index(batch_op.f("ix_contact_attempt_household_id"))

    op.drop_table("contact_attempt")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_scope_id"))
        batch_op.drop_index(batch_op.f("ix_consent_household_id"))

    op.drop_table("consent")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_scope_id"))
        batch_op.drop_index(batch_op.f("ix_action_household_id"))

    op.drop_table("action")
    with op.batch_alter_table("referral_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_entry_scope_id"))
        batch_op.drop_index(batch_op.f("ix_referral_entry_list_id"))
        batch_op.drop_index(batch_op.f("ix_referral_entry_household_id"))

    op.drop_table("referral_entry")
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_scope_id"))
        batch_op.drop_index(batch_op.f("ix_phone_household_id"))

    op.drop_table("phone")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_scope_id"))
        batch_op.drop_index(batch_op.f("ix_person_household_id"))

    op.drop_table("person")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_scope_id"))
        batch_op.drop_index(batch_op.f("ix_note_household_id"))

    op.drop_table("note")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_scope_id"))
        batch_op.drop_index(batch_op.f("ix_interview_household_id"))

    op.drop_table("interview")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_scope_id"))
        batch_op.drop_index(batch_op.f("ix_incident_household_id"))

    op.drop_table("incident")
    with op.batch_alter_table("household_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_language_scope_id"))
        batch_op.drop_index(batch_op.f("ix_household_language_household_id"))

    op.drop_table("household_language")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_scope_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_household_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_due_on"))

    op.drop_table("follow_up")
    with op.batch_alter_table("energy_contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_energy_contract_scope_id"))
        batch_op.drop_index(batch_op.f("ix_energy_contract_meter_point"))
        batch_op.drop_index(batch_op.f("ix_energy_contract_household_id"))
        batch_op.drop_index(batch_op.f("ix_energy_contract_customer_ref"))

    op.drop_table("energy_contract")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_scope_id"))

    op.drop_table("team")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_scope_id"))

    op.drop_table("household")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_scope_id"))

    op.drop_table("device")
    with op.batch_alter_table("collective_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collective_action_scope_id"))

    op.drop_table("collective_action")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_scope_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_scope_id"))

    op.drop_table("site")
    with op.batch_alter_table("referral_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_list_scope_id"))

    op.drop_table("referral_list")
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_scope_id"))

    op.drop_table("partner")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_scope_id"))

    op.drop_table("organisation")
    op.drop_table("local_setting")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_scope_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_household_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
