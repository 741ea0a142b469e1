"""The declared tables (every package's MetaData) and the migrated database are one schema."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cli import schema


def schema_differences(conn) -> list:
    return compare_metadata(MigrationContext.configure(conn), schema.metadata())


def test_migrations_create_every_table(db):
    names = set(inspect(db).get_table_names()) - {"alembic_version"}
    assert names == schema.table_names()
    # + incidents, user_sessions (17); parties, party_cases (18); rule_versions, pending_rule_changes (20)
    assert len(names) == 41


# The trigram indexes are PostgreSQL's only (compared there); SQLite reflects no expression index.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_declared_tables_are_the_migrated_ones(db):
    with db.connect() as conn:
        assert schema_differences(conn) == []
