"""Issue 18 item 1, three more journeys of the demo in Debian Chromium, through the pages as each role,
axe (WCAG 2.1 AA) on every page visited, for two gemeenten each, from the data of a fresh `make run`
(`trede demo load`: the system processes, the demo dossiers, the demo accounts):

1. premium → fiat → payment → export: the case worker asks for the premium (Ooststellingwerf: an
   uitstroompremie, seed 002 art 15; Apeldoorn: a Werkt mee urendeclaratie of the provider, seed 001
   par. 8, worked by the lokale toegang), who decides on it does, the financiële administratie gives
   fiat (the requester cannot), a second person there approves the line (four eyes,
   processes/ledger.py), the export holds it once, it is paid and the dossier's money section says
   so. A fiat "nee" needs an opmerking, books nothing and goes back to who decided, who reads why.
2. absence: the teamleider registers a casemanager absent with a vervanger (casework/team/absence.py);
   the vervanger sees the absent person's claimed work under "Waarneming" and the team under
   "Onverdeeld in mijn team", both may take it over; when the absence ends, it is gone from there.
3. closing a case: a case in which a process still runs cannot be closed (the dossier says which
   process runs); a case whose work is done is closed with its resultaat (Selectielijst 2020), the
   dossier says it is closed, no task of it is on the worklist, and verify stays OK.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.accounts import demo as demo_accounts
from cli.schema import upgrade
from engine.clock import FixedClock
from engine.scheduling.termijnen import legal_date
from engine.storage.db import cases, clients
from processes import demo as demo_cases
from processes import ledger, system_models
from tests.browser import assert_accessible, serving
from tests.browser import sign_in as browser_sign_in
from tests.conftest import START
from tests.web.test_journey_voorziening_browser import fill
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The app on the data of a fresh `make run`: `trede demo load` runs these loaders in this order."""
    url = f"sqlite:///{tmp_path_factory.mktemp('journeys-money') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "journey-test", "CLOCK": FixedClock(START)})
    engine = app.extensions["trede.engine"]
    system_models.load(engine)
    demo_cases.load(engine)
    demo_accounts.load(engine)
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    return browser_sign_in(browser, live["base"], username)


def case_of(live, naam: str) -> int:
    with live["engine"].db.connect() as conn:
        return conn.execute(select(cases.c.id).join(clients, clients.c.id == cases.c.client_id)
                            .where(clients.c.naam == naam)).scalar_one()


def client_of(live, naam: str) -> int:
    with live["engine"].db.connect() as conn:
        return conn.execute(select(clients.c.id).where(clients.c.naam == naam)).scalar_one()


def search(page, live, view: str, naam: str):
    """The worklist's view, searched on the client's name as a person types it; returns the rows."""
    page.goto(f"{live['base']}/werkvoorraad?view={view}")
    page.locator("#q").fill(naam)
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(lambda url: "zoek=" in url)
    assert_accessible(page)
    return page.get_by_role("row").filter(has_text=naam)


def work(page, live, naam: str, title: str, data: dict, view: str = "team") -> None:
    """Find the task on the worklist, open it, answer it, press Afronden; the page says it is done."""
    row = search(page, live, view, naam).filter(has_text=title)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url("**/taken/**")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    fill(page, data)
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_text("is afgerond")).to_be_visible()
    errors = page.locator(".utrecht-form-field-error-message, [id^='fout-']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert_accessible(page)


def not_on_worklist(page, live, view: str, naam: str, title: str) -> None:
    expect(search(page, live, view, naam).filter(has_text=title)).to_have_count(0)


# -- 1. premium → fiat → payment → export ----------------------------------------------------------

PREMIES = {
    # Seed 002 art 15: the uitstroompremie of € 600, asked for by the casemanager, decided by the
    # teamleider; art 16: the trajectpremie after sociale activering, decided by the teamleider.
    "ooststellingwerf": {
        "client": "Baukje de Jong",
        "request": [("casemanager", "Aanvraag uitstroompremie vastleggen (of ambtshalve)",
                     {"aanvraagdatum": legal_date(START), "nogAanHetWerk": True}),
                    ("teamleider", "Uitstroompremie besluiten", {"besluit": "toekennen"})],
        "fiat": "Uitbetaling uitstroompremie fiatteren",
        "refused": "Sietske Jansma",
        "refused_request": [("teamleider", "Trajectpremie beoordelen en besluiten",
                             {"besluit": "toekennen", "bedrag": 500})],
        "refused_fiat": "Uitbetaling trajectpremie fiatteren",
        "decider": "teamleider",
    },
    # Seed 001 par. 8: the provider's hours of a Werkt mee trajectory, processed by the lokale
    # toegang, which also gets a refused payment back.
    "apeldoorn": {
        "client": "Henk Jansen",
        "request": [("lokaletoegang", "Urendeclaratie aanbieder verwerken", {"uren": 40})],
        "fiat": "Urendeclaratie fiatteren",
        "refused": "Gerrit van Dijk",
        "refused_request": [("lokaletoegang", "Urendeclaratie aanbieder verwerken", {"uren": 40})],
        "refused_fiat": "Urendeclaratie fiatteren",
        "decider": "lokaletoegang",
    },
}


@pytest.mark.parametrize("gemeente", sorted(PREMIES))
def test_premium_fiat_payment_export(browser, live, gemeente):
    plan = PREMIES[gemeente]
    naam = plan["client"]
    case_id = case_of(live, naam)
    for role, title, data in plan["request"]:
        page = sign_in(browser, live, f"{role}.{gemeente}")
        work(page, live, naam, title, data)
        page.context.close()

    # four eyes: who asked or decided cannot give the fiat; it waits for the financiële administratie
    requester = sign_in(browser, live, f"{plan['request'][0][0]}.{gemeente}")
    not_on_worklist(requester, live, "team", naam, plan["fiat"])
    (fiat,) = [t for t in live["engine"].ready_tasks(case_id=case_id) if t.title == plan["fiat"]]
    requester.goto(f"{live['base']}/taken/{fiat.task_id}")
    expect(requester.get_by_text("U kunt deze taak bekijken maar niet afronden.")).to_be_visible()
    expect(requester.get_by_role("button", name="Afronden")).to_have_count(0)
    assert_accessible(requester)
    requester.context.close()

    fin = sign_in(browser, live, f"financien.{gemeente}")
    work(fin, live, naam, plan["fiat"], {"gefiatteerd": True})
    with live["engine"].db.connect() as conn:
        (line,) = ledger.lines(conn, case_id=case_id, status="concept")
    assert line.created_by == f"financien.{gemeente}"
    fin.goto(live["base"] + "/grootboek/")
    row = fin.get_by_role("row").filter(has_text=line.case_number)
    expect(row).to_contain_text("Door een collega goed te keuren")  # not by who booked it
    assert_accessible(fin)
    fin.context.close()

    colleague = sign_in(browser, live, f"financien2.{gemeente}")
    colleague.goto(live["base"] + "/grootboek/")
    row = colleague.get_by_role("row").filter(has_text=line.case_number)
    row.get_by_role("button", name="Goedkeuren").click()
    expect(colleague.get_by_text(f"Regel {line.id} is goedgekeurd.")).to_be_visible()
    assert_accessible(colleague)
    export = colleague.get_by_role("button", name="Betaalbare regels downloaden")
    with colleague.expect_download() as download:
        export.click()
    assert download.value.suggested_filename == "betaalbaar.csv"
    body = open(download.value.path(), encoding="utf-8").read()
    (mine,) = [r for r in body.splitlines()[1:] if r.startswith(f"{line.id};")]
    assert f";{line.bedrag:.2f};" in mine and line.ontvanger in mine
    colleague.goto(live["base"] + "/grootboek/")
    # one export per line: nothing new to send, and the line says when it went
    expect(colleague.get_by_role("button", name="Betaalbare regels downloaden")).to_have_count(0)
    expect(colleague.locator("#geen-export")).to_be_visible()
    row = colleague.get_by_role("row").filter(has_text=line.case_number)
    expect(row).to_contain_text("geëxporteerd op")
    assert_accessible(colleague)
    row.get_by_role("button", name="Betaald").click()
    expect(colleague.get_by_text(f"Regel {line.id} is betaald.")).to_be_visible()
    colleague.context.close()

    worker = sign_in(browser, live, f"{plan['request'][0][0]}.{gemeente}")
    worker.goto(f"{live['base']}/dossier/{client_of(live, naam)}")
    money = worker.locator("section", has=worker.get_by_role("heading", name="Geld"))
    paid = money.get_by_role("row").filter(has_text=ledger.euro(Decimal(line.bedrag)))
    expect(paid).to_contain_text(f"betaald op {legal_date(START):%d-%m-%Y}")
    expect(worker.locator("main")).to_contain_text("Openstaand bedrag")
    assert_accessible(worker)
    worker.context.close()
    assert live["engine"].verify(case_id).ok


@pytest.mark.parametrize("gemeente", sorted(PREMIES))
def test_a_refused_fiat_needs_an_opmerking_books_nothing_and_goes_back(browser, live, gemeente):
    plan = PREMIES[gemeente]
    naam = plan["refused"]
    case_id = case_of(live, naam)
    for role, title, data in plan["refused_request"]:
        page = sign_in(browser, live, f"{role}.{gemeente}")
        work(page, live, naam, title, data)
        page.context.close()

    fin = sign_in(browser, live, f"financien.{gemeente}")
    row = search(fin, live, "team", naam).filter(has_text=plan["refused_fiat"])
    row.get_by_role("link", name=plan["refused_fiat"], exact=True).click()
    fin.wait_for_url("**/taken/**")
    fill(fin, {"gefiatteerd": False})
    fin.get_by_role("button", name="Afronden").click()
    expect(fin.locator("#fout-opmerking")).to_contain_text(
        "Opmerking: u fiatteert niet; schrijf wat er gecorrigeerd moet worden.")
    assert_accessible(fin)
    reden = "Het rekeningnummer op de aanvraag klopt niet."
    fill(fin, {"gefiatteerd": False, "opmerking": reden})
    fin.get_by_role("button", name="Afronden").click()
    expect(fin.get_by_text("is afgerond")).to_be_visible()
    fin.context.close()
    with live["engine"].db.connect() as conn:
        assert ledger.lines(conn, case_id=case_id) == []  # nothing booked

    decider = sign_in(browser, live, f"{plan['decider']}.{gemeente}")
    row = search(decider, live, "team", naam).filter(has_text="Niet gefiatteerde betaling herstellen")
    row.get_by_role("link", name="Niet gefiatteerde betaling herstellen", exact=True).click()
    decider.wait_for_url("**/taken/**")
    expect(decider.locator("main")).to_contain_text(reden)  # who decided reads why
    assert_accessible(decider)
    fill(decider, {"herstelVervolg": "stoppen", "herstelToelichting": "De aanvraag wordt ingetrokken."})
    decider.get_by_role("button", name="Afronden").click()
    expect(decider.get_by_text("is afgerond")).to_be_visible()
    decider.goto(f"{live['base']}/dossier/{client_of(live, naam)}")
    money = decider.locator("section", has=decider.get_by_role("heading", name="Geld"))
    expect(money).to_contain_text("Er is nog geen geld geboekt.")
    assert_accessible(decider)
    decider.context.close()
    assert live["engine"].verify(case_id).ok


# -- 3. closing a case -----------------------------------------------------------------------------

CLOSING = {
    # (role, the client whose voorziening is afgerond, a client whose yearly ladder still runs)
    "wassenaar": ("casemanager", "Bas Koster", "Hanneke Prins"),
    "woerden": ("teamleider", "Arjen Oskam", "Hans de Wit"),
}


@pytest.mark.parametrize("gemeente", sorted(CLOSING))
def test_closing_a_case_with_its_resultaat(browser, live, gemeente):
    role, done, running = CLOSING[gemeente]
    page = sign_in(browser, live, f"{role}.{gemeente}")

    # a process still runs: the dossier names it and offers no way to close (closing.py)
    page.goto(f"{live['base']}/dossier/{client_of(live, running)}")
    section = page.locator("section", has=page.get_by_role("heading", name="Zaak afsluiten"))
    expect(section).to_contain_text("afsluiten kan als deze processen klaar zijn: Jaarlijkse ladderbepaling")
    expect(section.get_by_role("button", name="Zaak afsluiten")).to_have_count(0)
    assert_accessible(page)

    case_id = case_of(live, done)
    page.goto(f"{live['base']}/dossier/{client_of(live, done)}")
    section = page.locator("section", has=page.get_by_role("heading", name="Zaak afsluiten"))
    section.locator("summary").click()
    assert_accessible(page)
    section.get_by_role("button", name="Zaak afsluiten").click()  # no resultaat chosen
    error = page.locator(f"#fout-resultaat-{case_id}")
    expect(error).to_have_text("Resultaat: kies het resultaat van de zaak.")
    assert page.get_by_label("Resultaat").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Resultaat").select_option("verstrekt")
    page.get_by_role("button", name="Zaak afsluiten").click()
    expect(page.get_by_text("De zaak is afgesloten: Verstrekt (selectielijst 8.1, bewaartermijn P10Y).")
           ).to_be_visible()
    persoon = page.locator("section", has=page.get_by_role("heading", name="Persoonsgegevens"))
    expect(persoon).to_contain_text("(afgesloten")
    expect(page.get_by_role("heading", name="Zaak afsluiten")).to_have_count(0)
    expect(page.locator("section", has=page.get_by_role("heading", name="Open taken"))
           ).to_contain_text("Geen open taken.")
    assert_accessible(page)
    # nothing of it waits on the worklist, for the team or for anyone
    view = "alle" if role == "teamleider" else "team"
    expect(search(page, live, view, done)).to_have_count(0)
    expect(page.get_by_text("0 taken gevonden.")).to_be_visible()
    page.context.close()
    assert live["engine"].verify(case_id).ok
    history = live["engine"].history(case_id)
    assert history[-1].kind == "case_closed" and history[-1].actor == f"{role}.{gemeente}"


# -- 2. absence ------------------------------------------------------------------------------------

ABSENCE = {
    # (a client whose diagnose waits in the team, unclaimed; the casemanager claims it first)
    "ooststellingwerf": ("Hendrika Veenstra", "Diagnose: "),
    "zeeuws-vlaanderen": ("Koen Verstraete", "Diagnose: "),
}


@pytest.mark.parametrize("gemeente", sorted(ABSENCE))
def test_absence_shows_the_work_to_the_vervanger_and_the_team_until_it_ends(browser, live, gemeente):
    naam, title = ABSENCE[gemeente]
    sanne = sign_in(browser, live, f"casemanager.{gemeente}")
    row = search(sanne, live, "team", naam).filter(has_text=title)
    row.get_by_role("button", name="Claimen").click()
    sanne.wait_for_load_state()
    row = search(sanne, live, "mijn", naam).filter(has_text=title)
    expect(row).to_contain_text("Sanne de Vries")  # who holds it, by name
    sanne.context.close()

    lead = sign_in(browser, live, f"teamleider.{gemeente}")
    lead.goto(live["base"] + "/team")
    assert_accessible(lead)
    lead.get_by_label("Afwezige medewerker").select_option(f"casemanager.{gemeente}")
    start = date.fromisoformat(lead.get_by_label("Afwezig van").input_value())  # today, filled in
    lead.get_by_label("Afwezig tot en met").fill((start + timedelta(days=13)).isoformat())
    lead.get_by_label("Vervanger").select_option(f"casemanager2.{gemeente}")
    lead.get_by_role("button", name="Afwezigheid vastleggen").click()
    expect(lead.get_by_text("De afwezigheid is vastgelegd. De vervanger ziet de taken onder Waarneming.")
           ).to_be_visible()
    member = lead.get_by_role("row").filter(has_text=f"casemanager.{gemeente}").first
    expect(member).to_contain_text("ja, vervanger Mohamed El Amrani")  # by name
    assert_accessible(lead)

    mohamed = sign_in(browser, live, f"casemanager2.{gemeente}")
    mohamed.goto(live["base"] + "/werkvoorraad")
    waarneming = mohamed.get_by_role("navigation", name="Weergave").get_by_role("link", name="Waarneming")
    expect(waarneming).to_be_visible()
    for view in ("waarneming", "team"):  # the vervanger's own view, and the team's
        row = search(mohamed, live, view, naam).filter(has_text=title)
        expect(row).to_contain_text("Sanne de Vries")
        expect(row).to_contain_text("afwezig")
        expect(row).to_contain_text("vervanger Mohamed El Amrani")
        expect(row.get_by_role("button", name="Overnemen")).to_be_visible()
    mohamed.context.close()

    # the absence ends (back early): the work is Sanne's again and no longer shown to cover
    lead.goto(live["base"] + "/team")
    lead.get_by_role("button", name="Beëindigen").click()
    expect(lead.get_by_text("De afwezigheid is beëindigd.")).to_be_visible()
    expect(lead.get_by_role("row").filter(has_text=f"casemanager.{gemeente}").first).to_contain_text("nee")
    assert_accessible(lead)
    lead.context.close()

    mohamed = sign_in(browser, live, f"casemanager2.{gemeente}")
    mohamed.goto(live["base"] + "/werkvoorraad")
    expect(mohamed.get_by_role("navigation", name="Weergave").get_by_role("link", name="Waarneming")
           ).to_have_count(0)
    expect(search(mohamed, live, "team", naam).filter(has_text=title)).to_have_count(0)
    mohamed.context.close()
    sanne = sign_in(browser, live, f"casemanager.{gemeente}")
    row = search(sanne, live, "mijn", naam).filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row.get_by_role("button", name="Vrijgeven")).to_be_visible()
    sanne.context.close()
