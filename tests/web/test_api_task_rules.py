"""One way in (issue 15): a task completed through the REST API meets the rules of the task page.

The same form check with the same messages per field, unknown fields and null data refused, the
decision's motivation rule (the DMN proposes, a person decides), and a processing-log line for
every attempt (Logboek Dataverwerkingen; AVG art. 30), refused ones included.
"""
from __future__ import annotations

from datetime import UTC, datetime

from engine.audit.processing_log import STATUS_ERROR, STATUS_OK, LogQuery, search
from tests.web.helpers import BSN, csrf_token
from web.api.tokens import issue

SCOPES = {"tasks:read", "tasks:write", "cases:read"}


def _headers(engine, gemeente="ooststellingwerf", name="uitkeringssysteem"):
    return {"Authorization": "Bearer " + issue(engine.db, name, gemeente, SCOPES, datetime.now(UTC))}


def _open_tasks(client, headers, case):
    return client.get(f"/api/tasks?case_id={case.id}", headers=headers).json


def _log(app, engine, activity):
    return search(engine.db, LogQuery("ooststellingwerf", subject_bsn=BSN, activity_key=activity),
                  app.extensions["trede.pseudonymizer"])


def test_invalid_data_is_a_422_with_the_forms_messages_and_leaves_the_task_open(app, engine, case, signed_in):
    client, headers = app.test_client(), _headers(engine)
    task = _open_tasks(client, headers, case)[0]
    refused = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers,
                          json={"data": {"trede": "not-a-number", "onzin": 1}})
    assert refused.status_code == 422
    errors = refused.json["errors"]
    assert set(errors) == {"trede", "onzin"}
    assert "onzin" in errors["onzin"] and "formulier" in errors["onzin"]
    # the very message the task page shows for the same answer
    page = signed_in("cm")
    shown = page.post(f"/taken/{task['task_id']}", data={
        "csrf_token": csrf_token(page, f"/taken/{task['task_id']}"), "trede": "not-a-number",
        "actie": "afronden", "case_version": task["case_version"]})
    assert shown.status_code == 422 and errors["trede"] in shown.get_data(as_text=True)
    assert [t["task_id"] for t in _open_tasks(client, headers, case)] == [task["task_id"]]
    assert [e["kind"] for e in client.get(f"/api/cases/{case.id}/events", headers=headers).json] == [
        "case_opened", "instance_started"]
    lines = _log(app, engine, "api-muteren")
    assert [(line["actor"], line["status_code"]) for line in lines] == [
        ("api:uitkeringssysteem", STATUS_ERROR)]
    assert "trede" in lines[0]["result"] and lines[0]["object_ref"] == task["case_number"]


def test_a_range_and_a_type_are_checked_as_on_the_page(app, engine, case):
    client, headers = app.test_client(), _headers(engine)
    task = _open_tasks(client, headers, case)[0]
    for data, field in (({"trede": 9}, "trede"), ({"trede": 3, "akkoord": "misschien"}, "akkoord"),
                        ({"trede": [3]}, "trede"), ({"trede": 3, "startdatum": "31-02-2026"}, "startdatum"),
                        ({}, "trede")):
        answer = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": data})
        assert answer.status_code == 422 and list(answer.json["errors"]) == [field], (data, answer.json)


def test_null_or_missing_data_is_refused(app, engine, case):
    client, headers = app.test_client(), _headers(engine)
    task = _open_tasks(client, headers, case)[0]
    for body in ({"data": None}, {}, {"data": [1]}):
        answer = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json=body)
        assert answer.status_code in (400, 422) and "data" in str(answer.json), (body, answer.json)
    assert len(_open_tasks(client, headers, case)) == 1


def test_a_valid_completion_converts_like_the_page_and_is_logged(app, engine, case):
    client, headers = app.test_client(), _headers(engine)
    task = _open_tasks(client, headers, case)[0]
    done = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers,
                       json={"data": {"trede": 3, "startdatum": "2026-03-01", "akkoord": True}})
    assert done.status_code == 200, done.json
    event = client.get(f"/api/cases/{case.id}/events", headers=headers).json[-1]
    assert event["kind"] == "task_completed"
    completed = engine.history(case.id)[-1].payload["data"]
    assert completed["trede"] == 3 and completed["akkoord"] is True
    assert [line["status_code"] for line in _log(app, engine, "api-muteren")] == [STATUS_OK]
    assert _log(app, engine, "api-raadplegen")  # the reads of the case and its tasks are logged too


def test_a_decision_against_the_proposal_needs_a_motivation_through_the_api(app, engine, case):
    client, headers = app.test_client(), _headers(engine)
    first = _open_tasks(client, headers, case)[0]
    assert client.post(f"/api/tasks/{first['task_id']}/complete", headers=headers,
                       json={"data": {"trede": 3}}).status_code == 200
    besluit = _open_tasks(client, headers, case)[0]
    assert besluit["title"] == "Uitstroompremie beoordelen"
    refused = client.post(f"/api/tasks/{besluit['task_id']}/complete", headers=headers,
                          json={"data": {"besluit": "afwijzen"}})
    assert refused.status_code == 422 and "wijkt af van het voorstel" in refused.json["errors"]["motivering"]
    done = client.post(f"/api/tasks/{besluit['task_id']}/complete", headers=headers,
                       json={"data": {"besluit": "afwijzen", "motivering": "Uitstroom niet duurzaam."}})
    assert done.status_code == 200


def test_a_task_claimed_by_a_person_waits_for_them(app, engine, case):
    client, headers = app.test_client(), _headers(engine)
    task = _open_tasks(client, headers, case)[0]
    engine.claim(task["task_id"], "cm")
    answer = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers,
                         json={"data": {"trede": 3}})
    assert answer.status_code == 409 and "cm" in answer.json["error"]


def test_another_gemeentes_token_finds_no_task(app, engine, case):
    client = app.test_client()
    task = _open_tasks(client, _headers(engine), case)[0]
    other = _headers(engine, gemeente="apeldoorn", name="apeldoorn-systeem")
    answer = client.post(f"/api/tasks/{task['task_id']}/complete", headers=other, json={"data": {"trede": 3}})
    assert answer.status_code == 404
