"""The teamleider decides a werknemersvoorziening in the browser form: the proposal of
Werknemersvoorziening with its inputs and fired rule is shown, departing from it needs a motivation,
and the decision becomes a beschikking (seed 002 art 33; issue 3 item 3)."""
from __future__ import annotations

import re
from datetime import date

from processes import beschikking
from processes.catalogue import deploy_all

AANVRAAG = {
    "soort": "werkplekaanpassing",
    "omschrijving": "Aangepast werkblad",
    "ontvangstAanvraag": date(2025, 3, 3),
    "woonachtigInGemeente": True,
    "pwDoelgroep": True,
    "lksDoelgroep": True,
    "contractMaanden": 12,
    "urenPerWeek": 24,
    "kosten": 5000,
    "toegekendeLksPerJaar": 8000,
}


def _decide_task(engine):
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", "999990111", "Rik Hoekstra", "werknemersvoorziening",
                                {"gemeente": "ooststellingwerf"})
    for name, data in (("aanvraag", AANVRAAG),
                       ("redelijkheid", {"noodzaakVastgesteld": True, "kostenInVerhouding": True,
                                         "overweging": "Proportioneel."})):
        (item,) = [t for t in engine.ready_tasks(case_id=case.id) if t.task_name == name]
        engine.complete(item.task_id, data, actor="cm")
    (item,) = engine.ready_tasks(case_id=case.id)
    return case, item


def test_teamleider_sees_the_proposal_and_departing_needs_a_motivation(signed_in, engine):
    case, item = _decide_task(engine)
    client = signed_in("lead")
    html = client.get(f"/taken/{item.task_id}").get_data(as_text=True)
    # the proposal, the rule that fired and its inputs (art 33: at most 50% of the LKS per year)
    assert "r9_werkplekaanpassing" in html and "toegekendeLksPerJaar = 8000" in html
    hidden = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
              "case_version": re.search(r'name="case_version" value="(\d+)"', html)[1], "actie": "afronden"}
    url = f"/taken/{item.task_id}"
    response = client.post(url, data={**hidden, "besluit": "afwijzen"})
    assert response.status_code == 422
    assert "u wijkt af van het voorstel (Toekennen); leg uit waarom." in response.get_data(as_text=True)
    response = client.post(url, data={**hidden, "besluit": "afwijzen",
                                      "motivering": "Werkgever kan dit zelf dragen."})
    assert response.status_code == 302
    (letter,), _ = beschikking.BezwaarService(engine).list(case.id)
    assert (letter.besluit, letter.motivering) == ("afwijzen", "Werkgever kan dit zelf dragen.")


def test_the_college_sees_uwvs_advice_when_deciding_beschut_werk(signed_in, engine):
    # seed 002 art 12 B: the college determines the doelgroep "op basis van" UWV's positive advice
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", "999990135", "Jelle Bosma", "beschut_werk",
                                {"gemeente": "ooststellingwerf"})
    (item,) = engine.ready_tasks(case_id=case.id)
    engine.complete(item.task_id, {"initiator": "inwoner", "datumVerzoek": date(2025, 3, 3),
                                   "toelichting": "Intensieve begeleiding nodig."}, actor="cm")
    advies = {"positief": False, "datum": "2025-04-10", "kenmerk": "UWV-BW-123"}
    engine.deliver_message("UWVAdviesBeschutWerkOntvangen", advies, case_id=case.id)
    (item,) = engine.ready_tasks(case_id=case.id)
    client = signed_in("lead")
    html = client.get(f"/taken/{item.task_id}").get_data(as_text=True)
    assert "Advies van UWV: doelgroep beschut werk" in html
    assert "adviesUWV = negatief" in html and "UWV-BW-123" in html and "10 april 2025" in html
    assert "(voorstel: <strong>afwijzen</strong>)" in html
