"""The auditor area is read only, for auditors only, and only for their own gemeente."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.tables import case_notes, task_drafts
from engine.storage.db import clients, events
from tests.audit.helpers import live_case
from tests.web.helpers import csrf_token, start_case


def _pages(number: str) -> list[str]:
    base = f"/audit/zaken/{number}"
    return [base, f"{base}/export.json", f"{base}/export.pdf", f"{base}/afspelen", f"{base}/afspelen.json",
            f"{base}/diagram/1.bpmn"]


def test_every_audit_route_reads_only(app):
    """No write endpoints: every route is GET, except the log search, a POST only to keep BSNs out of URLs."""
    methods = {rule.rule: rule.methods - {"HEAD", "OPTIONS"} for rule in app.url_map.iter_rules()
               if rule.endpoint.startswith("audit.")}
    assert methods.pop("/audit/logboek") == {"GET", "POST"}
    assert methods and all(m == {"GET"} for m in methods.values()), methods


def _counts(engine) -> tuple[int, int, int]:
    with engine.db.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar() for t in
                     (events, case_notes, task_drafts))


@pytest.mark.parametrize("attempt", ["complete", "claim", "release", "reassign", "intake", "note"])
def test_an_auditor_cannot_change_anything_elsewhere(engine, signed_in, attempt):
    case, _ = start_case(engine)
    task = engine.ready_tasks(case_id=case.id)[0]
    with engine.db.connect() as conn:
        client_id = conn.execute(select(clients.c.id)).scalar()
    path, form = {
        "complete": (f"/taken/{task.task_id}", {"trede": "3", "actie": "afronden",
                                                "case_version": str(case.version)}),
        "claim": (f"/werkvoorraad/{task.task_id}/claimen", {}),
        "release": (f"/werkvoorraad/{task.task_id}/vrijgeven", {}),
        "reassign": (f"/werkvoorraad/{task.task_id}/toewijzen", {"gebruiker": "aud"}),
        "intake": ("/dossier/nieuw", {"bsn": "111222333", "naam": "Nieuw", "process": "begeleiding",
                                      "bevestig": "ja"}),
        "note": (f"/dossier/{client_id}/notities", {"case_id": case.id, "tekst": "auditor schrijft"}),
    }[attempt]
    client = signed_in("aud")
    token = csrf_token(client, "/audit/logboek")
    before = _counts(engine)
    response = client.post(path, data={"csrf_token": token, **form})
    assert response.status_code in (302, 403, 404, 405, 409, 422), response.status_code
    assert _counts(engine) == before, "an auditor's POST changed the database"
    assert engine.ready_tasks(case_id=case.id)[0].claimed_by is None


def test_another_gemeentes_auditor_gets_not_found(engine, signed_in):
    case, _ = live_case(engine)
    client = signed_in("aud-apel")
    for path in _pages(case.case_number):
        response = client.get(path)
        assert response.status_code == 404, path
        assert case.case_number not in response.get_data(as_text=True)
    assert client.get(f"/audit/?zaak={case.case_number}").status_code == 404


def test_the_own_auditor_sees_every_page(engine, signed_in):
    case, _ = live_case(engine)
    client = signed_in("aud")
    for path in _pages(case.case_number):
        assert client.get(path).status_code == 200, path
    response = client.get(f"/audit/?zaak={case.case_number.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audit/zaken/{case.case_number}")


@pytest.mark.parametrize("username", ["cm", "lead", "fin"])
def test_other_roles_are_refused(engine, signed_in, username):
    case, _ = start_case(engine)
    client = signed_in(username)
    for path in ["/audit/", "/audit/logboek", "/audit/verwerkingsregister", *_pages(case.case_number)]:
        assert client.get(path).status_code == 403, path


def test_signed_out_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/audit/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
