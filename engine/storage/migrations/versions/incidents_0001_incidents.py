"""incidents: instances a failed background step put aside (issue 17)

Revision ID: incidents_0001
Revises: dmn_0001
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "incidents_0001"
down_revision = "dmn_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("instance_id", sa.Integer, sa.ForeignKey("instances.id"), nullable=False),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("element", sa.String(255)),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("occurrences", sa.Integer, nullable=False),
        sa.Column("first_at", UTCDateTime(), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_by", sa.String(128)),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("reason", sa.Text),
        sa.UniqueConstraint("instance_id"),
    )
    op.create_index("ix_incidents_case_id", "incidents", ["case_id"])
    op.create_index("ix_incidents_gemeente_status", "incidents", ["gemeente", "status"])


def downgrade() -> None:
    op.drop_index("ix_incidents_gemeente_status", "incidents")
    op.drop_index("ix_incidents_case_id", "incidents")
    op.drop_table("incidents")
