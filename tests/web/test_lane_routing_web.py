"""In the browser's pages (issue 19 items 10 and 15): Wassenaar's 2A work is in the
participatieconsulent's worklist, not the casemanager's (seed 004 Tabel 3); after a gegrond bezwaar the
teamleider who took the revoked decision is told at the form that a colleague takes the new one (Awb 7:5)."""
from __future__ import annotations

import re

from casework.accounts.service import create_user
from processes import beschikking
from processes.catalogue import deploy_all
from tests.processes.test_klant_in_beeld import PERSOONLIJK, klantschets
from tests.processes.test_werkplek_aanbod import TOETS
from tests.web.helpers import PASSWORD


def _users(engine, gemeente, *people):
    for username, role in people:
        create_user(engine.db, username, PASSWORD, username, gemeente, [role], team="Team Werk")


def _do(engine, case_id, name, data, actor):
    (item,) = [t for t in engine.ready_tasks(case_id=case_id) if t.task_name == name]
    engine.complete(item.task_id, data, actor=actor)


def test_wassenaar_2a_plan_is_in_the_participatieconsulents_worklist(signed_in, engine):
    deploy_all(engine)
    _users(engine, "wassenaar", ("pc.bos", "participatieconsulent"), ("cm.wassenaar", "casemanager"))
    case, _ = engine.start_case("wassenaar", "999990111", "Carla Vermeulen", "klant_in_beeld",
                                {"gemeente": "wassenaar"})
    _do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False},
        "cm.wassenaar")
    _do(engine, case.id, "klantschets", klantschets(maandenTotBemiddelbaar=30), "cm.wassenaar")  # 2A
    consulent = signed_in("pc.bos").get("/werkvoorraad?view=team").get_data(as_text=True)
    assert "Carla Vermeulen" in consulent and "Plan van aanpak opstellen" in consulent
    casemanager = signed_in("cm.wassenaar").get("/werkvoorraad?view=team").get_data(as_text=True)
    assert "Carla Vermeulen" not in casemanager


def test_the_teamleider_who_decided_is_told_a_colleague_takes_the_new_decision(signed_in, engine):
    deploy_all(engine)
    _users(engine, "zeeuws-vlaanderen", ("tl.zv", "teamleider"), ("tl2.zv", "teamleider"))
    case, _ = engine.start_case("zeeuws-vlaanderen", "999990111", "Joyce Cappon", "werkplek_aanbod",
                                {"gemeente": "zeeuws-vlaanderen"})
    _do(engine, case.id, "toetsen", TOETS, "cm")
    _do(engine, case.id, "besluiten", {"besluit": "afwijzen", "motivering": "Geen plek."}, "tl.zv")
    service = beschikking.BezwaarService(engine)
    (letter,), _ = service.list(case.id)
    bezwaar = service.register(letter.id, letter.verzonden_op, "Er was wel een plek.", "tl2.zv")
    service.decide(bezwaar.id, "gegrond", "De werkgever had een plek vrij.", "tl2.zv", horen="gehoord")
    (item,) = [t for t in engine.ready_tasks(case_id=case.id) if t.task_name == "besluiten"]
    client = signed_in("tl.zv")
    html = client.get(f"/taken/{item.task_id}").get_data(as_text=True)
    hidden = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
              "case_version": re.search(r'name="case_version" value="(\d+)"', html)[1], "actie": "afronden"}
    response = client.post(f"/taken/{item.task_id}", data={**hidden, "besluit": "toekennen",
                                                            "motivering": "Plek per 1 mei."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "een collega neemt het nieuwe besluit (Awb 7:5)" in page and "Traceback" not in page
    assert len(service.list(case.id)[0]) == 1  # nothing decided
