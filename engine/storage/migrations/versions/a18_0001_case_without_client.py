"""a case may be about no person: cases.client_id nullable (issue 18 item 2, a provider's offer)

Revision ID: a18_0001
Revises: incidents_0001

On SQLite a NOT NULL constraint is dropped by editing the table's stored definition, the procedure
SQLite documents for changes that leave the stored rows as they are ("Making Other Kinds Of Table
Schema Changes", sqlite.org/lang_altertable.html): rebuilding ``cases`` instead would have to
drop a table that every other table of a case refers to.
"""
import sqlalchemy as sa
from alembic import op

revision = "a18_0001"
down_revision = "incidents_0001"
branch_labels = None
depends_on = None


def _sqlite_client_id(old: str, new: str) -> None:
    conn = op.get_bind()
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
    sql = str(conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cases'").scalar_one())
    if old not in sql:
        raise RuntimeError(f"cases: column definition {old!r} not found")
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'cases'",
                         (sql.replace(old, new),))
    conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_client_id("client_id INTEGER NOT NULL", "client_id INTEGER")
    else:
        op.alter_column("cases", "client_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_client_id("client_id INTEGER,", "client_id INTEGER NOT NULL,")
    else:
        op.alter_column("cases", "client_id", existing_type=sa.Integer(), nullable=False)
