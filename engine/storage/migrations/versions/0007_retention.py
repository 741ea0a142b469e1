"""retention: case result and archive date, destruction lists, records of destroyed cases

Revision ID: 0007
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "0007"
down_revision = "0003"
branch_labels = ("retention",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("resultaat", sa.String(64)))
        batch.add_column(sa.Column("archiefactiedatum", sa.Date()))
        batch.create_index("ix_cases_archiefactiedatum", ["archiefactiedatum"])
    op.create_table(
        "destruction_lists",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("approved_by", sa.String(128)),
        sa.Column("approved_at", UTCDateTime()),
    )
    op.create_table(
        "destruction_list_items",
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("destruction_lists.id"), primary_key=True),
        sa.Column("case_number", sa.String(32), primary_key=True),
    )
    op.create_table(
        "destroyed_cases",
        sa.Column("case_number", sa.String(32), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("resultaat", sa.String(64)),
        sa.Column("archiefactiedatum", sa.Date()),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("list_id", sa.Integer(), sa.ForeignKey("destruction_lists.id"), nullable=False),
        sa.Column("destroyed_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("destroyed_cases")
    op.drop_table("destruction_list_items")
    op.drop_table("destruction_lists")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_archiefactiedatum")
        batch.drop_column("archiefactiedatum")
        batch.drop_column("resultaat")
