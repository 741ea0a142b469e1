"""The task pages of issue 19 items 6 and 8 as a casemanager and a teamleider meet them: the
quarterly jobcoach report and the replacement jobcoach (seed 002 art 28 C), and the access decision
for a niet-uitkeringsgerechtigde (seed 002, doelgroep niet-uitkeringsgerechtigden, Anw, LKS en
Beschut Werk, C). Bad input gets a Dutch message at the field and writes nothing."""
from __future__ import annotations

import re
from datetime import date

from processes.catalogue import deploy_all
from tests.processes.test_werkgeversinstrumenten import JOBCOACH
from tests.web.helpers import BSN


def _form(client, task_id):
    html = client.get(f"/taken/{task_id}").get_data(as_text=True)
    version = re.search(r'name="case_version" value="(\d+)"', html)[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    return html, {"csrf_token": token, "case_version": version}


def _ready(engine, case_id, name):
    [found] = [t for t in engine.ready_tasks(case_id=case_id) if t.task_name == name]
    return found


def _jobcoaching_in_its_first_quarter_report(engine):
    """Work started 1 September 2025; the app's clock stands on 5 January 2026."""
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Lotte Schaafsma", "jobcoaching",
                                {"gemeente": "ooststellingwerf"})
    aanvraag = {**JOBCOACH, "startWerk": date(2025, 9, 1), "aanvraagdatum": date(2025, 9, 10)}
    engine.complete(_ready(engine, case.id, "aanvraag").task_id, aanvraag, actor="cm")
    engine.complete(_ready(engine, case.id, "besluiten").task_id, {"besluit": "toekennen"}, actor="lead")
    engine.complete(_ready(engine, case.id, "fiatteren").task_id, {"gefiatteerd": True}, actor="fin")
    return case


def test_the_quarterly_report_page_says_which_quarter_and_refuses_a_future_receipt(signed_in, engine):
    case = _jobcoaching_in_its_first_quarter_report(engine)
    report = _ready(engine, case.id, "kwartaalrapportage")  # the first quarter ended on 1 December
    client = signed_in("cm")
    html, hidden = _form(client, report.task_id)
    assert "Kwartaal 1 van subsidiejaar 1 is voorbij" in html
    assert "inclusief een urenverantwoording" in html
    response = client.post(f"/taken/{report.task_id}", data={
        **hidden, "actie": "afronden", "rapportageOntvangenOp": "2026-02-01", "urenKwartaal": "9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="fout-rapportageOntvangenOp"' in page
    assert "deze datum ligt in de toekomst" in page
    assert _ready(engine, case.id, "kwartaalrapportage").task_id == report.task_id  # nothing written
    response = client.post(f"/taken/{report.task_id}", data={
        **hidden, "actie": "afronden", "rapportageOntvangenOp": "2026-01-05", "urenKwartaal": "9"})
    assert response.status_code == 302


def test_the_replacement_page_shows_when_the_jobcoach_dropped_out(signed_in, engine):
    case = _jobcoaching_in_its_first_quarter_report(engine)
    engine.complete(_ready(engine, case.id, "kwartaalrapportage").task_id,
                    {"rapportageOntvangenOp": date(2025, 12, 3), "urenKwartaal": 9}, actor="cm")
    # the second quarter runs until 1 March 2026; the employer reports the jobcoach is gone
    engine.deliver_message("JobcoachUitgevallen", {"datum": "2026-01-02", "reden": "verhuisd"},
                           case_id=case.id)
    html, _ = _form(signed_in("cm"), _ready(engine, case.id, "vervanging").task_id)
    assert re.search(r"Vaste jobcoach uitgevallen op</dt>\s*<dd[^>]*>2026-01-02</dd>", html)
    assert "binnen uiterlijk één maand een vervangende jobcoach" in html


def test_granting_access_against_the_rules_needs_a_motivation_at_the_field(signed_in, engine):
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Sanne Dijkstra", "klant_in_beeld",
                                {"gemeente": "ooststellingwerf"})
    steps = [
        ("persoonlijk", {"relatie": "alleenstaand", "woonsituatie": "huur"}),
        ("klantschets", {"trede": 3, "groeipotentieel": "gemiddeld", "meetdatum": date(2026, 1, 5),
                         "leeftijd": 40, "uitkeringsmaanden": 0, "afstandArbeidsmarktJaren": 1,
                         "maandenTotBemiddelbaar": 12, "urenAanbodPerWeek": 24, "doelgroep": "anw",
                         "urenWerk": 20, "uwvIngeschreven": True, "eigenInitiatief": True}),
        ("plan", {"doelen": "Werk.", "afspraken": "Solliciteren.", "instrument": "geen",
                  "aanvullendInstrument": "geen"}),
        ("ondertekenen", {"planOndertekend": True, "ondertekendOp": date(2026, 1, 5)}),
    ]
    for name, values in steps:
        engine.complete(_ready(engine, case.id, name).task_id, values, actor="cm")
    decide = _ready(engine, case.id, "toegang_besluiten")
    client = signed_in("lead")
    html, hidden = _form(client, decide.task_id)
    assert "Toegang tot de dienstverlening besluiten" in html
    response = client.post(f"/taken/{decide.task_id}", data={**hidden, "actie": "afronden",
                                                              "toegangsbesluit": "toekennen"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="fout-toegangMotivering"' in page and "u wijkt af van het voorstel" in page
    assert _ready(engine, case.id, "toegang_besluiten").task_id == decide.task_id
