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
from tests.browser import assert_accessible
from tests.web.test_browser import live, sign_in  # noqa: F401 - live: the module's app
from web.api.tokens import issue

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seam(request):
    """The browser tests' live app (tests/web/test_browser.py), with a token for another system."""
    served = request.getfixturevalue("live")
    token = issue(served["engine"].db, "uitkeringssysteem", "ooststellingwerf", {"tasks:read", "tasks:write"},
                  datetime.now(UTC))
    return {**served, "token": token}


def _complete_through_api(served, task_id: str, data: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{served['base']}/api/tasks/{task_id}/complete", method="POST",
        data=json.dumps({"data": data}).encode(),
        headers={"Authorization": f"Bearer {served['token']}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_refused_api_completion_reads_as_on_the_page_and_is_in_the_auditors_log(browser, seam):
    served = seam
    task = served["engine"].ready_tasks(case_id=served["case"].id)[0]
    status, answer = _complete_through_api(served, task.task_id, {"trede": 9, "onzin": 1})
    assert status == 422 and set(answer["errors"]) == {"trede", "onzin"}

    page = sign_in(browser, served, "casemanager.ooststellingwerf")
    page.goto(f"{served['base']}/taken/{task.task_id}")
    page.get_by_label("Trede participatieladder").fill("9")
    page.get_by_role("button", name="Afronden").click()
    expect(page.locator("#foutoverzicht")).to_be_focused(timeout=5000)
    assert answer["errors"]["trede"] in page.locator("#fout-trede").inner_text()
    page.context.close()

    page = sign_in_auditor(browser, served)
    page.get_by_label("Verwerkingsactiviteit").select_option(label="Zaakgegevens via de API wijzigen")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_contain_text("1 regel gevonden")
    row = page.locator("table.audit-log tbody tr").first
    assert "api:uitkeringssysteem" in row.inner_text() and "formulier afgewezen" in row.inner_text()
    assert served["case"].case_number in row.inner_text()
    assert_accessible(page)
    page.context.close()


def sign_in_auditor(browser, served):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(served["base"] + "/audit/logboek")
    page.get_by_label("Gebruikersnaam").fill("auditor.ooststellingwerf")
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_label("Verwerkingsactiviteit").wait_for()
    if "/audit/logboek" not in page.url:
        page.goto(served["base"] + "/audit/logboek")
    return page
