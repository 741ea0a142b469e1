"""Auditor fixtures: the shared test app (tests/conftest.py) with auditors in two gemeenten."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casework.accounts.service import create_user
from engine.clock import FixedClock
from tests.web.helpers import add_users, deploy

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # 09:00 in the Netherlands
PSEUDONYM_KEY = "00112233445566778899aabbccddeeff"
AUDITORS = [("aud", "Ruud Mulder", "ooststellingwerf"), ("aud-apel", "Anouk Appel", "apeldoorn")]


@pytest.fixture
def app_config() -> dict:
    return {"CLOCK": FixedClock(START), "PSEUDONYM_KEY": PSEUDONYM_KEY}


@pytest.fixture
def app_setup():
    def setup(engine) -> None:
        deploy(engine)
        add_users(engine)
        for username, naam, gemeente in AUDITORS:
            create_user(engine.db, username, "geheim-wachtwoord", naam, gemeente, ["auditor"])
    return setup
