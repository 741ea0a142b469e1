"""The review of a Camunda Modeler model in real headless Chromium: the lines, accessible, approved.

The second designer reads on the review page what each camunda: construct of the invoice model
(tests/fixtures/camunda) becomes, the page passes axe, and approving deploys it (issue 21, item 6).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from casework.designer import approvals
from casework.people import acting_user
from cli.schema import upgrade
from tests.browser import assert_accessible, serving
from tests.designer.helpers import GEMEENTE, PASSWORD, USERS
from tests.designer.test_designer_browser import sign_in
from tests.engine.helpers import TEST_SEALER
from web.app import create_app

pytestmark = pytest.mark.browser
CAMUNDA = Path(__file__).parents[1] / "fixtures" / "camunda"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('camunda') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "camunda-browser-test"})
    engine = app.extensions["trede.engine"]
    engine.sealer = TEST_SEALER
    hashed = generate_password_hash(PASSWORD)
    for username, naam, roles in USERS:
        create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)
    files = {p.name: p.read_text() for p in sorted(CAMUNDA.iterdir())
             if p.suffix in (".bpmn", ".dmn", ".json")}
    pending = approvals.submit(engine.db, acting_user(engine.db, "ontwerper"), "factuur_goedkeuren", None,
                               files, "factuur uit Camunda Modeler")
    assert isinstance(pending, int), pending
    with serving(app) as base:
        yield {"base": base, "engine": engine, "pending": pending}
    engine.db.dispose()


def test_the_second_designer_reads_the_translation_and_approves(browser, live):
    page = sign_in(browser, live, "ontwerper2")
    page.goto(live["base"] + f"/ontwerp/aanvragen/{live['pending']}")
    translated = page.get_by_role("list", name="Vertaald uit Camunda Modeler")
    assert translated.get_by_role("listitem").count() == 9
    assert translated.get_by_text("camunda:assignee='${goedkeurder}' → toegewezen aan wie variabele "
                                  "'goedkeurder' noemt").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Goedkeuren en uitrollen").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "goedgekeurd en uitgerold"
    assert page.js_errors == []
