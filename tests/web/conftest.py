"""Web fixtures: the app, its engine and signed-in clients come from tests/conftest.py; a case here."""
from __future__ import annotations

import pytest

from tests.web.helpers import start_case


@pytest.fixture
def case(engine):
    """A case in Ooststellingwerf waiting at its first task (the diagnose form)."""
    ref, _ = start_case(engine)
    return ref
