"""Issue 18 items 2 and 9 in headless Debian Chromium, through the pages, axe (WCAG 2.1 AA) on every
page visited:

- a casemanager enters an employer in the register by hand and edits it: the KvK check (8 digits,
  Handelsregisterwet 2007 art. 12) answers at the field, the change is shown with who, old -> new; the
  casemanager of another gemeente does not see it (404) and keeps a register of their own;
- a teamleider reopens a decision whose beschikking is still a concept: the dossier shows the letter
  as ingetrokken with the reason, and its page offers no check or dispatch (Awb 3:41: a letter that
  never went out never counts).
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.storage.db import cases
from tests.browser import assert_accessible, demo_app, serving
from tests.browser import sign_in as browser_sign_in
from tests.processes.helpers import do, send_letters

pytestmark = pytest.mark.browser
KVK = "87654321"
CM = "casemanager.ooststellingwerf"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app, engine = demo_app(tmp_path_factory, "partijen-brieven")
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def _fill_party(page, **fields: str) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=False).first.fill(value)


def test_a_casemanager_enters_and_edits_an_employer_another_gemeente_does_not_see_it(browser, live):
    base = live["base"]
    page = browser_sign_in(browser, base, CM)
    page.goto(base + "/partijen")
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe partij opnemen").click()
    page.get_by_role("heading", name="Nieuwe partij").wait_for()
    assert_accessible(page)
    page.get_by_label("Werkgever").check()
    page.get_by_label("Naam", exact=True).fill("Houtbouw Appelscha B.V.")
    page.get_by_label("KvK-nummer").fill("1234abc")
    page.get_by_label("Contactpersoon").fill("Jelle Postma")
    page.get_by_label("E-mailadres").fill("jelle@houtbouw-appelscha.nl")
    page.get_by_label("Postcode (niet verplicht)").fill("8426 SS")
    page.get_by_label("Plaats").fill("Appelscha")
    page.get_by_role("button", name="Partij opnemen").click()
    # the messages at their fields, nothing saved
    kvk_error = page.locator("#fout-kvk")
    assert "een KvK-nummer heeft 8 cijfers" in kvk_error.inner_text()
    assert "4 cijfers en 2 letters" in page.locator("#fout-postcode").inner_text()
    assert page.get_by_label("KvK-nummer").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("KvK-nummer").fill(KVK)
    page.get_by_label("Postcode (niet verplicht)").fill("8426 ab")
    page.get_by_role("button", name="Partij opnemen").click()
    page.get_by_role("heading", name="Houtbouw Appelscha B.V.").wait_for()
    assert "opgenomen in het register" in page.get_by_role("status").first.inner_text()
    details = page.locator(".trede-dl").inner_text()
    assert KVK in details and "8426 AB" in details and "Jelle Postma" in details
    assert_accessible(page)
    party_url = page.url

    page.get_by_role("link", name="Gegevens wijzigen").click()
    page.get_by_role("heading", name="Partij wijzigen").wait_for()
    assert_accessible(page)
    page.get_by_label("Contactpersoon").fill("Froukje Postma")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.get_by_role("heading", name="Wijzigingen", exact=True).wait_for()
    changes = page.get_by_role("table", name="Wijzigingen").inner_text()
    assert "Contactpersoon: Jelle Postma → Froukje Postma" in changes
    assert "Sanne de Vries" in changes  # who, by name
    assert_accessible(page)
    page.context.close()

    other = browser_sign_in(browser, base, "casemanager.apeldoorn")
    other.goto(base + "/partijen")
    assert "Houtbouw Appelscha" not in other.locator("main").inner_text()
    assert_accessible(other)
    response = other.goto(party_url)
    assert response is not None and response.status == 404
    # the same KvK number is free in Apeldoorn's own register
    other.goto(base + "/partijen/nieuw")
    other.get_by_label("Aanbieder").check()
    other.get_by_label("Naam", exact=True).fill("Houtbouw Appelscha, vestiging Apeldoorn")
    other.get_by_label("KvK-nummer").fill(KVK)
    other.get_by_label("Contactpersoon").fill("Piet Jansen")
    other.get_by_label("E-mailadres").fill("piet@houtbouw.nl")
    other.get_by_label("Plaats").fill("Apeldoorn")
    other.get_by_role("button", name="Partij opnemen").click()
    other.get_by_role("heading", name="Houtbouw Appelscha, vestiging Apeldoorn").wait_for()
    assert_accessible(other)
    other.context.close()


def _decided(engine, bsn: str, naam: str):
    """Werknemersvoorziening (seed 002 par. 3B.4) decided by a teamleider: a concept beschikking."""
    case, _ = engine.start_case("ooststellingwerf", bsn, naam, "werknemersvoorziening",
                                {"gemeente": "ooststellingwerf"})
    do(engine, case.id, "aanvraag", {
        "soort": "werkplekaanpassing", "omschrijving": "Verstelbaar werkblad",
        "ontvangstAanvraag": date.today(), "werkgever": "Metaalbewerking Oosterwolde B.V.",
        "woonachtigInGemeente": True, "pwDoelgroep": True, "lksDoelgroep": True, "contractMaanden": 12,
        "urenPerWeek": 24, "kosten": 5000, "toegekendeLksPerJaar": 8000}, actor=CM)
    do(engine, case.id, "redelijkheid", {"noodzaakVastgesteld": True, "kostenInVerhouding": True,
                                          "overweging": "Noodzakelijk."}, actor=CM)
    decided = do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor="teamleider2.ooststellingwerf")
    with engine.db.connect() as conn:
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar()
    return case, decided, client_id


def _reopen(page, base: str, client_id: int, case, decided) -> None:
    page.goto(f"{base}/dossier/{client_id}")
    section = page.get_by_role("region", name="Afgeronde taak heropenen")
    section.get_by_label(f"Taak ({case.case_number})").select_option(decided.task_id)
    section.get_by_label("Reden").fill("Verkeerde offerte gebruikt.")
    section.get_by_role("button", name="Taak heropenen").click()
    page.get_by_role("status").first.wait_for()


def test_a_reopened_decisions_concept_letter_shows_as_withdrawn_in_the_dossier(browser, live):
    base, engine = live["base"], live["engine"]
    case, decided, client_id = _decided(engine, "999990111", "Rik Hoekstra")
    page = browser_sign_in(browser, base, "teamleider.ooststellingwerf")
    _reopen(page, base, client_id, case, decided)
    letters = page.locator("#bezwaar")
    text = letters.inner_text()
    assert "brief ingetrokken" in text and "Verkeerde offerte gebruikt." in text
    assert "deze brief gaat niet uit" in text
    assert_accessible(page)
    letters.get_by_role("link", name="brief bekijken").click()
    page.get_by_role("heading", name="De brief").wait_for()
    assert "ingetrokken: het besluit is heropend" in page.locator("#brief-status").inner_text()
    assert page.get_by_role("button", name="Brief is gecontroleerd").count() == 0
    assert page.get_by_role("button", name="Verzenden").count() == 0
    assert_accessible(page)
    page.context.close()


def test_a_sent_letter_of_a_reopened_decision_is_flagged_in_the_dossier(browser, live):
    base, engine = live["base"], live["engine"]
    case, decided, client_id = _decided(engine, "999990020", "Sara Bosma")
    send_letters(engine, case.id)  # a colleague checked it and it went out
    page = browser_sign_in(browser, base, "teamleider.ooststellingwerf")
    _reopen(page, base, client_id, case, decided)
    text = page.locator("#bezwaar").inner_text()
    assert "verzonden op basis van een heropend besluit (Verkeerde offerte gebruikt.)" in text
    assert "ingetrokken" not in text  # a sent letter counts (Awb 3:41): flagged, not withdrawn
    assert_accessible(page)
    page.context.close()
