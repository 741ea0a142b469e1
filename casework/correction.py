"""Correcting a mistaken completion (issue 18 item 4; one of the use cases of issue 15).

A teamleider reopens a completed task with a reason. The engine records it as ``task_corrected``
(replay understands it: the instance goes back to that task and later work in the same instance is
withdrawn); the original completion stays in the history. What the wrong value already caused outside
the process, a beschikking or a ledger line, is not silently undone: it is named in a chained
``correctie_nagaan`` fact so that a person reviews it, and where money or a beschikking followed, four
eyes apply: the person who completed the task cannot reopen it themselves. A beschikking's letter that
was not sent yet is withdrawn (it can no longer be checked or sent; the new decision gets a letter of
its own); a sent one counts (Awb 3:41) and changes only through bezwaar or a new decision (Awb
4:48-4:50), so it is flagged "verzonden op basis van een heropend besluit"
(processes/beschikking.py ``decision_reopened``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from casework.accounts.admin import FormErrors
from casework.cases import visible_case
from casework.context import Context
from casework.errors import NotAllowed
from engine.errors import NotFound, StepFailed
from engine.models.versions import SpecCache
from engine.storage.db import events, instances, utcnow, work_items
from processes import beschikking
from processes.tables import beschikkingen, ledger_lines

CORRECTING_ROLES = frozenset({"teamleider"})
REASON_MAX = 1000


@dataclass(frozen=True)
class CompletedTask:
    """A completion a teamleider may reopen: its process still runs."""

    task_id: str
    task_name: str
    actor: str
    at: datetime
    title: str = ""  # the task's name in the model, as the worklist showed it (not its BPMN id)


@dataclass(frozen=True)
class Correction:
    case_number: str
    task_name: str
    follow_ups: list[str]  # what already followed outside the process and needs a person's review


def correctable_tasks(conn: Connection, case_id: int, specs: SpecCache | None = None) -> list[CompletedTask]:
    """Completions in running instances of the case, newest first (what the dossier offers), each
    with its title from the process model when ``specs`` is given (a person reads titles, not ids)."""
    rows = conn.execute(
        select(events.c.task_id, events.c.task_name, events.c.actor, events.c.at,
               instances.c.process_version_id)
        .join(instances, instances.c.id == events.c.instance_id)
        .where(events.c.case_id == case_id, events.c.kind == "task_completed",
               instances.c.status == "running")
        .order_by(events.c.seq.desc()).limit(50)).all()
    return [CompletedTask(r.task_id, r.task_name or r.task_id, r.actor, r.at,
                          _title(conn, specs, r.process_version_id, r.task_name) if specs else "")
            for r in rows]


def _title(conn: Connection, specs: SpecCache, version_id: int, task_name: str | None) -> str:
    """The task's name in its process model (its subprocesses included), else its id."""
    if not task_name:
        return ""
    spec, subs = specs.get(conn, specs.version(conn, version_id))
    for process in (spec, *subs.values()):
        task_spec = process.task_specs.get(task_name)
        if task_spec is not None:
            return str(task_spec.bpmn_name or task_name)
    return task_name


def correct(ctx: Context, case_id: int, task_id: str, reason: str) -> Correction:
    """Reopen the completed task in ONE transaction with its correction event, the follow-ups fact
    and the processing-log line. FormErrors by field; NotAllowed; NotFound for a case or task the
    actor cannot see."""
    user = ctx.user
    if not user.roles & CORRECTING_ROLES:
        raise NotAllowed("alleen een teamleider heropent een afgeronde taak")
    reason = (reason or "").strip()
    if not reason:
        raise FormErrors({"reden": "Reden: waarom wordt deze taak heropend? De reden komt in de historie."})
    if len(reason) > REASON_MAX:
        raise FormErrors({"reden": f"Reden: gebruik maximaal {REASON_MAX} tekens."})
    start = utcnow()
    with ctx.engine.transaction() as tx:
        ref = visible_case(tx.conn, user, case_id)
        done = tx.conn.execute(select(events.c.seq, events.c.instance_id, events.c.task_name, events.c.actor)
                               .where(events.c.case_id == case_id, events.c.task_id == task_id,
                                      events.c.kind == "task_completed")).first()
        if done is None:
            raise NotFound(f"afgeronde taak {task_id} niet gevonden in zaak {ref.number}")
        letters = _letters(tx.conn, case_id, done.instance_id, done.seq)
        follow_ups = _follow_ups(tx.conn, case_id, done.instance_id, done.seq)
        if follow_ups and done.actor == user.username:
            raise NotAllowed("vier ogen: op deze taak volgden een beschikking of een boeking; een collega "
                             "heropent hem")
        case = tx.case(case_id)
        try:
            with case.attempt():
                case.correct_task(task_id, reason, user.username)
        except StepFailed as exc:
            # SpiffWorkflow cannot take every process back (e.g. past a boundary event or timer): say
            # so in words, never the engine's exception text
            raise FormErrors({"taak": "Taak: het proces is voorbij een stap die niet terug kan (zoals een "
                                      "timer of een bericht); deze taak kan niet worden heropend. Neem zo "
                                      "nodig een nieuwe beslissing in een nieuw proces."}) from exc
        if follow_ups:
            case.append("correctie_nagaan", user.username,
                        {"task_id": task_id, "taak": done.task_name, "reden": reason, "nagaan": follow_ups},
                        instance_id=done.instance_id)
        for letter_id in letters:
            beschikking.decision_reopened(case, letter_id, user.username, reason)
        ctx.log(ctx.write_activity(), ref.bsn, ref.number, f"taak heropend: {done.task_name}", True, start,
                tx.conn)
        title = tx.conn.execute(select(work_items.c.title).where(work_items.c.task_id == task_id)).scalar()
        return Correction(ref.number, title or done.task_name or task_id, follow_ups)


def _letters(conn: Connection, case_id: int, instance_id: Any, after_seq: int) -> list[int]:
    """The beschikkingen the completion's step (or a later one of the instance) made."""
    return list(conn.execute(select(beschikkingen.c.id).where(
        beschikkingen.c.case_id == case_id, beschikkingen.c.instance_id == instance_id,
        beschikkingen.c.event_seq >= after_seq, beschikkingen.c.status == "geldig")
        .order_by(beschikkingen.c.id)).scalars())


def _follow_ups(conn: Connection, case_id: int, instance_id: Any, after_seq: int) -> list[str]:
    """Beschikkingen and ledger lines the instance produced in the completion's step or after it."""
    found = [f"beschikking {r.id} ({r.onderwerp}: {r.besluit})" for r in conn.execute(
        select(beschikkingen.c.id, beschikkingen.c.onderwerp, beschikkingen.c.besluit).where(
            beschikkingen.c.case_id == case_id, beschikkingen.c.instance_id == instance_id,
            beschikkingen.c.event_seq >= after_seq, beschikkingen.c.status == "geldig"))]
    found += [f"boeking {r.id} ({r.soort}, {r.status})" for r in conn.execute(
        select(ledger_lines.c.id, ledger_lines.c.soort, ledger_lines.c.status).where(
            ledger_lines.c.case_id == case_id, ledger_lines.c.instance_id == instance_id,
            ledger_lines.c.event_seq >= after_seq))]
    return found
