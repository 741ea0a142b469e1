"""The client dossier and starting a case (intake)."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from engine.storage.db import clients
from tests.web.helpers import BSN, OTHER_BSN, PASSWORD, csrf_token, login


def _client_id(engine, bsn=BSN, gemeente="ooststellingwerf"):
    with engine.db.connect() as conn:
        return conn.execute(select(clients.c.id).where(clients.c.bsn == bsn,
                                                       clients.c.gemeente == gemeente)).scalar_one()


def test_dossier_shows_person_tasks_trede_timeline_and_decisions(signed_in, engine, case):
    task = engine.ready_tasks(case_id=case.id)[0]
    engine.complete(task.task_id, {"trede": 2}, actor="cm")
    engine.complete(engine.ready_tasks(case_id=case.id)[0].task_id,
                    {"besluit": "afwijzen", "motivering": "Werkt al elders"}, actor="cm")
    html = signed_in("cm").get(f"/dossier/{_client_id(engine)}").get_data(as_text=True)
    assert "Dossier Jan Jansen" in html and "*****0019" in html and BSN not in html
    assert "<svg" in html and "trede 2" in html
    assert "Begeleiding (webtest)" in html and "Loopt" in html
    assert "Begeleiding afronden" in html  # open task
    assert "Taak afgerond: Diagnose klant in beeld" in html  # the title, not the internal name
    assert "UitstroompremieRecht" in html and "R3 (uitstroom &gt; 6 maanden)" in html
    assert "recht = ja" in html and "recht = True" not in html  # as a reader says it
    assert "Voorziening of proces gestart: Begeleiding (webtest)" in html  # its name, not its id
    # people by their full name, not their username (issue 18 item 7)
    assert "<strong>afwijzen</strong> door Carla Casemanager" in html and "Werkt al elders" in html


def test_case_notes(signed_in, engine, case):
    client = signed_in("cm")
    client_id = _client_id(engine)
    token = csrf_token(client, f"/dossier/{client_id}")
    client.post(f"/dossier/{client_id}/notities", data={"csrf_token": token, "case_id": case.id,
                                                         "tekst": "Belde over de planning."})
    html = client.get(f"/dossier/{client_id}").get_data(as_text=True)
    assert "Belde over de planning." in html and "De notitie is toegevoegd." in html


def test_dossier_of_another_gemeente_is_not_found(signed_in, engine, case):
    client = signed_in("apel")
    client_id = _client_id(engine)
    assert client.get(f"/dossier/{client_id}").status_code == 404
    assert client.get(f"/dossier/zaak/{case.id}").status_code == 404
    token = csrf_token(client, "/werkvoorraad")
    assert client.post(f"/dossier/{client_id}/notities", data={
        "csrf_token": token, "case_id": case.id, "tekst": "x"}).status_code == 404


def test_intake_checks_the_bsn_with_the_elfproef(signed_in):
    client = signed_in("cm")
    token = csrf_token(client, "/dossier/nieuw")
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": OTHER_BSN, "naam": "Els",
                                                    "process": "begeleiding"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="fout-bsn"' in html and "de elfproef klopt niet" in html


def test_intake_starts_a_case_and_offers_an_existing_dossier(signed_in, engine, case):
    client = signed_in("cm")
    token = csrf_token(client, "/dossier/nieuw")
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": "111222333",
                                                    "naam": "Els Nieuw", "process": "begeleiding"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Dossier Els Nieuw" in html and "Diagnose klant in beeld" in html
    # a BSN already known in this gemeente: offer that dossier instead of silently adding a case
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": BSN, "naam": "Jan J.",
                                                    "process": "begeleiding"})
    html = response.get_data(as_text=True)
    assert "Er is al een cliënt met dit BSN" in html and f"/dossier/{_client_id(engine)}" in html
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": BSN, "naam": "Jan J.",
                                                    "process": "begeleiding", "bevestig": "ja"})
    assert response.status_code == 302
    assert len(engine.ready_tasks(gemeente="ooststellingwerf")) == 3


def test_same_bsn_in_another_gemeente_is_another_client(signed_in, engine, case):
    client = signed_in("apel")
    token = csrf_token(client, "/dossier/nieuw")
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": BSN, "naam": "Jan Apeldoorn",
                                                    "process": "begeleiding"})
    assert response.status_code == 302
    assert _client_id(engine, gemeente="apeldoorn") != _client_id(engine)


def test_notes_are_for_case_workers_only(app, engine, case):
    create_user(engine.db, "aud", "pw", "Audrey Auditor", "ooststellingwerf", ["auditor"],
                password_hash=generate_password_hash(PASSWORD))
    client = app.test_client()
    login(client, "aud", PASSWORD)
    client_id = _client_id(engine)
    assert client.get(f"/dossier/{client_id}").status_code == 200  # reading is allowed
    token = csrf_token(client, f"/dossier/{client_id}")
    assert client.post(f"/dossier/{client_id}/notities", data={
        "csrf_token": token, "case_id": case.id, "tekst": "x"}).status_code == 403


def test_reading_a_dossier_is_logged_without_the_bsn(signed_in, engine, case):
    """Logboek Dataverwerkingen: every read of personal data gets a line; the BSN only pseudonymised."""
    from sqlalchemy import select

    from engine.storage.db import processing_log

    client = signed_in("cm")
    client.get(f"/dossier/zaak/{case.id}", follow_redirects=True)
    with engine.db.connect() as conn:
        rows = conn.execute(select(processing_log)).mappings().all()
    lines = [r for r in rows if r["name"] and r["object_ref"] == case.case_number]
    assert lines and lines[-1]["actor"] == "cm" and lines[-1]["data_subject_id"]
    assert not any("999990019" in str(value) for row in rows for value in row.values())


def test_decision_values_and_rules_read_as_text():
    from datetime import date

    from web.dossier.present import regel, waarde

    assert [waarde(v) for v in (True, False, None, "", 7000, date(2026, 5, 1))] == \
        ["ja", "nee", "—", "—", "7000", "1 mei 2026"]
    # a decision table's annotated rule (seed text and rule id), not a Python dict
    assert regel({"id": "r9", "omschrijving": "art. 33: plafond"}) == "art. 33: plafond (r9)"
    assert regel("R3 (uitstroom > 6 maanden)") == "R3 (uitstroom > 6 maanden)" and regel(None) == "—"


def test_the_intake_never_offers_the_processes_trede_starts_itself(signed_in, engine):
    """Deadline escalation and the new decision after a gegrond bezwaar need their start data:
    they are not something to start from the intake."""
    import re
    from pathlib import Path

    from processes import system_models

    system_models.load(engine)
    in_bundle = {m for f in Path(system_models.SYSTEM_BUNDLE).glob("*.bpmn")
                 for m in re.findall(r'<bpmn:process id="([^"]+)"', f.read_text())}
    assert in_bundle == system_models.PROCESS_IDS  # the list cannot drift from the bundle
    cm = signed_in("cm")
    page = cm.get("/dossier/nieuw").get_data(as_text=True)
    assert "Begeleiding (webtest)" in page
    assert not any(f'value="{pid}"' in page for pid in system_models.PROCESS_IDS)
    token = csrf_token(cm, "/dossier/nieuw")
    refused = cm.post("/dossier/nieuw", data={
        "csrf_token": token, "bsn": BSN, "naam": "Jan", "process": "termijn_escalatie"})
    assert refused.status_code == 422 and "Proces: kies een proces." in refused.get_data(as_text=True)


def test_a_case_is_closed_with_its_result_once_no_process_runs(signed_in, engine, case):
    """The result decides the retention period (Selectielijst 2020, processes/retention.py): a case
    that can never be closed from the screens would never be destroyed."""
    from sqlalchemy import select as sa_select

    from engine.storage.db import cases

    cm = signed_in("cm")
    client_id = _client_id(engine)
    url = f"/dossier/zaak/{case.id}/afsluiten"
    shown = cm.get(f"/dossier/{client_id}").get_data(as_text=True)
    waiting = f"Zaak {case.case_number}: afsluiten kan als deze processen klaar zijn: Begeleiding (webtest)."
    assert waiting in shown  # no form to fill in vain
    token = csrf_token(cm, f"/dossier/{client_id}")
    busy = cm.post(url, data={"csrf_token": token, "resultaat": "verstrekt"})
    page = busy.get_data(as_text=True)
    assert busy.status_code == 422 and "er lopen nog processen in deze zaak (Begeleiding (webtest))" in page
    assert 'id="resultaat-' in page and 'aria-invalid="true"' in page
    done = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm")  # nothing runs in it
    wrong = cm.post(f"/dossier/zaak/{done.id}/afsluiten",
                    data={"csrf_token": csrf_token(cm, f"/dossier/{client_id}"), "resultaat": "zomaar"})
    assert wrong.status_code == 422
    assert "Resultaat: kies het resultaat van de zaak." in wrong.get_data(as_text=True)
    closed = cm.post(f"/dossier/zaak/{done.id}/afsluiten",
                     data={"csrf_token": csrf_token(cm, f"/dossier/{client_id}"), "resultaat": "verstrekt"},
                     follow_redirects=True)
    page = closed.get_data(as_text=True)
    assert "De zaak is afgesloten: Verstrekt (selectielijst 8.1, bewaartermijn P10Y)." in page
    assert f"{done.case_number} (afgesloten" in page and "Zaak afgesloten" in page  # the timeline
    with engine.db.connect() as conn:
        row = conn.execute(sa_select(cases.c.status, cases.c.resultaat, cases.c.archiefactiedatum)
                           .where(cases.c.id == done.id)).one()
    assert (row.status, row.resultaat) == ("closed", "verstrekt")
    assert row.archiefactiedatum.year == engine.clock.now().year + 10
    assert engine.verify(done.id).ok
    fin = signed_in("fin")
    assert fin.post(url, data={"csrf_token": csrf_token(fin, "/werkvoorraad"),
                               "resultaat": "verstrekt"}).status_code == 403


def test_a_case_with_an_open_termijn_is_not_closed_until_it_is_handled(signed_in, engine, case):
    """Issue 18 item 1 (closing a case): a termijn without a process, such as a bezwaar's beslistermijn
    (Awb 7:10), kept running in a closed case; the casemanager is told which one, on the field."""
    from datetime import date

    done = engine.open_case("ooststellingwerf", BSN, "Jan Jansen", actor="cm")  # no process runs in it
    term = engine.add_deadline(done.id, "Beslistermijn bezwaar", date(2025, 3, 3), "P6W", "cm",
                               legal_basis="Awb 7:10")
    cm = signed_in("cm")
    client_id = _client_id(engine)
    url = f"/dossier/zaak/{done.id}/afsluiten"
    form = {"csrf_token": csrf_token(cm, f"/dossier/{client_id}"), "resultaat": "verstrekt"}
    refused = cm.post(url, data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert ("Resultaat: er loopt nog een termijn in deze zaak (Beslistermijn bezwaar, uiterlijk "
            f"{term.due_date:%d-%m-%Y}); sluit de zaak af als die is afgehandeld.") in page
    assert [c.status for c in engine.case_deadlines(done.id)] == ["open"]
    engine.close_deadline(term.id, "cm")
    closed = cm.post(url, data=form)
    assert closed.status_code == 302
    assert engine.verify(done.id).ok
