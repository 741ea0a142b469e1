"""indexes for the worklist at scale (measured in bench/worklist_scale.py)

Revision ID: 0008
Revises: 0006 (deadlines must exist)
"""
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

PLAIN = [
    ("ix_work_items_claimed_gemeente", "work_items", "(claimed_by, gemeente)"),
    ("ix_work_items_gemeente_lane", "work_items", "(gemeente, lane)"),
    ("ix_work_items_gemeente_process", "work_items", "(gemeente, process_id)"),
    ("ix_clients_bsn", "clients", "(bsn)"),
]


def upgrade() -> None:
    for name, table, columns in PLAIN:
        op.execute(f"CREATE INDEX {name} ON {table} {columns}")
    # Open deadlines are what the worklist probes per task; a partial index keeps it small.
    op.execute("CREATE INDEX ix_deadlines_open_case ON deadlines (case_id, kind, due_date) "
               "WHERE status = 'open'")
    if op.get_bind().dialect.name == "postgresql":
        # Substring search on name and case number: trigram indexes (pg_trgm ships with PostgreSQL).
        # In schema public, whatever the search_path: an extension is one per database.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        op.execute("CREATE INDEX ix_clients_naam_trgm ON clients USING gin (lower(naam) public.gin_trgm_ops)")
        op.execute("CREATE INDEX ix_cases_number_trgm ON cases "
                   "USING gin (lower(case_number) public.gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_cases_number_trgm")
        op.execute("DROP INDEX ix_clients_naam_trgm")
    op.execute("DROP INDEX ix_deadlines_open_case")
    for name, _table, _columns in PLAIN:
        op.execute(f"DROP INDEX {name}")
