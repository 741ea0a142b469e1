"""The beheer screen and the team page in real headless Chromium (Playwright), with axe-core.

A beheerder creates a user with a team and that user signs in; a teamleider hands over a caseload
and the colleague finds the tasks; a teamleider records an absence and the vervanger sees the work
under Waarneming; a beheerder offers a dead letter again; a teamleider moves a case to another team
from its dossier. axe-core checks every new page for WCAG 2.1 A/AA violations.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from casework.accounts import demo
from casework.people import today
from cli.schema import upgrade
from tests.browser import PASSWORD, assert_accessible, serving
from tests.web.helpers import BSN_2, deploy, start_case
from web.app import create_app

pytestmark = pytest.mark.browser
NEW_PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('beheer-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def sign_in(browser, live, username: str, password: str = PASSWORD):  # noqa: F811 (the fixture)
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()
    return page


def test_beheerder_creates_a_user_with_a_team_who_then_signs_in(browser, live):  # noqa: F811
    page = sign_in(browser, live, "beheerder.ooststellingwerf")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer").click()
    page.get_by_role("heading", name="Beheer Ooststellingwerf").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe gebruiker").click()
    page.get_by_label("Naam", exact=True).fill("Nina Nieuw")
    page.get_by_label("Gebruikersnaam").fill("nina.ooststellingwerf")
    page.get_by_label("Casemanager", exact=True).check()
    page.get_by_label("Team", exact=True).select_option("Team Werk")
    page.get_by_label("Wachtwoord", exact=True).fill("te kort")
    page.get_by_label("Herhaal wachtwoord").fill("te kort")
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    summary = page.get_by_role("alert").inner_text()
    assert "Wachtwoord: het wachtwoord moet minstens 12 tekens lang zijn." in summary
    assert page.get_by_label("Wachtwoord", exact=True).get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Herhaal wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    page.get_by_text("Gebruiker nina.ooststellingwerf is aangemaakt.").wait_for()
    page.get_by_role("heading", name="Nina Nieuw").wait_for()
    assert "Gebruiker aangemaakt" in page.get_by_role("table").inner_text()  # the log, on the page
    assert_accessible(page)
    page.context.close()

    page = sign_in(browser, live, "nina.ooststellingwerf", NEW_PASSWORD)
    page.get_by_role("heading", name="Werkvoorraad").wait_for()
    assert "Nina Nieuw" in page.locator(".trede-user").inner_text()
    page.context.close()


def test_teamleider_hands_over_a_caseload_and_the_colleague_sees_the_tasks(browser, live):  # noqa: F811
    engine = live["engine"]
    for bsn, naam in (("999990019", "Jan Jansen"), (BSN_2, "Piet Pietersen")):
        ref, _ = start_case(engine, bsn=bsn, naam=naam)
        engine.claim(engine.ready_tasks(case_id=ref.id)[0].task_id, "casemanager.ooststellingwerf")
    page = sign_in(browser, live, "teamleider.ooststellingwerf")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Team").click()
    page.get_by_role("heading", name="Team Werk").wait_for()
    assert_accessible(page)
    page.get_by_label("Van", exact=True).select_option("casemanager.ooststellingwerf")
    page.get_by_label("Naar", exact=True).select_option("casemanager2.ooststellingwerf")
    page.get_by_role("button", name="Caseload overdragen").click()
    page.get_by_text("2 taken overgedragen aan casemanager2.ooststellingwerf.").wait_for()
    assert_accessible(page)

    # casemanager2 goes on leave the next two weeks; Sanne (casemanager) stands in
    page.get_by_label("Afwezige medewerker").select_option("casemanager2.ooststellingwerf")
    page.get_by_label("Afwezig tot en met").fill((today() + timedelta(days=14)).isoformat())
    page.get_by_label("Vervanger").select_option("casemanager.ooststellingwerf")
    page.get_by_role("button", name="Afwezigheid vastleggen").click()
    page.get_by_text("De afwezigheid is vastgelegd.").wait_for()
    assert_accessible(page)
    page.context.close()

    page = sign_in(browser, live, "casemanager2.ooststellingwerf")
    mine = page.get_by_role("table").inner_text()
    assert "Jan Jansen" in mine and "Piet Pietersen" in mine
    page.context.close()

    page = sign_in(browser, live, "casemanager.ooststellingwerf")
    page.get_by_role("link", name="Waarneming").click()
    row = page.get_by_role("row").filter(has_text="Piet Pietersen")
    assert "afwezig" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("button", name="Overnemen").click()
    page.get_by_text("U heeft de taak overgenomen.").wait_for()
    page.get_by_role("link", name="Mijn taken").click()
    assert "Piet Pietersen" in page.get_by_role("table").inner_text()
    page.context.close()


def test_beheerder_offers_a_dead_letter_again_from_an_accessible_page(browser, live):
    from engine.scheduling import inbox

    letter = inbox.receive(live["engine"], "PlanOndertekend", "ooststellingwerf",
                           {"case_number": "Z0000-999999"}, {"door": "inwoner"}, None, "uwv-koppeling")
    page = sign_in(browser, live, "beheerder.ooststellingwerf")
    page.goto(live["base"] + "/beheer")
    page.get_by_role("link", name="Onbestelbare berichten").click()
    assert "PlanOndertekend" in page.get_by_role("table").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name=f"Bericht {letter.inbox_id} opnieuw aanbieden").click()
    page.get_by_text(f"Bericht {letter.inbox_id} is niet afgeleverd").wait_for()
    assert_accessible(page)
    page.goto(live["base"] + "/beheer")
    page.get_by_role("link", name="Vernietiging van zaken").click()
    page.get_by_role("heading", name="Vernietigingslijsten").wait_for()
    assert_accessible(page)
    page.context.close()


def test_teamleider_moves_a_case_to_another_team_from_the_dossier(browser, live):
    from sqlalchemy import select

    from casework.accounts import teams
    from casework.people import find_user
    from engine.storage.db import cases

    engine = live["engine"]
    teams.create_team(engine.db, find_user(engine.db, "beheerder.ooststellingwerf"), "Team Zuid")
    with engine.db.connect() as conn:
        client_id, number = conn.execute(select(cases.c.client_id, cases.c.case_number).where(
            cases.c.gemeente == "ooststellingwerf").order_by(cases.c.id).limit(1)).one()
    page = sign_in(browser, live, "teamleider.ooststellingwerf")
    page.goto(f"{live['base']}/dossier/{client_id}")
    page.locator("summary", has_text="naar een ander team").first.click()  # folded away until needed
    form = page.locator("form", has=page.get_by_role("button", name="Zaak naar dit team")).first
    form.get_by_role("button", name="Zaak naar dit team").click()  # nothing chosen: named per field
    page.get_by_text("Team: kies een team van uw gemeente.").first.wait_for()
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="Zaak naar dit team")).first
    form.get_by_label("Naar team").select_option("Team Zuid")
    form.get_by_label("Reden").fill("Nieuwe wijkindeling")
    form.get_by_role("button", name="Zaak naar dit team").click()
    page.get_by_text("De zaak hoort nu bij team Team Zuid").wait_for()
    assert f"Zaak {number}: team Team Zuid" in page.get_by_role("region", name="Team").inner_text()
    assert "geen team → Team Zuid: Nieuwe wijkindeling" in page.content()
    assert_accessible(page)
    page.context.close()
