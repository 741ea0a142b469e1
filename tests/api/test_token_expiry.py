"""API tokens expire (issue 17, findings 3 and 11): 90 days by default, settable at
`trede token create --days`; an expired token gets 401 with a Dutch message; the last use is
kept and shown where tokens are listed (`trede token list`)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casework.tables import api_tokens
from cli.main import trede as cli
from engine.clock import FixedClock
from tests.engine.helpers import START
from web.api.tokens import issue
from web.app import create_app


@pytest.fixture
def app(db_url):
    return create_app({"DATABASE_URL": db_url, "CLOCK": FixedClock(START), "TESTING": True})


def _get(app, token: str):
    return app.test_client().get("/api/tasks", headers={"Authorization": f"Bearer {token}"})


def test_a_token_works_for_90_days_and_then_gets_401_in_dutch(app):
    engine = app.extensions["trede.engine"]
    token = issue(engine.db, "uitkeringssysteem", "ooststellingwerf", {"tasks:read"}, START)
    engine.clock.advance(timedelta(days=90) - timedelta(minutes=1))
    assert _get(app, token).status_code == 200
    engine.clock.advance(timedelta(minutes=1))
    expired = _get(app, token)
    assert expired.status_code == 401
    assert "token verlopen (geldig tot 2026-04-05)" in expired.json["error"]


def test_the_last_use_is_kept_to_the_hour(app):
    engine = app.extensions["trede.engine"]
    token = issue(engine.db, "koppeling", "ooststellingwerf", {"tasks:read"}, START)

    def last_used():
        with engine.db.connect() as conn:
            return conn.execute(select(api_tokens.c.last_used_at)).scalar_one()

    assert last_used() is None
    _get(app, token)
    assert last_used() == START
    engine.clock.advance(timedelta(minutes=59))
    _get(app, token)
    assert last_used() == START  # no write on every call
    engine.clock.advance(timedelta(minutes=1))
    _get(app, token)
    assert last_used() == START + timedelta(hours=1)


def test_token_create_takes_a_lifetime_and_token_list_shows_expiry_and_last_use(db_url):
    runner = CliRunner()
    created = runner.invoke(cli, ["token", "create", "--name", "zaaksysteem", "--gemeente", "woerden",
                                  "--scope", "tasks:read", "--days", "30", "--database-url", db_url])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})
    assert _get(app, token).status_code == 200
    listed = runner.invoke(cli, ["token", "list", "--database-url", db_url])
    assert listed.exit_code == 0, listed.output
    line = listed.output.strip()
    assert line.startswith("zaaksysteem\twoerden\tactief\tgeldig tot ") and "tasks:read" in line
    assert "laatst gebruikt nooit" not in line and token not in listed.output
    app.extensions["trede.engine"].db.dispose()


def test_a_lifetime_beyond_a_year_is_refused_in_one_line(db_url):
    result = CliRunner().invoke(cli, ["token", "create", "--name", "x", "--gemeente", "woerden",
                                      "--scope", "tasks:read", "--days", "400", "--database-url", db_url])
    assert result.exit_code == 2 and "Traceback" not in result.output
