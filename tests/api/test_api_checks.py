"""The API checks what it accepts (issue 17, findings 5, 6, 7 and 9; issue 15 item 1).

Opening a case and starting a process go through the intake's use case (casework/intake.py): the
same rules as the "Nieuwe zaak" page, a 422 with a Dutch message per field, one transaction and
one processing-log line (Logboek Dataverwerkingen; AVG art. 30). A token acts for its own gemeente
only, timers included. Ids no row can have are a 404 (or 400), never a 500. Bodies are checked
against the operation's schema in /api/openapi.json: unknown keys and non-JSON are refused.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.audit.processing_log import STATUS_OK, LogQuery, search
from engine.clock import FixedClock
from engine.storage.db import cases, clients
from tests.engine.helpers import START, model_files
from web.api.tokens import issue
from web.app import create_app

pytestmark = pytest.mark.database

BSN = "999990019"  # test range, passes the elfproef
ALL = {"cases:read", "cases:write", "tasks:read", "tasks:write", "messages:write", "messages:admin",
       "timers:run", "decisions:evaluate"}


@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "CLOCK": FixedClock(START), "TESTING": True})
    app.extensions["trede.engine"].deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    return app


def _token(app, gemeente="ooststellingwerf", name="uitkeringssysteem"):
    engine = app.extensions["trede.engine"]
    return {"Authorization": "Bearer " + issue(engine.db, name, gemeente, ALL, START)}


def _new_case(client, headers, bsn=BSN):
    response = client.post("/api/cases", headers=headers, json={
        "bsn": bsn, "naam": "Jan Jansen", "process_id": "intake", "data": {"peildatum": "2026-01-31"}})
    assert response.status_code == 201, response.json
    return response.json


def _counts(app):
    with app.extensions["trede.engine"].db.connect() as conn:
        return (conn.execute(select(func.count()).select_from(cases)).scalar(),
                conn.execute(select(func.count()).select_from(clients)).scalar())


# -- finding 5 and issue 15 item 1: the intake's rules, one transaction, a log line ------------------

def test_a_3000_character_name_is_a_422_on_the_field_with_no_bsn_in_the_log(app, caplog):
    client, headers = app.test_client(), _token(app)
    caplog.set_level(logging.DEBUG)
    refused = client.post("/api/cases", headers=headers,
                          json={"bsn": BSN, "naam": "J" * 3000, "process_id": "intake"})
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"naam"}
    assert "255" in refused.json["errors"]["naam"]
    assert BSN not in caplog.text and BSN not in refused.get_data(as_text=True)
    assert _counts(app) == (0, 0)


def test_the_api_refuses_what_the_intake_page_refuses_with_the_same_message(app):
    """A blank name and an elfproef failure: the messages the "Nieuwe zaak" page shows."""
    client, headers = app.test_client(), _token(app)
    refused = client.post("/api/cases", headers=headers,
                          json={"bsn": "123456789", "naam": "   ", "process_id": "intake"})
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "bsn": "BSN: dit is geen geldig burgerservicenummer (de elfproef klopt niet). Controleer het nummer.",
        "naam": "Naam: vul de naam van de cliënt in."}
    bad_date = client.post("/api/cases", headers=headers, json={
        "bsn": BSN, "naam": "Jan", "process_id": "intake", "geboortedatum": "31-02-1980"})
    assert bad_date.status_code == 422 and list(bad_date.json["errors"]) == ["geboortedatum"]
    assert _counts(app) == (0, 0)


def test_opening_a_case_and_starting_a_process_each_write_one_processing_log_line(app):
    client, headers = app.test_client(), _token(app)
    case = _new_case(client, headers)
    started = client.post(f"/api/cases/{case['id']}/processes", headers=headers,
                          json={"process_id": "evaluatie", "expected_version": case["version"]})
    assert started.status_code == 201, started.json
    lines = search(app.extensions["trede.engine"].db,
                   LogQuery("ooststellingwerf", subject_bsn=BSN, activity_key="api-muteren"),
                   app.extensions["trede.pseudonymizer"])
    assert sorted((line["result"], line["status_code"], line["actor"]) for line in lines) == [
        ("proces evaluatie gestart", STATUS_OK, "api:uitkeringssysteem"),
        ("zaak gestart", STATUS_OK, "api:uitkeringssysteem")]
    assert {line["object_ref"] for line in lines} == {case["case_number"]}


def test_starting_a_process_checks_gemeente_version_and_process(app):
    client, headers = app.test_client(), _token(app)
    case = _new_case(client, headers)
    other = _token(app, gemeente="apeldoorn", name="ander-systeem")
    path = f"/api/cases/{case['id']}/processes"
    assert client.post(path, headers=other, json={"process_id": "evaluatie"}).status_code == 404
    stale = client.post(path, headers=headers, json={"process_id": "evaluatie", "expected_version": 0})
    assert stale.status_code == 409
    unknown = client.post(path, headers=headers, json={"process_id": "bestaat_niet"})
    assert unknown.status_code == 422 and "bestaat_niet" in unknown.json["errors"]["process_id"]
    after = client.get(f"/api/cases/{case['id']}", headers=headers).json
    assert [p["process_id"] for p in after["instances"]] == ["intake"]


# -- finding 6: a token fires its own gemeente's timers only --------------------------------------

def _waiting_on_timer(client, headers):
    case = _new_case(client, headers)
    for data in ({"trede": 4}, {}):
        task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
        done = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json={"data": data})
        assert done.status_code == 200, done.json
    return case


def test_a_timers_token_fires_only_its_own_gemeentes_timers(app):
    client = app.test_client()
    oost, apel = _token(app), _token(app, gemeente="apeldoorn", name="apeldoorn-systeem")
    ours, theirs = _waiting_on_timer(client, oost), _waiting_on_timer(client, apel)
    app.extensions["trede.engine"].clock.advance(timedelta(days=15))
    assert client.post("/api/timers/fire", headers=oost).json == {"fired": 1}
    assert [t["title"] for t in client.get(f"/api/tasks?case_id={ours['id']}", headers=oost).json] == [
        "Evaluatiegesprek voeren"]
    assert client.get(f"/api/tasks?case_id={theirs['id']}", headers=apel).json == []  # still waiting
    assert client.post("/api/timers/fire", headers=apel).json == {"fired": 1}


def test_every_operation_with_another_gemeentes_ids_finds_nothing_and_changes_nothing(app):
    client, ours = app.test_client(), _token(app)
    theirs = _token(app, gemeente="apeldoorn", name="apeldoorn-systeem")
    case = _new_case(client, ours)
    task = client.get(f"/api/tasks?case_id={case['id']}", headers=ours).json[0]
    dead = client.post("/api/messages/Onbekend", headers=ours, json={"correlation": {"bsn": BSN}})
    assert dead.status_code == 404
    assert client.get("/api/messages/dead", headers=theirs).json == []  # ours is not theirs to see
    calls = [("get", f"/api/cases/{case['id']}", None), ("get", f"/api/cases/{case['id']}/events", None),
             ("post", f"/api/cases/{case['id']}/processes", {"process_id": "evaluatie"}),
             ("post", f"/api/tasks/{task['task_id']}/claim", None),
             ("post", f"/api/tasks/{task['task_id']}/unclaim", None),
             ("post", f"/api/tasks/{task['task_id']}/complete", {"data": {"trede": 4}}),
             ("post", f"/api/messages/dead/{dead.json['message_id']}/replay", None),
             ("post", "/api/messages/PlanOndertekend", {"correlation": {"case_number": case["case_number"]}})]
    for method, path, body in calls:
        answer = getattr(client, method)(path, headers=theirs, json=body)
        assert answer.status_code == 404, (path, answer.status_code, answer.json)
        assert case["case_number"] not in answer.get_data(as_text=True)
    assert client.get(f"/api/tasks?case_id={case['id']}", headers=theirs).json == []
    assert client.post("/api/timers/fire", headers=theirs).json == {"fired": 0}
    assert client.get(f"/api/cases/{case['id']}", headers=ours).json["version"] == case["version"]


# -- finding 7: ids no row can have ---------------------------------------------------------------

@pytest.mark.parametrize("raw", [str(2**31), str(2**63), str(2**70), "-1", "0", "abc", "1.5"])
def test_an_impossible_id_is_a_404_or_400_on_every_route(app, raw):
    client, headers = app.test_client(), _token(app)
    _new_case(client, headers)
    calls = [("get", f"/api/cases/{raw}", None), ("get", f"/api/cases/{raw}/events", None),
             ("post", f"/api/cases/{raw}/processes", {"process_id": "evaluatie"}),
             ("get", f"/api/tasks?case_id={raw}", None),
             ("post", f"/api/messages/dead/{raw}/replay", None),
             ("post", f"/api/tasks/{raw}/claim", None), ("post", f"/api/tasks/{raw}/unclaim", None),
             ("post", f"/api/tasks/{raw}/complete", {"data": {}})]
    for method, path, body in calls:
        answer = getattr(client, method)(path, headers=headers, json=body)
        assert answer.status_code in (400, 404), (path, answer.status_code, answer.get_data(as_text=True))
        assert answer.is_json and "error" in answer.json


def test_a_nul_character_in_a_path_or_a_query_is_refused_not_a_database_error(app):
    client, headers = app.test_client(), _token(app)
    assert client.post("/api/messages/Plan%00Ondertekend", headers=headers,
                       json={"correlation": {"case_number": "Z2026-000001"}}).status_code == 404
    assert client.get("/api/tasks?claimed_by=a%00b", headers=headers).status_code == 400


def test_an_idempotency_key_too_long_for_its_column_is_a_400(app):
    """Stored as "<gemeente>:<key>" in a VARCHAR(255): PostgreSQL would refuse it with a 500."""
    client, headers = app.test_client(), _token(app)
    body = {"correlation": {"case_number": "Z2026-000001"}}
    assert client.post("/api/messages/PlanOndertekend", json=body,
                       headers={**headers, "Idempotency-Key": "k" * 300}).status_code == 400
    answer = client.post("/api/messages/PlanOndertekend", headers=headers,
                         json={**body, "idempotency_key": "k" * 300})
    assert answer.status_code == 422 and "idempotency_key" in answer.json["errors"]


# -- finding 9: the body must fit the document ------------------------------------------------------

def test_claim_and_unclaim_refuse_a_body_that_is_not_json(app):
    client, headers = app.test_client(), _token(app)
    case = _new_case(client, headers)
    task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
    for action in ("claim", "unclaim"):
        answer = client.post(f"/api/tasks/{task['task_id']}/{action}", headers=headers, data=b"\x00",
                             content_type="application/json")
        assert answer.status_code == 400 and "body" in answer.json["errors"], answer.json
    unknown = client.post(f"/api/tasks/{task['task_id']}/claim", headers=headers, json={"wie": "ik"})
    assert unknown.status_code == 422 and "wie" in unknown.json["errors"]
    assert client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]["claimed_by"] is None
    assert client.post(f"/api/tasks/{task['task_id']}/claim", headers=headers).status_code == 200


def test_complete_refuses_unknown_keys_and_null_data_and_leaves_the_task_open(app):
    client, headers = app.test_client(), _token(app)
    case = _new_case(client, headers)
    task = client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json[0]
    for body, field in (({"data": {"trede": 4}, "extra": 1}, "extra"), ({"data": None}, "data"),
                        ({"data": {"trede": 4}, "expected_version": True}, "expected_version"),
                        ({"data": {"trede": 4}, "expected_version": 2**40}, "expected_version")):
        answer = client.post(f"/api/tasks/{task['task_id']}/complete", headers=headers, json=body)
        assert answer.status_code == 422 and field in answer.json["errors"], (body, answer.json)
    assert [t["task_id"] for t in client.get(f"/api/tasks?case_id={case['id']}", headers=headers).json] == [
        task["task_id"]]


def test_a_wrong_method_is_a_405_that_names_the_allowed_ones(app):
    client, headers = app.test_client(), _token(app)
    answer = client.delete("/api/cases", headers=headers)
    assert answer.status_code == 405 and answer.headers["Allow"] == "OPTIONS, POST" and answer.is_json
    assert client.put("/api/openapi.json").headers["Allow"] == "GET, HEAD, OPTIONS"


def test_the_document_states_every_format_and_forbids_unknown_keys(app):
    doc = app.test_client().get("/api/openapi.json").json
    new_case = doc["paths"]["/api/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schema = doc["components"]["schemas"][new_case["$ref"].rsplit("/", 1)[-1]]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["bsn"]["pattern"] == "^[0-9]{8,9}$"
    assert "elfproef" in schema["properties"]["bsn"]["description"]
    assert schema["properties"]["naam"]["maxLength"] == 255
    assert {"type": "string", "format": "date"} in schema["properties"]["geboortedatum"]["anyOf"]
    case_id = doc["paths"]["/api/cases/{case_id}"]["get"]["parameters"][0]["schema"]
    assert case_id == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    task_id = doc["paths"]["/api/tasks/{task_id}/claim"]["post"]["parameters"][0]["schema"]
    assert task_id["format"] == "uuid"
