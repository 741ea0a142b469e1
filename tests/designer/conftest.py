"""Designer fixtures: an app on the test database (SQLite and PostgreSQL) with the intake bundle."""
from __future__ import annotations

import pytest

from engine.clock import FixedClock
from tests.designer.helpers import setup
from tests.engine.helpers import START, TEST_SEALER
from web.app import create_app


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "designer-test",
                      "CLOCK": FixedClock(START)})
    engine = app.extensions["trede.engine"]
    engine.sealer = TEST_SEALER
    setup(engine)
    yield app
    engine.db.dispose()


@pytest.fixture
def engine(app):
    return app.extensions["trede.engine"]
