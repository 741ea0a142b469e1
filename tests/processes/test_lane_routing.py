"""Who does the work, per gemeente (issue 19 item 10): a gemeente's rule pack routes a lane of the
shared models to the role its policy names (pack.json ``routering``, processes/decisions/routing.py).

- Wassenaar, seed 004 Tabel 3: "Categorie 2A: bemiddelbaar binnen 24-48 maanden (deze groep wordt
  bemiddeld door de participatieconsulenten)": 2A work goes to the participatieconsulent, not the
  casemanager lane.
- Apeldoorn, seed 001 par. 8: the goals of Werkt mee are "opgesteld door de lokale toegang samen met de
  inwoner en de aanbieder": Werkt mee's casemanager work goes to the lokale toegang.
"""

from __future__ import annotations

from datetime import date

import pytest

from casework.accounts.service import create_user
from casework.context import Channel, Context
from casework.errors import NotAllowed
from casework.people import find_user
from casework.tasks import complete_task, find_task, may_work
from engine.audit.processing_log import Pseudonymizer
from tests.processes.helpers import TEAMLEIDER, do, instance_of, make_engine, processes, task
from tests.processes.test_klant_in_beeld import PERSOONLIJK, klantschets
from tests.processes.test_werkt_mee import toewijzing
from tests.processes.test_werkt_mee_uit_plan import plan_tot

BSN = "999990019"
PLAN = {"doelen": "Vrijwilligerswerk als opstap.", "instrument": "sociale_activering",
        "aanvullendInstrument": "geen"}


def as_user(engine, name, gemeente, role):
    create_user(engine.db, name, "", name, gemeente, [role], password_hash="x")
    return Context(engine, find_user(engine.db, name), Channel("cli"), Pseudonymizer(b"k" * 32))


def wassenaar_intake(engine, maanden):
    case, _ = engine.start_case("wassenaar", BSN, "Carla Vermeulen", "klant_in_beeld",
                                {"gemeente": "wassenaar"})
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False})
    assert task(engine, case.id, "klantschets").lane == "casemanager werk"  # the diagnosis: casemanager
    do(engine, case.id, "klantschets", klantschets(maandenTotBemiddelbaar=maanden))
    return case


def test_wassenaar_2a_is_worked_by_the_participatieconsulent_from_the_plan_on(db):
    engine = make_engine(db)
    case = wassenaar_intake(engine, 30)  # 24 < 30 < 48, no banenafspraak: 2A
    plan = task(engine, case.id, "plan")
    assert plan.lane == "participatieconsulent"
    consulent = as_user(engine, "pc.bos", "wassenaar", "participatieconsulent")
    casemanager = as_user(engine, "cm.devries", "wassenaar", "casemanager")
    with pytest.raises(NotAllowed, match="andere rol"):  # the casemanager lane no longer holds it
        complete_task(casemanager, plan.task_id, PLAN, None)
    complete_task(consulent, find_task(engine.db, consulent.user, plan.task_id), PLAN, None)
    ondertekenen = task(engine, case.id, "ondertekenen")
    complete_task(consulent, ondertekenen.task_id, {"planOndertekend": True, "ondertekendOp": "2025-03-03"},
                  None)
    # the processes the plan started carry the routing: the voorziening's casemanager work too
    started = [p for _, p, _ in processes(engine, case.id)]
    assert started == ["klant_in_beeld", "ladder_jaarlijks", "voorziening"]
    assert task(engine, case.id, "besluiten").lane == "teamleider"  # the decision stays the teamleider's
    do(engine, case.id, "besluiten", {"besluit": "toekennen"}, actor=TEAMLEIDER)
    lanes = {t.task_name: t.lane for t in engine.ready_tasks(case_id=case.id)}
    assert lanes and set(lanes.values()) == {"participatieconsulent"}, lanes
    assert engine.verify(case.id).ok  # the lanes follow from the case data: a replay derives the same


def test_wassenaar_1c_stays_with_the_casemanager(db):
    engine = make_engine(db)
    case = wassenaar_intake(engine, 18)  # 12 < 18 <= 24: 1C, the re-integratiegroep
    assert task(engine, case.id, "plan").lane == "casemanager werk"
    assert "laneRouting" not in engine.task_data(task(engine, case.id, "plan").task_id) or \
        engine.task_data(task(engine, case.id, "plan").task_id)["laneRouting"] == {}


def test_apeldoorn_werkt_mee_goals_are_set_by_the_lokale_toegang(db):
    engine = make_engine(db)
    case = plan_tot(engine, "werkt_mee_ontwikkeling_naar_3")
    assert instance_of(engine, case.id, "werkt_mee")
    item = task(engine, case.id, "toewijzing")
    assert item.lane == "lokale toegang"
    toegang = as_user(engine, "lt.hermsen", "apeldoorn", "lokale_toegang")
    casemanager = as_user(engine, "cm.devries", "apeldoorn", "casemanager")
    with pytest.raises(NotAllowed, match="andere rol"):
        complete_task(casemanager, item.task_id, toewijzing("werkt_mee_ontwikkeling_naar_3", 2), None)
    assert may_work(toegang.user, find_task(engine.db, toegang.user, item.task_id))
    do(engine, case.id, "toewijzing", toewijzing("werkt_mee_ontwikkeling_naar_3", 2), actor="lt.hermsen")
    assert task(engine, case.id, "goedkeuring").lane == "lokale toegang"
    assert engine.verify(case.id).ok


def test_the_yearly_ladder_outside_werkt_mee_stays_with_the_casemanager_in_apeldoorn(db):
    engine = make_engine(db)
    case = plan_tot(engine, "werkt_mee_ontwikkeling_naar_3")
    ladder = instance_of(engine, case.id, "ladder_jaarlijks")
    assert ladder  # its lane is not routed: the key names werkt_mee only
    from tests.processes.helpers import advance_to

    advance_to(engine, date(2026, 3, 3))
    meting = [t for t in engine.ready_tasks(case_id=case.id) if t.process_id == "ladder_jaarlijks"]
    assert meting and {t.lane for t in meting} == {"casemanager werk"}


def test_a_casemanager_named_at_intake_does_not_hold_2a_work(db):
    """The intake may name the case's casemanager (task property ``assignee``); once Wassenaar's
    category 2A routes the work to the participatieconsulenten (seed 004 Tabel 3), the plan waits in
    their lane, not claimed by the casemanager who could not work it."""
    engine = make_engine(db)
    case, _ = engine.start_case("wassenaar", BSN, "Carla Vermeulen", "klant_in_beeld",
                                {"gemeente": "wassenaar"})
    do(engine, case.id, "persoonlijk", {**PERSOONLIJK, "onderzoekArbeidsinschakelingNodig": False,
                                        "casemanager": "cm.jansen"})
    assert task(engine, case.id, "klantschets").claimed_by == "cm.jansen"  # the diagnosis: theirs
    do(engine, case.id, "klantschets", klantschets(maandenTotBemiddelbaar=30), actor="cm.jansen")
    plan = task(engine, case.id, "plan")
    assert (plan.lane, plan.claimed_by) == ("participatieconsulent", None)
    assert engine.verify(case.id).ok  # replay derives the same lane and no claim
