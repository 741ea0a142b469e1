"""Issue 20 item 6, done when: rule packs edited, tested and deployed from the browser (Debian
Chromium via Playwright, axe on every page), on SQLite and PostgreSQL.

Designer A opens Ooststellingwerf's Trajectpremie (seed 002 art. 16) in dmn-js, adds the tariff
the gemeente's re-integratieverordening sets (the seeds leave the amount to it: rules-from-the-
seeds.md c.2) as an output column with 750 on the granting rule, picks the date it applies from
(tomorrow), runs the decision tests and submits. Designer B sees exactly that change (rule, column,
old → new) and approves; designer A could not. A decision taken after the approval but before the
date keeps the old table; one from the date gets the tariff; the decision taken before the change
replays with the old table and ``verify`` stays green for all three.

The designer clicks "Controleren" right after typing, and the check must be of what they typed:
dmn-js writes an edit into its model only 300 ms after the last key by default, so a check posted
sooner lost the column's name ("uitvoer 2: geef de uitvoer een naam") about one run in five. The
editor turns that debounce off (web/static/designer/rules.js); this test clicks without waiting.
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
from processes.decisions.service import LEGAL_ZONE
from tests.browser import assert_accessible, serving
from tests.designer.helpers import GEMEENTE, PASSWORD, USERS
from tests.designer.rule_helpers import RECHT
from tests.engine.helpers import START, TEST_SEALER
from tests.processes.helpers import data

pytestmark = pytest.mark.browser
# The tariff applies from the day after the fixed clock's legal date (START, 5 January 2026).
GELDIG_VANAF = (START + timedelta(days=1)).astimezone(LEGAL_ZONE).date()
CHECK_TIMEOUT = 60_000  # ms: the check runs on the server (loader, evaluator, decision tests)


@pytest.fixture
def app_setup():
    def setup(engine) -> None:
        engine.sealer = TEST_SEALER
        deploy_all(engine)
        hashed = generate_password_hash(PASSWORD)
        for username, naam, roles in USERS:
            create_user(engine.db, username, PASSWORD, naam, GEMEENTE, roles, password_hash=hashed)
        # the gemeente's decision test for its tariff: what the verordening says a grant pays
        scenario = {"inputs": RECHT, "expect": {"recht": True, "bedrag": 750},
                    "peildatum": GELDIG_VANAF.isoformat()}
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
    the granting rule (r5_recht, the fifth row). Each step waits for what the table shows."""
    canvas = page.locator("#dmn-canvas")
    canvas.locator("th.output-cell").first.hover()
    canvas.locator(".add-output button").click()
    header = canvas.locator("th.output-cell").nth(1)
    header.dblclick()
    expect(page.locator(".context-menu .ref-output-editor")).to_be_visible()
    page.locator(".context-menu .dms-output-label").click()
    page.keyboard.type("Bedrag")
    page.locator(".context-menu input.ref-output-name").fill("bedrag")
    page.locator(".context-menu .type-ref-edit-select input").fill("money")
    page.keyboard.press("Escape")
    expect(page.locator(".context-menu .ref-output-editor")).to_have_count(0)
    expect(header).to_contain_text("Bedrag")
    set_cell(page, 4, amount)


def tariff_cell(page):
    return page.locator("#dmn-canvas tbody tr").nth(4).locator("td.output-cell").nth(1)


def set_cell(page, row: int, text: str) -> None:
    """Type ``text`` into the tariff cell of ``row`` (replacing what is there), then leave it."""
    cell = page.locator("#dmn-canvas tbody tr").nth(row).locator("td.output-cell").nth(1)
    cell.click()
    page.keyboard.press("End")
    for _ in cell.inner_text().strip():
        page.keyboard.press("Backspace")
    page.keyboard.type(text)
    page.locator("#dmn-canvas tbody tr").nth(0).locator("td.input-cell").first.click()  # leave the cell
    expect(cell).to_have_text(text)


def check(page) -> None:
    """Click "Controleren" at once (no waiting for the editor) and wait for its answer."""
    button = page.get_by_role("button", name="Controleren en beslistests uitvoeren")
    button.click()
    expect(page.locator("#meldingen")).not_to_contain_text("Bezig", timeout=CHECK_TIMEOUT)
    expect(button).to_be_enabled()


def test_a_designer_changes_the_trajectpremie_tariff_a_second_approves_and_cases_follow(app, browser):
    engine = app.extensions["trede.engine"]
    before, before_id = engine.start_case(GEMEENTE, "999990019", "Hendrik Dijkstra", "trajectpremie", RECHT)
    assert data(engine, before_id)["recht"] is True and data(engine, before_id).get("bedrag") is None
    engine.clock.advance(timedelta(hours=1))
    today = engine.clock.now().astimezone(LEGAL_ZONE).date()
    assert GELDIG_VANAF == today + timedelta(days=1)

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
        author.get_by_label("Geldig vanaf").fill(GELDIG_VANAF.isoformat())
        check(author)
        # the decision test runs against the edited table as typed, with the loader cases run with
        expect(author.locator("#testuitslagen")).to_have_text(
            "Beslistest ‘tarief volgens de verordening’: mislukt: uitkomst bedrag: verwacht 750, kreeg 700")
        expect(author.locator("#problemen li")).to_have_count(0)
        author.get_by_role("button", name="Indienen voor goedkeuring").click()
        expect(author.locator("#meldingen")).to_contain_text("Niet ingediend", timeout=CHECK_TIMEOUT)

        set_cell(author, 4, "750")
        author.get_by_label("Toelichting (bijv. de verordening en het artikel)").fill(
            "Re-integratieverordening 2026")
        check(author)
        expect(author.locator("#testuitslagen")).to_have_text(
            "Beslistest ‘tarief volgens de verordening’: geslaagd")
        author.get_by_role("button", name="Indienen voor goedkeuring").click()
        author.wait_for_url("**/ontwerp/regelwijzigingen/*", timeout=CHECK_TIMEOUT)
        expect(author.locator("#geblokkeerd")).to_contain_text(
            "Vier ogen: u kunt uw eigen wijziging niet goedkeuren")
        assert author.get_by_role("button", name="Goedkeuren en uitrollen").count() == 0
        review_url = author.url
        assert author.js_errors == []

        # the second designer sees exactly the change: one new column, one filled cell
        reviewer = sign_in(browser, base, "ontwerper2")
        reviewer.goto(review_url)
        rows = reviewer.locator("#wijzigingen tbody tr")
        seen = [[cell.inner_text() for cell in row.locator("td").all()] for row in rows.all()]
        assert seen == [
            ["de hele tabel", "bedrag (uitvoer)", "geen kolom", "type money"],
            ["r5_recht (art. 16: succesvol afgerond traject sociale activering of participatieplaats, "
             "12 maanden uitkering)", "bedrag (uitvoer)", "leeg", "750"],
        ]
        assert reviewer.locator("#geldig-vanaf").inner_text() == GELDIG_VANAF.strftime("%d-%m-%Y")
        assert_accessible(reviewer)
        engine.clock.advance(timedelta(minutes=5))  # the sessions' idle timeout runs on this clock too
        reviewer.get_by_role("button", name="Goedkeuren en uitrollen").click()
        reviewer.wait_for_load_state()
        assert reviewer.locator("#status").inner_text() == "goedgekeurd en uitgerold"
        assert_accessible(reviewer)
        assert reviewer.js_errors == []

        # the author opens the decision again: today the release's table is in force, from the
        # date the deployed one
        author.goto(base + "/ontwerp/regels/Trajectpremie")
        author.wait_for_selector("#regels[data-ready='true']")
        expect(author.locator("#geopend")).to_contain_text("regelset van de release, geldig vanaf 2023-07-01")
        assert author.locator("#dmn-canvas th.output-cell").count() == 1
        expect(author.locator("#versies")).to_contain_text("Re-integratieverordening 2026")
        author.goto(base + f"/ontwerp/regels/Trajectpremie?op={GELDIG_VANAF.isoformat()}")
        author.wait_for_selector("#regels[data-ready='true']")
        expect(author.locator("#geopend")).to_contain_text(
            f"uit de ontwerper, geldig vanaf {GELDIG_VANAF.isoformat()}")
        assert author.locator("#dmn-canvas th.output-cell").count() == 2
        expect(tariff_cell(author)).to_have_text("750")
        assert_accessible(author)

    engine.clock.advance(timedelta(hours=1))  # approved, but its date has not come
    still, still_id = engine.start_case(GEMEENTE, "999990021", "Noor de Vries", "trajectpremie", RECHT)
    assert data(engine, still_id)["recht"] is True and data(engine, still_id).get("bedrag") is None
    engine.clock.advance(timedelta(days=1))
    assert engine.clock.now().astimezone(LEGAL_ZONE).date() == GELDIG_VANAF
    after, after_id = engine.start_case(GEMEENTE, "999990020", "Sanne Visser", "trajectpremie", RECHT)
    assert data(engine, after_id)["bedrag"] == 750  # the new tariff, from its date
    assert data(engine, before_id).get("bedrag") is None
    for case in (before, still, after):
        verdict = engine.verify(case.id)
        assert verdict.ok, verdict.problems  # each replays with the table it decided with


def test_the_check_shows_that_it_runs_and_says_in_dutch_when_it_fails(app, browser):
    """While the server checks, the buttons wait and the page says so; when the server cannot be
    reached the designer reads why in Dutch, and can check again."""
    with serving(app) as base:
        page = sign_in(browser, base, "ontwerper")
        seen_while_checking: list[dict] = []

        def unreachable(route) -> None:  # what the page shows while the request is underway
            seen_while_checking.append(page.evaluate("""() => ({
                melding: document.getElementById('meldingen').textContent,
                controleren: document.getElementById('controleren').disabled,
                indienen: document.getElementById('indienen').disabled})"""))
            route.abort("internetdisconnected")

        page.route("**/regels/Trajectpremie/controleren", unreachable)
        page.goto(base + "/ontwerp/regels/Trajectpremie")
        page.wait_for_selector("#regels[data-ready='true']")
        button = page.get_by_role("button", name="Controleren en beslistests uitvoeren")
        button.click()
        expect(page.locator("#meldingen")).to_have_text(
            "Controleren lukte niet: de server is niet bereikbaar; probeer het opnieuw.")
        assert seen_while_checking == [
            {"melding": "Bezig met controleren…", "controleren": True, "indienen": True}]
        expect(button).to_be_enabled()

        page.unroute("**/regels/Trajectpremie/controleren")
        button.click()  # the table as released has no tariff: the gemeente's decision test says so
        expect(page.locator("#testuitslagen")).to_have_text(
            "Beslistest ‘tarief volgens de verordening’: mislukt: uitkomst bedrag: verwacht 750, kreeg None",
            timeout=CHECK_TIMEOUT)
        expect(page.locator("#meldingen")).to_have_text(
            "De tabel kan zo niet worden ingediend: zie hieronder.")
        assert page.js_errors == []
