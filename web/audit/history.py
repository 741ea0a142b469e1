"""A case's history as an auditor sees it: every event replayed, with the data it produced.

The stored workflow state only holds the end result. To show the data before and after each
step we replay the case event by event from its pinned model versions, the way the verifier
does (engine.audit.replay), and keep a snapshot after every step. Replaying only the events up to a
moment gives the case "as recorded on" that moment, corrections included only from their own
date on. Read only: nothing here writes.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.audit.replay import CLAIM_KINDS, REPLAYED_KINDS
from engine.models import versions
from engine.models.case_migration import EVENT_KIND as MIGRATED
from engine.models.case_migration import replay_migrated
from engine.runtime import StepContext, reopen_task
from engine.scheduling.waits import delivered_event
from engine.service import CaseEngine
from engine.storage.db import events
from engine.storage.state import data_from_json, load_state, state_hash
from engine.worklist import ready_user_tasks
from web.dossier.service import EVENT_LABELS

KIND_LABELS = {**EVENT_LABELS,  # the dossier's labels, in the auditor's words where they differ
               "instance_started": "Proces gestart",
               "task_corrected": "Correctie: taak heropend",
               "correctie_nagaan": "Correctie: wat al volgde nagaan",
               MIGRATED: "Overgezet naar een nieuwe modelversie",
               "correction": "Correctie"}


@dataclass(frozen=True)
class Change:
    key: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        if self.before is _MISSING:
            return "nieuw"
        if self.after is _MISSING:
            return "verwijderd"
        return "gewijzigd"


class _Missing:
    def __repr__(self) -> str:
        return "—"


_MISSING = _Missing()


@dataclass(frozen=True)
class DecisionMade:
    name: str
    outputs: dict[str, Any]
    rule: Any
    rules: Any
    version: Any
    gemeente: Any
    peildatum: Any
    inputs: dict[str, Any]
    explanation: Any = None  # which rules matched, which output won and why (``uitleg``)


@dataclass
class Step:
    seq: int
    kind: str
    actor: str
    at: datetime
    instance_id: int | None
    process_id: str | None = None
    model_version: str | None = None
    task_name: str | None = None
    submitted: dict[str, Any] | None = None
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    decisions: list[DecisionMade] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)  # BPMN ids of the elements that ran
    withdrawn: list[str] = field(default_factory=list)  # BPMN ids undone by a correction
    element_names: list[str] = field(default_factory=list)
    problem: str | None = None  # the replay disagrees with what was recorded

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class OpenTask:
    task_id: str
    instance_id: int
    task_name: str
    title: str
    claimed_by: str | None


@dataclass
class InstanceView:
    id: int
    process_id: str
    version: int
    process_version_id: int
    status: str  # running | completed
    data: dict[str, Any]


@dataclass
class CaseHistory:
    steps: list[Step]
    instances: list[InstanceView]
    open_tasks: list[OpenTask]
    until: datetime | None

    @property
    def decisions(self) -> list[tuple[Step, DecisionMade]]:
        return [(s, d) for s in self.steps for d in s.decisions]


@dataclass
class _Live:
    """A replayed instance; shaped like engine.audit.replay's (uid, version_id, state, counter) for its
    hooks."""

    uid: str
    version_id: int
    state: str
    counter: int
    workflow: Any
    data: dict[str, Any]


def load_events(engine: CaseEngine, case_id: int, until: datetime | None = None) -> list[dict]:
    """The case's events as stored (payload still JSON text), up to and including ``until``."""
    query = select(events).where(events.c.case_id == case_id)
    if until is not None:
        query = query.where(events.c.at <= until)
    with engine.reader.connect() as conn:
        return [dict(r) for r in conn.execute(query.order_by(events.c.seq)).mappings()]


def case_history(engine: CaseEngine, case: dict, until: datetime | None = None) -> CaseHistory:
    """Replay ``case`` (a cases row) up to ``until`` and describe every step."""
    rows = load_events(engine, case["id"], until)
    live: dict[int, _Live] = {}
    claims: dict[str, str | None] = {}
    steps: list[Step] = []
    titles: dict[str, str] = {}  # task id -> the task's name in the model, for claims and completions
    with engine.reader.connect() as conn:
        for row in rows:
            payload = data_from_json(row["payload"])
            step = Step(row["seq"], row["kind"], row["actor"], row["at"], row["instance_id"],
                        task_name=titles.get(row["task_id"] or "", row["task_name"]))
            steps.append(step)
            if row["kind"] in CLAIM_KINDS:
                claims[row["task_id"]] = None if row["kind"] == "task_unclaimed" else payload.get("user")
            if row["kind"] not in REPLAYED_KINDS:
                step.submitted = payload or None
                continue
            try:
                _replay_step(engine, conn, case, row, payload, live, step)
            except Exception as exc:  # noqa: BLE001 - a step that cannot be replayed is a finding
                step.problem = f"kan niet opnieuw worden uitgevoerd: {exc}"
                continue
            if row["kind"] == "task_completed":
                claims.pop(row["task_id"], None)
            titles.update({str(t.id): t.task_spec.bpmn_name or t.task_spec.name
                           for t in ready_user_tasks(live[row["instance_id"]].workflow)})
        return CaseHistory(steps, _instances(conn, live), _open_tasks(live, claims), until)


def _replay_step(engine: CaseEngine, conn, case: dict, row: dict, payload: dict,
                 live: dict[int, _Live], step: Step) -> None:
    ctx = StepContext(case["id"], case["case_number"], case["gemeente"], row["at"], row["actor"], conn=conn)
    kind = row["kind"]
    if kind == "instance_started":
        version = versions.get_version(conn, payload["process_version_id"])
        spec, subs = engine.specs.get(conn, version)
        outcome = engine.runtime.start(spec, subs, payload["uid"], payload["data"], ctx)
        inst = _Live(payload["uid"], version.id, outcome.state, outcome.id_counter, outcome.workflow, {})
        live[row["instance_id"]] = inst
        done_before: dict = {}
        step.submitted = copy.deepcopy(payload["data"])
    elif kind == MIGRATED:  # the process designer's hook, exactly as the verifier replays it
        inst = live[row["instance_id"]]
        done_before = _completed(inst.workflow)
        replay_migrated(engine.runtime, engine.specs, conn, inst, payload, ctx)
        spec, subs = engine.specs.get(conn, versions.get_version(conn, inst.version_id))
        inst.workflow = load_state(inst.state, spec, subs)
        step.submitted = copy.deepcopy(payload) or None
    else:
        inst = live[row["instance_id"]]
        spec, subs = engine.specs.get(conn, versions.get_version(conn, inst.version_id))
        seen: dict[str, dict] = {}
        outcome = engine.runtime.advance(spec, subs, inst.uid, inst.state, inst.counter, ctx,
                                         _action(row, payload, seen))
        done_before = seen.get("done", {})
        inst.state, inst.counter, inst.workflow = outcome.state, outcome.id_counter, outcome.workflow
        step.submitted = copy.deepcopy(payload.get("data") if kind == "task_completed"
                                       else payload.get("payload") if kind in _DELIVERIES
                                       else payload) or None
    workflow = inst.workflow
    version = versions.get_version(conn, inst.version_id)
    step.process_id = version.process_id
    step.model_version = f"{version.process_id} versie {version.version}"
    now_done = _completed(workflow)
    newly = [t for t in workflow.get_tasks(state=TaskState.COMPLETED) if t.id not in done_before]
    top = [t for t in newly if getattr(t, "workflow", workflow) is workflow]
    step.elements = [t.task_spec.bpmn_id for t in top if getattr(t.task_spec, "bpmn_id", None)]
    step.element_names = [t.task_spec.bpmn_name or t.task_spec.bpmn_id for t in top
                          if getattr(t.task_spec, "bpmn_id", None)]
    step.withdrawn = sorted({bpmn_id for task_id, bpmn_id in done_before.items()
                             if task_id not in now_done and bpmn_id})
    ready = ready_user_tasks(workflow)
    step.before = inst.data
    if newly:
        step.after = copy.deepcopy(dict(newly[-1].data))
    elif ready and kind != "instance_started":  # a correction: the data the reopened task holds again
        step.after = copy.deepcopy(dict(ready[0].data))
    else:
        step.after = dict(inst.data)
    if workflow.is_completed():
        step.after = copy.deepcopy(dict(workflow.data)) or step.after
    inst.data = step.after
    step.changes = diff(step.before, step.after)
    step.decisions = decisions_made(step.before, step.after)
    if state_hash(inst.state) != row["state_hash"]:
        step.problem = "de opnieuw berekende toestand wijkt af van de vastgelegde"


def _completed(workflow) -> dict:
    """Completed tasks: task id -> BPMN id (None for SpiffWorkflow's own bookkeeping tasks)."""
    done = workflow.get_tasks(state=TaskState.COMPLETED)
    return {t.id: getattr(t.task_spec, "bpmn_id", None) for t in done}


_DELIVERIES = ("message_delivered", "signal_delivered")


def _action(row: dict, payload: dict, seen: dict[str, dict]):
    """The recorded input as an action on the workflow (as engine.audit.replay applies it); notes what
    had already run before it."""
    def act(workflow) -> None:
        seen["done"] = _completed(workflow)
        if row["kind"] == "task_corrected":
            reopen_task(workflow, row["task_id"])
        elif row["kind"] == "task_completed":
            task = workflow.get_task_from_id(UUID(row["task_id"]))
            if task is None or task.state != TaskState.READY:
                raise ValueError(f"taak {row['task_name']} stond niet open")
            task.data.update(payload["data"])
            task.run()
        elif row["kind"] == "timer_fired":
            workflow.refresh_timers()
        else:
            workflow.send_event(delivered_event(row["kind"], payload["name"], payload["payload"]))
    return act


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    changes = [Change(k, before.get(k, _MISSING), v) for k, v in after.items()
               if before.get(k, _MISSING) != v]
    changes += [Change(k, v, _MISSING) for k, v in before.items() if k not in after]
    return changes


def decisions_made(before: dict[str, Any], after: dict[str, Any]) -> list[DecisionMade]:
    """Business rule outcomes (``beslissing_<Id>``) that are new or changed in this step."""
    found = []
    for key, value in after.items():
        if key.startswith("beslissing_") and isinstance(value, dict) and before.get(key) != value:
            found.append(DecisionMade(key.removeprefix("beslissing_"), value.get("outputs") or {},
                                      value.get("regel"), value.get("regels"), value.get("versie"),
                                      value.get("gemeente"), value.get("peildatum"),
                                      value.get("inputs") or {}, value.get("uitleg")))
    return found


def _instances(conn, live: dict[int, _Live]) -> list[InstanceView]:
    found = []
    for iid, inst in live.items():
        version = versions.get_version(conn, inst.version_id)
        found.append(InstanceView(iid, version.process_id, version.version, version.id,
                                  "completed" if inst.workflow.is_completed() else "running", inst.data))
    return found


def _open_tasks(live: dict[int, _Live], claims: dict[str, str | None]) -> list[OpenTask]:
    found = []
    for iid, inst in live.items():
        for task in ready_user_tasks(inst.workflow):
            spec = task.task_spec
            found.append(OpenTask(str(task.id), iid, spec.name, spec.bpmn_name or spec.name,
                                  claims.get(str(task.id))))
    return found


def is_missing(value: Any) -> bool:
    return value is _MISSING
