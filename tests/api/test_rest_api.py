"""The REST API over the engine (issue 2, item 7): authenticated, scoped per gemeente, clear errors."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from engine.clock import FixedClock
from tests.engine.helpers import START, model_files
from web.api.tokens import issue, revoke
from web.app import create_app

ALL = {"cases:read", "cases:write", "tasks:read", "tasks:write", "messages:write", "timers:run",
       "decisions:evaluate"}


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "CLOCK": FixedClock(START), "TESTING": True})
    app.extensions["trede.engine"].deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    return app


def _token(app, gemeente="ooststellingwerf", scopes=ALL, name="uitkeringssysteem"):
    engine = app.extensions["trede.engine"]
    return {"Authorization": "Bearer " + issue(engine.db, name, gemeente, set(scopes), START)}


def _new_case(client, headers, bsn="999990019"):
    response = client.post("/api/cases", headers=headers, json={
        "bsn": bsn, "naam": "Jan Jansen", "process_id": "intake", "data": {"peildatum": "2026-01-31"}})
    assert response.status_code == 201, response.json
    return response.json


def test_a_case_is_worked_through_the_api(app):
    client, headers = app.test_client(), _token(app)
    case = _new_case(client, headers)
    assert re.fullmatch(r"Z2026-\d{6}", case["case_number"])
    tasks = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json
    assert [t["title"] for t in tasks] == ["Diagnose klant in beeld"]
    task = tasks[0]
    assert client.post(f"/api/tasks/{task['task_id']}/claim", headers=headers).status_code == 200
    done = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": {"trede": 4}})
    assert done.status_code == 200
    tasks = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json
    assert [t["title"] for t in tasks] == ["Plan van aanpak opstellen"]
    events = client.get(f"/api/cases/{case['id']}/events", headers=headers).json
    kinds = [e["kind"] for e in events]
    assert kinds == ["case_opened", "instance_started", "task_claimed", "task_completed"]


def test_a_failing_model_step_is_a_clear_422_and_writes_nothing(app):
    client, headers = app.test_client(), _token(app)
    response = client.post("/api/cases", headers=headers, json={
        "bsn": "999990019", "naam": "Jan Jansen", "process_id": "intake", "data": {}})  # no peildatum
    case = response.json
    task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
    failed = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers,
                         json={"data": {"trede": 4}})
    assert failed.status_code == 422 and "Begeleidingsspoor bepalen" in failed.json["error"]
    assert "Traceback" not in failed.get_data(as_text=True)
    events = client.get(f"/api/cases/{case['id']}/events", headers=headers).json
    assert [e["kind"] for e in events] == ["case_opened", "instance_started"]


def test_a_second_complete_is_a_conflict(app):
    client, headers = app.test_client(), _token(app)
    engine = app.extensions["trede.engine"]
    case_ref, _ = engine.start_case("ooststellingwerf", "999990019", "Jan", "evaluatie", {})
    task = client.get(f"/api/tasks?case_id={case_ref.id}", headers=headers).json[0]
    first = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": {}})
    second = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": {}})
    assert first.status_code == 200
    assert second.status_code == 409 and "al afgerond" in second.json["error"]


def test_a_stale_version_is_a_conflict(app):
    client, headers = app.test_client(), _token(app)
    engine = app.extensions["trede.engine"]
    case_ref, _ = engine.start_case("ooststellingwerf", "999990019", "Jan", "evaluatie", {})
    task = client.get(f"/api/tasks?case_id={case_ref.id}", headers=headers).json[0]
    client.post(f"/api/tasks/{task['task_id']}/claim", headers=headers)
    stale = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers,
                        json={"data": {}, "expected_version": task["case_version"]})
    assert stale.status_code == 409 and "gewijzigd" in stale.json["error"]


def test_another_gemeente_sees_nothing(app):
    client = app.test_client()
    own, other = _token(app), _token(app, gemeente="apeldoorn", name="apeldoorn-systeem")
    case = _new_case(client, own)
    task = client.get(f"/api/tasks?case_id={case['id']}", headers=own).json[0]
    assert client.get(f"/api/cases/{case['id']}", headers=other).status_code == 404
    assert client.get(f"/api/tasks?case_id={case['id']}", headers=other).json == []
    response = client.post(f"/api/tasks/{task['task_id']}/complete", headers=other, json={"data": {}})
    assert response.status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"naam": "Jan", "process_id": "intake"}, "bsn"),
    ({"bsn": "123456789", "naam": "Jan", "process_id": "intake"}, "bsn"),
    ({"bsn": "999990019", "process_id": "intake"}, "naam"),
    ({"bsn": "999990019", "naam": 5, "process_id": "intake"}, "naam"),
])
def test_bad_input_names_the_field(app, body, field):
    response = app.test_client().post("/api/cases", headers=_token(app), json=body)
    assert response.status_code == 422
    assert response.json["field"] == field and field in response.json["errors"]


def test_unknown_process_is_a_clear_422_on_its_field(app):
    response = app.test_client().post("/api/cases", headers=_token(app), json={
        "bsn": "999990019", "naam": "Jan", "process_id": "bestaat_niet"})
    assert response.status_code == 422 and "bestaat_niet" in response.json["errors"]["process_id"]


def test_a_process_trede_starts_itself_cannot_be_started_through_the_api(app):
    from processes import system_models

    system_models.load(app.extensions["trede.engine"])
    client, headers = app.test_client(), _token(app)
    refused = client.post("/api/cases", headers=headers, json={
        "bsn": "999990019", "naam": "Jan", "process_id": "bezwaar_heroverweging"})
    assert refused.status_code == 422 and refused.json["field"] == "process_id"
    case_id = _new_case(client, headers)["id"]
    refused = client.post(f"/api/cases/{case_id}/processes", headers=headers,
                          json={"process_id": "termijn_escalatie"})
    assert refused.status_code == 422 and "start trede zelf" in refused.json["errors"]["process_id"]


def test_tokens_authenticate_and_scope(app):
    client = app.test_client()
    assert client.get("/api/tasks").status_code == 401
    assert client.get("/api/tasks", headers={"Authorization": "Bearer nope"}).status_code == 401
    read_only = _token(app, scopes={"tasks:read"}, name="alleen-lezen")
    assert client.get("/api/tasks", headers=read_only).status_code == 200
    refused = client.post("/api/cases", headers=read_only, json={})
    assert refused.status_code == 403 and "cases:write" in refused.json["error"]
    revoke(app.extensions["trede.engine"].db, "alleen-lezen", START)
    assert client.get("/api/tasks", headers=read_only).status_code == 401


def _waiting_for_signature(app, client, headers):
    """A case whose intake waits for the message PlanOndertekend."""
    case = _new_case(client, headers)
    engine = app.extensions["trede.engine"]
    for data in ({"trede": 4}, {}):
        task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
        client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": data})
    engine.clock.advance(timedelta(days=14, seconds=1))
    engine.run_due()
    return case


def test_a_message_delivered_twice_has_one_effect(app):
    client, headers = app.test_client(), _token(app)
    case = _waiting_for_signature(app, client, headers)
    body = {"correlation": {"case_number": case["case_number"]}, "payload": {"door": "inwoner"}}
    keyed = {**headers, "Idempotency-Key": "k-1"}
    first = client.post("/api/messages/PlanOndertekend", headers=keyed, json=body)
    again = client.post("/api/messages/PlanOndertekend", headers=keyed, json=body)
    assert first.status_code == 200 and first.json["delivered"] == 1 and not first.json["duplicate"]
    assert again.status_code == 200 and again.json["duplicate"]
    assert again.json["message_id"] == first.json["message_id"]
    events = client.get(f"/api/cases/{case['id']}/events", headers=headers).json
    assert [e["kind"] for e in events].count("message_delivered") == 1


def test_a_message_correlated_by_bsn_reaches_the_client_case(app):
    client, headers = app.test_client(), _token(app)
    case = _waiting_for_signature(app, client, headers)
    response = client.post("/api/messages/PlanOndertekend", headers=headers,
                           json={"correlation": {"bsn": "999990019"}, "payload": {}})
    assert response.status_code == 200 and response.json["delivered"] == 1
    bad = client.post("/api/messages/PlanOndertekend", headers=headers,
                      json={"correlation": {"bsn": "123456789"}, "payload": {}})
    assert bad.status_code == 422 and bad.json["field"] == "correlation.bsn"
    assert client.get(f"/api/cases/{case['id']}", headers=headers).status_code == 200


def test_an_unmatched_message_is_a_404_and_a_dead_letter_that_can_be_replayed(app):
    client = app.test_client()
    headers = _token(app, scopes=ALL | {"messages:admin"}, name="beheer")
    case = _new_case(client, headers)
    body = {"correlation": {"case_number": case["case_number"]}, "payload": {"door": "inwoner"}}
    early = client.post("/api/messages/PlanOndertekend", headers=headers, json=body)
    assert early.status_code == 404 and "PlanOndertekend" in early.json["error"]
    dead = client.get("/api/messages/dead", headers=headers).json
    assert [d["id"] for d in dead] == [early.json["message_id"]]
    # later the case reaches the point where it waits: the beheerder delivers the message again
    engine = app.extensions["trede.engine"]
    for data in ({"trede": 4}, {}):
        task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
        client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": data})
    engine.clock.advance(timedelta(days=14, seconds=1))
    engine.run_due()
    replayed = client.post(f"/api/messages/dead/{early.json['message_id']}/replay", headers=headers)
    assert replayed.status_code == 200 and replayed.json["delivered"] == 1
    assert client.get("/api/messages/dead", headers=headers).json == []
    assert client.get("/api/messages/dead", headers=_token(app, name="gewoon")).status_code == 403


def test_openapi_describes_every_api_route(app):
    doc = app.test_client().get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.endpoint != "api.openapi":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            served |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


def test_health_page_answers(app):
    client = app.test_client()
    page = client.get("/health")
    assert page.status_code == 200 and "De applicatie draait" in page.get_data(as_text=True)
    status = client.get("/health", headers={"Accept": "application/json"}).json
    assert status["status"] == "ok" and status["process_versions"] == 2


def test_decisions_answer_over_http_as_the_contract_says(app):
    client = app.test_client()
    headers = _token(app, scopes={"decisions:evaluate"}, name="regels")
    # contract: LadderSpoor trede 1-2 -> "activering" (seed 002, Ooststellingwerf)
    ok = client.post("/api/decisions/LadderSpoor/evaluate", headers=headers,
                     json={"gemeente": "ooststellingwerf", "input": {"trede": 2}, "on": "2024-03-01"})
    assert ok.status_code == 200
    assert ok.json == {"begeleidingsspoor": "activering", "verantwoordelijkeRol": "casemanager werk"}
    unknown = client.post("/api/decisions/BestaatNiet/evaluate", headers=headers,
                          json={"gemeente": "ooststellingwerf", "input": {}})
    assert unknown.status_code == 404
    bad = client.post("/api/decisions/LadderSpoor/evaluate", headers=headers,
                      json={"gemeente": "ooststellingwerf", "input": {"trede": "twee"}})
    assert bad.status_code == 422 and "trede" in bad.json["error"]
    other = client.post("/api/decisions/LadderSpoor/evaluate", headers=headers,
                        json={"gemeente": "apeldoorn", "input": {"trede": 2}})
    assert other.status_code == 403
