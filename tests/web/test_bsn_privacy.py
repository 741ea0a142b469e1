"""BSN: masked everywhere, shown in full only on an explicit, logged POST; never in URLs, logs or errors."""
from __future__ import annotations

import http.cookiejar
import logging
import re
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import select

from casework.accounts.service import create_user
from engine.storage.db import cases, processing_log
from tests.browser import serving
from tests.web.helpers import BSN, PASSWORD, csrf_token, deploy, start_case
from web.api.tokens import issue
from web.app import create_app


def _client_id(engine, case) -> int:
    with engine.db.connect() as conn:
        return conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar_one()


def test_the_bsn_is_masked_until_a_case_worker_asks_and_each_reveal_is_logged(signed_in, engine, case):
    client_id = _client_id(engine, case)
    client = signed_in("cm")
    page = client.get(f"/dossier/{client_id}").get_data(as_text=True)
    assert BSN not in page and "*****0019" in page and "Toon volledig BSN" in page
    for path in ("/werkvoorraad", f"/taken/{engine.ready_tasks(case_id=case.id)[0].task_id}"):
        assert BSN not in client.get(path).get_data(as_text=True), path
    token = csrf_token(client, f"/dossier/{client_id}")
    shown = client.post(f"/dossier/{client_id}/bsn", data={"csrf_token": token})
    assert shown.status_code == 200
    assert f'<span id="bsn-volledig">{BSN}</span>' in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    with engine.db.connect() as conn:
        rows = conn.execute(select(processing_log)).mappings().all()
    reveals = [r for r in rows if "bsn-inzien" in r["processing_activity_id"]]
    assert len(reveals) == 1 and reveals[0]["actor"] == "cm" and reveals[0]["data_subject_id"]
    assert reveals[0]["object_ref"] == case.case_number
    assert not any(BSN in str(value) for row in rows for value in row.values())


def test_finance_and_auditors_cannot_reveal_the_bsn(app, signed_in, engine, case):
    client_id = _client_id(engine, case)
    create_user(engine.db, "aud", PASSWORD, "Audrey", "ooststellingwerf", ["auditor"])
    for username in ("fin", "aud"):
        client = signed_in(username)
        page = client.get(f"/dossier/{client_id}").get_data(as_text=True)
        assert "Toon volledig BSN" not in page
        token = csrf_token(client, f"/dossier/{client_id}")
        response = client.post(f"/dossier/{client_id}/bsn", data={"csrf_token": token})
        assert response.status_code == 403 and BSN not in response.get_data(as_text=True)


def test_another_gemeente_cannot_reveal(signed_in, engine, case):
    client = signed_in("apel")
    token = csrf_token(client, "/werkvoorraad")
    response = client.post(f"/dossier/{_client_id(engine, case)}/bsn", data={"csrf_token": token})
    assert response.status_code == 404


def test_api_responses_never_carry_the_bsn(app, engine):
    headers = {"Authorization": "Bearer " + issue(engine.db, "koppeling", "ooststellingwerf",
                                                  {"cases:read", "cases:write", "tasks:read"},
                                                  engine.clock.now())}
    client = app.test_client()
    created = client.post("/api/cases", headers=headers, json={"bsn": BSN, "naam": "Jan Jansen",
                                                                    "process_id": "begeleiding"})
    assert created.status_code == 201 and BSN not in created.get_data(as_text=True)
    case_id = created.json["id"]
    for path in (f"/api/cases/{case_id}", f"/api/cases/{case_id}/events", f"/api/tasks?case_id={case_id}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200 and BSN not in response.get_data(as_text=True), path
    wrong = client.post("/api/cases", headers=headers, json={"bsn": "123456780", "naam": "X",
                                                                  "process_id": "begeleiding"})
    assert wrong.status_code == 422 and "123456780" not in wrong.get_data(as_text=True)


def test_no_bsn_in_access_log_lines_or_error_pages(db_url, caplog):
    """Served for real (werkzeug writes the access log), searched and revealed by a case manager."""
    app = create_app({"DATABASE_URL": db_url, "SECRET_KEY": "log-test", "SESSION_COOKIE_SECURE": False})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    create_user(engine.db, "cm", PASSWORD, "Carla", "ooststellingwerf", ["casemanager"])
    case, _ = start_case(engine)
    client_id = _client_id(engine, case)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(base + path, data=body) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', call(path)[1])[1]

    try:
        with serving(app) as base, caplog.at_level(logging.INFO, logger="werkzeug"):
            form = {"username": "cm", "password": PASSWORD, "csrf_token": token("/login")}
            status, _ = call("/login", form)
            assert status == 200  # followed the redirect to the worklist
            search = {"q": BSN, "view": "team", "csrf_token": token("/werkvoorraad")}
            status, page = call("/werkvoorraad", search)
            # Found; the BSN is on the page only where the user typed it (the search box, no-store).
            assert status == 200 and "Jan Jansen" in page and page.count(BSN) == 1
            status, page = call(f"/dossier/{client_id}/bsn", {"csrf_token": token(f"/dossier/{client_id}")})
            assert status == 200 and BSN in page
            # Error pages do not echo what was sent: a BSN typed into a URL, a form without token.
            for path, data in ((f"/dossier/{BSN}", None), (f"/taken/{BSN}", None),
                               (f"/dossier/{client_id}/bsn", {"bsn": BSN})):
                status, page = call(path, data)
                assert status in (400, 404) and BSN not in page, path
        access = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
        assert any("/werkvoorraad" in line for line in access) and any("/bsn" in line for line in access)
        assert not any(BSN in line for line in access if f"/dossier/{BSN}" not in line
                       and f"/taken/{BSN}" not in line)
    finally:
        engine.db.dispose()
