"""Issue 18 item 5 in headless Chromium, axe on every page: a teamleider changes the casemanager of a
demo dossier (Jelle Bosma, whose plan van aanpak waits for Sanne de Vries) from the dossier; the
open task and its successors go to Mohamed El Amrani, who finds it under "Mijn taken"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.accounts import demo as demo_accounts
from cli.schema import upgrade
from engine.clock import FixedClock
from engine.storage.db import clients
from processes import demo
from tests.browser import PASSWORD, assert_accessible, serving
from tests.conftest import START
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('casemanager-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test", "SESSION_COOKIE_SECURE": False,
                      "CLOCK": FixedClock(START)})
    engine = app.extensions["trede.engine"]
    demo.load(engine)
    demo_accounts.load(engine)
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def _sign_in(browser, live, username: str):  # noqa: F811 (the fixture)
    page = browser.new_context(locale="nl-NL", bypass_csp=True).new_page()
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert "/login" not in page.url
    return page


def test_a_teamleider_changes_the_casemanager_from_the_dossier(browser, live):
    engine = live["engine"]
    with engine.db.connect() as conn:
        client_id = conn.execute(select(clients.c.id).where(clients.c.naam == "Jelle Bosma")).scalar_one()
    lead = _sign_in(browser, live, "teamleider.ooststellingwerf")
    lead.goto(f"{live['base']}/dossier/{client_id}")
    section = lead.locator("section", has=lead.get_by_role("heading", name="Casemanager wijzigen"))
    assert "casemanager nu Sanne de Vries" in section.inner_text()
    assert_accessible(lead)
    section.get_by_label("Nieuwe casemanager").first.select_option(label="Mohamed El Amrani")
    section.get_by_role("button", name="Casemanager wijzigen").first.click()
    lead.wait_for_load_state()
    assert "Mohamed El Amrani is nu de casemanager" in lead.content()
    assert "casemanager nu Mohamed El Amrani" in lead.locator(
        "section", has=lead.get_by_role("heading", name="Casemanager wijzigen")).inner_text()
    assert_accessible(lead)

    mohamed = _sign_in(browser, live, "casemanager2.ooststellingwerf")
    mohamed.goto(live["base"] + "/werkvoorraad?view=mijn")
    assert_accessible(mohamed)
    assert mohamed.get_by_role("row").filter(has_text="Jelle Bosma").count() >= 1
    sanne = _sign_in(browser, live, "casemanager.ooststellingwerf")
    sanne.goto(live["base"] + "/werkvoorraad?view=mijn")
    assert sanne.get_by_role("row").filter(has_text="Jelle Bosma").count() == 0
