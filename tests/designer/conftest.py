"""Designer fixtures: the shared test app (tests/conftest.py) with the intake bundle and designers."""
from __future__ import annotations

import pytest

from tests.designer.helpers import setup
from tests.engine.helpers import TEST_SEALER


@pytest.fixture
def app_setup():
    def setup_designer(engine) -> None:
        engine.sealer = TEST_SEALER
        setup(engine)
    return setup_designer
