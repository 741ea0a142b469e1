"""processes: decision tables deployed from the designer, per gemeente and geldig-vanaf date (issue 20 item 6)

Revision ID: a20_0001
Revises: a18_0002
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "a20_0001"
down_revision = "a18_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("decision_id", sa.String(255), nullable=False),
        sa.Column("geldig_vanaf", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("deployed_at", UTCDateTime(), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("approved_by", sa.String(128), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_rule_versions_decision", "rule_versions", ["gemeente", "decision_id", "deployed_at"])


def downgrade() -> None:
    op.drop_index("ix_rule_versions_decision", table_name="rule_versions")
    op.drop_table("rule_versions")
