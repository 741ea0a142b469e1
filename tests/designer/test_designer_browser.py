"""The designer end to end in real headless Chromium (Debian's /usr/bin/chromium) via Playwright.

A designer edits a gateway condition in the deployed intake in bpmn-js, validates, submits; a
second designer approves (version 2); a dry run then a migration moves the running case, and the
case continues on version 2 with the new condition.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from cli.schema import upgrade
from engine.models.validation import parse_bundle
from tests.browser import assert_accessible, serving
from tests.designer.helpers import GEMEENTE, PASSWORD, USERS, bundle_text, with_diagram
from tests.engine.helpers import TEST_SEALER
from web.app import create_app

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2] / "bpmn" / "processes" / "participatiewet"


def project_bundle() -> dict[str, bytes]:
    """The project's own participatiewet bundle (as the repository holds it)."""
    return {str(p.relative_to(PROJECT)): p.read_bytes() for p in sorted(PROJECT.rglob("*"))
            if p.suffix in (".bpmn", ".dmn", ".json")}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('designer') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "designer-browser-test"})
    engine = app.extensions["trede.engine"]
    engine.sealer = TEST_SEALER
    files = bundle_text()
    files["intake.bpmn"] = with_diagram(files["intake.bpmn"])
    engine.deploy({k: v.encode() for k, v in files.items()}, gemeente=GEMEENTE, actor="setup")
    form_bundle = Path(__file__).parents[1] / "fixtures" / "bundle_with_form"
    # deployed without a diagram, as a hand-written model may be: the modeler lays it out
    engine.deploy({"gesprek.bpmn": (form_bundle / "gesprek.bpmn").read_bytes(),
                   "forms/gesprek.json": (form_bundle / "forms" / "gesprek.json").read_bytes()},
                  gemeente=GEMEENTE, actor="setup")
    engine.deploy(project_bundle(), gemeente=GEMEENTE, actor="setup")
    hashed = generate_password_hash(PASSWORD)
    for username, naam, roles in USERS:
        create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)
    case, instance_id = engine.start_case(GEMEENTE, "999990019", "Jan Jansen", "intake",
                                          {"peildatum": date(2026, 1, 31)})
    with serving(app) as base:
        yield {"base": base, "engine": engine, "case": case, "instance_id": instance_id}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    page = browser.new_context(locale="nl-NL", accept_downloads=True).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    page.js_errors = errors
    return page


def open_modeler(page, live, version: int = 1, process_id: str = "intake"):
    page.goto(live["base"] + f"/ontwerp/processen/{process_id}")
    page.get_by_role("link", name=f"Openen in modeler (versie {version})").click()
    page.wait_for_selector("#designer[data-ready='true']")


def select_element(page, element_id: str) -> None:
    """Click the element in the drawing (its hit area), as a designer would."""
    page.locator(f"g.djs-element[data-element-id='{element_id}'] .djs-hit").first.click(force=True)
    page.get_by_text(f"SequenceFlow {element_id}").wait_for()


def test_edit_condition_deploy_with_approval_and_migrate_a_running_case(browser, live):
    engine, case = live["engine"], live["case"]
    author = sign_in(browser, live, "ontwerper")
    open_modeler(author, live)
    assert author.locator("#canvas svg g.djs-shape").count() >= 10  # the drawing has shapes

    select_element(author, "f4")
    condition = author.get_by_label("Voorwaarde (Python-expressie)")
    assert condition.input_value() == 'spoor == "re-integratiebegeleiding"'
    condition.fill('spoor == "re-integratiebegeleiding" and trede != 3')
    condition.press("Tab")  # change event: the edit goes through bpmn-js's command stack
    select_element(author, "f5")
    author.get_by_label("Voorwaarde (Python-expressie)").fill('spoor == "activering" or trede == 3')
    author.get_by_label("Voorwaarde (Python-expressie)").press("Tab")

    author.get_by_role("button", name="Valideren").click()
    author.get_by_text("Het model is geldig.").wait_for()
    author.get_by_label("Toelichting bij de uitrol").fill("Trede 3 voortaan naar activering")
    author.get_by_role("button", name="Indienen voor uitrol").click()
    author.get_by_role("link", name="Naar het uitrolverzoek").click()
    author.get_by_role("heading", name="Uitrolverzoek").wait_for()
    author.wait_for_load_state()
    assert "vier ogen" in author.content() and "trede != 3" in author.content()
    assert author.get_by_role("button", name="Goedkeuren en uitrollen").count() == 0
    review_url = author.url
    assert_accessible(author)
    assert author.js_errors == []

    second = sign_in(browser, live, "ontwerper2")
    second.goto(review_url)
    second.get_by_role("button", name="Goedkeuren en uitrollen").click()
    # the bundle's evaluatie differs from the participatiewet one deployed since: it gets a version too
    second.get_by_text(re.compile(r"Uitgerold als versie 2 \(nieuwe versie: .*intake versie 2")).wait_for()

    second.goto(live["base"] + "/ontwerp/processen/intake/migratie")
    second.get_by_label("Naar versie").select_option(label="Versie 2 (Ooststellingwerf)")
    second.get_by_role("button", name="Proefmigratie").click()
    table = second.locator("#proefmigratie")
    table.wait_for()
    assert_accessible(second)
    assert "1 van 1 kunnen over" in table.inner_text() and case.case_number in table.inner_text()
    assert engine.history(case.id)[-1].kind == "instance_started"  # the dry run wrote nothing
    second.get_by_role("button", name="Gekozen zaken migreren").click()
    second.get_by_text("gemigreerd van versie 1 naar versie 2").wait_for()
    assert second.js_errors == []

    assert engine.history(case.id)[-1].kind == "instance_migrated"
    assert engine.verify(case.id).ok, engine.verify(case.id).problems
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(task.task_id, {"trede": 3}, actor="cm")
    assert engine.ready_tasks(case_id=case.id)[0].title == "Activeringstraject kiezen"  # version 2's rule
    assert engine.verify(case.id).ok


def test_problems_are_pinned_to_their_element_and_model_tests_run_in_the_browser(browser, live):
    page = sign_in(browser, live, "ontwerper")
    page.goto(live["base"] + "/ontwerp/processen/intake")
    page.get_by_label("Naam").fill("Trede 4 krijgt een plan")
    page.get_by_label("Scenario (JSON)").fill(
        '{"start": {"peildatum": "2026-01-31"}, "steps": [{"task": "diagnose", "data": {"trede": 4}}],'
        ' "expect": {"path": ["diagnose", "plan"], "data": {"spoor": "re-integratiebegeleiding"}}}')
    page.get_by_role("button", name="Test opslaan").click()
    page.get_by_text("De modeltest is opgeslagen.").wait_for()
    assert_accessible(page)
    open_modeler(page, live)
    page.get_by_role("button", name="Modeltests uitvoeren").click()
    page.get_by_text("Alle modeltests geslaagd.").wait_for()
    assert "Trede 4 krijgt een plan: geslaagd" in page.inner_text("#testuitslag")

    select_element(page, "f5")
    page.get_by_label("Voorwaarde (Python-expressie)").fill("spoor ==== 1")
    page.get_by_label("Voorwaarde (Python-expressie)").press("Tab")
    page.get_by_role("button", name="Valideren").click()
    page.locator("#problemen li[data-element='f5']").wait_for()
    assert page.locator("g.djs-element.trede-problem[data-element-id='f5']").count() == 1
    assert page.locator(".trede-problem-badge[data-element='f5']").count() == 1
    page.get_by_role("button", name="Modeltests uitvoeren").click()
    page.get_by_text("Modeltests mislukt.").wait_for()
    assert "het model is ongeldig" in page.inner_text("#testuitslag")
    page.get_by_role("button", name="Indienen voor uitrol").click()
    page.get_by_text("Het model is niet geldig.").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Bestand downloaden").click()
    assert "spoor ==== 1" in Path(download.value.path()).read_text()
    assert page.js_errors == []


ENGLISH = re.compile(r"Error\b|not allowed|invalid syntax|is not defined|Traceback")


def test_a_broken_script_is_explained_in_dutch_and_its_element_selected(browser, live):
    """Issue 20, item 7: the problem names the element (kind, name, id) in Dutch; the element is
    marked in the drawing, and the problem's button selects it."""
    page = sign_in(browser, live, "ontwerper")
    open_modeler(page, live)
    page.locator("g.djs-element[data-element-id='spoor'] .djs-hit").first.click(force=True)
    script = page.get_by_label("Script (Python)")
    script.fill("import os\nspoor = 'activering'")
    script.press("Tab")
    page.get_by_role("button", name="Valideren").click()
    problem = page.locator("#problemen li[data-element='spoor']")
    problem.wait_for()
    assert problem.inner_text().startswith(
        "Scripttaak ‘Begeleidingsspoor bepalen’ (spoor): modules importeren mag niet in modelcode "
        "(import os) (regel 1 van het script) (intake.bpmn, regel ")
    assert not ENGLISH.search(page.inner_text("#problemen"))
    assert page.locator("g.djs-element.trede-problem[data-element-id='spoor']").count() == 1
    select_element(page, "f5")  # the designer looks elsewhere, then follows the problem
    assert page.locator("g.djs-element.selected[data-element-id='spoor']").count() == 0
    problem.get_by_role("button", name="Scripttaak ‘Begeleidingsspoor bepalen’ (spoor)").click()
    page.locator("g.djs-element.selected[data-element-id='spoor']").wait_for()
    assert page.js_errors == []


def test_a_user_tasks_form_is_edited_with_a_preview_and_a_decision_table_opens(browser, live):
    page = sign_in(browser, live, "ontwerper")
    open_modeler(page, live, process_id="gesprek_met_formulier")
    page.locator("g.djs-element[data-element-id='gesprek'] .djs-hit").first.click(force=True)
    page.get_by_text("UserTask gesprek").wait_for()
    assert page.get_by_label("Formulier", exact=True).input_value() == "gesprek.json"  # the form it has
    page.get_by_role("button", name="Formulier bewerken").click()
    page.wait_for_selector("#designer[data-opened='forms/gesprek.json']")
    preview = page.locator("#formulier-voorbeeld")
    assert preview.get_by_label("Verslag van het gesprek (verplicht)").is_visible()
    editor = page.get_by_label("Formulierdefinitie (JSON)")
    editor.fill(editor.input_value().replace('"Verslag van het gesprek"', '"Verslag"'))
    assert preview.get_by_label("Verslag (verplicht)").is_visible()  # the preview follows the edit
    colleague = '"behandelaar": {"type": "string", "title": "Behandelaar", "x-gebruiker": "casemanager"}, '
    editor.fill(editor.input_value().replace('"properties": {', '"properties": {' + colleague, 1))
    assert preview.get_by_label("Behandelaar").inner_text() == "Een collega met de rol casemanager"
    page.get_by_role("button", name="Valideren").click()
    page.get_by_text("Het model is geldig.").wait_for()
    page.get_by_role("button", name="Indienen voor uitrol").click()
    page.get_by_role("link", name="Naar het uitrolverzoek").click()
    page.get_by_role("heading", name="Uitrolverzoek").wait_for()
    assert "forms/gesprek.json" in page.content() and "Verslag" in page.content()

    open_modeler(page, live, process_id="gesprek_met_formulier")
    ladder = Path(__file__).parents[1] / "models" / "ladder.dmn"
    page.locator("#bestand-toevoegen").set_input_files(str(ladder))
    page.wait_for_selector("#designer[data-opened='ladder.dmn']")
    assert page.locator("#dmn-canvas").is_visible() and page.locator("#canvas").is_hidden()
    views = "#dmn-canvas .dmn-decision-table-container, #dmn-canvas .dmn-drd-container"
    assert page.locator(views).count() == 1
    assert page.js_errors == []


@pytest.mark.parametrize("process_id", sorted(parse_bundle(project_bundle()).process_ids))
def test_every_project_process_opens_in_the_modeler(browser, live, process_id):
    page = sign_in(browser, live, "ontwerper")
    open_modeler(page, live, process_id=process_id)
    assert not page.get_attribute("#designer", "data-opened").startswith("fout:")
    assert page.locator("#canvas svg g.djs-shape").count() > 2
    if f"{process_id}.bpmn" not in bundle_text():  # version 1 is the project's model: its own diagram
        assert "eenvoudige indeling" not in page.inner_text("#meldingen")
    page.get_by_role("button", name="Valideren").click()
    page.get_by_text("Het model is geldig.").wait_for()  # its diagram is valid BPMN DI
    assert page.js_errors == []
    page.context.close()


def _select_task(page, element_id: str) -> None:
    shown = page.get_by_text(f"UserTask {element_id}")
    if not shown.is_visible():  # a second click on a selected task would count as a double click
        page.locator(f"g.djs-element[data-element-id='{element_id}'] .djs-hit").first.click(force=True)
    shown.wait_for()


def _assign(page, element_id: str, variable: str) -> None:
    _select_task(page, element_id)
    box = page.get_by_label("Toewijzen aan (procesvariabele)")
    box.fill(variable)
    box.press("Tab")  # change event: through the command stack


def _saved(page) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name="Bestand downloaden").click()
    return Path(download.value.path()).read_text()


def _assignees(xml: str) -> dict[str, str]:
    spiff = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"
    root = etree.fromstring(xml.encode())
    return {task.get("id"): prop.get("value")
            for task in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask")
            for prop in task.iter(f"{spiff}property") if prop.get("name") == "assignee"}


def test_a_designer_assigns_user_tasks_by_a_variable(browser, live):
    page = sign_in(browser, live, "ontwerper")
    open_modeler(page, live)
    _assign(page, "plan", "casemanager")  # a task without extension elements
    _assign(page, "diagnose", "behandelaar")  # one whose properties already hold formKey
    xml = _saved(page)
    assert _assignees(xml) == {"plan": "casemanager", "diagnose": "behandelaar"}
    assert 'name="formKey" value="diagnose"' in xml  # the other property kept
    _select_task(page, "plan")
    assert page.get_by_label("Toewijzen aan (procesvariabele)").input_value() == "casemanager"

    _assign(page, "plan", "case manager")
    page.get_by_role("button", name="Valideren").click()
    page.locator("#problemen li[data-element='plan']").wait_for()
    assert "naam van een procesvariabele" in page.inner_text("#problemen")

    _assign(page, "plan", "")  # emptied: the property goes
    assert _assignees(_saved(page)) == {"diagnose": "behandelaar"}
    page.keyboard.press("Control+Z")  # and the command stack can undo it
    assert _assignees(_saved(page)) == {"plan": "case manager", "diagnose": "behandelaar"}
    assert page.js_errors == []
