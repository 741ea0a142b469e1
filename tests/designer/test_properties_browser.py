"""The properties panel sets what a designer sets (issue 20 item 5), in Debian Chromium.

As a procesontwerper in the modeler of `voorziening`: a user task gets a streefdatum, an
instruction, documentation and a new form (edited with its preview); the end-date timer is changed
(an unquoted ISO value is pointed out at once); a business rule task calls another decision; undo
takes a change back. The deploy request a second designer reviews lists each change.
"""
from __future__ import annotations

import pytest

from tests.browser import assert_accessible

# the served app with every bundle, and a signed-in designer at a 1400 px window
from tests.designer.test_diagram_browser import designer, live, open_process  # noqa: F401

pytestmark = pytest.mark.browser


def pick(page, element_id: str) -> None:
    """Bring the element into view and click it, as a designer would."""
    page.evaluate("""(id) => {
      const bpmn = window.tredeDesigner.bpmn;
      bpmn.get('canvas').scrollToElement(bpmn.get('elementRegistry').get(id), {top: 120, left: 200});
    }""", element_id)
    page.locator(f"g.djs-element[data-element-id='{element_id}'] .djs-hit").first.click(force=True)
    page.wait_for_function("(id) => (document.querySelector('#prop-id') || {}).value === id", arg=element_id)


def change(page, label: str, value: str) -> None:
    box = page.get_by_label(label)
    box.fill(value)
    box.press("Tab")  # the change event: through bpmn-js's command stack


def saved(page) -> str:
    return page.evaluate("""async () => {
      const {xml} = await window.tredeDesigner.bpmn.saveXML({format: true}); return xml; }""")


def test_a_designer_sets_timer_form_streefdatum_decision_and_texts(designer, live):  # noqa: F811
    page = designer
    open_process(page, live, "voorziening")

    pick(page, "overeenkomst")
    assert "Baan (wie doet het): casemanager werk" in page.inner_text("#prop-baan")
    change(page, "Streefdatum", "morgen")
    assert "werkdagen" in page.inner_text("#prop-streefdatum-hint")  # said at once, not stored
    assert "morgen" not in saved(page)
    change(page, "Streefdatum", "5 werkdagen")
    change(page, "Instructie voor de casemanager (op de taakpagina)",
           "Leg de afspraken met de werkgever vast.")
    change(page, "Documentatie (voor ontwerpers en auditors)", "Seed 002 art 8: de overeenkomst.")
    page.get_by_label("Formulier", exact=True).select_option(label="Nieuw formulier…")
    page.get_by_role("button", name="forms/overeenkomst.json").wait_for()
    xml = saved(page)
    assert '<spiffworkflow:property name="streefdatum" value="5 werkdagen"' in xml
    assert "Leg de afspraken met de werkgever vast.</spiffworkflow:instructionsForEndUser>" in xml
    assert "Seed 002 art 8: de overeenkomst.</bpmn:documentation>" in xml
    assert 'name="formJsonSchemaFilename" value="overeenkomst.json"' in xml

    pick(page, "einddatum_bereikt")
    assert page.get_by_label("Soort timer").input_value() == "timeDate"
    page.get_by_label("Soort timer").select_option("timeDuration")
    change(page, "Timer (expressie", "P14D")
    assert 'Schrijf "P14D"' in page.inner_text("#prop-timer-hint")
    change(page, "Timer (expressie", '"P14D"')
    assert page.inner_text("#prop-timer-hint") == ""
    assert '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P14D"</bpmn:timeDuration>' in saved(page) \
        or '<bpmn:timeDuration>"P14D"</bpmn:timeDuration>' in saved(page)

    pick(page, "looptijd")
    assert page.get_by_label("Beslissing (id van de beslistabel)").input_value() == "Looptijd"
    change(page, "Beslissing (id van de beslistabel)", "Verlenging")
    assert "<spiffworkflow:calledDecisionId>Verlenging</spiffworkflow:calledDecisionId>" in saved(page)
    page.evaluate("() => window.tredeDesigner.bpmn.get('commandStack').undo()")  # Ctrl+Z
    assert "<spiffworkflow:calledDecisionId>Looptijd</spiffworkflow:calledDecisionId>" in saved(page)

    page.get_by_role("button", name="forms/overeenkomst.json").click()
    page.get_by_role("heading", name="Overeenkomst en beginmeting vastleggen").wait_for()  # the preview
    page.get_by_role("button", name="Valideren").click()
    page.get_by_text("Het model is geldig.").wait_for()
    assert_accessible(page)
    page.get_by_label("Toelichting bij de uitrol").fill("Streefdatum, formulier en timer van de overeenkomst")
    page.get_by_role("button", name="Indienen voor uitrol").click()
    page.get_by_role("link", name="Naar het uitrolverzoek").click()
    page.get_by_role("heading", name="Uitrolverzoek").wait_for()
    review = page.inner_text("main")
    for shown in ("5 werkdagen", "P14D", "overeenkomst.json", "Seed 002 art 8"):
        assert shown in review, f"the request does not show {shown!r}"
    # issue 20 item 2: the same changes marked on the drawings, before above after
    page.wait_for_selector("body[data-diff-drawn='true']")
    drawing = page.locator(".trede-diff-drawing[data-file='voorziening.bpmn']")
    for side in ("voor", "na"):
        marked = drawing.locator(f"[data-side='{side}']").get_attribute("data-marked").split()
        assert {"overeenkomst", "einddatum_bereikt"} <= set(marked), side
        assert "looptijd" not in marked  # the undone change is not in the request
    changed = drawing.locator("[data-side='na'] g.trede-diff-changed[data-element-id='overeenkomst']")
    assert changed.count() == 1
    assert_accessible(page)
    assert page.js_errors == []
