"""Issue 16 item 4: notes and documents through the REST API and the CLI take the one way in
(casework/notes.py, casework/documents.py): the dossier's rules, the same chained event that verify
rebuilds the row from, the same processing-log line (AVG art. 30, the LDV: who processed whose data,
through which channel), and a Dutch message at the field for bad input, nothing half-written.
"""
from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from casework.accounts.service import create_user
from casework.tables import case_notes
from engine.audit.seal import Sealer
from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import events, make_db_engine, processing_log
from processes.tables import documents
from tests.engine.helpers import START, model_files
from web.api.tokens import issue
from web.app import create_app

ROOT = Path(__file__).parent.parent.parent
TEXT = b"Verklaring van de werkgever: de werkplek is aangepast."
EXE = b"MZ\x90\x00\x03\x00\x00\x00"  # a Windows executable: not PDF, PNG, JPEG or text



@pytest.fixture
def app(db_url):
    app = create_app({"DATABASE_URL": db_url, "CLOCK": FixedClock(START), "TESTING": True})
    app.extensions["trede.engine"].deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    return app


def _headers(app, gemeente="ooststellingwerf"):
    engine = app.extensions["trede.engine"]
    token = issue(engine.db, "zaaksysteem", gemeente, {"cases:read", "cases:write"}, START)
    return {"Authorization": "Bearer " + token}


def _case(app, headers) -> dict:
    response = app.test_client().post("/api/cases", headers=headers, json={
        "bsn": "999990019", "naam": "Jan Jansen", "process_id": "intake",
        "data": {"peildatum": "2026-01-31"}})
    assert response.status_code == 201, response.json
    return response.json


def _log_lines(engine, case_number: str, result: str) -> list[dict]:
    with engine.db.connect() as conn:
        return [dict(r) for r in conn.execute(select(processing_log).where(
            processing_log.c.object_ref == case_number, processing_log.c.result == result)).mappings()]


def test_a_note_through_the_api_is_the_dossier_s_note_with_its_event_and_log_line(app):
    engine, client, headers = app.extensions["trede.engine"], app.test_client(), _headers(app)
    case = _case(app, headers)
    added = client.post(f"/api/cases/{case['id']}/notes", headers=headers,
                        json={"tekst": "Belde over de werkplek."})
    assert added.status_code == 201, added.json
    assert added.json["case_id"] == case["id"] and added.json["case_version"] > case["version"]
    kinds = [e["kind"] for e in client.get(f"/api/cases/{case['id']}/events", headers=headers).json]
    assert kinds[-1] == "note_added"
    (line,) = _log_lines(engine, case["case_number"], "notitie toegevoegd")
    assert ":api-muteren:" in line["processing_activity_id"] and line["actor"] == "api:zaaksysteem"
    assert engine.verify(case["id"]).ok, engine.verify(case["id"]).problems
    with engine.db.begin() as conn:  # the row follows from the event, as for a note from the page
        conn.execute(update(case_notes).where(case_notes.c.id == added.json["note_id"])
                     .values(text="Anders."))
    assert any(p.startswith(f"case_notes {added.json['note_id']}, kolom tekst_sha256: opgeslagen ")
               for p in engine.verify(case["id"]).problems)


@pytest.mark.parametrize("body, field, says", [
    ({"tekst": ""}, "tekst", "Tekst: vul dit veld in."),
    ({"tekst": "x" * 4001}, "tekst", "Tekst: gebruik hoogstens 4000 tekens."),
    ({"tekst": "   "}, "tekst", "Notitie: vul een tekst in."),
    ({"tekst": "ok", "auteur": "iemand"}, "auteur", "Auteur: dit veld kent de API niet"),
])
def test_a_refused_note_says_why_at_its_field_and_writes_nothing(app, body, field, says):
    engine, client, headers = app.extensions["trede.engine"], app.test_client(), _headers(app)
    case = _case(app, headers)
    refused = client.post(f"/api/cases/{case['id']}/notes", headers=headers, json=body)
    assert refused.status_code == 422
    assert refused.json["field"] == field
    assert says in (refused.json.get("errors", {}).get(field) or refused.json["error"]), refused.json
    assert "Error" not in str(refused.json) and "Traceback" not in str(refused.json)
    with engine.db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(case_notes)).scalar_one() == 0


def test_another_gemeente_s_case_does_not_exist_for_the_token(app):
    client = app.test_client()
    case = _case(app, _headers(app))
    other = _headers(app, "apeldoorn")
    noted = client.post(f"/api/cases/{case['id']}/notes", headers=other, json={"tekst": "x"})
    assert noted.status_code == 404
    assert client.post(f"/api/cases/{case['id']}/documents", headers=other, json={
        "soort": "bewijsstuk", "bestandsnaam": "a.txt", "inhoud": base64.b64encode(TEXT).decode()}
    ).status_code == 404


def test_a_document_through_the_api_is_checked_stored_chained_and_logged(app):
    engine, client, headers = app.extensions["trede.engine"], app.test_client(), _headers(app)
    case = _case(app, headers)
    added = client.post(f"/api/cases/{case['id']}/documents", headers=headers, json={
        "soort": "bewijsstuk", "bestandsnaam": "verklaring.txt", "inhoud": base64.b64encode(TEXT).decode()})
    assert added.status_code == 201, added.json
    assert (added.json["content_type"], added.json["size"]) == ("text/plain", len(TEXT))
    kinds = [e["kind"] for e in client.get(f"/api/cases/{case['id']}/events", headers=headers).json]
    assert kinds[-1] == "document_added"
    assert len(_log_lines(engine, case["case_number"], "document toegevoegd")) == 1
    assert engine.verify(case["id"]).ok, engine.verify(case["id"]).problems
    with engine.db.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == added.json["document_id"])
                     .values(content=TEXT + b"!"))
    assert any(p.startswith(f"documents {added.json['document_id']} (verklaring.txt), de inhoud")
               for p in engine.verify(case["id"]).problems)


@pytest.mark.parametrize("body, field, says", [
    ({"soort": "beschikking", "bestandsnaam": "b.pdf", "inhoud": "JVBERi0="}, "soort",
     "Soort: kies een van:"),
    ({"soort": "bewijsstuk", "bestandsnaam": "a.exe", "inhoud": base64.b64encode(EXE).decode()}, "inhoud",
     "Bestand: alleen PDF, PNG, JPEG of platte tekst is toegestaan"),
    ({"soort": "bewijsstuk", "bestandsnaam": "a.txt", "inhoud": "niet base64!"}, "inhoud",
     "Inhoud: heeft niet de vorm"),
    ({"soort": "bewijsstuk", "bestandsnaam": "a.txt"}, "inhoud", "Inhoud: dit veld ontbreekt."),
])
def test_a_refused_document_says_why_at_its_field_and_writes_nothing(app, body, field, says):
    engine, client, headers = app.extensions["trede.engine"], app.test_client(), _headers(app)
    case = _case(app, headers)
    refused = client.post(f"/api/cases/{case['id']}/documents", headers=headers, json=body)
    assert refused.status_code == 422, refused.json
    assert refused.json["field"] == field
    assert says in (refused.json.get("errors", {}).get(field) or refused.json["error"]), refused.json
    with engine.db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(documents)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(events).where(
            events.c.kind == "document_added")).scalar_one() == 0


def test_the_openapi_document_describes_both_operations(app):
    doc = app.test_client().get("/api/openapi.json").json
    note = doc["paths"]["/api/cases/{case_id}/notes"]["post"]
    upload = doc["paths"]["/api/cases/{case_id}/documents"]["post"]
    assert note["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/NoteBody")
    assert upload["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DocumentBody")
    schemas = doc["components"]["schemas"]
    assert schemas["NoteBody"]["additionalProperties"] is False
    assert "bewijsstuk" in schemas["DocumentBody"]["properties"]["soort"]["enum"]
    assert "beschikking" not in schemas["DocumentBody"]["properties"]["soort"]["enum"]  # trede makes those
    assert {"201", "404", "422"} <= set(upload["responses"])


# -- the CLI -------------------------------------------------------------------------------------------

def _trede(*args: str, url: str, key: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TREDE_DATABASE_URL": url, "TREDE_SEAL_KEY": key}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.database
def test_the_cli_adds_a_note_and_a_document_as_the_named_user(db_url, tmp_path):
    key = "ab" * 32
    engine = CaseEngine(make_db_engine(db_url), sealer=Sealer(bytes.fromhex(key)))
    engine.deploy(model_files("intake.bpmn", "evaluatie.bpmn"))
    create_user(engine.db, "cm.devries", "geheim-wachtwoord", "Carla de Vries", "ooststellingwerf",
                ["casemanager"])
    create_user(engine.db, "fa.jansen", "geheim-wachtwoord", "Fatima Jansen", "ooststellingwerf",
                ["financien"])
    case, _ = engine.start_case("ooststellingwerf", "999990019", "Jan Jansen", "evaluatie", {})

    noted = _trede("note", "add", case.case_number, "--tekst", "Gesprek gehad.", "--actor", "cm.devries",
                   url=db_url, key=key)
    assert noted.returncode == 0, noted.stderr
    assert f"toegevoegd aan zaak {case.case_number}" in noted.stdout
    upload = tmp_path / "verklaring.txt"
    upload.write_bytes(TEXT)
    stored = _trede("document", "add", case.case_number, str(upload), "--soort", "bewijsstuk",
                    "--actor", "cm.devries", url=db_url, key=key)
    assert stored.returncode == 0, stored.stderr
    assert "verklaring.txt, text/plain" in stored.stdout
    history = engine.history(case.id)
    assert [(e.kind, e.actor) for e in history[-2:]] == [("note_added", "cm.devries"),
                                                          ("document_added", "cm.devries")]
    assert len(_log_lines(engine, case.case_number, "notitie toegevoegd")) == 1
    assert engine.verify(case.id).ok, engine.verify(case.id).problems

    # the same rules as the pages: financien writes no notes (health data), nobody uploads an .exe
    refused = _trede("note", "add", case.case_number, "--tekst", "x", "--actor", "fa.jansen",
                     url=db_url, key=key)
    assert refused.returncode == 2 and "bijzondere persoonsgegevens" in refused.stderr
    bad = tmp_path / "a.exe"
    bad.write_bytes(EXE)
    refused = _trede("document", "add", case.case_number, str(bad), "--soort", "bewijsstuk", "--actor",
                     "cm.devries", url=db_url, key=key)
    assert refused.returncode == 2 and "alleen PDF, PNG, JPEG of platte tekst" in refused.stderr
    unknown = _trede("note", "add", case.case_number, "--tekst", "x", "--actor", "niemand",
                     url=db_url, key=key)
    assert unknown.returncode == 2 and "gebruiker 'niemand' bestaat niet" in unknown.stderr
    for result in (refused, unknown):
        assert "Traceback" not in result.stderr
    assert [e.kind for e in engine.history(case.id)] == [e.kind for e in history]  # nothing more written
    engine.db.dispose()
