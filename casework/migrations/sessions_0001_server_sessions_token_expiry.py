"""sign-in sessions kept on the server; API tokens with an expiry and a last-used time (issue 17)

Revision ID: sessions_0001
Revises: 0002 (casework's accounts); a branch of its own: trede upgrades to all heads

Tokens issued before this revision get an expiry of 90 days from the upgrade, not from their
creation: an integration must not stop working the moment trede is upgraded.
"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "sessions_0001"
down_revision = "0002"
branch_labels = ("sessions",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("last_used_at", UTCDateTime(), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", UTCDateTime()))
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None))
               .values(expires_at=datetime.now(UTC) + timedelta(days=90)))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
    op.drop_index("ix_user_sessions_user_id", "user_sessions")
    op.drop_table("user_sessions")
