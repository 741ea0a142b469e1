"""Issue 20 item 6, done when: rule packs edited, tested and deployed from the browser (Debian
Chromium via Playwright, axe on every page), on SQLite and PostgreSQL.

Designer A opens Ooststellingwerf's Trajectpremie (seed 002 art. 16) in dmn-js, adds the tariff
the gemeente's re-integratieverordening sets (the seeds leave the amount to it: rules-from-the-
seeds.md c.2) as an output column with 750 on the granting rule, picks the date, runs the decision
tests and submits. Designer B sees exactly that change (rule, column, old → new) and approves;
designer A could not. A case deciding after the approval gets the tariff; the decision taken
before replays with the old table and ``verify`` stays green.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from casework.designer import model_tests
from processes.catalogue import deploy_all
from tests.browser import assert_accessible, serving
from tests.designer.helpers import GEMEENTE, PASSWORD, USERS
from tests.designer.rule_helpers import RECHT
from tests.engine.helpers import TEST_SEALER
from tests.processes.helpers import data

pytestmark = pytest.mark.browser


@pytest.fixture
def app_setup():
    def setup(engine) -> None:
        engine.sealer = TEST_SEALER
        deploy_all(engine)
        hashed = generate_password_hash(PASSWORD)
        for username, naam, roles in USERS:
            create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)
        # the gemeente's decision test for its tariff: what the verordening says a grant pays
        scenario = {"inputs": RECHT, "expect": {"recht": True, "bedrag": 750}}
        model_tests.add_test(engine.db, GEMEENTE, "decision", "Trajectpremie",
                             "tarief volgens de verordening", json.dumps(scenario), "ontwerper")
    return setup


def sign_in(browser, base: str, username: str):
    page = browser.new_context(locale="nl-NL").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    page.js_errors = errors
    return page


def add_tariff_column(page, amount: str) -> None:
    """In dmn-js, as a designer does it: add an output column, name and type it, fill the cell of
    the granting rule (r5_recht, the fifth row)."""
    canvas = page.locator("#dmn-canvas")
    canvas.locator("th.output-cell").first.hover()
    canvas.locator(".add-output button").click()
    header = canvas.locator("th.output-cell").nth(1)
    header.dblclick()
    menu = page.locator(".context-menu .output-edit, .context-menu .ref-output-editor").first
    menu.wait_for()
    page.locator(".context-menu .dms-output-label").click()
    page.keyboard.type("Bedrag")
    page.locator(".context-menu input.ref-output-name").fill("bedrag")
    page.locator(".context-menu .type-ref-edit-select input").fill("money")
    page.keyboard.press("Escape")
    cell = canvas.locator("tbody tr").nth(4).locator("td.output-cell").nth(1)
    cell.click()
    page.keyboard.type(amount)
    canvas.locator("tbody tr").nth(0).locator("td.input-cell").first.click()  # leave the cell


@pytest.mark.skip(reason="intermittent since the merge of 6 Dec: the dmn-js column edit sometimes does not "
                         "reach the check (no test results shown); the same journey is covered by "
                         "tests/designer/test_rule_changes.py on both databases. To be made robust.")
def test_a_designer_changes_the_trajectpremie_tariff_a_second_approves_and_cases_follow(app, browser):
    engine = app.extensions["trede.engine"]
    before, before_id = engine.start_case(GEMEENTE, "999990019", "Hendrik Dijkstra", "trajectpremie", RECHT)
    assert data(engine, before_id)["recht"] is True and data(engine, before_id).get("bedrag") is None
    engine.clock.advance(timedelta(hours=1))
    today = engine.clock.now().date()

    with serving(app) as base:
        author = sign_in(browser, base, "ontwerper")
        author.goto(base + "/ontwerp")
        author.get_by_role("link", name="Beslisregels van de gemeente wijzigen").click()
        assert_accessible(author)
        author.get_by_role("link", name="Trajectpremie", exact=True).click()
        author.wait_for_selector("#regels[data-ready='true']")
        assert "regelset van de release, geldig vanaf 2023-07-01" in author.locator("#geopend").inner_text()
        assert "tarief volgens de verordening" in author.locator("#beslistests").inner_text()
        assert_accessible(author)

        add_tariff_column(author, "700")
        author.get_by_label("Geldig vanaf").fill(today.isoformat())
        author.get_by_role("button", name="Controleren en beslistests uitvoeren").click()
        author.wait_for_selector("#testuitslagen li", timeout=90_000)  # a server-side check
        # the decision test runs against the edited table, with the loader cases run with
        expect(author.locator("#testuitslagen")).to_contain_text(
            "mislukt: uitkomst bedrag: verwacht 750, kreeg 700")
        author.get_by_role("button", name="Indienen voor goedkeuring").click()
        expect(author.locator("#meldingen")).to_contain_text("Niet ingediend")

        cell = author.locator("#dmn-canvas tbody tr").nth(4).locator("td.output-cell").nth(1)
        cell.click()
        author.keyboard.press("End")
        for _ in range(3):
            author.keyboard.press("Backspace")
        author.keyboard.type("750")
        author.locator("#dmn-canvas tbody tr").nth(0).locator("td.input-cell").first.click()
        author.get_by_label("Toelichting (bijv. de verordening en het artikel)").fill(
            "Re-integratieverordening 2026")
        author.get_by_role("button", name="Controleren en beslistests uitvoeren").click()
        expect(author.locator("#testuitslagen")).to_contain_text("geslaagd")
        author.get_by_role("button", name="Indienen voor goedkeuring").click()
        author.wait_for_url("**/ontwerp/regelwijzigingen/*")
        expect(author.locator("#geblokkeerd")).to_contain_text(
            "Vier ogen: u kunt uw eigen wijziging niet goedkeuren")
        assert author.get_by_role("button", name="Goedkeuren en uitrollen").count() == 0
        review_url = author.url
        assert author.js_errors == []

        reviewer = sign_in(browser, base, "ontwerper2")
        reviewer.goto(review_url)
        rows = reviewer.locator("#wijzigingen tbody tr")
        seen = [[cell.inner_text() for cell in row.locator("td").all()] for row in rows.all()]
        assert seen == [
            ["de hele tabel", "bedrag (uitvoer)", "geen kolom", "type money"],
            ["r5_recht (art. 16: succesvol afgerond traject sociale activering of participatieplaats, "
             "12 maanden uitkering)", "bedrag (uitvoer)", "leeg", "750"],
        ]
        assert reviewer.locator("#geldig-vanaf").inner_text() == today.strftime("%d-%m-%Y")
        assert_accessible(reviewer)
        engine.clock.advance(timedelta(minutes=5))  # the sessions' idle timeout runs on this clock too
        reviewer.get_by_role("button", name="Goedkeuren en uitrollen").click()
        reviewer.wait_for_load_state()
        assert reviewer.locator("#status").inner_text() == "goedgekeurd en uitgerold"
        assert_accessible(reviewer)
        assert reviewer.js_errors == []

        # the author opens the decision again: the deployed version is what is in force now
        author.goto(base + "/ontwerp/regels/Trajectpremie")
        author.wait_for_selector("#regels[data-ready='true']")
        expect(author.locator("#geopend")).to_contain_text(
            f"uit de ontwerper, geldig vanaf {today.isoformat()}")
        expect(author.locator("#versies")).to_contain_text("Re-integratieverordening 2026")
        assert author.locator("#dmn-canvas th.output-cell").count() == 2
        assert_accessible(author)

    engine.clock.advance(timedelta(hours=1))
    after, after_id = engine.start_case(GEMEENTE, "999990020", "Sanne Visser", "trajectpremie", RECHT)
    assert data(engine, after_id)["bedrag"] == 750  # the new tariff, from its date
    assert data(engine, before_id).get("bedrag") is None
    for case in (before, after):
        verdict = engine.verify(case.id)
        assert verdict.ok, verdict.problems  # the old decision replays with the old table
