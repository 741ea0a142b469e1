"""beheer: settings per gemeente, the beheer log, absences and case teams (issue 4, issue 8.1)

Revision ID: beheer_0001
Revises: 0003 (the engine's), 0002 (casework's accounts); a branch of its own: trede upgrades to all heads
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "beheer_0001"
down_revision = ("0003", "0002")
branch_labels = ("beheer",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gemeente_settings",
        sa.Column("gemeente", sa.String(64), primary_key=True),
        sa.Column("team_scoped", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "admin_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_admin_log_gemeente_at", "admin_log", ["gemeente", "at"])
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("username", sa.String(128), nullable=False),
        sa.Column("vervanger", sa.String(128), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_absences_gemeente_dates", "absences", ["gemeente", "end_date"])
    op.create_table(
        "case_teams",
        sa.Column("case_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("team", sa.String(128), nullable=False),
        sa.Column("set_by", sa.String(128), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_case_teams_gemeente_team", "case_teams", ["gemeente", "team"])


def downgrade() -> None:
    op.drop_index("ix_case_teams_gemeente_team", table_name="case_teams")
    op.drop_table("case_teams")
    op.drop_index("ix_absences_gemeente_dates", table_name="absences")
    op.drop_table("absences")
    op.drop_index("ix_admin_log_gemeente_at", table_name="admin_log")
    op.drop_table("admin_log")
    op.drop_table("gemeente_settings")
