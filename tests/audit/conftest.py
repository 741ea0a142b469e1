"""Auditor fixtures: the web test app with auditors in two gemeenten and a fixed clock."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casework.accounts.service import create_user
from engine.clock import FixedClock
from tests.web.helpers import add_users, deploy, login
from web.app import create_app

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # 09:00 in the Netherlands
PSEUDONYM_KEY = "00112233445566778899aabbccddeeff"
AUDITORS = [("aud", "Ruud Mulder", "ooststellingwerf"), ("aud-apel", "Anouk Appel", "apeldoorn")]


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret",
                      "CLOCK": FixedClock(START), "PSEUDONYM_KEY": PSEUDONYM_KEY})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    add_users(engine)
    for username, naam, gemeente in AUDITORS:
        create_user(engine.db, username, "geheim-wachtwoord", naam, gemeente, ["auditor"])
    yield app
    engine.db.dispose()


@pytest.fixture
def engine(app):
    return app.extensions["trede.engine"]


@pytest.fixture
def signed_in(app):
    def make(username: str):
        client = app.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make
