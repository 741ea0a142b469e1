"""Choosing the case's casemanager on a form hands the next tasks to that person.

The real klant_in_beeld bundle: its first diagnose form asks "Casemanager van deze zaak"
(``x-gebruiker``), its later tasks carry ``assignee`` (engine/assignment.py).
"""
from __future__ import annotations

import re

import pytest

from processes.catalogue import deploy_all
from tests.web.helpers import BSN

KLANTSCHETS = "Diagnose: arbeidsmarkt en klantschets"


@pytest.fixture
def persoonlijk(engine):
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "klant_in_beeld",
                                {"gemeente": "ooststellingwerf"})
    [task] = engine.ready_tasks(case_id=case.id)
    return case, task


def _form(client, task_id):
    html = client.get(f"/taken/{task_id}").get_data(as_text=True)
    hidden = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
              "case_version": re.search(r'name="case_version" value="(\d+)"', html)[1]}
    return html, hidden


def _submit(client, task_id, casemanager: str):
    _, hidden = _form(client, task_id)
    return client.post(f"/taken/{task_id}", data={**hidden, "actie": "afronden", "relatie": "alleenstaand",
                                                   "woonsituatie": "huur", "casemanager": casemanager})


def test_the_form_offers_the_gemeentes_casemanagers_with_the_user_chosen(signed_in, persoonlijk):
    _, task = persoonlijk
    html, _ = _form(signed_in("cm"), task.task_id)
    select = re.search(r'<select[^>]*id="casemanager".*?</select>', html, re.S)[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?', select)
    assert options == [("", ""), ("cm", " selected"), ("cm2", "")]  # not the teamleider, not Apeldoorn
    assert "Carla Casemanager" in select and "Kees Collega" in select
    assert '<option value="">Niemand: de werkvoorraad van het team</option>' in select


def test_the_next_task_lands_in_the_chosen_colleagues_worklist(signed_in, engine, persoonlijk):
    case, task = persoonlijk
    assert _submit(signed_in("cm"), task.task_id, "cm2").status_code == 302
    [following] = engine.ready_tasks(case_id=case.id)
    assert following.title == KLANTSCHETS and following.claimed_by == "cm2"
    assert KLANTSCHETS in signed_in("cm2").get("/werkvoorraad").get_data(as_text=True)
    assert KLANTSCHETS not in signed_in("cm").get("/werkvoorraad").get_data(as_text=True)
    assert engine.verify(case.id).ok


def test_left_empty_the_next_task_goes_to_the_team(signed_in, engine, persoonlijk):
    case, task = persoonlijk
    assert _submit(signed_in("cm"), task.task_id, "").status_code == 302
    [following] = engine.ready_tasks(case_id=case.id)
    assert following.title == KLANTSCHETS and following.claimed_by is None


def test_someone_who_is_not_a_casemanager_here_is_refused_at_the_field(signed_in, engine, persoonlijk):
    case, task = persoonlijk
    response = _submit(signed_in("cm"), task.task_id, "apel")  # a casemanager in Apeldoorn
    assert response.status_code == 422
    assert 'id="fout-casemanager"' in response.get_data(as_text=True)
    assert engine.ready_tasks(case_id=case.id) == [task]  # nothing written
