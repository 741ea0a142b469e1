"""The case manager's journeys of issue 18 in Debian Chromium, through the pages, axe on every page.

One served app (SQLite) with the whole catalogue deployed as in the demo and the demo accounts.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from engine.scheduling.termijnen import legal_date
from processes import demo as demo_cases
from tests.browser import assert_accessible, demo_app, serving
from tests.browser import sign_in as browser_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app, engine = demo_app(tmp_path_factory, "journeys")
    profile = {"trede": 2, "leeftijd": 48, "instrument": "sociale_activering", "vast": True}
    signing = demo_cases.ondertekenen(engine, "woerden", "999990020", "Karin de Wit", profile,
                                      legal_date(engine.clock.now()))
    handed = demo_cases.diagnose(engine, "apeldoorn", "999990032", "Pieter Bos", profile,
                                 legal_date(engine.clock.now()))
    with serving(app) as base:
        yield {"base": base, "engine": engine, "signing": signing.case, "handed": handed.case}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    return browser_sign_in(browser, live["base"], username)


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


def test_handover_takes_the_draft_along_and_deactivation_waits_for_it(browser, live):
    """Issue 18 item 5, as the teamleider and the beheerder of Apeldoorn: Sanne's saved draft goes
    with her task to Mohamed; deactivating Sanne while she holds work asks for a successor first."""
    engine = live["engine"]
    (task,) = [t for t in engine.ready_tasks(case_id=live["handed"].id) if t.claimed_by]
    assert task.claimed_by == "casemanager.apeldoorn"  # the demo names her as vaste casemanager
    page = sign_in(browser, live, "casemanager.apeldoorn")
    page.goto(f"{live['base']}/taken/{task.task_id}")
    page.get_by_label("Competenties").fill("Sterk in klantcontact")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.context.close()

    page = sign_in(browser, live, "beheerder.apeldoorn")
    page.goto(live["base"] + "/beheer")
    page.get_by_role("link", name="Sanne de Vries").click()
    expect(page.locator("#opvolger-eerst")).to_contain_text("heeft nog 1 open taak")
    assert_accessible(page)
    page.context.close()

    page = sign_in(browser, live, "teamleider.apeldoorn")
    page.goto(live["base"] + "/team")
    page.get_by_label("Van", exact=True).select_option("casemanager.apeldoorn")
    page.get_by_label("Naar", exact=True).select_option("casemanager2.apeldoorn")
    page.get_by_role("button", name="Caseload overdragen").click()
    expect(page.get_by_text("1 taak overgedragen")).to_be_visible()
    assert_accessible(page)
    page.context.close()

    page = sign_in(browser, live, "casemanager2.apeldoorn")
    page.goto(f"{live['base']}/taken/{task.task_id}")
    expect(page.get_by_label("Competenties")).to_have_value("Sterk in klantcontact")
    assert_accessible(page)


def test_worklist_filters_and_search_survive_back_and_a_bookmark(browser, live):
    """Issue 18 item 6, as the teamleider of Woerden: search on the last four BSN digits, sort,
    go Back, and open the bookmarked URL again; no BSN in any URL."""
    page = sign_in(browser, live, "teamleider.woerden")
    page.goto(live["base"] + "/werkvoorraad?view=alle")
    page.get_by_label("Zoek op naam, zaaknummer, BSN of de laatste 4 cijfers van het BSN").fill("0020")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**zoek=**")
    expect(page.get_by_role("row").filter(has_text="Karin de Wit")).to_have_count(1)
    searched = page.url
    assert "0020" not in searched and "999990020" not in searched
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Taak\W+sorteer oplopend")).click()
    page.wait_for_url("**sort=taak**")
    expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("th[aria-sort]")).to_contain_text("Taak")
    page.go_back()  # a GET: no "Confirm Form Resubmission", the same filtered list
    page.wait_for_url(searched)
    expect(page.get_by_role("row").filter(has_text="Karin de Wit")).to_have_count(1)
    bookmark = page.context.new_page()
    bookmark.goto(searched)
    expect(bookmark.get_by_role("row").filter(has_text="Karin de Wit")).to_have_count(1)
    assert bookmark.get_by_label("Zoek op naam, zaaknummer, BSN of de laatste 4 cijfers van het BSN") \
        .input_value() == "0020"


def test_mijn_clienten_shows_the_caseload(browser, live):
    """Issue 18 item 6, as a case manager of Zeeuws-Vlaanderen: the caseload view from the tabs."""
    engine = live["engine"]
    profile = {"trede": 3, "leeftijd": 35, "instrument": "werkstage", "vast": True}
    demo_cases.diagnose(engine, "zeeuws-vlaanderen", "999990044", "Joyce Cappon", profile,
                        legal_date(engine.clock.now()))
    page = sign_in(browser, live, "casemanager.zeeuws-vlaanderen")
    page.get_by_role("link", name="Mijn cliënten").click()
    row = page.get_by_role("row").filter(has_text="Joyce Cappon")
    expect(row).to_contain_text("*****0044")
    assert "999990044" not in page.url and "999990044" not in page.content()
    assert_accessible(page)
    row.get_by_role("link", name="Joyce Cappon", exact=True).click()
    page.get_by_role("heading", name="Dossier Joyce Cappon").wait_for()


def test_forms_with_context_age_and_previous_trede(browser, live):
    """Issue 18 item 8, as a case manager of Woerden: the klantschets has the age from the birth
    date filled in; the yearly ladder form shows the previous trede."""
    engine = live["engine"]
    today = legal_date(engine.clock.now())
    born = today - relativedelta(years=40, days=1)  # turned 40 yesterday
    with engine.new_case("woerden", "999990056", "Ilse Vos", "demo", born.isoformat()) as c:
        c.start_process("klant_in_beeld", {"gemeente": "woerden"}, "demo")
        intake_case = c.id
    [first] = engine.ready_tasks(case_id=intake_case)
    engine.complete(first.task_id, {"relatie": "alleenstaand", "woonsituatie": "huur",
                                    "casemanager": "casemanager.woerden"}, actor="demo")
    [schets] = engine.ready_tasks(case_id=intake_case)
    ladder, _ = engine.start_case("woerden", "999990068", "Bram Smit", "ladder_jaarlijks",
                                  {"gemeente": "woerden", "trede": 4, "volgendeMeting": today.isoformat()})
    engine.fire_due_timers(engine.clock.now() + timedelta(days=1))
    [meting] = engine.ready_tasks(case_id=ladder.id)

    page = sign_in(browser, live, "casemanager.woerden")
    page.goto(f"{live['base']}/taken/{schets.task_id}")
    expect(page.get_by_label("Leeftijd")).to_have_value("40")
    assert_accessible(page)
    page.goto(f"{live['base']}/taken/{meting.task_id}")
    expect(page.get_by_text("Trede bij de vorige meting")).to_be_visible()
    expect(page.locator("dd").filter(has_text="4").first).to_be_visible()
    assert_accessible(page)
