"""Alembic environment: runs against the URL handed over by engine.storage.schema_migrations."""
from alembic import context
from sqlalchemy.engine import Connection

from engine.storage.db import make_db_engine, metadata

config = context.config


def run_migrations() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = make_db_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: Connection) -> None:
    target = config.attributes.get("target_metadata", metadata)  # every package's, from cli/schema.py
    context.configure(connection=connection, target_metadata=target, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
