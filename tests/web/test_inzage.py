"""Inzage (AVG art. 15): the privacy officer exports everything held on one person; the export is logged."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from casework.accounts.service import create_user
from engine.storage.db import processing_log
from tests.web.helpers import BSN, PASSWORD, csrf_token, start_case


@pytest.fixture
def privacy(app, engine, signed_in):
    create_user(engine.db, "priv", PASSWORD, "Priya Privacy", "ooststellingwerf", ["privacy"])
    create_user(engine.db, "priv-apel", PASSWORD, "Piet", "apeldoorn", ["privacy"])
    return signed_in


def _export(client, bsn: str):
    return client.post("/inzage", data={"bsn": bsn, "csrf_token": csrf_token(client, "/inzage")})


def test_export_holds_client_cases_events_notes_deadlines_and_log_lines(privacy, engine, case):
    cm = privacy("cm")
    cm.get(f"/dossier/zaak/{case.id}", follow_redirects=True)  # a processing-log line about the person
    start_case(engine, bsn="999990032", naam="Iemand Anders")  # someone else: not in the export
    response = _export(privacy("priv"), BSN)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="inzage-')
    assert BSN not in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert [c["naam"] for c in data["clienten"]] == ["Jan Jansen"] and data["clienten"][0]["bsn"] == BSN
    assert [z["case_number"] for z in data["zaken"]] == [case.case_number]
    zaak = data["zaken"][0]
    assert {"events", "work_items"} <= set(zaak)
    assert any(e["kind"] == "case_opened" for e in zaak["events"])
    assert isinstance(zaak["events"][0]["payload"], dict)  # submitted data as structure, not a string
    assert any("dossier-raadplegen" in line["processing_activity_id"] for line in data["verwerkingen"])
    assert "Iemand Anders" not in response.get_data(as_text=True)


def test_the_export_itself_is_logged_without_the_bsn(privacy, engine, case):
    _export(privacy("priv"), BSN)
    with engine.db.connect() as conn:
        rows = conn.execute(select(processing_log)).mappings().all()
    exports = [r for r in rows if "inzage-export" in r["processing_activity_id"]]
    assert len(exports) == 1 and exports[0]["actor"] == "priv" and exports[0]["data_subject_id"]
    assert not any(BSN in str(v) for r in rows for v in r.values())


def test_only_own_gemeente_and_a_valid_bsn(privacy, engine, case):
    other = _export(privacy("priv-apel"), BSN)
    assert other.status_code == 200 and "geen gegevens gevonden" in other.get_data(as_text=True)
    wrong = _export(privacy("priv"), "123456780")
    assert wrong.status_code == 422 and "123456780" not in wrong.get_data(as_text=True)


def test_only_the_privacy_officer_may_export(privacy, case):
    for username in ("cm", "lead", "fin"):
        client = privacy(username)
        token = csrf_token(client, "/werkvoorraad")
        assert client.post("/inzage", data={"bsn": BSN, "csrf_token": token}).status_code == 403
        assert client.get("/inzage").status_code == 403
