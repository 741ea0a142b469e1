"""reports: published management reports, stored as published (issue 10)

Revision ID: reports_0001
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "reports_0001"
down_revision = "0003"
branch_labels = ("reports",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("periode", sa.String(16), nullable=False),
        sa.Column("titel", sa.String(255), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("published_by", sa.String(128), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_published_reports_gemeente", "published_reports", ["gemeente", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_published_reports_gemeente", table_name="published_reports")
    op.drop_table("published_reports")
