"""parties entered and edited by hand (issue 18 item 2): a postcode, and every change with who and when

Revision ID: p18_0002
Revises: p18_0001
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "p18_0002"
down_revision = "p18_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("postcode", sa.String(7), nullable=True))
    op.create_table(
        "party_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("wat", sa.String(16), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
    )
    op.create_index("ix_party_changes_party_id", "party_changes", ["party_id"])


def downgrade() -> None:
    op.drop_index("ix_party_changes_party_id", table_name="party_changes")
    op.drop_table("party_changes")
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("postcode")
