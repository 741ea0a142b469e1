"""beschikkingen.bedrag_centen: the amount a beschikking names (a grant with an amount, a terugvordering)

Revision ID: 0012
Revises: 0011
"""
import json
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("beschikkingen") as batch:
        batch.add_column(sa.Column("bedrag_centen", sa.Integer(), nullable=True))
    # Beschikkingen issued before: their amount is in their own event (beschikking_issued).
    conn = op.get_bind()
    issued = conn.execute(sa.text("SELECT payload FROM events WHERE kind = 'beschikking_issued'"))
    for (payload,) in issued.all():
        data = json.loads(payload)
        if isinstance(data, dict) and data.get("bedrag") is not None and data.get("beschikking_id"):
            conn.execute(sa.text("UPDATE beschikkingen SET bedrag_centen = :c WHERE id = :i"),
                         {"c": int(Decimal(str(data["bedrag"])) * 100), "i": data["beschikking_id"]})


def downgrade() -> None:
    with op.batch_alter_table("beschikkingen") as batch:
        batch.drop_column("bedrag_centen")
