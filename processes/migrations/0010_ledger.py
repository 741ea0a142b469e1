"""ledger of money: premiums, fees, advances, subsidies and amounts to recover

Revision ID: 0010
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "0010"
down_revision = "0003"
branch_labels = ("ledger",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False, index=True),
        sa.Column("case_number", sa.String(32), nullable=False),
        sa.Column("gemeente", sa.String(64), nullable=False, index=True),
        sa.Column("instance_id", sa.Integer()),
        sa.Column("event_seq", sa.Integer()),
        sa.Column("beslissing", sa.String(255)),
        sa.Column("soort", sa.String(32), nullable=False),
        sa.Column("ontvanger", sa.String(255), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("bedrag_centen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("approved_by", sa.String(128)),
        sa.Column("approved_at", UTCDateTime()),
        sa.Column("exported_at", UTCDateTime()),
        sa.Column("paid_by", sa.String(128)),
        sa.Column("paid_at", UTCDateTime()),
    )
    op.create_index("ix_ledger_lines_status", "ledger_lines", ["gemeente", "status"])


def downgrade() -> None:
    op.drop_table("ledger_lines")
