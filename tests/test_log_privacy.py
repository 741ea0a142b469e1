"""BSNs never in logs (developers' guide, "Security by default"; AVG art. 5(1)(c) and art. 87 with the
Wabb: the BSN is used only where the law requires it), also in text trede does not write itself: the
database's error detail and library exceptions (casework/log_privacy.py)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from casework import log_privacy
from cli.main import trede
from engine.storage.db import clients

BSN = "999990019"  # passes the elfproef (test BSN range of the RvIG)
KVK = "12345678"


@pytest.fixture
def redacting():
    """The record factory as a fresh process has it, then trede's redaction on top."""
    before = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    log_privacy.install()
    yield
    logging.setLogRecordFactory(before)


def test_a_traceback_and_a_message_lose_the_bsn_but_keep_other_numbers(redacting, caplog):
    log = logging.getLogger("trede.test")
    try:
        raise ValueError(f"client {BSN} unknown (kvk {KVK}, id 123456789)")
    except ValueError:
        log.exception("failed for %s", BSN)
    assert BSN not in caplog.text
    assert "failed for [bsn]" in caplog.text and "client [bsn] unknown" in caplog.text
    assert KVK in caplog.text and "123456789" in caplog.text  # not an elfproef number: stays readable


def test_the_databases_own_error_detail_is_redacted(redacting, db, caplog):
    now = datetime.now(UTC)
    with db.begin() as conn:
        conn.execute(insert(clients).values(gemeente="woerden", bsn=BSN, naam="A", created_at=now))
    with pytest.raises(IntegrityError) as raised, db.begin() as conn:
        conn.execute(insert(clients).values(gemeente="woerden", bsn=BSN, naam="B", created_at=now))
    if db.dialect.name == "postgresql":  # PostgreSQL names the key's values in its DETAIL line
        assert BSN in str(raised.value)
    try:
        raise raised.value
    except IntegrityError:
        logging.getLogger("web.api").exception("unexpected API error (IntegrityError)")
    assert BSN not in caplog.text and "IntegrityError" in caplog.text


def test_the_web_app_and_the_cli_install_it():
    before = logging.getLogRecordFactory()
    try:
        logging.setLogRecordFactory(logging.LogRecord)
        assert CliRunner().invoke(trede, ["bsn", "check", BSN]).exit_code == 0
        assert getattr(logging.getLogRecordFactory(), "redacts_bsn", False)

        logging.setLogRecordFactory(logging.LogRecord)
        from web.app import create_app
        create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
        assert getattr(logging.getLogRecordFactory(), "redacts_bsn", False)
    finally:
        logging.setLogRecordFactory(before)
