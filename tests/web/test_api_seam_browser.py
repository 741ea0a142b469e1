"""One way in, walked in Chromium (issue 15): what another system sends through the REST API meets
the task page's rules, the case manager sees the same message for the same answer, and the auditor
finds the refused API attempt in the processing log (Logboek Dataverwerkingen; AVG art. 30)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from casework.accounts import demo
from cli.schema import upgrade
from tests.browser import assert_accessible, serving
from tests.web.helpers import deploy, start_case
from tests.web.test_browser import sign_in
from web.api.tokens import issue
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('seam') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    case, _ = start_case(engine)
    token = issue(engine.db, "uitkeringssysteem", "ooststellingwerf", {"tasks:read", "tasks:write"},
                  datetime.now(UTC))
    with serving(app) as base:
        yield {"base": base, "engine": engine, "case": case, "token": token}
    engine.db.dispose()


def _complete_through_api(live, task_id: str, data: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{live['base']}/api/tasks/{task_id}/complete", method="POST",
        data=json.dumps({"data": data}).encode(),
        headers={"Authorization": f"Bearer {live['token']}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_refused_api_completion_reads_as_on_the_page_and_is_in_the_auditors_log(browser, live):
    task = live["engine"].ready_tasks(case_id=live["case"].id)[0]
    status, answer = _complete_through_api(live, task.task_id, {"trede": 9, "onzin": 1})
    assert status == 422 and set(answer["errors"]) == {"trede", "onzin"}

    page = sign_in(browser, live, "casemanager.ooststellingwerf")
    page.goto(f"{live['base']}/taken/{task.task_id}")
    page.get_by_label("Trede participatieladder").fill("9")
    page.get_by_role("button", name="Afronden").click()
    expect(page.locator("#foutoverzicht")).to_be_focused(timeout=5000)
    assert answer["errors"]["trede"] in page.locator("#fout-trede").inner_text()
    page.context.close()

    page = sign_in_auditor(browser, live)
    page.get_by_label("Verwerkingsactiviteit").select_option(label="Zaakgegevens via de API wijzigen")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_contain_text("1 regel gevonden")
    row = page.locator("table.audit-log tbody tr").first
    assert "api:uitkeringssysteem" in row.inner_text() and "formulier afgewezen" in row.inner_text()
    assert live["case"].case_number in row.inner_text()
    assert_accessible(page)
    page.context.close()


def sign_in_auditor(browser, live):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(live["base"] + "/audit/logboek")
    page.get_by_label("Gebruikersnaam").fill("auditor.ooststellingwerf")
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_label("Verwerkingsactiviteit").wait_for()
    if "/audit/logboek" not in page.url:
        page.goto(live["base"] + "/audit/logboek")
    return page
