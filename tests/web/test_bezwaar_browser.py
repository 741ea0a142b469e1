"""Bezwaar by post in headless Chromium as a case manager (Awb 6:9 lid 2; issue 19 item 15): a
bezwaarschrift posted on the last day of the term and received three days later is registered as in
time, so it gets its beslistermijn instead of being niet-ontvankelijk; deciding it niet-ontvankelijk
for another reason (Awb 6:6) needs that reason."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.storage.db import cases
from processes import beschikking
from tests.browser import assert_accessible
from tests.processes.helpers import mark_sent
from tests.web.test_browser import live, sign_in  # noqa: F401  (the served app, signed-in pages)

pytestmark = pytest.mark.browser


def _letter_for(engine, case_id: int):
    """A beschikking on the live fixture's case, as a decision step would issue it: (client id, letter)."""
    with engine.db.begin() as conn:
        row = dict(conn.execute(select(cases).where(cases.c.id == case_id)).mappings().one())
        letter_id = beschikking.issue(conn, row, onderwerp="Uitstroompremie", besluit="afwijzen",
                                      motivering="Te vroeg aangevraagd.", regel="Seed 002 art. 15",
                                      # sent eight weeks ago: the posted bezwaar below has arrived
                                      # by today (a date of receipt in the future is refused, Awb 6:9)
                                      actor="tl.bakker", now=engine.clock.now() - timedelta(weeks=8))
        mark_sent(conn, letter_id, (engine.clock.now() - timedelta(weeks=8)).date())
    letters, _ = beschikking.BezwaarService(engine).list(case_id)
    return row["client_id"], next(b for b in letters if b.id == letter_id)


def test_case_manager_registers_a_posted_bezwaar_that_arrives_after_the_term(browser, live):  # noqa: F811
    engine = live["engine"]
    case_id = live["case"].id
    client_id, letter = _letter_for(engine, case_id)
    page = sign_in(browser, live, "casemanager.ooststellingwerf")
    page.goto(live["base"] + f"/dossier/{client_id}")
    page.get_by_role("heading", name="Bezwaar registreren").wait_for()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Bezwaar registreren"))
    form.get_by_label("Beschikking").select_option(str(letter.id))
    form.get_by_label("Ontvangen op").fill((letter.bezwaar_einde + timedelta(days=3)).isoformat())
    form.get_by_label("Per post: datum poststempel").fill(letter.bezwaar_einde.isoformat())
    form.get_by_label("Gronden van het bezwaar").fill("Het besluit klopt niet.")
    assert_accessible(page)
    form.get_by_role("button", name="Bezwaar registreren").click()
    page.get_by_text("ingediend").first.wait_for()
    _, found = beschikking.BezwaarService(engine).list(case_id)
    assert [(b.tijdig, b.status) for b in found] == [(True, "ingediend")]

    # the bezwaar lacks a signature that was not added in time: niet-ontvankelijk, with the reason
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Beslissen"))
    decide.get_by_label(re.compile(r"Niet-ontvankelijk \(noem")).check()
    decide.get_by_label("De indiener is gehoord").check()
    decide.get_by_role("button", name="Beslissen").click()
    page.get_by_text("waarom het bezwaar niet-ontvankelijk is").first.wait_for()  # no reason: refused
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Beslissen"))
    decide.get_by_label(re.compile(r"Niet-ontvankelijk \(noem")).check()
    decide.get_by_label("Niet gehoord: kennelijk niet-ontvankelijk").check()  # Awb 7:3 a
    reason = "Handtekening niet binnen de hersteltermijn aangevuld (Awb 6:6)."
    decide.get_by_label("Motivering (Awb 7:12)").fill(reason)
    decide.get_by_role("button", name="Beslissen").click()
    page.get_by_text("Beslissing: Niet-ontvankelijk: Handtekening").wait_for()
    assert "kennelijk niet-ontvankelijk (Awb 7:3 a)" in page.content()
    _, found = beschikking.BezwaarService(engine).list(case_id)
    assert [b.status for b in found] == ["niet-ontvankelijk"]
    page.context.close()
