"""deployments.dmn_engine: which decision engine runs a bundle's tables (issue 21)

Bundles deployed before keep NULL and run on SpiffWorkflow's DMNEngine as they did (their cases
replay as recorded); bundles deployed since say "dmn-standard" (every hit policy, FEEL).

Revision ID: dmn_0001
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "dmn_0001"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.add_column(sa.Column("dmn_engine", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("dmn_engine")
