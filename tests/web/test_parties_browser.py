"""Issue 18 item 2 in headless Chromium, axe on every page: a provider's offer on /aanbod/ reaches the
casemanager's toetsing task with every field the provider sent and the evidence (seed 000,
"Inschrijving en procedure"); the provider is in the register of parties, and so is the demo's
Zorgboerderij De Vlinder, whose toetsing shows its data too."""
from __future__ import annotations

import re

import pytest

from casework.accounts import demo as demo_accounts
from cli.schema import upgrade
from engine.clock import FixedClock
from processes import demo
from tests.browser import PASSWORD, assert_accessible, serving
from tests.conftest import START
from web.app import create_app

pytestmark = pytest.mark.browser
CASEMANAGER = "casemanager.zeeuws-vlaanderen"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('partijen-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test", "SESSION_COOKIE_SECURE": False,
                      "CLOCK": FixedClock(START)})
    engine = app.extensions["trede.engine"]
    demo.load(engine)  # deploys the bundles; Zorgboerderij De Vlinder's offer waits at the toets
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


def test_a_providers_offer_reaches_the_casemanagers_toetsing_with_all_it_sent(browser, live, tmp_path):
    evidence = tmp_path / "polis.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% polis aansprakelijkheid\n")
    public = browser.new_context(locale="nl-NL", bypass_csp=True).new_page()
    public.goto(live["base"] + "/aanbod/")
    public.get_by_label("Naam organisatie").fill("Tuinderij Het Zwin")
    public.get_by_label("KvK-nummer").fill("87654321")
    public.get_by_label("Contactpersoon").fill("Bram Verstraete")
    public.get_by_label("E-mailadres").fill("bram@hetzwin.example")
    public.get_by_label("Telefoonnummer").fill("0117-654321")
    public.get_by_label("Adres van de werkplek").fill("Zwinweg 8")
    public.get_by_label("Plaats van de werkplek").fill("Cadzand")
    public.get_by_label("Werkzaamheden en begeleiding").fill("Oogsten en inpakken, met een vaste begeleider.")
    public.get_by_label("De werkzaamheden worden in de regio Zeeuws-Vlaanderen aangeboden.").check()
    public.get_by_label("Bewijsstukken").set_input_files(str(evidence))
    public.get_by_role("button", name="Aanbod indienen").click()
    public.get_by_role("heading", name="Uw aanbod is ontvangen").wait_for()
    assert_accessible(public)

    page = _sign_in(browser, live, CASEMANAGER)
    page.goto(live["base"] + "/werkvoorraad?view=team")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="Tuinderij Het Zwin")
    assert "aanbieder" in row.inner_text() and "BSN" not in row.inner_text()  # a party, no pseudo-client
    row.get_by_role("link", name="Aanbod toetsen aan de kwaliteitseisen").click()
    page.get_by_role("heading", name="Aanbod toetsen aan de kwaliteitseisen").wait_for()
    assert_accessible(page)
    shown = page.locator("#uit-de-zaak-kop").locator("xpath=..").inner_text()
    for sent in ("87654321", "Bram Verstraete", "bram@hetzwin.example", "0117-654321", "Zwinweg 8", "Cadzand",
                 "Oogsten en inpakken"):
        assert sent in shown, sent
    # filled in from the offer
    assert page.get_by_label("Aanbieder", exact=True).input_value() == "Tuinderij Het Zwin"
    assert not page.get_by_label("Werkzaamheden worden in de regio Zeeuws-Vlaanderen aangeboden").is_checked()
    with page.expect_download() as download:
        page.get_by_role("link", name="polis.pdf").click()
    assert download.value.suggested_filename == "polis.pdf"
    assert "Register aanbieders" not in page.content() and "Toon volledig BSN" not in page.content()

    page.get_by_role("link", name="Tuinderij Het Zwin").first.click()  # the party, from the task
    page.get_by_role("heading", name="Tuinderij Het Zwin").wait_for()
    assert "bram@hetzwin.example" in page.content()
    assert_accessible(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Partijen").click()
    page.get_by_role("heading", name="Partijen").wait_for()
    assert_accessible(page)
    names = page.get_by_role("table").inner_text()
    assert "Tuinderij Het Zwin" in names and "Zorgboerderij De Vlinder" in names


def test_the_demo_offer_of_de_vlinder_shows_its_data_on_the_toetsing(browser, live):
    page = _sign_in(browser, live, CASEMANAGER)
    page.goto(live["base"] + "/partijen")
    page.get_by_role("link", name="Zorgboerderij De Vlinder").click()
    page.get_by_role("link", name="Aanbod toetsen aan de kwaliteitseisen").click()
    page.get_by_role("heading", name="Aanbod toetsen aan de kwaliteitseisen").wait_for()
    assert_accessible(page)
    shown = page.locator("#uit-de-zaak-kop").locator("xpath=..").inner_text()
    for sent in ("64123457", "Anja Minnaert", "Oostburg", "Dieren verzorgen"):
        assert sent in shown, sent
    assert page.get_by_label("Aanbieder", exact=True).input_value() == "Zorgboerderij De Vlinder"
    assert re.search(r"Uren per week\s*24", shown)
