"""The decision record as people see it (issue 21 item 4): a case manager deciding on a task sees
why the table answered what it did, and so does the auditor on the case's history. In headless
Chromium, through the pages, as those roles."""
from __future__ import annotations

import json

import pytest

from casework.accounts import demo
from cli.schema import upgrade
from tests.browser import PASSWORD, assert_accessible, serving
from tests.dmn.helpers import table
from tests.web.helpers import BSN
from web.app import create_app

pytestmark = pytest.mark.browser

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="urn:test">
  <bpmn:process id="premie" name="Premie (test)" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="lane_cm" name="casemanager">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>beslis</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>besluit</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="beslis" name="Premie berekenen">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>Tabel</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:userTask id="besluit" name="Premie beoordelen">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="premie.json" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="beslis"/>
    <bpmn:sequenceFlow id="f2" sourceRef="beslis" targetRef="besluit"/>
    <bpmn:sequenceFlow id="f3" sourceRef="besluit" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
FORM = {"title": "Premie beoordelen", "type": "object", "required": ["besluit"],
        "properties": {"besluit": {"type": "string", "title": "Besluit", "enum": ["toekennen", "afwijzen"]}},
        "x-beslissing": {"decision": "Tabel", "uitkomstVeld": "bedrag", "besluitVeld": "besluit"}}
# FEEL, COLLECT SUM: all four rules match at 30 years, 100 + 200 + 300 + 500
RULES = [("&gt; 18", "100"), ("&gt;= 21", "200"), ("&lt; 65", "300"), ("&gt; 25", "500")]
WHY = ("COLLECT SUM: regels r1, r2, r3, r4 zijn van toepassing; som van bedrag (100 + 200 + 300 + 500) "
       "= 1100.")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('dmn-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test",
                      "PSEUDONYM_KEY": "00112233445566778899aabbccddeeff"})
    engine = app.extensions["trede.engine"]
    engine.deploy({"premie.bpmn": PROCESS.encode(), "premie.json": json.dumps(FORM).encode(),
                   "tabel.dmn": table(RULES, "COLLECT", "SUM", language=None).encode()})
    demo.load(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "premie", {"leeftijd": 30})
    with serving(app) as base:
        yield {"base": base, "case": case}
    engine.db.dispose()


def _sign_in(browser, live, username: str, start: str):
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + start)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"**{start}")
    return page


def test_case_manager_sees_why_the_table_proposes_its_answer(browser, live):
    page = _sign_in(browser, live, "casemanager.ooststellingwerf", "/werkvoorraad")
    page.get_by_role("link", name="Onverdeeld in mijn team").click()
    row = page.get_by_role("row").filter(has_text="Jan Jansen")
    row.get_by_role("link", name="Premie beoordelen").click()
    page.get_by_role("heading", name="Premie beoordelen").first.wait_for()
    proposal = page.locator("section.trede-proposal")
    assert "bedrag = 1100" in proposal.inner_text().replace(".", "")
    assert WHY in proposal.inner_text()
    assert_accessible(page)


def test_auditor_sees_why_on_the_case_history(browser, live):
    page = _sign_in(browser, live, "auditor.ooststellingwerf", "/audit/")
    number = live["case"].case_number
    page.get_by_label("Zaaknummer").fill(number)
    page.get_by_role("button", name="Zaak openen").click()
    page.get_by_role("heading", name=f"Zaakhistorie {number}").wait_for()
    decision = page.locator(".audit-decision").filter(has_text="Beslissing Tabel")
    assert f"Waarom: {WHY}" in decision.inner_text()
    assert_accessible(page)
