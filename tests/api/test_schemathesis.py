"""Property-based test of the REST API against its own OpenAPI document (schemathesis).

The app is served on loopback (as a client would reach it) with a valid token holding every
scope, and schemathesis (pinned in pyproject.toml) runs as its command line does with
``--checks all``: no 5xx, no accepted invalid request (unknown keys, wrong types, formats),
status codes, content types, headers and bodies as documented, 405 with a correct ``Allow``,
authentication not ignored. Bounded: 10 examples per operation in each phase, deterministic
generation, one worker; about half a minute on each database. What a run may answer to a valid request for its
meaning (422) is set in tests/api/schemathesis.toml.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import serving
from tests.web.helpers import deploy, start_case
from web.api.tokens import issue
from web.app import create_app

pytestmark = pytest.mark.database  # an app on a migrated, empty database (both kinds)

SCOPES = {"cases:read", "cases:write", "tasks:read", "tasks:write", "messages:write", "messages:admin",
          "timers:run", "decisions:evaluate", "deploys:submit", "parties:write"}
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture
def served(db_url):
    """On SQLite and on PostgreSQL: ids past INTEGER, NUL in text and over-long values fail only there."""
    url = db_url
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "schemathesis"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    start_case(engine)  # something for the generated ids to find now and then
    token = issue(engine.db, "schemathesis", "ooststellingwerf", SCOPES, engine.clock.now())
    with serving(app) as base:
        yield {"base": base, "token": token}
    engine.db.dispose()


def test_api_conforms_to_its_openapi_document_under_all_checks(served, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
         served["base"] + "/api/openapi.json", "--checks", "all", "--max-examples", "10",
         "--phases", "examples,coverage,fuzzing,stateful", "--workers", "1", "--generation-deterministic",
         "--header", f"Authorization: Bearer {served['token']}", "--no-color"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-2000:]
    assert "20 passed" in run.stdout or "Tested: 20" in run.stdout, run.stdout[-3000:]


def test_what_schemathesis_found_stays_fixed(served):
    """Regression tests for the findings: each was a 5xx or an HTML answer to an API client."""
    import json
    import urllib.error
    import urllib.request

    def get(path: str) -> tuple[int, str, dict]:
        request = urllib.request.Request(served["base"] + path,
                                         headers={"Authorization": f"Bearer {served['token']}"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.headers["Content-Type"], json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], json.load(error)

    # A negative id matches no route: JSON 404, not a redirect to the HTML sign-in page.
    assert get("/api/cases/-1")[:2] == (404, "application/json")
    # Ids beyond BIGINT: 404 (path) and 400 (query), not an OverflowError 500.
    assert get("/api/cases/367206180921983631360")[0] == 404
    status, _, body = get("/api/tasks?case_id=267964064599927490084864")
    assert status == 400 and body["field"] == "case_id"
    assert get("/api/tasks?case_id=abc")[0] == 400  # was silently ignored: all tasks were listed
