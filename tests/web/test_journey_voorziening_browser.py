"""Issue 18 item 1, the first journey end to end in Debian Chromium, through the pages, axe on each:
intake → diagnose → plan → voorziening → evaluation → afronding, as the case manager and the
teamleider of Ooststellingwerf.

Seed 002 (Ooststellingwerf): the klantschets places the client on the ladder (H1 C), the plan van
aanpak names the instrument (b.1), the teamleider decides on the voorziening (art 8/9), every six
months an evaluation follows (art 14), and at the planned end date an extension is weighed before
the afronding with its eindmeting (art 8 D, H1 C).
"""
from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from engine.scheduling.termijnen import legal_date
from processes.bsn import is_valid_bsn
from tests.browser import assert_accessible, demo_app, serving
from tests.browser import sign_in as browser_sign_in

pytestmark = pytest.mark.browser

GEMEENTE = "ooststellingwerf"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    app, engine = demo_app(tmp_path_factory, "journey")
    with serving(app) as base:
        yield {"base": base, "engine": engine}
    engine.db.dispose()


def sign_in(browser, live, username: str):
    return browser_sign_in(browser, live["base"], username)


def fill(page, data: dict) -> None:
    """Answer a task form as a person does: type, pick, tick; fields filled in from the dossier stay."""
    for name, value in data.items():
        field = page.locator(f"form [name='{name}']").first
        kind = field.evaluate("e => e.tagName + ':' + (e.type || '') + ':' + (e.readOnly ? 'ro' : '')")
        if kind.endswith(":ro"):
            continue
        if kind.startswith("SELECT"):
            field.select_option(str(value))
        elif ":radio:" in kind:
            answer = ("ja" if value else "nee") if isinstance(value, bool) else str(value)
            page.locator(f"form [name='{name}'][value='{answer}']").check()
        elif ":checkbox:" in kind:
            field.set_checked(bool(value))
        else:
            field.fill(value.isoformat() if isinstance(value, date) else str(value))


def do_task(page, live, case_id: int, task_name: str, data: dict) -> None:
    """Open the task from the dossier's case, answer it and press Afronden; no error may show."""
    (task,) = [t for t in live["engine"].ready_tasks(case_id=case_id) if t.task_name == task_name]
    page.goto(f"{live['base']}/taken/{task.task_id}")
    assert_accessible(page)
    fill(page, data)
    page.get_by_role("button", name="Afronden").click()
    page.wait_for_load_state()
    errors = page.locator(".utrecht-form-field-error-message, [id^='fout-']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert task_name not in [t.task_name for t in live["engine"].ready_tasks(case_id=case_id)
                             if t.task_id == task.task_id]


def open_names(live, case_id: int) -> set[str]:
    return {t.task_name for t in live["engine"].ready_tasks(case_id=case_id)}


def test_intake_to_afronding_with_an_evaluation(browser, live):
    engine = live["engine"]
    today = legal_date(engine.clock.now())
    bsn = next(f"9999{n:05d}" for n in range(700, 999) if is_valid_bsn(f"9999{n:05d}"))

    cm = sign_in(browser, live, f"casemanager.{GEMEENTE}")
    cm.goto(live["base"] + "/dossier/nieuw")
    cm.get_by_label("BSN").fill(bsn)
    cm.get_by_label("Naam").fill("Joost Reiziger")
    options = cm.locator("#process option").all_inner_texts()
    cm.get_by_label("Proces").select_option(label=next(o for o in options if "Klant in beeld" in o))
    cm.get_by_role("button", name="Zaak starten").click()
    cm.get_by_role("heading", name="Dossier Joost Reiziger").wait_for()
    assert_accessible(cm)
    dossier = cm.url
    (case_id,) = {t.case_id for t in engine.ready_tasks() if t.process_id == "klant_in_beeld"}

    do_task(cm, live, case_id, "persoonlijk", {"relatie": "alleenstaand", "woonsituatie": "huur",
                                                "casemanager": f"casemanager.{GEMEENTE}"})
    do_task(cm, live, case_id, "klantschets", {
        "trede": 2, "groeipotentieel": "gemiddeld", "meetdatum": today, "leeftijd": 41,
        "uitkeringsmaanden": 18, "afstandArbeidsmarktJaren": 3, "maandenTotBemiddelbaar": 24,
        "urenAanbodPerWeek": 16})
    do_task(cm, live, case_id, "plan", {"doelen": "Ritme opbouwen in een leerbedrijf.",
                                         "instrument": "sociale_activering", "evaluatieHalfjaarlijks": True})
    do_task(cm, live, case_id, "ondertekenen", {"planOndertekend": True, "ondertekendOp": today})
    assert open_names(live, case_id) == {"besluiten"}  # the voorziening waits on the teamleider
    cm.context.close()

    tl = sign_in(browser, live, f"teamleider.{GEMEENTE}")
    do_task(tl, live, case_id, "besluiten", {"besluit": "toekennen"})
    tl.context.close()

    cm = sign_in(browser, live, f"casemanager.{GEMEENTE}")
    start, planned_end = today - relativedelta(months=7), today - relativedelta(months=1)
    do_task(cm, live, case_id, "overeenkomst", {
        "werkgever": "Kringloopcentrum De Schakel", "begeleider": "Petra Hoekstra", "urenPerWeek": 16,
        "aansprakelijkheidsverzekering": True, "startdatum": start, "tredeStart": 2,
        "geplandeEinddatum": planned_end})
    # started seven months ago: the six-monthly evaluation (art 14) and the end date have come
    assert {"gesprek", "verlenging_beoordelen"} <= open_names(live, case_id)
    do_task(cm, live, case_id, "gesprek", {"voortgang": "Komt elke dag op tijd.", "voldoendeInzet": True,
                                            "vervolgEvaluatie": False})
    do_task(cm, live, case_id, "verlenging_beoordelen", {"verlengen": False})
    do_task(cm, live, case_id, "afronding", {
        "einddatumWerkelijk": planned_end, "tredeEinde": 3, "uitstroomCategorie": "vrijwilligerswerk",
        "succesvolAfgerond": True, "bijgedragenAanKansen": True})

    # after sociale activering the trajectpremie follows (seed 002 art 16), for the teamleider to decide
    assert {(t.process_id, t.lane) for t in engine.ready_tasks(case_id=case_id)} == {
        ("trajectpremie", "teamleider")}
    cm.goto(dossier)
    expect(cm.get_by_role("heading", name="Dossier Joost Reiziger")).to_be_visible()
    text = cm.inner_text("main")
    assert "Sanne de Vries" in text  # the casemanager chosen at the intake, by name
    ladder = cm.locator("table", has_text="Meetdatum").inner_text()
    for row in (f"{start.day} ", "Begin voorziening", "Einde voorziening", "Diagnose (instroom)"):
        assert row in ladder  # one row per measurement, on the date it was measured
    processes = cm.locator("table", has_text="Voorzieningen").inner_text() if cm.locator(
        "table", has_text="Voorzieningen").count() else text
    assert "Voorziening inzetten" in processes and "Afgerond" in processes
    assert "Trajectpremie beoordelen en besluiten" in text
    assert_accessible(cm)
