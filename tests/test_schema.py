from sqlalchemy import inspect


def test_migrations_create_every_table(db):
    names = set(inspect(db).get_table_names())
    assert {"cases", "instances", "events", "work_items", "waits", "deployments"} <= names
