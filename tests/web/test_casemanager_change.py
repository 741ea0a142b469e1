"""Handover and deactivation that carry the work (issue 18 item 5): a teamleider changes a case's
casemanager from the dossier, a recorded fact; a task a timer makes later goes to the successor
too; deactivating someone with open work or clients asks for a successor first and counts both.

The real evaluatie model (seed 002 art 14: "Na elke zes maand wordt de ontwikkeling gemonitord"):
it waits on a timer at the evaluatiedatum, then makes "Evaluatiegesprek voeren" for the casemanager
its data names (task property ``assignee``, engine/assignment.py).
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casework.accounts import admin
from casework.accounts.admin import FormErrors
from casework.context import Channel, Context
from casework.errors import NotAllowed
from casework.people import find_user
from casework.team.case_casemanager import change_casemanager
from casework.team.handover import hand_over
from casework.team.successors import HANDOVER_FACT
from processes.catalogue import deploy_all
from tests.web.helpers import BSN, csrf_token

AFTER_THE_TIMER = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _ctx(app, engine, username):
    return Context(engine, find_user(engine.db, username), Channel("cli"),
                   app.extensions["trede.pseudonymizer"])


def _waiting_evaluation(engine, casemanager="cm"):
    """An evaluation of cm's client, waiting on its timer: nothing open, still cm's caseload."""
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "evaluatie", {
        "gemeente": "ooststellingwerf", "casemanager": casemanager, "evaluatiedatum": "2026-03-01",
        "evaluatieNummer": 1})
    assert engine.ready_tasks(case_id=case.id) == []
    return case


def test_a_task_a_timer_makes_after_a_handover_goes_to_the_successor(app, engine):
    case = _waiting_evaluation(engine)
    result = hand_over(engine, find_user(engine.db, "lead"), "cm", "cm2")
    assert result.moved == 0  # nothing was open, yet the case is in cm's caseload: the fact is recorded
    assert ("lead", {"van": "cm", "naar": "cm2"}) in [
        (e.actor, e.payload) for e in engine.history(case.id) if e.kind == HANDOVER_FACT]
    assert engine.fire_due_timers(now=AFTER_THE_TIMER) == 1
    [gesprek] = engine.ready_tasks(case_id=case.id)
    assert (gesprek.title, gesprek.claimed_by) == ("Evaluatiegesprek voeren", "cm2")  # not cm any more
    last = engine.history(case.id)[-1]
    assert (last.kind, last.actor, last.payload["user"]) == ("task_reassigned", "lead", "cm2")
    assert engine.verify(case.id).ok


def test_a_teamleider_changes_the_casemanager_of_one_case_as_a_recorded_fact(app, engine):
    case = _waiting_evaluation(engine)
    with pytest.raises(NotAllowed):
        change_casemanager(_ctx(app, engine, "cm"), case.id, "cm2")
    with pytest.raises(FormErrors) as refused:
        change_casemanager(_ctx(app, engine, "lead"), case.id, "fin")  # no casemanager role
    assert list(refused.value.errors) == ["casemanager"]
    with pytest.raises(FormErrors) as same:
        change_casemanager(_ctx(app, engine, "lead"), case.id, "cm")
    assert "is al de casemanager" in same.value.errors["casemanager"]
    assert HANDOVER_FACT not in [e.kind for e in engine.history(case.id)]  # nothing written
    done = change_casemanager(_ctx(app, engine, "lead"), case.id, "cm2")
    assert (done.van, done.naar) == ("cm", "cm2")
    engine.fire_due_timers(now=AFTER_THE_TIMER)
    assert [t.claimed_by for t in engine.ready_tasks(case_id=case.id)] == ["cm2"]
    assert engine.verify(case.id).ok


def test_the_dossier_offers_the_change_to_a_teamleider(app, engine, signed_in):
    case = _waiting_evaluation(engine)
    with engine.db.connect() as conn:
        from sqlalchemy import select

        from engine.storage.db import cases
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == case.id)).scalar_one()
    lead = signed_in("lead")
    page = lead.get(f"/dossier/{client_id}").get_data(as_text=True)
    assert "Casemanager wijzigen" in page and "Carla Casemanager" in page
    assert "Casemanager wijzigen" not in signed_in("cm").get(f"/dossier/{client_id}").get_data(as_text=True)
    token = csrf_token(lead, f"/dossier/{client_id}")
    bad = lead.post(f"/zaak/{case.id}/casemanager", data={"csrf_token": token, "casemanager": "fin"},
                    follow_redirects=True)
    assert "Nieuwe casemanager: " in bad.get_data(as_text=True)
    ok = lead.post(f"/zaak/{case.id}/casemanager", data={"csrf_token": token, "casemanager": "cm2"},
                   follow_redirects=True)
    assert "Kees Collega is nu de casemanager" in ok.get_data(as_text=True)
    assert "Casemanager gewijzigd" in ok.get_data(as_text=True)  # in the dossier's history, in words
    cm = signed_in("cm")
    form = {"csrf_token": csrf_token(cm, f"/dossier/{client_id}"), "casemanager": "cm"}
    assert cm.post(f"/zaak/{case.id}/casemanager", data=form).status_code == 403


def test_deactivating_someone_with_clients_but_no_open_task_asks_for_a_successor_first(app, engine):
    case = _waiting_evaluation(engine)
    beheerder = find_user(engine.db, "lead")
    with engine.db.connect() as conn:
        from casework.team.caseload import caseload
        load = caseload(conn, "ooststellingwerf", "cm")
    assert (load.tasks, load.clients, load.case_ids) == (0, 1, [case.id])
    message = admin.successor_first("Carla Casemanager", load)
    assert message.startswith("Carla Casemanager heeft nog 0 open taken en 1 cliënt in de caseload.")
    hand_over(engine, beheerder, "cm", "cm2")
    with engine.db.connect() as conn:
        assert caseload(conn, "ooststellingwerf", "cm").case_ids == []  # handed over: nothing is cm's
        assert caseload(conn, "ooststellingwerf", "cm2").case_ids == [case.id]
