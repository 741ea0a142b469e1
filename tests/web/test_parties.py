"""Parties, not pseudo-clients (issue 18 item 2): a provider's offer on /aanbod/ (seed 000
"Inschrijving en procedure": "kunt u indienen via het contactformulier ... bewijsstukken ... als
bijlagen") registers the provider (KvK: 8 digits, Handelsregisterwet 2007 art. 12) and opens a case
of its own linked to it; the toetsing task shows what the provider sent and the evidence."""
from __future__ import annotations

import io
import re

from sqlalchemy import delete, select

from casework.accounts.service import create_user
from engine.storage.db import cases, clients
from processes import aanbod
from processes.catalogue import deploy_all
from processes.tables import parties, party_cases
from tests.web.helpers import PASSWORD, csrf_token, login
from tests.web.test_casefiles import OFFER, PDF, PNG, offer_case


def _post_offer(app, addr="192.0.2.10", **changes) -> str:
    client = app.test_client()
    token = csrf_token(client, "/aanbod/")
    files = [(io.BytesIO(PDF), "verzekering.pdf"), (io.BytesIO(PNG), "werkruimte.png")]
    response = client.post("/aanbod/", data={**OFFER, "csrf_token": token, **changes, "bewijsstukken": files},
                           content_type="multipart/form-data", environ_base={"REMOTE_ADDR": addr})
    assert response.status_code == 200, response.get_data(as_text=True)
    return re.search(r"<strong>(AANBOD-[0-9A-F]{10})</strong>", response.get_data(as_text=True))[1]


def _input(page: str, name: str) -> str:
    (tag,) = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return tag


def _zv_user(app, engine, username: str, roles: list[str]):
    create_user(engine.db, username, PASSWORD, f"{username.title()} Zeeuws-Vlaanderen", aanbod.GEMEENTE,
                roles)
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_an_offer_registers_the_provider_and_opens_a_case_of_its_own(app, engine):
    deploy_all(engine)
    first = offer_case(engine, _post_offer(app, adres="Vlinderweg 3"))
    # the same provider (its KvK number) offers again, with another contact person
    second = offer_case(engine, _post_offer(app, addr="192.0.2.11", contactpersoon="Piet de Smet"))
    with engine.db.connect() as conn:
        (party,) = conn.execute(select(parties)).mappings().all()
        linked = dict(conn.execute(select(party_cases.c.case_id, party_cases.c.party_id)).all())
        assert conn.execute(select(clients)).all() == []  # no pseudo-client, no BSN
        owners = conn.execute(select(cases.c.client_id).where(cases.c.id.in_([first, second]))).scalars()
        assert owners.all() == [None, None]
    assert (party["naam"], party["kvk"], party["plaats"], party["email"]) == (
        "Zorgboerderij De Vlinder", "12345678", "Oostburg", "els@devlinder.nl")
    assert party["contactpersoon"] == "Piet de Smet"  # brought up to date by the later offer
    assert party["adres"] is None  # ... which gave no address
    assert linked == {first: party["id"], second: party["id"]}  # two cases, one party
    facts = [e.payload for e in engine.history(first) if e.kind == "partij_gekoppeld"]
    assert facts == [{"party_id": party["id"], "naam": "Zorgboerderij De Vlinder", "kvk": "12345678"}]
    assert engine.verify(first).ok and engine.verify(second).ok
    with engine.db.begin() as conn:  # a link removed around the case's history is found by verify
        conn.execute(delete(party_cases).where(party_cases.c.case_id == first))
    assert not engine.verify(first).ok


def test_the_toetsing_task_shows_what_the_provider_sent_and_the_evidence(app, engine):
    deploy_all(engine)
    case_id = offer_case(engine, _post_offer(app, adres="Vlinderweg 3", telefoon="0117-123456"))
    (task,) = engine.ready_tasks(case_id=case_id)
    cm = _zv_user(app, engine, "cmzv", ["casemanager"])
    page = cm.get(f"/taken/{task.task_id}").get_data(as_text=True)
    assert "Aanbod toetsen aan de kwaliteitseisen" in page
    for sent in ("KvK-nummer", "12345678", "Els de Smet", "els@devlinder.nl", "0117-123456", "Vlinderweg 3",
                 "Oostburg", "Dierverzorging en tuinwerk.",
                 "Volgens de aanbieder: in de regio Zeeuws-Vlaanderen"):
        assert sent in page, sent
    # the form is filled with what the provider sent; the requirements the case manager ticks
    assert 'value="Zorgboerderij De Vlinder"' in _input(page, "aanbieder")
    assert 'value="12"' in _input(page, "toezeggingMaanden")
    assert "checked" not in _input(page, "regioZeeuwsVlaanderen")
    assert "BSN" not in page and "Register aanbieders" not in page
    links = re.findall(r'href="(/zaak/\d+/documenten/\d+)">([^<]+)</a>', page)
    assert [name for _, name in links] == ["verzekering.pdf", "werkruimte.png"]
    assert cm.get(links[0][0]).data == PDF  # the evidence opens from the task


def test_the_register_of_parties_for_casemanagers_and_teamleiders_of_the_gemeente(app, engine, signed_in):
    deploy_all(engine)
    case_id = offer_case(engine, _post_offer(app))
    cm = _zv_user(app, engine, "cmzv", ["casemanager"])
    listing = cm.get("/partijen").get_data(as_text=True)
    assert "Zorgboerderij De Vlinder" in listing and "12345678" in listing and "Els de Smet" in listing
    party_url = re.search(r'href="(/partijen/\d+)"', listing)[1]
    shown = cm.get(party_url).get_data(as_text=True)
    assert "els@devlinder.nl" in shown and "Aanbod toetsen aan de kwaliteitseisen" in shown
    assert cm.get(f"/partijen/zaak/{case_id}").headers["Location"].startswith(party_url)
    assert cm.get(f"/dossier/zaak/{case_id}").status_code == 302  # a case link leads to the party
    # the worklist names the provider, not a client
    worklist = cm.get("/werkvoorraad?view=team").get_data(as_text=True)
    assert "Zorgboerderij De Vlinder" in worklist and "aanbieder ·" in worklist
    assert signed_in("apel").get(party_url).status_code == 404  # another gemeente: as if absent
    assert signed_in("apel").get("/partijen").get_data(as_text=True).count("Zorgboerderij") == 0
    assert signed_in("fin").get("/partijen").status_code == 403  # financien has no need to read it
