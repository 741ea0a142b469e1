"""throttle: failed sign-ins counted in the database, shared by all web workers (issue 8)

Revision ID: throttle_0001
Revises: 0003 (a branch of its own: trede upgrades to all heads)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "throttle_0001"
down_revision = "0003"
branch_labels = ("throttle",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_login_throttle_window_start", "login_throttle", ["window_start"])


def downgrade() -> None:
    op.drop_index("ix_login_throttle_window_start", table_name="login_throttle")
    op.drop_table("login_throttle")
