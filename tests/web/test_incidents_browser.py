"""Incidents in real headless Chromium (issue 17): the beheerder of Woerden finds the cases whose
timer step failed under Beheer > Incidenten, retries one (nothing was fixed: it fails again at once and
is counted) and ends
the process of the other with a reason; the beheerder of Apeldoorn sees none of them. axe-core
checks every page state.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casework.accounts import demo
from cli.schema import upgrade
from engine.clock import FixedClock, SystemClock
from tests.browser import assert_accessible, serving
from tests.engine.helpers import model_files
from tests.web.test_beheer_browser import sign_in
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('incidents-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test"})
    engine = app.extensions["trede.engine"]
    engine.deploy(model_files("cyclus.bpmn"))
    demo.load(engine)
    engine.clock = FixedClock(datetime.now(UTC) - timedelta(days=2))  # started two days ago
    refs = [engine.start_case("woerden", bsn, naam, "cyclus", {"cyclus": "R/PT0S"})[0]
            for bsn, naam in (("999990019", "Jan Jansen"), ("999990027", "Piet Pietersen"))]
    engine.clock = SystemClock()
    engine.run_due()  # the day's wait is over: the cycle fails, the cases are put aside
    with serving(app) as base:
        yield {"base": base, "engine": engine, "cases": [r.case_number for r in refs]}
    engine.db.dispose()


def test_beheerder_sees_incidents_retries_one_and_ends_the_other_with_a_reason(browser, live):
    first, second = live["cases"]
    page = sign_in(browser, live, "beheerder.woerden", demo.DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Incidenten").click()
    page.get_by_role("heading", name="Incidenten", exact=True).wait_for()
    table = page.get_by_role("table").inner_text()
    assert first in table and second in table
    assert "cyclus: Herinnering" in table and "1 keer" in table
    assert "de cyclus 'R/PT0S' herhaalt vaker dan eens per minuut" in table
    assert_accessible(page)

    row = page.locator("tr", has_text=first)
    number = row.locator("td").first.inner_text()
    page.get_by_role("button", name=f"Incident {number} opnieuw proberen").click()
    # Nothing was fixed: the step runs again at once, fails again and is counted.
    page.get_by_text(f"Incident {number} ({first}) is opnieuw geprobeerd en mislukte weer (2 keer)",
                     exact=False).wait_for()
    assert "2 keer" in page.locator("tr", has_text=first).inner_text()
    assert_accessible(page)

    other = page.locator("tr", has_text=second).locator("td").first.inner_text()
    page.get_by_role("button", name=f"Proces van incident {other} beëindigen").click()
    field = page.get_by_label(f"Reden om het proces van incident {other} te beëindigen")
    assert field.get_attribute("aria-invalid") == "true"
    assert "Reden: geef op waarom het proces wordt beëindigd." in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    field.fill("Model hersteld in versie 2; deze zaak opnieuw gestart")
    page.get_by_role("button", name=f"Proces van incident {other} beëindigen").click()
    page.get_by_text(f"Het proces van incident {other} ({second}) is beëindigd").wait_for()
    assert second not in page.get_by_role("table").inner_text()
    assert_accessible(page)
    page.context.close()

    history = live["engine"].history(live["engine"].case_id_of(second))
    assert (history[-1].kind, history[-1].payload["reason"]) == (
        "instance_cancelled", "Model hersteld in versie 2; deze zaak opnieuw gestart")
    assert history[-1].actor == "beheerder.woerden"


def test_another_gemeente_sees_none_of_them(browser, live):
    page = sign_in(browser, live, "beheerder.apeldoorn", demo.DEMO_PASSWORD)
    page.goto(live["base"] + "/beheer/incidenten")
    assert "Geen open incidenten." in page.get_by_role("table").inner_text()
    page.context.close()
