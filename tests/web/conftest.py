"""Web fixtures: an app on the migrated test database (SQLite and PostgreSQL) with users and a case."""
from __future__ import annotations

import pytest

from tests.web.helpers import add_users, deploy, login, start_case
from web.app import create_app


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    add_users(engine)
    yield app
    engine.db.dispose()


@pytest.fixture
def engine(app):
    return app.extensions["trede.engine"]


@pytest.fixture
def case(engine):
    """A case in Ooststellingwerf waiting at its first task (the diagnose form)."""
    ref, _ = start_case(engine)
    return ref


@pytest.fixture
def signed_in(app):
    """A test client factory: ``signed_in("cm")`` is a client signed in as cm."""
    def make(username: str):
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make
