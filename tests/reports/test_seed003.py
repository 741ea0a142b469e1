"""Seed 003 (Woerden, "Resultaten participatieladder"): the standcijfers table reproduced from a
caseload built through the engine, on the page, in CSV and XLSX, published, and stable over time.

The tests in this module share one database (building 407 dossiers takes half a minute) and run
in file order: the later ones add events after 2012 and destroy cases.
"""
from __future__ import annotations

import io
import shutil
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from engine.clock import FixedClock
from engine.storage.db import make_db_engine
from processes.reports.periods import parse_period
from processes.reports.quarterly import build, section, standcijfers_on
from tests.browser import assert_accessible, serving
from tests.reports import seed003
from tests.reports.helpers import add_user, client_for, page_table
from tests.web.helpers import PASSWORD, csrf_token
from web.app import create_app

# Seed 003, verbatim rows of "Resultaten participatieladder" (standcijfers, 1 jan 2012 and 31 dec2012).
SEED_003 = [
    ["1. Geïsoleerd", 64, "18%", 38, "10%"],
    ["2. Sociale contacten buiten de deur", 113, "50%", 132, "44%"],
    ["3. Deelname aan georganiseerde activiteiten", 76, "71%", 84, "66%"],
    ["4. Onbetaald werk", 65, "90%", 93, "90%"],
    ["5. Betaald werk met ondersteuning", 34, "99%", 38, "100%"],
    ["6. Betaald werk", 2, "100%", 1, "100%"],
    ["", 354, "", 386, ""],
]
YEAR = parse_period("2012")


@pytest.fixture(scope="module")
def woerden(tmp_path_factory, _sqlite_template):
    path = tmp_path_factory.mktemp("seed003") / "trede.db"
    shutil.copy(_sqlite_template, path)
    url = f"sqlite:///{path}"
    db = make_db_engine(url)
    engine = seed003.make_engine(db)
    built = seed003.build(engine)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test-secret",
                      "SESSION_COOKIE_SECURE": False,  # the browser test signs in over plain http
                      "CLOCK": FixedClock(datetime(2013, 2, 1, 10, tzinfo=UTC))})
    add_user(db, "tl.woerden", "woerden", ["teamleider"])
    add_user(db, "tl.oost", "ooststellingwerf", ["teamleider"])
    add_user(db, "cm.woerden", "woerden", ["casemanager"])
    yield {"db": db, "engine": engine, "built": built, "app": app}
    app.extensions["trede.engine"].db.dispose()
    db.dispose()


def test_standcijfers_reproduce_seed_003(woerden):
    table = standcijfers_on(woerden["db"], "woerden", date(2012, 1, 1), date(2012, 12, 31))
    assert table["columns"] == ["standcijfers", "1 jan 2012", "", "31 dec 2012", ""]
    assert table["rows"] == SEED_003


def test_the_from_to_matrix_accounts_for_every_person(woerden):
    matrix = section(build(woerden["db"], "woerden", YEAR), "overgangen")["rows"]
    for trede, (to, left) in seed003.MOVES.items():
        assert matrix[trede - 1] == [f"trede {trede}", *to, left, seed003.START_2012[trede - 1]]
    assert matrix[6] == ["ingestroomd", *seed003.NEW_2012, None, 53]
    assert matrix[7] == ["totaal", *seed003.END_2012, 21, 407]  # 354 + 53 people, 21 left


def test_page_csv_and_xlsx_show_the_same_numbers(woerden):
    client = client_for(woerden["app"], "tl.woerden")
    page = client.get("/rapportages/2012")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert page_table(text, "standcijfers") == [[str(v) for v in row] for row in SEED_003]
    assert "<svg" in text and "<script" not in text

    book = load_workbook(io.BytesIO(client.get("/rapportages/2012.xlsx").data))
    sheet = book["standcijfers"]
    assert sheet["A1"].value == "Resultaten participatieladder: standcijfers"
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    for got, seed in zip(rows, SEED_003, strict=True):
        # counts are numbers, the cumulative % a fraction shown as a percentage
        assert got[0] in (seed[0], None) and got[1] == seed[1] and got[3] == seed[3]
        if seed[2]:
            assert f"{round(got[2] * 100)}%" == seed[2] and f"{round(got[4] * 100)}%" == seed[4]
    assert sheet.cell(row=3, column=3).number_format == "0%"
    for key in ("overgangen", "uitstroom", "trajecten", "termijnen"):
        rows = book[key].iter_rows(min_row=3, values_only=True)
        cells = [[("" if v is None else str(v)) for v in r] for r in rows]
        assert cells == page_table(text, key)

    csv = client.get("/rapportages/2012.csv").get_data(as_text=True)
    assert "1. Geïsoleerd;64;18%;38;10%" in csv and ";354;;386;" in csv


@pytest.mark.browser
def test_teamleider_opens_the_report_sees_charts_and_downloads_the_same_figures(woerden, browser):  # noqa: F811
    # Issue 10, "done when": in headless Chromium, with the pages' CSP on.
    with serving(woerden["app"]) as base:
        context = browser.new_context(locale="nl-NL", accept_downloads=True)
        page = context.new_page()
        page.goto(base + "/login")
        page.get_by_label("Gebruikersnaam").fill("tl.woerden")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rapportages").click()
        page.get_by_label("Periode").select_option("2012")
        page.get_by_role("button", name="Toon rapportage").click()
        page.wait_for_url("**/rapportages/2012")
        charts = page.locator("svg")
        assert charts.count() >= 2 and charts.first.is_visible()
        assert page.locator("svg rect").count() >= 6  # bars for the six treden at least
        shown = page_table(page.content(), "standcijfers")
        assert_accessible(page)

        with page.expect_download() as download:
            page.get_by_role("link", name="Download Excel (XLSX)").click()
        assert download.value.suggested_filename == "rapportage-woerden-2012.xlsx"
        sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()))["standcijfers"]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert [r[1] for r in rows] == [int(row[1]) for row in shown]  # 1 jan 2012, 354 in all
        assert [r[3] for r in rows] == [int(row[3]) for row in shown]  # 31 dec 2012, 386 in all
        assert rows[-1][1] == 354 and rows[-1][3] == 386
        context.close()


def test_another_gemeente_sees_nothing_of_woerden(woerden):
    other = client_for(woerden["app"], "tl.oost")
    page = other.get("/rapportages/2012").get_data(as_text=True)
    assert page_table(page, "standcijfers")[-1] == ["", "0", "", "0", ""]  # own gemeente only: empty
    assert client_for(woerden["app"], "cm.woerden").get("/rapportages/2012").status_code == 403


def test_figures_on_a_past_date_stay_the_same_when_later_events_come_in(woerden):
    db, engine = woerden["db"], woerden["engine"]
    before = build(db, "woerden", YEAR)
    people = woerden["built"]["caseload"][:12]
    # 2 January 2013, early morning in Amsterdam (still 1 January in UTC): a new person, new
    # measurements for twelve people, a closed case, and a correction of a 2012 measurement.
    engine.clock.set(datetime(2013, 1, 1, 23, 30, tzinfo=UTC))
    newcomer, _ = engine.start_case("woerden", "999990032", "Nieuw", "ladder_jaarlijks",
                                    {"trede": 6, "volgendeMeting": "2013-01-01"})
    for case_id in people:
        engine.start_process(case_id, "ladder_jaarlijks", {"trede": 1, "volgendeMeting": "2013-01-01"})
    seed003.fire_all(engine)
    for case_id in [newcomer.id, *people]:
        seed003.measure(engine, case_id, 6, date(2013, 1, 2))
    engine.close_case(woerden["built"]["caseload"][20], "beeindigd", "P10Y", actor="cm.woerden")
    corrected = next(e for e in engine.history(woerden["built"]["caseload"][30])
                     if e.kind == "task_completed" and e.at.year == 2012)
    engine.correct_task(corrected.task_id, "verkeerde trede", actor="cm.woerden")

    after = build(db, "woerden", YEAR)
    assert after == before
    assert section(after, "standcijfers")["rows"] == SEED_003
    moved = standcijfers_on(db, "woerden", date(2012, 12, 31), date(2013, 1, 2))["counts"][1]
    assert moved[5] == 1 + 1 + 12  # the 2013 figures do see them


def test_a_published_report_survives_destruction_of_cases(woerden):
    db, engine, app = woerden["db"], woerden["engine"], woerden["app"]
    client = client_for(app, "tl.woerden")
    token = csrf_token(client, "/rapportages/2012")
    # the app's clock stands at 1 February 2013: the first quarter of 2013 is not over yet
    refused = client.post("/rapportages/2013-K1/publiceren", data={"csrf_token": token})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/rapportages/2013-K1")
    assert "pas na afloop" in client.get("/rapportages/").get_data(as_text=True)  # flashed
    assert "voorlopig" in client.get("/rapportages/2013-K1").get_data(as_text=True)
    response = client.post("/rapportages/2012/publiceren", data={"csrf_token": token})
    assert response.status_code == 302
    location = response.headers["Location"]
    published = client.get(location).get_data(as_text=True)
    assert page_table(published, "standcijfers") == [[str(v) for v in row] for row in SEED_003]
    assert "tl.woerden" in published

    # The six people who left by a closed case in December 2012: destroyed once their archive
    # date (10 years) has passed, events and all.
    engine.clock.set(datetime(2026, 1, 5, 9, tzinfo=UTC))
    numbers = [engine.get_case(c).case_number for c in woerden["built"]["closed"]]
    list_id = engine.create_destruction_list("woerden", numbers, "archief.1")
    assert engine.approve_destruction_list(list_id, "woerden", "archief.2") == 6

    live = standcijfers_on(db, "woerden", date(2012, 1, 1), date(2012, 12, 31))
    assert live["counts"][0] != seed003.START_2012 and sum(live["counts"][0]) == 354 - 6
    again = client.get(location).get_data(as_text=True)
    assert page_table(again, "standcijfers") == [[str(v) for v in row] for row in SEED_003]
    listing = client.get("/rapportages/").get_data(as_text=True)
    assert location.split("/")[-1] in listing and "Kwartaalrapportage jaar 2012" in listing
    book = load_workbook(io.BytesIO(client.get(location + ".xlsx").data))
    stored = book["standcijfers"].iter_rows(min_row=3, values_only=True)
    assert [r[1] for r in stored] == [r[1] for r in SEED_003]

    other = client_for(app, "tl.oost")
    assert other.get(location).status_code == 404
    assert other.get(location + ".xlsx").status_code == 404
    their_list = other.get("/rapportages/").get_data(as_text=True)
    assert "Nog niets gepubliceerd." in their_list and location not in their_list
