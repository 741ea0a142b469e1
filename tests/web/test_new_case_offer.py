""""Nieuwe zaak" offers only what starts, and a start that fails leaves nothing behind (issue 18 item 1).

Every process of the catalogue (processes/catalogue.py: which gemeente's seed defines which process)
is deployed as in the demo; for every demo gemeente a case manager starts each process offered.
"""
from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from casework import intake
from casework.accounts.service import create_user
from casework.context import Channel, Context
from casework.people import find_user
from engine.storage.db import cases, clients, events, instances
from processes.catalogue import GEMEENTEN, deploy_all
from processes.demo import demo_bsns
from tests.web.helpers import PASSWORD, csrf_token, login

# Started by another process with the data they hand over (their ioSpecification), never alone.
STARTED_BY_ANOTHER = {"evaluatie", "ladder_jaarlijks", "voorziening"}


def _casemanagers(engine) -> dict:
    password_hash = generate_password_hash(PASSWORD)
    for gemeente in GEMEENTEN:
        create_user(engine.db, f"cm.{gemeente}", PASSWORD, "Sanne de Vries", gemeente, ["casemanager"],
                    team="Team Werk", password_hash=password_hash)
    return {g: find_user(engine.db, f"cm.{g}") for g in GEMEENTEN}


def _counts(engine) -> tuple[int, int, int]:
    with engine.db.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (clients, cases, events))


def _ctx(app, engine, user) -> Context:
    return Context(engine, user, Channel("web"), app.extensions["trede.pseudonymizer"])


def test_every_process_offered_starts_in_every_gemeente(app, engine):
    deploy_all(engine)
    users, bsns = _casemanagers(engine), demo_bsns(20_000)
    for gemeente, user in users.items():
        offered = intake.startable_processes(engine, gemeente)
        ids = {pid for pid, _ in offered}
        assert "klant_in_beeld" in ids and not ids & STARTED_BY_ANOTHER, gemeente
        for pid, _name in offered:
            form = {"bsn": next(bsns), "naam": "Els Nieuw", "process": pid}
            result = intake.start(_ctx(app, engine, user), form, confirmed=True)
            assert result.errors == {} and result.case is not None, (gemeente, pid, result.errors)
            with engine.db.connect() as conn:
                started = conn.execute(select(instances.c.process_id).where(
                    instances.c.case_id == result.case.id)).scalars().all()
            assert pid in started, (gemeente, pid)
    # a shared process a seed gives to one gemeente is not offered where it has no rules
    assert "trajectpremie" in {p for p, _ in intake.startable_processes(engine, "ooststellingwerf")}
    assert "trajectpremie" not in {p for p, _ in intake.startable_processes(engine, "apeldoorn")}


def test_a_start_that_fails_writes_nothing_and_says_so_in_dutch(app, engine):
    deploy_all(engine)
    user = _casemanagers(engine)["woerden"]
    before = _counts(engine)
    # a form posted with a process that needs data from another one (as an old page could)
    result = intake.start(_ctx(app, engine, user),
                          {"bsn": "999990019", "naam": "Els Nieuw", "process": "evaluatie"}, confirmed=True)
    assert result.case is None
    message = result.errors["process"]
    assert message.startswith("Proces: \u201cEvaluatie voortgang (halfjaarlijks)\u201d start vanuit")
    assert "niet los te starten" in message
    assert "Error" not in message and "evaluatiedatum" not in message  # no exception text
    assert _counts(engine) == before  # no client, no empty case, no event


def test_nieuwe_zaak_page_lists_only_what_starts(app, engine):
    deploy_all(engine)
    _casemanagers(engine)
    client = app.test_client()
    login(client, "cm.apeldoorn", PASSWORD)
    html = client.get("/dossier/nieuw").get_data(as_text=True)
    assert "Klant in beeld" in html and "Werkt mee" in html
    for hidden in ("Evaluatie voortgang", "Jaarlijkse ladderbepaling", "Voorziening inzetten",
                   "Trajectpremie"):
        assert hidden not in html.split('id="process"')[1], hidden
    token = csrf_token(client, "/dossier/nieuw")
    response = client.post("/dossier/nieuw", data={"csrf_token": token, "bsn": "999990019",
                                                    "naam": "Els Nieuw", "process": "evaluatie"})
    assert response.status_code == 422
    assert "niet los te starten" in response.get_data(as_text=True)
