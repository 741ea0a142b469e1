"""casework: decision table changes awaiting a second designer's approval (issue 20 item 6)

Revision ID: a20_0002
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "a20_0002"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_rule_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("decision_id", sa.String(255), nullable=False),
        sa.Column("geldig_vanaf", sa.Date(), nullable=False),
        sa.Column("base_content", sa.Text(), nullable=False),
        sa.Column("base_label", sa.String(255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128)),
        sa.Column("decided_at", UTCDateTime()),
        sa.Column("decision", sa.Text()),
        sa.Column("rule_version_id", sa.Integer()),
    )
    op.create_index("ix_pending_rule_changes_gemeente", "pending_rule_changes", ["gemeente"])


def downgrade() -> None:
    op.drop_index("ix_pending_rule_changes_gemeente", table_name="pending_rule_changes")
    op.drop_table("pending_rule_changes")
