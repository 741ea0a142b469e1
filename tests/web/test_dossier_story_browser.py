"""The casemanager reads a dossier's summary in Debian Chromium, at 390 px wide (issue 18 item 7).

Two gemeenten, each with a placement as the demo makes it (processes/demo.py ``uitvoering``): the
summary names the current trede and since when, the running voorziening with its provider, hours and
dates, the casemanager by full name; the ladder shows one row per measurement on its date (seed 002,
../shared/domain/rules-from-the-seeds.md a.3: at instroom and at the start of a voorziening); the
section links jump; the page never scrolls sideways on a phone; axe finds nothing.
"""
from __future__ import annotations

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from engine.scheduling.termijnen import legal_date
from engine.storage.db import cases
from processes import demo as demo_cases
from tests.browser import PASSWORD, assert_accessible, demo_app, serving
from web.dossier.present import datum

pytestmark = pytest.mark.browser

PLACEMENTS = {
    "ooststellingwerf": ("999990020", "Aaltje Mulder", "Kringloopcentrum De Schakel", 16),
    "zeeuws-vlaanderen": ("999990032", "Pieter Bos", "Zorgboerderij Het Zwin", 20),
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app, engine = demo_app(tmp_path_factory, "dossier")
    today = legal_date(engine.clock.now())
    clients = {}
    for gemeente, (bsn, naam, werkgever, uren) in PLACEMENTS.items():
        # the demo's own sociale activering profile
        profile = {**demo_cases._SA, "uren": uren, "werkgever": werkgever, "vast": True}
        d = demo_cases.uitvoering(engine, gemeente, bsn, naam, profile, today)
        with engine.db.connect() as conn:
            clients[gemeente] = conn.execute(select(cases.c.client_id)
                                             .where(cases.c.id == d.case.id)).scalar_one()
    with serving(app) as base:
        yield {"base": base, "engine": engine, "clients": clients, "today": today}
    engine.db.dispose()


def _phone(browser, live, username: str):
    page = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844}).new_page()
    page.goto(live["base"] + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.mark.parametrize("gemeente", list(PLACEMENTS))
def test_casemanager_reads_the_dossier_summary_on_a_phone(browser, live, gemeente):
    _, naam, werkgever, uren = PLACEMENTS[gemeente]
    today = live["today"]
    start = today + relativedelta(months=-2)
    page = _phone(browser, live, f"casemanager.{gemeente}")
    page.goto(f"{live['base']}/dossier/{live['clients'][gemeente]}")
    page.get_by_role("heading", name=f"Dossier {naam}").wait_for()

    summary = page.locator("section").filter(has=page.get_by_role("heading", name="Samenvatting"))
    text = summary.inner_text()
    assert f"trede 2, sinds {datum(start)}" in text
    einde = datum(today + relativedelta(months=4))
    assert f"bij {werkgever}, {uren} uur per week, {datum(start)} tot {einde}" in text
    assert "Sanne de Vries" in text and f"casemanager.{gemeente}" not in text  # the full name
    assert "Eerstvolgende termijn" in text and "Openstaand bedrag" in text

    # the ladder as measured: two measurements, each on its own date, not three rows of today
    rows = page.locator("#ladder-metingen tbody tr").all_inner_texts()
    assert len(rows) == 2, rows
    assert rows[0].startswith(datum(start)) and "Begin voorziening" in rows[0]
    assert rows[1].startswith(datum(today)) and "Diagnose (instroom)" in rows[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no horizontal scroll
    assert_accessible(page)

    nav = page.get_by_role("navigation", name="Onderdelen van het dossier")
    nav.get_by_role("link", name="Tijdlijn").click()
    page.wait_for_url("**#tijd-kop")
    assert page.get_by_role("heading", name="Tijdlijn").is_visible()
    page.context.close()
