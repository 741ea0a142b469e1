"""Task forms: server-side validation, drafts, completion, conflicts, decisions, isolation."""
from __future__ import annotations

import re

from tests.web.helpers import csrf_token


def _task(engine, case):
    return engine.ready_tasks(case_id=case.id)[0]


def _form(client, task_id):
    html = client.get(f"/taken/{task_id}").get_data(as_text=True)
    version = re.search(r'name="case_version" value="(\d+)"', html)[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)[1]
    return html, {"csrf_token": token, "case_version": version}


def test_form_is_rendered_from_its_definition(signed_in, engine, case):
    html, _ = _form(signed_in("cm"), _task(engine, case).task_id)
    assert '<label class="utrecht-form-label" for="trede">Trede participatieladder</label>' in html
    assert 'type="date"' in html and "<textarea" in html and 'type="checkbox"' in html
    assert "Bijzonder persoonsgegeven" in html and "*****0019" in html


def test_wrong_value_gives_a_dutch_message_at_the_field_and_writes_nothing(signed_in, engine, case):
    client = signed_in("cm")
    task = _task(engine, case)
    _, hidden = _form(client, task.task_id)
    response = client.post(f"/taken/{task.task_id}", data={**hidden, "actie": "afronden", "trede": "9",
                                                            "toelichting": "eerste gesprek"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="fout-trede"' in html
    assert "Trede participatieladder: vul een getal van 1 tot en met 6 in." in html
    assert 'aria-describedby="hint-trede fout-trede"' in html
    assert "eerste gesprek" in html  # what was typed stays
    assert _task(engine, case).task_id == task.task_id


def test_complete_moves_on_to_the_next_task(signed_in, engine, case):
    client = signed_in("cm")
    task = _task(engine, case)
    _, hidden = _form(client, task.task_id)
    response = client.post(f"/taken/{task.task_id}", data={**hidden, "actie": "afronden", "trede": "3",
                                                            "startdatum": "2026-02-01", "akkoord": "on"})
    assert response.status_code == 302
    following = _task(engine, case)
    assert following.title == "Uitstroompremie beoordelen"
    assert response.headers["Location"] == f"/taken/{following.task_id}"
    completed = [e for e in engine.history(case.id) if e.kind == "task_completed"][0]
    assert completed.actor == "cm"
    assert completed.payload["data"]["trede"] == 3 and completed.payload["data"]["akkoord"] is True
    assert str(completed.payload["data"]["startdatum"]) == "2026-02-01"


def test_draft_is_kept_until_completion(signed_in, engine, case):
    client = signed_in("cm")
    task = _task(engine, case)
    _, hidden = _form(client, task.task_id)
    client.post(f"/taken/{task.task_id}", data={**hidden, "actie": "opslaan", "trede": "zeven",
                                                 "toelichting": "half af"})
    html, hidden = _form(client, task.task_id)
    assert "opgeslagen concept" in html and "half af" in html and 'value="zeven"' in html
    assert "half af" not in _form(signed_in("cm2"), task.task_id)[0]  # drafts are personal
    assert _task(engine, case).task_id == task.task_id


def test_stale_form_gets_a_clear_conflict_message(signed_in, engine, case):
    client = signed_in("cm")
    task = _task(engine, case)
    _, hidden = _form(client, task.task_id)
    engine.claim(task.task_id, "cm")  # the case changes after the form was opened
    response = client.post(f"/taken/{task.task_id}", data={**hidden, "actie": "afronden", "trede": "2"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Deze zaak is gewijzigd sinds u dit formulier opende" in html and 'value="2"' in html


def test_completed_by_someone_else_first_is_said_plainly(signed_in, engine, case):
    client = signed_in("cm")
    task = _task(engine, case)
    _, hidden = _form(client, task.task_id)
    engine.complete(task.task_id, {"trede": 4}, actor="cm2")
    response = client.post(f"/taken/{task.task_id}", data={**hidden, "actie": "afronden", "trede": "2"})
    assert response.status_code == 409
    assert "Deze taak is al afgerond door cm2." in response.get_data(as_text=True)
    assert "Deze taak is al afgerond door cm2." in client.get(f"/taken/{task.task_id}").get_data(as_text=True)


def test_decision_proposal_is_shown_and_departing_needs_motivation(signed_in, engine, case):
    engine.complete(_task(engine, case).task_id, {"trede": 4}, actor="cm")
    client = signed_in("cm")
    task = _task(engine, case)
    html, hidden = _form(client, task.task_id)
    assert "R3 (uitstroom &gt; 6 maanden)" in html and "maandenUitstroom = 7" in html
    url = f"/taken/{task.task_id}"
    response = client.post(url, data={**hidden, "actie": "afronden", "besluit": "afwijzen"})
    assert response.status_code == 422
    assert ("Motivering: u wijkt af van het voorstel (Toekennen); leg uit waarom."
            in response.get_data(as_text=True))
    response = client.post(url, data={**hidden, "actie": "afronden", "besluit": "afwijzen",
                                      "motivering": "werkt al elders"})
    assert response.status_code == 302
    assert _task(engine, case).title == "Begeleiding afronden"


def test_task_of_another_gemeente_is_not_found(signed_in, engine, case):
    client = signed_in("apel")
    task = _task(engine, case)
    assert client.get(f"/taken/{task.task_id}").status_code == 404
    token = csrf_token(client, "/werkvoorraad")
    assert client.post(f"/taken/{task.task_id}", data={"csrf_token": token, "actie": "afronden",
                                                        "trede": "2"}).status_code == 404
    engine.complete(task.task_id, {"trede": 4}, actor="cm")
    assert client.get(f"/taken/{task.task_id}").status_code == 404  # not even "completed by"


def test_only_the_lanes_role_may_complete(signed_in, engine, case):
    client = signed_in("fin")
    task = _task(engine, case)
    html, hidden = _form(client, task.task_id)
    assert "U kunt deze taak bekijken maar niet afronden." in html
    assert client.post(f"/taken/{task.task_id}", data={**hidden, "actie": "afronden",
                                                        "trede": "2"}).status_code == 403
