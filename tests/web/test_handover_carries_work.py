"""A caseload handover carries the work (issue 18 item 5): future tasks of the clients go to the new
casemanager, recorded as a fact of the case, and saved drafts follow their task.

The real klant_in_beeld model: its first form names the casemanager, its next tasks carry
``assignee`` = casemanager (engine/assignment.py), which is where the old behaviour went wrong.
"""
from __future__ import annotations

from datetime import date

from casework.context import Channel, Context
from casework.people import find_user
from casework.tasks import complete_task, load_draft, reassign_task, save_draft
from casework.team.handover import hand_over
from processes.catalogue import deploy_all
from processes.demo import _klantschets
from tests.web.helpers import BSN


def _ctx(app, engine, username):
    return Context(engine, find_user(engine.db, username), Channel("cli"),
                   app.extensions["trede.pseudonymizer"])


def _case_of_cm(app, engine):
    """Klant in beeld with cm as the case's casemanager, waiting at the klantschets (held by cm)."""
    deploy_all(engine)
    case, _ = engine.start_case("ooststellingwerf", BSN, "Jan Jansen", "klant_in_beeld",
                                {"gemeente": "ooststellingwerf"})
    [first] = engine.ready_tasks(case_id=case.id)
    complete_task(_ctx(app, engine, "cm"), first.task_id, {"relatie": "alleenstaand", "woonsituatie": "huur",
                                                            "casemanager": "cm"}, None)
    [schets] = engine.ready_tasks(case_id=case.id)
    assert schets.claimed_by == "cm"
    return case, schets


def test_after_a_handover_the_next_task_goes_to_the_new_casemanager(app, engine):
    case, schets = _case_of_cm(app, engine)
    save_draft(_ctx(app, engine, "cm"), schets.task_id, {"competenties": "Halverwege ingevuld"})
    result = hand_over(engine, find_user(engine.db, "lead"), "cm", "cm2")
    assert result.moved == 1
    # the draft went with the task: cm2 finds what cm typed
    assert load_draft(engine.db, schets.task_id, "cm2") == {"competenties": "Halverwege ingevuld"}
    assert load_draft(engine.db, schets.task_id, "cm") is None
    data = _klantschets({"trede": 3, "leeftijd": 40}, date(2026, 1, 5))
    raw = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    complete_task(_ctx(app, engine, "cm2"), schets.task_id, raw, None)
    [plan] = engine.ready_tasks(case_id=case.id)
    assert plan.task_name == "plan" and plan.claimed_by == "cm2"  # was "cm" before issue 18
    kinds = [(e.kind, e.actor, e.payload) for e in engine.history(case.id)]
    assert ("casemanager_overgedragen", "lead", {"van": "cm", "naar": "cm2"}) in kinds
    assert kinds[-1][:2] == ("task_reassigned", "lead")  # the new task given on, the handover's author
    assert engine.verify(case.id).ok


def test_a_reassigned_task_takes_its_draft_along(app, engine):
    case, schets = _case_of_cm(app, engine)
    save_draft(_ctx(app, engine, "cm"), schets.task_id, {"competenties": "Sanne's concept"})
    reassign_task(_ctx(app, engine, "lead"), schets.task_id, "cm2")
    assert load_draft(engine.db, schets.task_id, "cm2") == {"competenties": "Sanne's concept"}
    assert load_draft(engine.db, schets.task_id, "cm") is None
