"""Driving a dossier through the real process bundles and rule packs, one clock tick at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.clock import FixedClock
from engine.models import versions
from engine.service import CaseEngine, WorkItem
from engine.storage.db import instances
from engine.storage.state import load_state
from processes.catalogue import deploy_all
from processes.wiring import decision_provider, domain_services

START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)  # a Monday morning in Amsterdam
CASEMANAGER = "cm.devries"
TEAMLEIDER = "tl.bakker"
FINANCIEN = "fa.jansen"


def make_engine(db, start: datetime = START) -> CaseEngine:
    """An engine on the test database with the real decision service and every bundle deployed."""
    provider = decision_provider()
    assert provider is not None, "the decision service (processes.decisions) must load"
    engine = CaseEngine(db, clock=FixedClock(start), decisions=provider, services=domain_services())
    deploy_all(engine)
    return engine


def task_names(engine: CaseEngine, case_id: int) -> list[str]:
    return sorted(t.task_name for t in engine.ready_tasks(case_id=case_id))


def task(engine: CaseEngine, case_id: int, name: str) -> WorkItem:
    found = [t for t in engine.ready_tasks(case_id=case_id) if t.task_name == name]
    assert len(found) == 1, f"expected one ready {name!r}, ready: {task_names(engine, case_id)}"
    return found[0]


def do(
    engine: CaseEngine, case_id: int, name: str, data: dict[str, Any] | None = None, actor: str = CASEMANAGER
) -> WorkItem:
    """Claim and complete the one ready task called ``name``; returns the work item it was."""
    item = task(engine, case_id, name)
    engine.claim(item.task_id, actor)
    engine.complete(item.task_id, data or {}, actor=actor)
    return item


def advance_to(engine: CaseEngine, day: date, hour: int = 9) -> int:
    """Move the clock to ``day`` (morning, UTC) and fire what fell due; returns timers fired."""
    engine.clock.set(datetime.combine(day, time(hour), tzinfo=UTC))
    fired = 0
    while (n := engine.fire_due_timers()) > 0:  # a fired timer may start work that is due too
        fired += n
    return fired


def advance(engine: CaseEngine, delta: timedelta) -> int:
    engine.clock.advance(delta)
    fired = 0
    while (n := engine.fire_due_timers()) > 0:
        fired += n
    return fired


def processes(engine: CaseEngine, case_id: int) -> list[tuple[int, str, str]]:
    """(instance id, process id, status) of every instance in the dossier, in start order."""
    with engine.db.connect() as conn:
        rows = conn.execute(
            select(instances.c.id, instances.c.process_id, instances.c.status)
            .where(instances.c.case_id == case_id)
            .order_by(instances.c.id)
        ).all()
    return [tuple(r) for r in rows]


def instance_of(engine: CaseEngine, case_id: int, process_id: str, nth: int = -1) -> int:
    ids = [i for i, p, _ in processes(engine, case_id) if p == process_id]
    assert ids, f"no {process_id} instance in the dossier: {processes(engine, case_id)}"
    return ids[nth]


def data(engine: CaseEngine, instance_id: int) -> dict[str, Any]:
    """The instance's current data: what its open tasks see, or the final data when completed."""
    with engine.db.connect() as conn:
        row = conn.execute(select(instances).where(instances.c.id == instance_id)).mappings().one()
        spec, subs = engine.specs.get(conn, versions.get_version(conn, row["process_version_id"]))
    workflow = load_state(row["state"], spec, subs)
    if workflow.is_completed():
        return dict(workflow.data)
    open_tasks = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED)
    return dict(open_tasks[-1].data)


def on_day(engine: CaseEngine, day: date) -> None:
    """Move the engine's clock on to noon of ``day`` in Amsterdam (never back): a bezwaar is
    registered on or after the day it was received (processes.beschikking refuses a future date)."""
    moment = datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/Amsterdam"))
    if moment > engine.clock.now():
        engine.clock.set(moment)


ADRES = "Noordweg 12\n4501 AB  OOSTBURG"


def send_letters(engine: CaseEngine, case_id: int, checker: str = "jz.smit", sender: str = "jz.smit") -> None:
    """The review step of every concept letter of the case (issue 18 item 9): a colleague checks it,
    then it is sent; only then it counts as sent and the objection term runs (Awb 3:41, 6:8)."""
    from processes import beschikking

    letters, _ = beschikking.BezwaarService(engine).list(case_id)
    for letter in letters:
        if letter.brief_status == beschikking.CONCEPT:
            with engine.transaction() as tx:
                beschikking.check(tx.case(case_id), letter.id, checker, four_eyes=True)
        unsent = letter.brief_status in (beschikking.CONCEPT, beschikking.GECONTROLEERD)
        if unsent and letter.status == "geldig":
            with engine.transaction() as tx:
                beschikking.send(tx.case(case_id), letter.id, sender, adres=ADRES)


def mark_sent(conn, beschikking_id: int, day: date) -> int:
    """For tests that write a beschikking row directly (``beschikking.issue`` without its step): the
    letter went out on ``day``, as if its review step had run then."""
    from sqlalchemy import update

    from processes.tables import beschikkingen

    conn.execute(update(beschikkingen).where(beschikkingen.c.id == beschikking_id).values(
        brief_status="verzonden", verzonden_op=day, adres=ADRES))
    return beschikking_id
