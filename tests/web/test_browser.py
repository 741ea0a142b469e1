"""End to end in real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

The app is served from a background thread on 127.0.0.1 against a SQLite file; axe-core (from
node_modules) checks every page visited for WCAG 2.1 A/AA violations.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework.accounts import demo
from cli.schema import upgrade
from tests.browser import PASSWORD, assert_accessible, serving
from tests.web.helpers import deploy, start_case
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    case, _ = start_case(engine)
    with serving(app) as base:
        yield {"base": base, "engine": engine, "case": case, "app": app}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(live["base"] + "/werkvoorraad")
    assert "/login" in page.url  # not signed in: sent to the sign-in page
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/werkvoorraad")
    return page


def test_case_manager_completes_a_task_after_fixing_a_wrong_value(browser, live):
    page = browser.new_page()
    page.goto(live["base"] + "/login")
    assert page.get_by_role("heading", name="Demo-accounts").is_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")  # the first stop is the skip link, visible on focus
    assert page.evaluate("document.activeElement.textContent") == "Direct naar de inhoud"
    page.close()

    page = sign_in(browser, live, "casemanager.ooststellingwerf")
    page.get_by_role("link", name="Onverdeeld in mijn team").click()
    row = page.get_by_role("row").filter(has_text="Jan Jansen")
    assert "*****0019" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("link", name="Diagnose klant in beeld").click()
    page.get_by_role("heading", name="Diagnose klant in beeld").wait_for()
    assert_accessible(page)

    page.get_by_label("Trede participatieladder").fill("9")
    page.get_by_label("Toelichting").fill("Eerste gesprek gevoerd.")
    page.get_by_role("button", name="Afronden").click()
    # focus lands on the error summary (autofocus runs once the page has loaded). A locator
    # assertion polls from outside the page: wait_for_function's in-page polling evaluates a
    # string, which the page's CSP (no 'unsafe-eval') rightly refuses.
    expect(page.locator("#foutoverzicht")).to_be_focused(timeout=5000)
    error = page.locator("#fout-trede")
    assert "Trede participatieladder: vul een getal van 1 tot en met 6 in." in error.inner_text()
    assert page.get_by_label("Trede participatieladder").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Toelichting").input_value() == "Eerste gesprek gevoerd."
    assert_accessible(page)

    page.get_by_label("Trede participatieladder").fill("3")
    page.get_by_label("Akkoord").check()
    page.get_by_role("button", name="Afronden").click()
    page.get_by_role("heading", name="Uitstroompremie beoordelen").wait_for()
    assert "De taak ‘Diagnose klant in beeld’ is afgerond." in page.get_by_role("status").first.inner_text()
    assert page.get_by_text("R3 (uitstroom > 6 maanden)").is_visible()  # the decision's rule
    assert_accessible(page)

    page.get_by_role("link", name="Jan Jansen").first.click()
    page.get_by_role("heading", name="Dossier Jan Jansen").wait_for()
    assert page.locator("svg.trede-chart").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe zaak").click()
    assert_accessible(page)
    page.context.close()


def test_teamleider_reassigns_a_task(browser, live):
    engine, case = live["engine"], live["case"]
    task = engine.ready_tasks(case_id=case.id)[0]
    page = sign_in(browser, live, "teamleider.ooststellingwerf")
    page.get_by_role("link", name="Alle taken").click()
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="Jan Jansen")
    row.get_by_role("link", name="Toewijzen").click()
    page.get_by_role("heading", name="Taak toewijzen").wait_for()
    assert_accessible(page)
    page.get_by_label("Toewijzen aan").select_option("casemanager2.ooststellingwerf")
    page.get_by_role("button", name="Toewijzen").click()
    page.get_by_text("De taak is toegewezen.").wait_for()
    row = page.get_by_role("row").filter(has_text=task.title)
    assert "Mohamed El Amrani" in row.inner_text()  # the holder by full name (issue 18 item 7)
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by == "casemanager2.ooststellingwerf"
    page.context.close()


def test_another_gemeente_cannot_open_the_case_even_by_url(browser, live):
    engine, case = live["engine"], live["case"]
    task = engine.ready_tasks(case_id=case.id)[0]
    page = sign_in(browser, live, "casemanager.apeldoorn")
    page.get_by_role("link", name="Onverdeeld in mijn team").click()
    assert "Jan Jansen" not in page.content()
    for path in (f"/taken/{task.task_id}", f"/dossier/zaak/{case.id}"):
        response = page.goto(live["base"] + path)
        assert response.status == 404
        assert page.get_by_role("heading", name="Niet gevonden").is_visible()
        assert "Jan Jansen" not in page.content()
    assert_accessible(page)
    page.context.close()


def test_case_manager_opens_termijnbewaking_from_the_worklist(browser, live):
    from engine.scheduling.termijnen import legal_date  # the Amsterdam date, not the machine's local one

    today = legal_date(live["engine"].clock.now())
    live["engine"].add_deadline(live["case"].id, "Besluit op aanvraag", today, "P8W", actor="cm",
                                legal_basis="Awb 4:13")
    page = sign_in(browser, live, "casemanager.ooststellingwerf")
    page.get_by_role("link", name="Termijnbewaking").click()
    page.get_by_role("heading", name="Termijnbewaking").wait_for()
    assert "Besluit op aanvraag" in page.get_by_role("table").inner_text()
    assert_accessible(page)
    page.context.close()
