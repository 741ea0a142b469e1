"""The decision record of a decision requirements diagram as people see it (issue 21 items 3 and 4):
the case manager deciding on the task and the auditor on the case history see which rule of the
called decision won and what each required decision gave, with why. In headless Chromium.

The diagram: the leerwerkplek fee of seed 002 (Ooststellingwerf) art. 8
(tests/fixtures/dmn/leerwerkplek-vergoeding.dmn); trede 4, 12 hours a week in a 32-hour trajectory:
EUR 50 a month ("minder dan vijftien uur per week")."""
from __future__ import annotations

import json

import pytest

from casework.accounts import demo
from cli.schema import upgrade
from tests.browser import PASSWORD, assert_accessible, serving
from tests.dmn.drd import TEXT
from tests.web.helpers import BSN
from web.app import create_app

pytestmark = pytest.mark.browser

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="urn:test">
  <bpmn:process id="leerwerkplek" name="Leerwerkplek (test)" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="lane_cm" name="casemanager">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>beslis</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>besluit</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="beslis" name="Vergoeding bepalen">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>LeerwerkplekVergoeding</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:userTask id="besluit" name="Vergoeding beoordelen">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="vergoeding.json" />
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
FORM = {"title": "Vergoeding beoordelen", "type": "object", "required": ["besluit"],
        "properties": {"besluit": {"type": "string", "title": "Besluit", "enum": ["toekennen", "afwijzen"]}},
        "x-beslissing": {"decision": "LeerwerkplekVergoeding", "uitkomstVeld": "vergoeding",
                         "besluitVeld": "besluit"}}
WON = "FIRST: regels l_vergoeding, l_geen zijn van toepassing; uitkomst van l_vergoeding"
REQUIRED = ("Vereiste beslissingen, in de volgorde waarin ze zijn genomen: Doelgroep leerwerkplek = true "
            "(UNIQUE: regel d_trede_3_4 is van toepassing")
TRAJECT = "Totaal traject uren = 32 (urenLeerwerkplek + urenAanvullend = 32)"
CALLED = "Vergoeding bij uren(uren = 12) = 50"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('drd-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test",
                      "PSEUDONYM_KEY": "00112233445566778899aabbccddeeff"})
    engine = app.extensions["trede.engine"]
    engine.deploy({"leerwerkplek.bpmn": PROCESS.encode(), "vergoeding.json": json.dumps(FORM).encode(),
                   "leerwerkplek.dmn": TEXT.encode()})
    demo.load(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "leerwerkplek",
                                {"trede": 4, "urenLeerwerkplek": 12, "urenAanvullend": 20})
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


def _says_why(text: str) -> None:
    for part in (WON, REQUIRED, TRAJECT, CALLED):
        assert part in text, part


def test_case_manager_sees_what_the_required_decisions_gave(browser, live):
    page = _sign_in(browser, live, "casemanager.ooststellingwerf", "/werkvoorraad")
    page.get_by_role("link", name="Onverdeeld in mijn team").click()
    row = page.get_by_role("row").filter(has_text="Jan Jansen")
    row.get_by_role("link", name="Vergoeding beoordelen").click()
    page.get_by_role("heading", name="Vergoeding beoordelen").first.wait_for()
    proposal = page.locator("section.trede-proposal").inner_text()
    assert "vergoeding = 50" in proposal
    _says_why(proposal)
    assert_accessible(page)


def test_auditor_sees_the_same_on_the_case_history(browser, live):
    page = _sign_in(browser, live, "auditor.ooststellingwerf", "/audit/")
    number = live["case"].case_number
    page.get_by_label("Zaaknummer").fill(number)
    page.get_by_role("button", name="Zaak openen").click()
    page.get_by_role("heading", name=f"Zaakhistorie {number}").wait_for()
    decision = page.locator(".audit-decision").filter(has_text="Beslissing LeerwerkplekVergoeding")
    _says_why(decision.inner_text())
    assert_accessible(page)
