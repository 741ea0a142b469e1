"""Letters a gemeente can send, in Debian Chromium with axe on every page (issue 18 item 9).

The teamleider checks a concept beschikking and sends it to the addressee's address (Awb 3:41: it
counts once sent; 6:8: the objection term runs from the day after); the beheerder edits the
gemeente's letter template, which the letters use (Awb 3:45, 10:3: "namens het college van
burgemeester en wethouders"). The letter is the seed 000 werkplek-aanbod decided in Zeeuws-Vlaanderen
by a teamleider other than the one who checks it (the gemeente's four eyes).
"""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from engine.storage.db import cases
from processes import beschikking
from tests.browser import assert_accessible, demo_app, serving
from tests.browser import sign_in as browser_sign_in
from tests.casework.test_letters import logo
from tests.processes.test_beschikking import offer_decided
from web.dossier.present import datum

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app, engine = demo_app(tmp_path_factory, "brieven")
    case, _ = offer_decided(engine, send=False)
    with engine.db.connect() as conn:
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar_one()
    with serving(app) as base:
        yield {"base": base, "engine": engine, "case": case, "client_id": client_id}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    return browser_sign_in(browser, live["base"], username)


def _pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())


def test_beheerder_edits_the_letter_template(browser, live):
    page = sign_in(browser, live, "beheerder.zeeuws-vlaanderen")
    page.goto(live["base"] + "/beheer")
    page.get_by_role("link", name="Briefsjabloon").click()
    page.get_by_role("heading", name="Briefsjabloon van Zeeuws-Vlaanderen").wait_for()
    assert page.get_by_label("Naam van de gemeente").input_value() == "Zeeuws-Vlaanderen"
    assert_accessible(page)

    page.get_by_label("Naam van de gemeente").fill("")
    page.get_by_role("button", name="Briefsjabloon opslaan").click()
    error = page.locator("#fout-brief_naam")
    assert "Naam van de gemeente: vul de naam in zoals die in brieven staat." in error.inner_text()
    assert page.get_by_label("Naam van de gemeente").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_label("Naam van de gemeente").fill("Zeeuws-Vlaanderen")
    page.get_by_label("Afzender").fill("Afdeling Werk en Inkomen\nPostbus 12\n4500 AA Oostburg")
    page.get_by_label("Ondertekening").fill("De teamleider Werk, P. Bakker")
    page.get_by_label("Logo").set_input_files({"name": "logo.png", "mimeType": "image/png", "buffer": logo()})
    page.get_by_label("Een brief wordt gecontroleerd door een ander").check()
    page.get_by_role("button", name="Briefsjabloon opslaan").click()
    page.get_by_text("De briefsjabloon is opgeslagen").wait_for()
    assert page.get_by_label("Ondertekening").input_value() == "De teamleider Werk, P. Bakker"
    assert_accessible(page)
    text = _pdf_text(page, live["base"] + "/beheer/briefsjabloon/voorbeeld.pdf")
    assert "Afdeling Werk en Inkomen Postbus 12 4500 AA Oostburg" in text
    assert ("namens het college van burgemeester en wethouders van Zeeuws-Vlaanderen, "
            "De teamleider Werk") in text
    page.context.close()


def test_teamleider_checks_and_sends_a_beschikking(browser, live):
    engine, case = live["engine"], live["case"]
    page = sign_in(browser, live, "teamleider.zeeuws-vlaanderen")
    page.goto(f"{live['base']}/dossier/{live['client_id']}")
    heading = page.get_by_role("heading", name="Beschikkingen en bezwaar")
    letters_section = page.locator("section").filter(has=heading)
    assert "in concept, nog niet verzonden" in letters_section.inner_text()
    summary = page.locator("section").filter(has=page.get_by_role("heading", name="Samenvatting"))
    assert "1 beschikking wacht op controle of verzending" in summary.inner_text()
    assert_accessible(page)
    letters_section.get_by_role("link", name="brief controleren en verzenden").click()
    page.get_by_role("heading", name="Beschikking: Werkplek-aanbod", exact=False).wait_for()
    assert page.locator("#brief-status").inner_text() == "concept"
    assert_accessible(page)

    page.get_by_role("button", name="Brief is gecontroleerd").click()
    page.get_by_text("De brief is gecontroleerd en kan worden verzonden.").wait_for()
    assert "Petra Bakker" in page.content()  # who checked, by full name
    assert_accessible(page)

    page.get_by_label("Straat en huisnummer").fill("Noordweg 12")
    page.get_by_label("Postcode").fill("12")
    page.get_by_label("Woonplaats").fill("Oostburg")
    page.get_by_role("button", name="Verzenden").click()
    error = page.locator("#fout-postcode").inner_text()
    assert "Postcode: vul een postcode in van 4 cijfers en 2 letters" in error
    assert page.get_by_label("Postcode").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Straat en huisnummer").input_value() == "Noordweg 12"  # kept
    assert_accessible(page)
    ((still,), _) = beschikking.BezwaarService(engine).list(case.id)
    assert (still.brief_status, still.verzonden_op) == ("gecontroleerd", None)  # nothing half-written

    page.get_by_label("Postcode").fill("4501 ab")
    page.get_by_role("button", name="Verzenden").click()
    page.get_by_text("De beschikking is verzonden").wait_for()
    ((sent,), _) = beschikking.BezwaarService(engine).list(case.id)
    assert sent.brief_status == "verzonden" and sent.verzonden_op is not None
    assert page.locator("#brief-status").inner_text() == "verzonden"
    assert f"{datum(sent.bezwaar_einde)}" in page.content()
    assert_accessible(page)
    text = _pdf_text(page, f"{live['base']}/zaak/{case.id}/documenten/{sent.document_id}")
    assert text.count("Datum verzending") == 1 and f"Datum verzending: {datum(sent.verzonden_op)}" in text
    assert "Noordweg 12 4501 AB OOSTBURG" in text and "Zeeuws-Vlaanderen" in text

    page.get_by_role("link", name="Terug naar het dossier").click()
    timeline = page.locator("section").filter(has=page.get_by_role("heading", name="Tijdlijn")).inner_text()
    assert "Brief gecontroleerd" in timeline and "Beschikking verzonden" in timeline
    assert "Petra Bakker" in timeline
    assert "wacht op controle" not in page.content()
    assert_accessible(page)
    assert engine.verify(case.id).ok
    page.context.close()
