"""A failed statement never puts its parameters (a BSN, a name, health data) into a log line
(issue 17, finding 5): every database engine trede makes hides them (SQLAlchemy
``hide_parameters``). The log still names the statement, so the error can be found."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from engine.storage.db import clients, make_db_engine, utcnow

BSN = "999990019"


def _failing_insert(db) -> DBAPIError:
    """An insert carrying a BSN that the database refuses on SQLite and PostgreSQL alike (an id
    that is no integer), the way a 3,000-character name was refused on PostgreSQL."""
    with pytest.raises(DBAPIError) as failed, db.begin() as conn:
        conn.execute(insert(clients).values(id="geen-getal", gemeente="ooststellingwerf", bsn=BSN,
                                            naam="Jan Jansen", created_at=utcnow()))
    return failed.value


def test_a_database_error_logged_by_the_api_holds_no_bsn(app, caplog):
    error = _failing_insert(app.extensions["trede.engine"].db)
    with caplog.at_level(logging.ERROR):
        logging.getLogger("trede.api").exception("unexpected API error (%s)", type(error).__name__,
                                                 exc_info=error)
    assert "INSERT INTO clients" in caplog.text  # the statement is there to find the fault by
    assert BSN not in caplog.text and "Jan Jansen" not in caplog.text


def test_every_engine_trede_makes_hides_parameters(db_url):
    db = make_db_engine(db_url)  # the CLI, the worker and the tests build theirs this way
    try:
        assert BSN not in str(_failing_insert(db))
    finally:
        db.dispose()
