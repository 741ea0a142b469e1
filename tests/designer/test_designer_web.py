"""The designer's pages through the Flask test client.

Versions, diff, four-eyes deploy, refusals (invalid model, failing model test), migration, download.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from engine.models.versions import latest_version
from engine.storage.db import deployments, process_versions
from tests.designer.helpers import GEMEENTE, bundle_text, edited_bundle, post_form, post_json, sign_in

PEIL = {"peildatum": date(2026, 1, 31)}


def _active(engine, process_id="intake"):
    with engine.db.connect() as conn:
        return latest_version(conn, process_id, GEMEENTE)


def _count_deployments(engine) -> int:
    with engine.db.connect() as conn:
        return conn.execute(select(func.count()).select_from(deployments)).scalar_one()


def _submit(client, files, base_version_id):
    return post_json(client, "/ontwerp/processen/intake/indienen",
                     {"files": files, "base_version_id": base_version_id, "note": "trede 3 naar activering"})


def test_only_designers_and_beheerders_reach_the_designer(app):
    assert sign_in(app, "cm").get("/ontwerp").status_code == 403
    assert sign_in(app, "beheer").get("/ontwerp").status_code == 200
    page = sign_in(app, "ontwerper").get("/ontwerp/processen/intake").get_data(as_text=True)
    assert "Versie 1" in page and "(actief)" in page


def test_versions_list_counts_running_cases_and_diff_names_the_changed_condition(app, engine):
    engine.start_case(GEMEENTE, "999990019", "Jan", "intake", PEIL)
    v1 = _active(engine)
    v2 = engine.deploy({k: v.encode() for k, v in edited_bundle().items()}, gemeente=GEMEENTE).versions
    v2 = next(v for v in v2 if v.process_id == "intake")
    client = sign_in(app, "ontwerper")
    page = client.get("/ontwerp/processen/intake").get_data(as_text=True)
    assert page.count("<td class=\"utrecht-table__cell\">1</td>") == 1  # one running case, on version 1
    diff = client.get(f"/ontwerp/processen/intake/verschil?van={v1.id}&naar={v2.id}").get_data(as_text=True)
    assert "Gewijzigd" in diff and "<code>f4</code>" in diff and "<code>f5</code>" in diff
    assert "trede != 3" in diff and "<code>diagnose</code>" not in diff  # unchanged elements are not listed


def test_deploy_takes_effect_only_after_a_second_designer_approves(app, engine):
    v1 = _active(engine)
    author = sign_in(app, "ontwerper")
    answer = _submit(author, edited_bundle(), v1.id).get_json()
    assert answer["ok"], answer
    assert _active(engine).id == v1.id  # nothing deployed yet
    review = author.get(answer["url"]).get_data(as_text=True)
    assert "vier ogen" in review and "trede != 3" in review

    response = post_form(author, f"/ontwerp/aanvragen/{answer['id']}/goedkeuren")
    assert response.status_code == 302 and _active(engine).id == v1.id  # own request: refused

    second = sign_in(app, "ontwerper2")
    post_form(second, f"/ontwerp/aanvragen/{answer['id']}/goedkeuren")
    active = _active(engine)
    assert active.version == 2 and active.gemeente == GEMEENTE
    page = second.get(answer["url"]).get_data(as_text=True)
    assert "goedgekeurd en uitgerold" in page
    with engine.db.connect() as conn:
        by = conn.execute(select(deployments.c.deployed_by)
                          .where(deployments.c.id == active.deployment_id)).scalar()
    assert by == "ontwerper, akkoord ontwerper2"


def test_an_invalid_model_is_refused_with_problems_pinned_to_elements(app, engine):
    files = bundle_text()
    files["intake.bpmn"] = files["intake.bpmn"].replace(
        '<bpmn:conditionExpression>spoor == "activering"', "<bpmn:conditionExpression>spoor ==== 1")
    client = sign_in(app, "ontwerper")
    checked = post_json(client, "/ontwerp/valideren", {"files": files}).get_json()
    assert not checked["ok"] and checked["problems"][0]["element_id"] == "f5"
    assert checked["problems"][0]["file"] == "intake.bpmn" and checked["problems"][0]["line"]
    # In Dutch, the element named as the designer knows it (issue 20, item 7).
    assert checked["problems"][0]["element"] == "Pijl (f5)"
    assert checked["problems"][0]["message"].startswith("voorwaarde ‘spoor ==== 1’: ongeldige Python-syntax")
    before = _count_deployments(engine)
    response = _submit(client, files, _active(engine).id)
    assert response.status_code == 422 and response.get_json()["problems"][0]["element_id"] == "f5"
    assert _count_deployments(engine) == before and _active(engine).version == 1


def test_a_failing_model_test_refuses_the_deploy_and_leaves_the_active_version_untouched(app, engine):
    v1 = _active(engine)
    author = sign_in(app, "ontwerper")
    scenario = ('{"start": {"peildatum": "2026-01-31"},'
                ' "steps": [{"task": "diagnose", "data": {"trede": 3}}],'
                ' "expect": {"path": ["diagnose", "plan"]}}')
    post_form(author, "/ontwerp/processen/intake/tests",
              {"naam": "Trede 3 krijgt een plan", "soort": "process", "scenario": scenario})
    ran = author.post("/ontwerp/processen/intake/tests/uitvoeren", data={"csrf_token": author.csrf})
    assert "Trede 3 krijgt een plan: <strong>geslaagd</strong>" in ran.get_data(as_text=True)
    edited = post_json(author, "/ontwerp/processen/intake/tests/uitvoeren",
                       {"files": edited_bundle()}).get_json()
    assert not edited["ok"] and "activering" in edited["results"][0]["messages"][0]

    answer = _submit(author, edited_bundle(), v1.id).get_json()
    before = _count_deployments(engine)
    with engine.db.connect() as conn:
        versions_before = conn.execute(select(process_versions)).all()
    post_form(sign_in(app, "beheer"), f"/ontwerp/aanvragen/{answer['id']}/goedkeuren")
    assert _active(engine).id == v1.id and _count_deployments(engine) == before
    with engine.db.connect() as conn:
        assert conn.execute(select(process_versions)).all() == versions_before
    page = author.get(answer["url"]).get_data(as_text=True)
    assert "geweigerd" in page and "Trede 3 krijgt een plan" in page


def test_migration_page_dry_run_then_migrate(app, engine):
    case, instance_id = engine.start_case(GEMEENTE, "999990019", "Jan", "intake", PEIL)
    v2 = next(v for v in engine.deploy({k: v.encode() for k, v in edited_bundle().items()},
                                       gemeente=GEMEENTE).versions if v.process_id == "intake")
    client = sign_in(app, "ontwerper")
    page = client.get(f"/ontwerp/processen/intake/migratie?naar={v2.id}").get_data(as_text=True)
    assert "1 van 1 kunnen over" in page and case.case_number in page
    assert len(engine.history(case.id)) == 2  # the dry run wrote nothing
    post_form(client, "/ontwerp/processen/intake/migratie", {"naar": v2.id, "instantie": instance_id})
    assert engine.history(case.id)[-1].kind == "instance_migrated"
    assert engine.verify(case.id).ok
    page = client.get("/ontwerp/processen/intake/migratie").get_data(as_text=True)
    assert "Versie 1 → versie 2" in page and "Terugzetten naar versie 1" in page
    post_form(client, f"/ontwerp/processen/intake/migratie/{instance_id}/terugzetten")
    assert engine.history(case.id)[-1].payload["to_version"] == 1 and engine.verify(case.id).ok
    post_form(client, "/ontwerp/processen/intake/migratie", {"naar": v2.id, "instantie": instance_id})
    engine.complete(engine.ready_tasks(case_id=case.id)[0].task_id, {"trede": 3}, actor="cm")
    assert engine.ready_tasks(case_id=case.id)[0].title == "Activeringstraject kiezen"
    assert engine.verify(case.id).ok


def test_download_gives_the_deployed_file(app, engine):
    v1 = _active(engine)
    response = sign_in(app, "ontwerper").get(f"/ontwerp/versies/{v1.id}/bestanden/intake.bpmn")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True) == bundle_text()["intake.bpmn"]
