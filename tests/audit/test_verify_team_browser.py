"""Issue 16 item 1 in headless Chromium: a case's team (issue 8.1, who may see the case) is a chained
fact; the auditor's verification page says the history holds, and after a direct database edit of
the team it names the table, the row, the column with stored and expected value and the event that
set it; an edit of that event is named by its sequence number. The page is axe-checked (WCAG 2.1 AA).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from casework.accounts import demo
from casework.people import User
from casework.tables import case_teams
from casework.visibility import assign_case_team
from cli.schema import upgrade
from engine.storage.db import events
from tests.browser import PASSWORD, assert_accessible, serving
from tests.web.helpers import deploy, start_case
from web.app import create_app

pytestmark = pytest.mark.browser
TEAMLEIDER = User(0, "teamleider.ooststellingwerf", "Teamleider", "ooststellingwerf",
                  frozenset({"teamleider"}), "Team Noord")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('verify-team') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test",
                      "PSEUDONYM_KEY": "00112233445566778899aabbccddeeff"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    case, _ = start_case(engine)
    with engine.case(case.id) as work:  # as intake does for a case worker with a team
        assign_case_team(work, TEAMLEIDER)
    with serving(app) as base:
        yield {"base": base, "case": case, "engine": engine}
    engine.db.dispose()


def _verification(browser, live):
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + "/audit/")
    page.get_by_label("Gebruikersnaam").fill("auditor.ooststellingwerf")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/audit/")
    page.get_by_label("Zaaknummer").fill(live["case"].case_number)
    page.get_by_role("button", name="Zaak openen").click()
    page.get_by_role("heading", name=f"Zaakhistorie {live['case'].case_number}").wait_for()
    return page


def test_the_auditor_sees_an_edited_case_team_and_its_edited_event_named(browser, live):
    engine, case = live["engine"], live["case"]
    page = _verification(browser, live)
    page.get_by_role("heading", name="Verificatie: de historie klopt", exact=True).wait_for()
    seq = next(e.seq for e in engine.history(case.id) if e.kind == "case_team_changed")

    with engine.db.begin() as conn:  # behind trede's back: the case moved to another team
        conn.execute(update(case_teams).where(case_teams.c.case_id == case.id).values(team="Team Zuid"))
    page.reload()
    page.get_by_role("heading", name="Verificatie: de historie klopt niet", exact=True).wait_for()
    text = page.locator("#afwijkende-rijen").inner_text()
    assert "case_teams" in text and "team" in text and "'Team Zuid'" in text and "'Team Noord'" in text
    assert str(seq) in text  # the event that set the expected value
    assert_accessible(page)

    with engine.db.begin() as conn:  # and its event: the first one that differs is named
        payload = conn.execute(select(events.c.payload).where(
            events.c.case_id == case.id, events.c.seq == seq)).scalar_one()
        conn.execute(update(events).where(events.c.case_id == case.id, events.c.seq == seq)
                     .values(payload=payload.replace('"naar":"Team Noord"', '"naar":"Team Zuid"')))
    page.reload()
    verdict = page.locator(".audit-verdict").inner_text()
    assert f"Eerste afwijkende gebeurtenis: {seq}." in verdict, verdict
