"""A deploy request through the REST API (issue 20, item 3): the same four eyes as the browser
(casework/designer/approvals.py). A token submits; a second person approves in the browser; a token
never approves. The operation is in /api/openapi.json with its request schema (web/api/schemas.py)."""
from __future__ import annotations

from engine.models.versions import latest_version
from tests.designer.helpers import GEMEENTE, edited_bundle, sign_in
from tests.engine.helpers import START
from web.api.tokens import issue


def _token(engine, scopes=("deploys:submit",), gemeente=GEMEENTE) -> dict:
    return {"Authorization": "Bearer " + issue(engine.db, "modelpijplijn", gemeente, set(scopes), START)}


def _active(engine):
    with engine.db.connect() as conn:
        return latest_version(conn, "intake", GEMEENTE)


def test_a_token_submits_and_a_person_approves_in_the_browser(app, engine):
    before = _active(engine)
    client = app.test_client()
    answer = client.post("/api/deploys", headers=_token(engine),
                         json={"files": edited_bundle(), "toelichting": "trede 3 naar activering"})
    assert answer.status_code == 201, answer.json
    request = answer.json
    assert request["status"] == "pending" and request["submitted_by"] == "api:modelpijplijn"
    assert request["process_id"] == "intake"  # named after the process that changed
    assert any("trede != 3" in line for line in request["changes"])  # what the reviewer will see
    assert _active(engine).id == before.id  # nothing deployed by submitting

    reviewer = sign_in(app, "ontwerper")
    page = reviewer.get(f"/ontwerp/aanvragen/{request['id']}").get_data(as_text=True)
    assert "api:modelpijplijn" in page and "trede 3 naar activering" in page and "trede != 3" in page
    approved = reviewer.post(f"/ontwerp/aanvragen/{request['id']}/goedkeuren",
                             data={"csrf_token": reviewer.csrf}, follow_redirects=True).get_data(as_text=True)
    # only intake changed: the approval says so, evaluatie stays on its version
    assert ("Uitgerold als versie 2 (nieuwe versie: intake versie 2; ongewijzigd gebleven: evaluatie "
            "(versie 1))") in approved
    after = _active(engine)
    assert after.id != before.id and after.gemeente == GEMEENTE
    page = reviewer.get(f"/ontwerp/aanvragen/{request['id']}").get_data(as_text=True)
    assert "goedgekeurd en uitgerold" in page


def test_a_token_never_approves(app, engine):
    from casework.designer import approvals
    from casework.people import system_user

    client = app.test_client()
    request = client.post("/api/deploys", headers=_token(engine), json={"files": edited_bundle()}).json
    token_user = system_user("modelpijplijn", GEMEENTE)
    found = approvals.get_pending(engine.db, request["id"], GEMEENTE)
    assert "keurt geen uitrol goed" in (approvals.may_decide(token_user, found) or "")
    other_token_user = system_user("andere-pijplijn", GEMEENTE)
    try:
        approvals.approve(engine, request["id"], other_token_user)
        raise AssertionError("a token approved a deploy")
    except approvals.NotAllowed as exc:
        assert "browser" in str(exc)
    assert approvals.get_pending(engine.db, request["id"], GEMEENTE).status == "pending"
    # no API operation approves: the document offers only submitting
    paths = client.get("/api/openapi.json").json["paths"]
    assert [p for p in paths if "deploy" in p] == ["/api/deploys"]
    assert list(paths["/api/deploys"]) == ["post"]


def test_scope_schema_and_invalid_models_are_refused_in_dutch(app, engine):
    client = app.test_client()
    no_scope = client.post("/api/deploys", headers=_token(engine, scopes=("cases:write",)),
                           json={"files": edited_bundle()})
    assert no_scope.status_code == 403 and "deploys:submit" in no_scope.json["error"]
    headers = _token(engine)
    unknown = client.post("/api/deploys", headers=headers,
                          json={"files": edited_bundle(), "goedkeuren": True})
    assert unknown.status_code == 422 and "goedkeuren" in unknown.json["errors"]
    empty = client.post("/api/deploys", headers=headers, json={"files": {}})
    assert empty.status_code == 422 and "files" in empty.json["errors"]
    exe = client.post("/api/deploys", headers=headers, json={"files": {"a.exe": "x"}})
    assert exe.status_code == 422
    broken = edited_bundle()
    broken["intake.bpmn"] = broken["intake.bpmn"].replace('spoor == "activering"', "spoor ==== 1")
    invalid = client.post("/api/deploys", headers=headers, json={"files": broken})
    assert invalid.status_code == 422 and "Traceback" not in invalid.get_data(as_text=True)
    assert invalid.json["error"].startswith("Het model is niet geldig")
    assert "files.intake.bpmn" in invalid.json["errors"]


def test_the_operation_is_in_the_openapi_document(app):
    doc = app.test_client().get("/api/openapi.json").json
    operation = doc["paths"]["/api/deploys"]["post"]
    assert operation["security"] == [{"bearer": ["deploys:submit"]}]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/DeployRequestBody")
    schema = doc["components"]["schemas"]["DeployRequestBody"]
    assert schema["required"] == ["files"] and schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"files", "toelichting"}
