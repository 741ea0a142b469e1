"""processing log (Logboek Dataverwerkingen): one row per processing of a data subject's data

Revision ID: 0005
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "0005"
down_revision = "0003"
branch_labels = ("processing_log",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processing_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("trace_id", sa.String(32), nullable=False, index=True),
        sa.Column("span_id", sa.String(16), nullable=False, unique=True),
        sa.Column("parent_span_id", sa.String(16)),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("start_time", UTCDateTime(), nullable=False),
        sa.Column("end_time", UTCDateTime(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("processing_activity_id", sa.String(255), nullable=False, index=True),
        sa.Column("data_subject_id", sa.String(64), index=True),
        sa.Column("data_subject_id_type", sa.String(32)),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("origin", sa.String(64)),
        sa.Column("object_ref", sa.String(255)),
        sa.Column("result", sa.String(255), nullable=False),
        sa.Column("foreign_operation", sa.Text()),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_processing_log_gemeente_at", "processing_log", ["gemeente", "at"])


def downgrade() -> None:
    op.drop_index("ix_processing_log_gemeente_at", table_name="processing_log")
    op.drop_table("processing_log")
