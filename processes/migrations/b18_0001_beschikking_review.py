"""beschikkingen: the review step concept -> gecontroleerd -> verzonden, and the addressee's address

A beschikking counts as sent (Awb 3:41: it takes effect when sent; 6:8: the objection term starts
the day after) only once it is verzonden; until then it has no dispatch date. Letters issued before
this revision went out when they were made: they are verzonden.

Revision ID: b18_0001
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "b18_0001"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("beschikkingen") as batch:
        batch.add_column(sa.Column("brief_status", sa.String(16), nullable=False, server_default="verzonden"))
        batch.add_column(sa.Column("gecontroleerd_door", sa.String(128), nullable=True))
        batch.add_column(sa.Column("gecontroleerd_op", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("verzonden_door", sa.String(128), nullable=True))
        batch.add_column(sa.Column("adres", sa.Text(), nullable=True))
        batch.alter_column("verzonden_op", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("beschikkingen") as batch:
        batch.alter_column("verzonden_op", existing_type=sa.Date(), nullable=False)
        for name in ("adres", "verzonden_door", "gecontroleerd_op", "gecontroleerd_door", "brief_status"):
            batch.drop_column(name)
