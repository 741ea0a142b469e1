"""parties: the register of providers and employers, and the link of a case to one (issue 18 item 2)

Revision ID: a18_0002
Revises: b18_0001
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "a18_0002"
down_revision = "b18_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente", sa.String(64), nullable=False),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("naam", sa.String(200), nullable=False),
        sa.Column("kvk", sa.String(8), nullable=False),
        sa.Column("contactpersoon", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("telefoon", sa.String(20)),
        sa.Column("adres", sa.String(200)),
        sa.Column("plaats", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ux_parties_gemeente_kvk", "parties", ["gemeente", "kvk"], unique=True)
    op.create_table(
        "party_cases",
        sa.Column("case_id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=False),
    )
    op.create_index("ix_party_cases_party_id", "party_cases", ["party_id"])


def downgrade() -> None:
    op.drop_index("ix_party_cases_party_id", table_name="party_cases")
    op.drop_table("party_cases")
    op.drop_index("ux_parties_gemeente_kvk", table_name="parties")
    op.drop_table("parties")
