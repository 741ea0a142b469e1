"""`trede demo load`: about fifty realistic dossiers over the five gemeenten, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from engine.clock import FixedClock
from engine.service import CaseEngine
from engine.storage.db import cases, clients, deadlines
from processes import demo
from processes.bsn import is_valid_bsn
from processes.catalogue import GEMEENTEN
from processes.tables import parties, party_cases
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
        # besides the inwoners' dossiers: the two providers' offers, cases of their own without a
        # client (issue 18 item 2), linked to the register of parties
        assert len(conn.execute(select(cases.c.id)).all()) == len(rows) + 2
        assert conn.execute(select(cases.c.id).where(cases.c.client_id.is_(None))).scalars().all() == \
            conn.execute(select(party_cases.c.case_id).order_by(party_cases.c.case_id)).scalars().all()
        assert sorted(conn.execute(select(parties.c.naam)).scalars()) == ["Kringloop Hulst",
                                                                          "Zorgboerderij De Vlinder"]


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


def test_demo_shows_jobcoaching_quarterly_reports_and_a_replacement_jobcoach(db):
    """Issue 19 item 6 (seed 002 art 28 C): a dossier whose first quarterly report waits, and one whose
    vaste jobcoach dropped out ten days ago with the one-month term for a replacement running."""
    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    engine = CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services())
    demo.load(engine)
    tasks = {t.task_name: t for t in engine.ready_tasks(gemeente="ooststellingwerf")}
    assert {"kwartaalrapportage", "vervanging"} <= set(tasks)
    terms = [d for d in engine.case_deadlines(tasks["vervanging"].case_id)
             if d.name == "Vervangende jobcoach beschikbaar"]
    assert [(d.start_date.isoformat(), d.due_date.isoformat(), d.status) for d in terms] == [
        ("2026-11-13", "2026-12-14", "open")  # 13 December is a Sunday: the next working day
    ]


def test_demo_shows_a_nugger_waiting_for_the_access_decision(db):
    """Issue 19 item 8 (seed 002, doelgroep niet-uitkeringsgerechtigden C): the signed plan of a nug
    waits for the teamleider's access decision, with the rules' proposal (basis, EUR 5.000)."""
    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    engine = CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services())
    demo.load(engine)
    ready = engine.ready_tasks(gemeente="ooststellingwerf")
    [toegang] = [t for t in ready if t.task_name == "toegang_besluiten"]
    assert toegang.lane == "teamleider"
    proposal = engine.task_data(toegang.task_id)
    assert (proposal["toegang"], proposal["dienstverleningsniveau"]) == (True, "basis")
def test_every_open_demo_task_has_a_streefdatum_or_a_fatale_termijn(db):
    """Issue 18 item 6, done-when: "every open demo task has a streefdatum or a fatale termijn", so
    that the worklist sorted by deadline steers (a streefdatum: the model's property, else 10
    werkdagen, engine/scheduling/streefdatum.py; a fatale termijn: the case's legal term)."""
    clock = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    engine = CaseEngine(db, clock=clock, decisions=decision_provider(), services=domain_services())
    demo.load(engine)
    open_tasks = engine.ready_tasks()
    assert len(open_tasks) >= 30  # the demo leaves dozens open over the gemeenten
    with db.connect() as conn:
        fataal = set(conn.execute(select(deadlines.c.case_id).where(
            deadlines.c.kind == "fatale_termijn", deadlines.c.status == "open")).scalars())
    without = [(t.case_id, t.title) for t in open_tasks if t.due_at is None and t.case_id not in fataal]
    assert without == []
    assert all(t.due_at is not None for t in open_tasks)  # in fact every one has its streefdatum
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
