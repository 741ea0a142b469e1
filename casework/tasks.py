"""Use cases on a task: open it, save a draft, complete it, claim, release and reassign it.

Every way in (task page, worklist buttons, REST API) calls these, so each rule holds for all of
them: the gemeente and team may see the case, the actor works in the task's lane (or is its
assignee, or a teamleider), the submission fits the task's form, a decision that departs from the
DMN proposal is motivated, and each change is one engine step with its processing-log line.
A task outside the actor's gemeente is reported exactly like a task that does not exist.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.engine import Engine

from casework.bezwaar import check_new_decision
from casework.colleagues import with_user_choices
from casework.context import Context
from casework.decision import check_decision, proposal_for
from casework.errors import FormRefused, HeldByOther, NotAllowed, TaskGone
from casework.forms import Errors, unknown_fields, validate_submission
from casework.people import User, find_user
from casework.roles import CASEWORK_ROLES, may_work_in_lane
from casework.tables import task_drafts
from casework.team.absence import absent_now, absent_teammates
from casework.team.successors import HANDOVER_FACT, move_drafts, route_new_tasks
from casework.visibility import may_see_case
from engine.errors import ConflictError, NotFound
from engine.scheduling.termijnen import legal_date
from engine.steps import CaseRef
from engine.storage.db import cases, clients, events, read_only, single_reads, utcnow, work_items
from processes.tables import beschikkingen

__all__ = ["OpenTask", "TaskGone", "claim_task", "complete_task", "find_task", "load_draft",
           "may_work", "next_task_in_case", "reassign_task", "release_task", "save_draft",
           "take_over_task"]


@dataclass(frozen=True)
class OpenTask:
    task_id: str
    title: str
    process_id: str
    lane: str | None
    claimed_by: str | None
    case_id: int
    case_number: str
    case_version: int
    client_id: int | None  # None: a case about no person (a provider's offer, issue 18 item 2)
    client_naam: str | None
    bsn: str | None
    has_form: bool = False  # the task names a form definition (JSON Schema) in its bundle
    has_draft: bool = False  # someone saved a draft of this task
    handed_over: bool = False  # the case was handed over (issue 18 item 5): route new tasks on
    redoes_decision: bool = False  # the case has a beschikking revoked after bezwaar (Awb 7:5 check)


# Built once: a task page and every API completion start with this read.
_OPEN_TASK = (
    select(work_items.c.task_id, work_items.c.title, work_items.c.process_id, work_items.c.lane,
           work_items.c.claimed_by, work_items.c.case_id, work_items.c.form, cases.c.case_number,
           cases.c.version.label("case_version"), clients.c.id.label("client_id"), clients.c.naam,
           clients.c.bsn, select(task_drafts.c.task_id).where(task_drafts.c.task_id == work_items.c.task_id)
           .exists().label("has_draft"),
           # in the same read: only a case that was handed over pays for routing its new tasks
           select(events.c.id).where(events.c.case_id == work_items.c.case_id, events.c.kind == HANDOVER_FACT)
           .exists().label("handed_over"),
           # in the same read: only a case with a revoked beschikking pays for the Awb 7:5 check
           select(beschikkingen.c.id).where(beschikkingen.c.case_id == work_items.c.case_id,
                                            beschikkingen.c.status == "herzien")
           .exists().label("redoes_decision"))
    .join(cases, cases.c.id == work_items.c.case_id)
    .outerjoin(clients, clients.c.id == cases.c.client_id)  # None: a case about a party
    .where(work_items.c.task_id == bindparam("tid"), work_items.c.gemeente == bindparam("gemeente")))


def find_task(db: Engine, user: User, task_id: str) -> OpenTask:
    """The open task, or TaskGone when it was completed, or NotFound (also for another gemeente).

    Read without a snapshot (one round trip a statement on PostgreSQL): the step that follows
    checks the task and the case's version again under its lock."""
    with single_reads(db) as conn:
        row = conn.execute(_OPEN_TASK, {"tid": task_id, "gemeente": user.gemeente}).mappings().first()
        if row is None:
            done = conn.execute(
                select(events.c.actor, events.c.case_id).join(cases, cases.c.id == events.c.case_id)
                .where(events.c.task_id == task_id, events.c.kind == "task_completed",
                       cases.c.gemeente == user.gemeente).limit(1)).first()
            if done is not None and may_see_case(conn, user, done.case_id):
                raise TaskGone(done.actor, done.case_id)
            raise NotFound("taak niet gevonden")
        if not may_see_case(conn, user, row["case_id"]):
            raise NotFound("taak niet gevonden")  # another team's case, in a gemeente that chose so
    return OpenTask(row["task_id"], row["title"], row["process_id"], row["lane"], row["claimed_by"],
                    row["case_id"], row["case_number"], row["case_version"], row["client_id"],
                    row["naam"], row["bsn"], "formJsonSchemaFilename" in (row["form"] or ""),
                    bool(row["has_draft"]), bool(row["handed_over"]), bool(row["redoes_decision"]))


def may_work(user: User, task: OpenTask) -> bool:
    """Only a user with the lane's role (any user for a task without a lane) works on a task; a system
    acting through the API works for its gemeente in every lane. A task claimed by someone else waits
    for them."""
    if task.claimed_by not in (None, user.username):
        return False
    return _works_in_lane(user, task.lane)


def _works_in_lane(user: User, lane: str | None) -> bool:
    return user.system or may_work_in_lane(user.roles, lane) or user.has("teamleider")


def load_draft(db: Engine, task_id: str, username: str) -> dict[str, Any] | None:
    with read_only(db).connect() as conn:
        text = conn.execute(select(task_drafts.c.data).where(
            task_drafts.c.task_id == task_id, task_drafts.c.username == username)).scalar()
    return json.loads(text) if text else None


def save_draft(ctx: Context, task_id: str | OpenTask, raw: dict[str, Any]) -> OpenTask:
    """Keep what was typed, unvalidated: a draft may be half finished."""
    start = utcnow()
    task = _workable(ctx, task_id)
    task_id = task.task_id
    with ctx.engine.db.begin() as conn:
        conn.execute(delete(task_drafts).where(task_drafts.c.task_id == task_id,
                                               task_drafts.c.username == ctx.user.username))
        conn.execute(task_drafts.insert().values(task_id=task_id, username=ctx.user.username,
                                                 data=json.dumps(raw), saved_at=utcnow()))
    ctx.log(ctx.write_activity(), task.bsn, task.case_number, "concept opgeslagen", True, start)
    return task


def complete_task(ctx: Context, task_id: str | OpenTask, raw: Any, expected_version: int | None) -> CaseRef:
    """Check the submission against the task's form and complete the task: the step, the removal of
    drafts and the processing-log line in ONE transaction.

    Raises FormRefused (errors by field, nothing written), TaskGone when someone completed it first,
    ConflictError when the case changed since ``expected_version``, NotAllowed, NotFound, StepFailed.
    A refused attempt on a task the actor may see is logged too, with status error.
    ``task_id`` may be the OpenTask the caller already found for ``ctx.user`` (find_task): it is not
    read again; the step checks it under the case's lock.
    """
    start = utcnow()
    task = _workable(ctx, task_id)
    task_id = task.task_id
    try:
        if task.redoes_decision:  # after a gegrond bezwaar: not by who took the revoked decision (Awb 7:5)
            check_new_decision(ctx, task_id)
        data = _checked_data(ctx, task, raw)
        with ctx.engine.transaction() as tx:
            work = tx.case_with_task(task_id, expected_version)
            case = work.complete(task_id, data, ctx.user.username)
            if task.handed_over:  # a task ready for someone who handed the case over: to the successor
                route_new_tasks(work)  # (a handover committed after the read above: the next step routes)
            case = work.ref
            if task.has_draft:
                tx.conn.execute(delete(task_drafts).where(task_drafts.c.task_id == task_id))
            ctx.log(ctx.write_activity(), task.bsn, task.case_number, "taak afgerond", True, start, tx.conn)
        return case
    except FormRefused as refused:
        _log_refusal(ctx, task, f"formulier afgewezen: {', '.join(sorted(refused.errors))}", start)
        raise
    except ConflictError as exc:
        done = _completed_by(ctx.engine.db, task_id)
        why = "al afgerond" if done else "de zaak was gewijzigd"
        _log_refusal(ctx, task, f"niet afgerond: {why}", start)
        if done:
            raise TaskGone(done, task.case_id) from exc
        raise
    except Exception:
        _log_refusal(ctx, task, "niet afgerond: het proces kon niet verder", start)
        raise


def _log_refusal(ctx: Context, task: OpenTask, outcome: str, start: datetime) -> None:
    # the refused field names come from the caller (API): no NUL or lone surrogate reaches the log,
    # which PostgreSQL and UTF-8 cannot store
    outcome = "".join(ch for ch in outcome if ch.isprintable())
    ctx.log(ctx.write_activity(), task.bsn, task.case_number, outcome, False, start)


def _checked_data(ctx: Context, task: OpenTask, raw: Any) -> dict[str, Any]:
    """The submission converted to the form's types, or FormRefused with a message per field."""
    if not isinstance(raw, dict):
        raise FormRefused({"data": "De gegevens van de taak moeten een object zijn (veld: waarde)."})
    schema = ctx.engine.task_form(task.task_id) if task.has_form else None
    if not schema:
        return dict(raw)  # a task without a form: the model defines no fields to check against
    schema = with_user_choices(schema, ctx.engine.db, ctx.user)
    errors: Errors = unknown_fields(schema, raw)
    data, field_errors = validate_submission(schema, raw, legal_date(ctx.engine.clock.now()))
    errors.update(field_errors)
    beslissing = schema.get("x-beslissing")
    if beslissing and not errors:
        errors = check_decision(schema, beslissing, proposal_for(ctx.engine, task.task_id, beslissing), data)
    if errors:
        raise FormRefused(errors)
    return data


def claim_task(ctx: Context, task_id: str, expected_version: int | None = None) -> CaseRef:
    task = _workable(ctx, task_id)
    return ctx.engine.claim(task.task_id, ctx.user.username, expected_version)


def release_task(ctx: Context, task_id: str, expected_version: int | None = None) -> CaseRef:
    """Give a claimed task back to the lane (only who claimed it can)."""
    task = _visible(ctx, task_id)
    return ctx.engine.unclaim(task.task_id, ctx.user.username, expected_version)


def reassign_task(ctx: Context, task_id: str, to_username: str) -> CaseRef | None:
    """A teamleider gives a task to someone of the same gemeente: one engine step, recorded with the
    teamleider as actor. None when the task is already theirs."""
    task = _visible(ctx, task_id)
    if not ctx.user.has("teamleider"):
        raise NotAllowed("alleen een teamleider kan taken toewijzen")
    target = find_user(ctx.engine.db, to_username)
    if target is None or target.gemeente != ctx.user.gemeente:
        raise NotAllowed("deze medewerker bestaat niet in uw gemeente")
    if task.claimed_by == target.username:
        return None
    return _give(ctx, task, target.username)


def take_over_task(ctx: Context, task_id: str, on: date | None = None) -> CaseRef:
    """Take over a task held by an absent colleague: their vervanger, a teammate or a teamleider.

    One engine step (a reassignment to oneself), so the case history names who took it over.
    """
    task, user = _visible(ctx, task_id), ctx.user
    with ctx.engine.reader.connect() as conn:
        away = absent_now(conn, user.gemeente, on)
        mates = absent_teammates(conn, user, on)
    holder = task.claimed_by
    if holder is None or holder not in away:
        raise NotAllowed("deze taak is niet van een afwezige collega")
    if not (away[holder] == user.username or holder in mates or user.has("teamleider")):
        raise NotAllowed("u bent geen vervanger of teamgenoot van de afwezige collega")
    if not _works_in_lane(user, task.lane):
        raise NotAllowed("deze taak hoort bij een andere rol")
    return _give(ctx, task, user.username)


def _give(ctx: Context, task: OpenTask, to_username: str) -> CaseRef:
    """The reassignment (one engine step, the actor recorded) and the holder's draft, together."""
    with ctx.engine.transaction() as tx:
        case = tx.case_of_task(task.task_id).reassign(task.task_id, to_username, ctx.user.username)
        move_drafts(tx.conn, task.task_id, task.claimed_by, to_username)
    return case


def next_task_in_case(ctx: Context, case_id: int) -> str | None:
    """After completing: the next open task in the same case this user may pick up, if any."""
    for item in ctx.engine.ready_tasks(gemeente=ctx.user.gemeente, case_id=case_id):
        if item.claimed_by in (None, ctx.user.username) and (
                ctx.user.system or may_work_in_lane(ctx.user.roles, item.lane)):
            return item.task_id
    return None


def _visible(ctx: Context, task_id: str) -> OpenTask:
    return find_task(ctx.engine.db, ctx.user, task_id)


def _workable(ctx: Context, task_id: str | OpenTask) -> OpenTask:
    task = task_id if isinstance(task_id, OpenTask) else _visible(ctx, task_id)
    if not (ctx.user.system or ctx.user.roles & CASEWORK_ROLES):
        raise NotAllowed("alleen wie aan zaken werkt handelt taken af")  # e.g. an auditor reads only
    if not may_work(ctx.user, task):
        if task.claimed_by not in (None, ctx.user.username):
            raise HeldByOther(f"taak is geclaimd door {task.claimed_by}")
        raise NotAllowed("deze taak hoort bij een andere rol")
    return task


def _completed_by(db: Engine, task_id: str) -> str | None:
    with read_only(db).connect() as conn:
        return conn.execute(select(events.c.actor).where(
            events.c.task_id == task_id, events.c.kind == "task_completed").limit(1)).scalar()
