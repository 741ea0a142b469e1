"""process_versions.deactivated_*: a version new cases no longer start on (issue 20, item 8)

A deactivated version keeps its running cases; ``latest_version`` skips it, so new cases start on
the newest version that is still active. Reactivating clears the columns. Every change also leaves a
line in the beheer log (casework.designer.version_state) with its reason.

Revision ID: b20_0001
Revises: a18_0001
"""
import sqlalchemy as sa
from alembic import op

from engine.storage.db import UTCDateTime

revision = "b20_0001"
down_revision = "a18_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("process_versions") as batch:
        batch.add_column(sa.Column("deactivated_at", UTCDateTime()))
        batch.add_column(sa.Column("deactivated_by", sa.String(128)))
        batch.add_column(sa.Column("deactivated_reason", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("process_versions") as batch:
        batch.drop_column("deactivated_reason")
        batch.drop_column("deactivated_by")
        batch.drop_column("deactivated_at")
