"""legal deadlines and the message inbox (idempotency, dead letters)

Revision ID: 0006
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "0006"
down_revision = "0003"
branch_labels = ("deadlines",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("instances.id")),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("legal_basis", sa.String(255)),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("term", sa.String(32), nullable=False),
        sa.Column("extension", sa.String(32)),
        sa.Column("suspended_days", sa.Integer(), nullable=False),
        sa.Column("suspended_since", sa.Date()),
        sa.Column("due_date", sa.Date(), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("escalated_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime()),
    )
    op.create_index("ix_deadlines_open_due", "deadlines", ["status", "due_date"])
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("idempotency_key", sa.String(255), nullable=False, unique=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("correlation", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("delivered_to", sa.Integer()),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("handled_at", UTCDateTime()),
    )
    op.create_index("ix_inbox_status", "inbox", ["status", "gemeente"])


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_table("deadlines")
