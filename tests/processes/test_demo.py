"""`trede demo load`: about fifty realistic dossiers over the five gemeenten, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import cases, clients
from processes import demo
from processes.bsn import is_valid_bsn
from processes.catalogue import GEMEENTEN
from processes.wiring import decision_provider, domain_services
from tests.processes.helpers import processes


def test_demo_loads_once_with_valid_test_bsns_in_every_gemeente(db):
    engine = CaseEngine(
        db, clock=FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)), decisions=decision_provider(),
        services=domain_services(),
    )
    summary = demo.load(engine)
    assert "geladen" in summary
    with db.connect() as conn:
        rows = conn.execute(
            select(cases.c.id, cases.c.gemeente, clients.c.bsn).join(
                clients, clients.c.id == cases.c.client_id
            )
        ).all()
    assert len(rows) >= 45
    assert set(GEMEENTEN) == {r.gemeente for r in rows}
    assert all(r.bsn.startswith("9999") and is_valid_bsn(r.bsn) for r in rows)
    assert len({r.bsn for r in rows}) == len(rows)

    # advanced to different points: intake, decide tasks, placements, premiums, closed dossiers
    open_tasks = Counter(t.task_name for t in engine.ready_tasks())
    assert {"persoonlijk", "klantschets", "plan", "besluiten", "verlenging_beoordelen", "meten"} <= set(
        open_tasks
    )
    statuses = [s for r in rows for _, _, s in processes(engine, r.id)]
    assert "running" in statuses and "completed" in statuses
    closed = [r.id for r in rows if all(s == "completed" for _, _, s in processes(engine, r.id))]
    assert 3 <= len(closed) < 15

    assert "niets toegevoegd" in demo.load(engine)
    with db.connect() as conn:
        assert len(conn.execute(select(cases.c.id)).all()) == len(rows)


def test_every_demo_dossier_replays_to_its_stored_state(db):
    # `trede verify`: chain, seal and a deterministic replay of every dossier against what is stored
    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    engine = CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services())
    demo.load(engine)
    failed = {case_id: verdict for case_id in engine.case_ids() if not (verdict := engine.verify(case_id)).ok}
    assert failed == {}


def test_some_demo_dossiers_have_their_own_casemanager(db):
    """The demo shows assignment by a variable: 'Mijn taken' of casemanager.ooststellingwerf holds
    the plan van aanpak of Jelle Bosma and the verlenging of Wiebe van der Veen."""
    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    engine = CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services())
    demo.load(engine)
    mine = engine.ready_tasks(gemeente="ooststellingwerf", claimed_by="casemanager.ooststellingwerf")
    assert {t.task_name for t in mine} >= {"plan", "verlenging_beoordelen"}


def test_the_demo_has_a_bezwaar_waiting_and_one_upheld_for_a_colleague(db):
    """Issue 19 (done when): the demo shows item 15. One bezwaar waits for its hearing and decision
    with its Awb 7:10 term; one was upheld after a hearing, and its new decision is not for who took
    the revoked one (Awb 7:5)."""
    from processes.beschikking import BezwaarService

    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    engine = CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services())
    demo.load(engine)
    service = BezwaarService(engine)
    found = {}
    for case_id in engine.case_ids():
        letters, objections = service.list(case_id)
        for objection in objections:
            found[objection.status] = (case_id, objection, letters)
    assert {"ingediend", "gegrond"} <= set(found)
    case_id, waiting, _ = found["ingediend"]
    assert any(d.id == waiting.deadline_id and d.legal_basis == "Awb 7:10 lid 1"
               for d in engine.case_deadlines(case_id))
    case_id, upheld, letters = found["gegrond"]
    assert "De indiener is gehoord (Awb 7:2)." in upheld.beslissing
    assert [b.status for b in letters] == ["herzien"]
