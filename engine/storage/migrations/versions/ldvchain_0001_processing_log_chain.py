"""processing log hash-chained per gemeente, head sealed (issue 8)

Lines written before this revision keep seq NULL: `trede logboek verify` reports them as lines
from before the chain, and refuses any such line added after the chain started.

Revision ID: ldvchain_0001
Revises: 0005 (the processing_log branch)
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "ldvchain_0001"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processing_log") as batch:
        batch.add_column(sa.Column("seq", sa.Integer()))
        batch.add_column(sa.Column("content_hash", sa.String(64)))
        batch.add_column(sa.Column("prev_hash", sa.String(64)))
        batch.add_column(sa.Column("hash", sa.String(64)))
        batch.add_column(sa.Column("destroyed_at", UTCDateTime()))
        batch.create_unique_constraint("uq_processing_log_seq", ["gemeente", "seq"])
    op.create_table(
        "processing_log_heads",
        sa.Column("gemeente", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("seal", sa.String(64)),
    )


def downgrade() -> None:
    op.drop_table("processing_log_heads")
    with op.batch_alter_table("processing_log") as batch:
        batch.drop_constraint("uq_processing_log_seq", type_="unique")
        for name in ("destroyed_at", "hash", "prev_hash", "content_hash", "seq"):
            batch.drop_column(name)
