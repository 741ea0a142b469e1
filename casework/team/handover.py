"""Caseload handover: all open claimed tasks of one user to a colleague, in one action.

Per case, one transaction: each task moves by a reassignment recorded in that case's history with
the teamleider or beheerder as actor, its drafts move with it, and the fact
``casemanager_overgedragen`` says that the case's future tasks go to the colleague too
(``casework/team/successors.py``), also for the cases that are the giver's with no task open now
(``casework/team/caseload.py``). A task the colleague may not work on (another role's lane) stays
where it is and is named in the answer, as is a task that changed meanwhile; the others move. One
line in the beheer log sums the handover up.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.accounts.service import User
from casework.roles import ROLES, lane_role, may_work_in_lane
from casework.team.caseload import caseload
from casework.team.scope import member_or_error
from casework.team.successors import HANDOVER_FACT, move_drafts
from engine.errors import ConflictError, NotFound
from engine.service import CaseEngine
from engine.storage.db import work_items


@dataclass
class Handover:
    moved: int = 0
    skipped: list[str] = field(default_factory=list)  # "task title (zaak): why"


def open_claimed(engine: CaseEngine, gemeente: str) -> dict[str, int]:
    """username -> number of open tasks they hold."""
    with engine.reader.connect() as conn:
        return dict(conn.execute(select(work_items.c.claimed_by, func.count())
                                 .where(work_items.c.gemeente == gemeente,
                                        work_items.c.claimed_by.is_not(None))
                                 .group_by(work_items.c.claimed_by)).all())


def hand_over(engine: CaseEngine, actor: User, source: str, target: str) -> Handover:
    errors: dict[str, str] = {}
    with engine.reader.connect() as conn:
        # The source may be deactivated already (someone who left): their work must still move.
        giver = member_or_error(conn, actor, source, "van", "Van", errors, include_inactive=True)
        taker = member_or_error(conn, actor, target, "naar", "Naar", errors, casework=True)
        if giver and taker and giver.username == taker.username:
            errors["naar"] = "Naar: kies een andere medewerker dan degene die de caseload overdraagt."
        if errors or giver is None or taker is None:  # a missing one has its message in ``errors``
            raise FormErrors(errors)
        tasks = conn.execute(select(work_items.c.task_id, work_items.c.title, work_items.c.lane,
                                    work_items.c.case_id)
                             .where(work_items.c.gemeente == actor.gemeente,
                                    work_items.c.claimed_by == giver.username)
                             .order_by(work_items.c.created_at, work_items.c.task_id)).all()
        # the caseload: also the cases that are theirs with nothing open now (a timer will make the
        # next task), so that those tasks go to the colleague too
        theirs = caseload(conn, actor.gemeente, giver.username).case_ids
    result = Handover()
    by_case: dict[int, list[tuple[str, str]]] = {case_id: [] for case_id in theirs}
    for task_id, title, lane, case_id in tasks:
        if not may_work_in_lane(taker.roles, lane):
            role = ROLES.get(lane_role(lane) or "", lane)
            result.skipped.append(f"{title}: {taker.naam} heeft niet de rol {role}")
            continue
        by_case.setdefault(case_id, []).append((task_id, title))
    for case_id, case_tasks in by_case.items():
        _hand_over_case(engine, actor, case_id, case_tasks, giver.username, taker.username, result)
    with engine.db.begin() as conn:
        record(conn, actor.gemeente, actor.username, "caseload_overgedragen", giver.username,
               f"{result.moved} taken naar {taker.username}"
               + (f"; {len(result.skipped)} niet overgedragen" if result.skipped else ""))
    return result


def _hand_over_case(engine: CaseEngine, actor: User, case_id: int, tasks: list[tuple[str, str]],
                    giver: str, taker: str, result: Handover) -> None:
    """One case: its tasks, their drafts and the fact for its future tasks, together or not at all."""
    with engine.transaction() as tx:
        c = tx.case(case_id)
        for task_id, title in tasks:
            try:
                with tx.attempt():  # a task completed meanwhile is named, the others still move
                    c.reassign(task_id, taker, actor.username)
            except (ConflictError, NotFound):
                result.skipped.append(f"{title}: de taak is intussen afgerond of gewijzigd")
                continue
            move_drafts(c.conn, task_id, giver, taker)
            result.moved += 1
        c.append(HANDOVER_FACT, actor.username, {"van": giver, "naar": taker})
