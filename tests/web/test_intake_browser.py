"""Nieuwe zaak in headless Chromium as a case manager: the intake's rules now live in one use case
(casework/intake.py) that the page and the REST API share (issue 15 item 1, issue 17 finding 5).

A name over 255 characters is refused at its field (it was a 500 through the API); a valid intake
opens the dossier, in one transaction with its processing-log line (zaak-starten; Logboek
Dataverwerkingen, AVG art. 30) and the case's team (issue 8.1).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.tables import case_teams
from engine.audit.processing_log import STATUS_OK, LogQuery, search
from tests.browser import assert_accessible
from tests.web.test_browser import live, sign_in  # noqa: F401  (the served app, signed-in pages)

pytestmark = pytest.mark.browser
BSN = "111222333"  # test number, passes the elfproef; no case yet in the live fixture


def test_case_manager_starts_a_case_and_a_too_long_name_is_refused_at_its_field(browser, live):  # noqa: F811
    page = sign_in(browser, live, "casemanager.ooststellingwerf")
    page.goto(live["base"] + "/dossier/nieuw")
    page.get_by_label("BSN").fill(BSN)
    page.get_by_label("Naam").fill("P" * 300)
    page.get_by_label("Proces").select_option(index=1)
    page.get_by_role("button", name="Zaak starten").click()
    assert page.locator("#fout-naam").inner_text().endswith("Naam: gebruik maximaal 255 tekens.")
    assert page.get_by_label("Naam").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_label("Naam").fill("Piet Pieters")
    page.get_by_role("button", name="Zaak starten").click()
    page.get_by_role("heading", name="Dossier Piet Pieters").wait_for()
    status = page.get_by_role("status").first.inner_text()
    assert "is gestart" in status
    case_number = status.split("Zaak ")[1].split(" ")[0]
    engine = live["engine"]
    lines = search(engine.db, LogQuery("ooststellingwerf", subject_bsn=BSN, activity_key="zaak-starten"),
                   live["app"].extensions["trede.pseudonymizer"])
    assert [(line["object_ref"], line["status_code"]) for line in lines] == [(case_number, STATUS_OK)]
    with engine.db.connect() as conn:
        team = conn.execute(select(case_teams.c.team).where(
            case_teams.c.case_id == engine.case_id_of(case_number))).scalar()
    assert team  # the starter's team, set in the same transaction
    page.context.close()
