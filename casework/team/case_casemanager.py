"""A teamleider changes the casemanager of one case from its dossier (issue 18 item 5).

The same fact as a caseload handover (``casemanager_overgedragen`` {van, naar} in the case's
chain, casework/team/successors.py), for one case: its open tasks held by the old casemanager go to
the new one with their drafts, and every task a later step makes for the old one (a person's step,
a timer, a message) goes to the new one too. One transaction with its processing-log line and a
line in the beheer log.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from casework.accounts.admin import FormErrors
from casework.accounts.adminlog import record
from casework.accounts.service import User
from casework.cases import visible_case
from casework.context import Context
from casework.errors import NotAllowed
from casework.roles import ROLES, lane_role, may_work_in_lane
from casework.team.caseload import casemanagers
from casework.team.scope import in_scope, member_or_error
from casework.team.successors import HANDOVER_FACT, move_drafts
from engine.storage.db import utcnow, work_items

CHANGING_ROLES = frozenset({"teamleider"})


@dataclass
class Change:
    case_number: str
    van: str
    naar: str
    moved: int = 0
    skipped: list[str] = field(default_factory=list)  # "task title: why"


def current(ctx: Context, case_id: int) -> str | None:
    """The case's casemanager now (None: its history names none yet)."""
    with ctx.engine.reader.connect() as conn:
        visible_case(conn, ctx.user, case_id)
        return casemanagers(conn, [case_id]).get(case_id)


def candidates(ctx: Context) -> list[User]:
    """Who the teamleider may make casemanager: active case workers in their scope."""
    with ctx.engine.reader.connect() as conn:
        return [u for u in in_scope(conn, ctx.user) if u.has("casemanager")]


def change_casemanager(ctx: Context, case_id: int, naar: str) -> Change:
    """FormErrors at the field ``casemanager``; NotAllowed for anyone but a teamleider; NotFound for a
    case the actor cannot see."""
    user = ctx.user
    if not user.roles & CHANGING_ROLES:
        raise NotAllowed("alleen een teamleider wijzigt de casemanager van een zaak")
    start = utcnow()
    errors: dict[str, str] = {}
    with ctx.engine.transaction() as tx:
        ref = visible_case(tx.conn, user, case_id)
        van = casemanagers(tx.conn, [case_id]).get(case_id)
        taker = member_or_error(tx.conn, user, (naar or "").strip(), "casemanager", "Nieuwe casemanager",
                                errors, casework=True)
        if taker is not None and not taker.has("casemanager"):
            errors["casemanager"] = f"Nieuwe casemanager: {taker.naam} heeft niet de rol casemanager."
        elif van is None:
            errors["casemanager"] = ("Nieuwe casemanager: deze zaak noemt nog geen casemanager; dat gebeurt "
                                     "in de eerste taak van het proces.")
        elif taker is not None and taker.username == van:
            errors["casemanager"] = f"Nieuwe casemanager: {taker.naam} is al de casemanager van deze zaak."
        if errors or taker is None or van is None:
            raise FormErrors(errors)
        change = Change(ref.number, van, taker.username)
        c = tx.case(case_id)
        held = tx.conn.execute(select(work_items.c.task_id, work_items.c.title, work_items.c.lane).where(
            work_items.c.case_id == case_id, work_items.c.claimed_by == van)
            .order_by(work_items.c.created_at, work_items.c.task_id)).all()
        for task_id, title, lane in held:
            if not may_work_in_lane(taker.roles, lane):
                change.skipped.append(f"{title}: {taker.naam} heeft niet de rol "
                                      f"{ROLES.get(lane_role(lane) or '', lane)}")
                continue
            c.reassign(task_id, taker.username, user.username)
            move_drafts(tx.conn, task_id, van, taker.username)
            change.moved += 1
        c.append(HANDOVER_FACT, user.username, {"van": van, "naar": taker.username})
        record(tx.conn, user.gemeente, user.username, "casemanager_gewijzigd", van,
               f"zaak {ref.number}: casemanager {van} → {taker.username}")
        ctx.log(ctx.write_activity(), ref.bsn, ref.number, f"casemanager gewijzigd naar {taker.username}",
                True, start, tx.conn)
    return change
