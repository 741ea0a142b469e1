"""The case manager's journeys of issue 18 in Debian Chromium, through the pages, axe on every page.

One served app (SQLite) with the whole catalogue deployed as in the demo and the demo accounts.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework.accounts import demo
from cli.schema import upgrade
from engine.scheduling.termijnen import legal_date
from processes import demo as demo_cases
from processes.catalogue import deploy_all
from tests.browser import PASSWORD, assert_accessible, serving
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('journeys') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    deploy_all(engine)
    demo.load(engine)
    profile = {"trede": 2, "leeftijd": 48, "instrument": "sociale_activering", "vast": True}
    signing = demo_cases.ondertekenen(engine, "woerden", "999990020", "Karin de Wit", profile,
                                      legal_date(engine.clock.now()))
    with serving(app) as base:
        yield {"base": base, "engine": engine, "signing": signing.case}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/werkvoorraad")
    return page


def test_nieuwe_zaak_offers_what_starts_and_the_case_starts(browser, live):
    page = sign_in(browser, live, "casemanager.wassenaar")
    page.goto(live["base"] + "/dossier/nieuw")
    assert_accessible(page)
    options = page.locator("#process option").all_inner_texts()
    assert "Klant in beeld" in " ".join(options)
    assert not [o for o in options if o.startswith(("Evaluatie", "Jaarlijkse", "Voorziening"))], options
    page.get_by_label("BSN").fill("999990019")
    page.get_by_label("Naam").fill("Els Nieuw")
    page.get_by_label("Proces").select_option(label=[o for o in options if "Klant in beeld" in o][0])
    page.get_by_role("button", name="Zaak starten").click()
    page.get_by_role("heading", name="Dossier Els Nieuw").wait_for()
    assert "is gestart" in page.content()
    assert_accessible(page)


def test_a_signing_date_in_the_future_is_refused_on_the_field(browser, live):
    """Issue 18 item 3: seed 002 b.1 f, the client signs the plan; a date in 2031 was accepted."""
    page = sign_in(browser, live, "casemanager.woerden")
    (task,) = _signing_tasks(live)
    page.goto(f"{live['base']}/taken/{task.task_id}")
    page.locator("#planOndertekend-1").check()  # "Ja"
    page.get_by_label("Datum ondertekening").fill("2031-01-01")
    page.get_by_role("button", name="Afronden").click()
    error = page.locator("#fout-ondertekendOp")
    expect(error).to_contain_text("Datum ondertekening: deze datum ligt in de toekomst")
    assert page.get_by_label("Datum ondertekening").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Datum ondertekening").fill(legal_date(live["engine"].clock.now()).isoformat())
    page.get_by_role("button", name="Afronden").click()
    expect(page.locator("#fout-ondertekendOp")).to_have_count(0)
    assert _signing_tasks(live) == []


def _signing_tasks(live) -> list:
    tasks = live["engine"].ready_tasks(case_id=live["signing"].id)
    return [t for t in tasks if t.task_name == "ondertekenen"]
