"""Issue 16 in headless Chromium: a case manager adds a note and uploads a document through the
dossier (casework/notes.py, casework/documents.py: each with its chained event); the auditor's
verification says the history holds and the ZGW audit trail lists both changes. After direct
database edits it names the table, the row, the column with stored and expected value, and the
first event that differs."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from casework.accounts import demo
from casework.tables import case_notes
from cli.schema import upgrade
from engine.storage.db import cases, events
from processes.tables import documents
from tests.browser import PASSWORD, serving
from tests.web.helpers import deploy, start_case
from web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('verify-browser') / 'trede.db'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test",
                      "PSEUDONYM_KEY": "00112233445566778899aabbccddeeff"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    demo.load(engine)
    case, _ = start_case(engine)
    with serving(app) as base:
        yield {"base": base, "case": case, "engine": engine}
    engine.db.dispose()


def _sign_in(browser, live, username: str, start: str):
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(live["base"] + start)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    return page


def _verification(browser, live):
    page = _sign_in(browser, live, "auditor.ooststellingwerf", "/audit/")
    page.wait_for_url("**/audit/")
    page.get_by_label("Zaaknummer").fill(live["case"].case_number)
    page.get_by_role("button", name="Zaak openen").click()
    page.get_by_role("heading", name=f"Zaakhistorie {live['case'].case_number}").wait_for()
    return page


def test_note_and_document_in_the_dossier_then_the_auditor_sees_each_edit_named(browser, live, tmp_path):
    engine, case = live["engine"], live["case"]
    page = _sign_in(browser, live, "casemanager.ooststellingwerf", "/")
    page.wait_for_load_state()
    with engine.db.connect() as conn:
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar()
    page.goto(f"{live['base']}/dossier/{client_id}")
    page.get_by_label("Nieuwe notitie").fill("Gesprek gehad over de werkplek.")
    page.get_by_role("button", name="Notitie toevoegen").click()
    page.get_by_text("De notitie is toegevoegd.").wait_for()
    page.get_by_label("Soort document").select_option(label="Bewijsstuk aanbieder")
    upload = tmp_path / "verklaring.txt"
    upload.write_text("Verklaring van de werkgever.")
    page.get_by_label("Bestand").set_input_files(str(upload))
    page.get_by_role("button", name="Document toevoegen").click()
    page.get_by_text("Document verklaring.txt is toegevoegd.").wait_for()
    kinds = [e.kind for e in engine.history(case.id)]
    assert "note_added" in kinds and "document_added" in kinds

    auditor = _verification(browser, live)
    auditor.get_by_role("heading", name="Verificatie: de historie klopt", exact=True).wait_for()
    auditor.get_by_role("link", name="Audittrail (ZGW): oude en nieuwe waarden per wijziging").click()
    auditor.get_by_role("heading", name=f"Audittrail {case.case_number}").wait_for()
    trail = auditor.locator("#audittrail").inner_text()
    assert "Notitie toegevoegd" in trail and "Document toegevoegd" in trail and "verklaring.txt" in trail
    auditor.get_by_role("link", name="Terug naar de zaakhistorie").click()
    auditor.get_by_role("heading", name="Verificatie: de historie klopt", exact=True).wait_for()

    with engine.db.begin() as conn:  # behind trede's back
        conn.execute(update(documents).where(documents.c.case_id == case.id).values(uploaded_by="iemand"))
        conn.execute(update(case_notes).where(case_notes.c.case_id == case.id).values(text="Iets anders."))
    auditor.reload()
    auditor.get_by_role("heading", name="Verificatie: de historie klopt niet", exact=True).wait_for()
    table = auditor.locator("#afwijkende-rijen")
    text = table.inner_text()
    assert "documents" in text and "uploaded_by" in text and "'iemand'" in text
    assert "'casemanager.ooststellingwerf'" in text
    assert "case_notes" in text and "tekst_sha256" in text
    auditor.screenshot(path=str(tmp_path / "verificatie.png"), full_page=True)

    with engine.db.begin() as conn:  # and an event: the first one that differs is named
        conn.execute(update(events).where(events.c.case_id == case.id, events.c.kind == "note_added")
                     .values(actor="iemand"))
    seq = next(e.seq for e in engine.history(case.id) if e.kind == "note_added")
    auditor.reload()
    verdict = auditor.locator(".audit-verdict").inner_text()
    assert f"Eerste afwijkende gebeurtenis: {seq}." in verdict
    assert "actor: opgeslagen 'iemand', oorspronkelijk 'casemanager.ooststellingwerf'" in verdict
