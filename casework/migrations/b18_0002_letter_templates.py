"""gemeente_settings: the letter template of a gemeente (name, sender, signature line, logo) and
whether a letter is checked by someone other than its author before it is sent

Revision ID: b18_0002
Revises: beheer_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "b18_0002"
down_revision = "beheer_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gemeente_settings") as batch:
        batch.add_column(sa.Column("brief_naam", sa.String(128), nullable=True))
        batch.add_column(sa.Column("brief_afzender", sa.Text(), nullable=True))
        batch.add_column(sa.Column("brief_ondertekening", sa.Text(), nullable=True))
        batch.add_column(sa.Column("brief_logo", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("brief_vier_ogen", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("gemeente_settings") as batch:
        for name in ("brief_vier_ogen", "brief_logo", "brief_ondertekening", "brief_afzender", "brief_naam"):
            batch.drop_column(name)
