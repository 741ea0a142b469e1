"""beschikkingen: a letter whose decision was reopened (issue 18 items 4 and 9)

When a teamleider reopens the task whose completion became a beschikking (casework/correction.py), a
letter not yet sent is withdrawn (brief_status ``ingetrokken``) and a sent one is flagged: ``heropend``
holds the reason of the correction, from the case's chained ``beschikking_ingetrokken`` or
``beschikking_heropend`` event.

Revision ID: p18_0001
Revises: a20_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "p18_0001"
down_revision = "a20_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("beschikkingen") as batch:
        batch.add_column(sa.Column("heropend", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("beschikkingen") as batch:
        batch.drop_column("heropend")
