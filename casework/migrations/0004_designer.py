"""process designer: deployments awaiting approval (four eyes) and model tests

Revision ID: 0004
Revises: 0003 (the engine's), 0002 (casework's accounts); a branch of its own: trede upgrades to all heads
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "0004"
down_revision = ("0003", "0002")
branch_labels = ("designer",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_deployments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False, index=True),
        sa.Column("process_id", sa.String(255), nullable=False),
        sa.Column("base_version_id", sa.Integer(), sa.ForeignKey("process_versions.id")),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128)),
        sa.Column("decided_at", UTCDateTime()),
        sa.Column("decision", sa.Text()),
        sa.Column("deployment_id", sa.Integer(), sa.ForeignKey("deployments.id")),
    )
    op.create_table(
        "model_tests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_model_tests_target", "model_tests", ["gemeente", "kind", "target"])


def downgrade() -> None:
    op.drop_index("ix_model_tests_target", table_name="model_tests")
    op.drop_table("model_tests")
    op.drop_table("pending_deployments")
