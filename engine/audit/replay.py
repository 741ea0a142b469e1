"""Proof that a case's stored state follows from its recorded inputs.

``verify_case`` checks the hash chain and its seal, then replays every process instance of the
case from its pinned model version, applying the recorded inputs (task completions with their
data, timer firings at their time, messages with their payload) at the recorded moments, and
compares each resulting state with the one recorded, and the end result with what is stored:
workflow state, worklist rows and waits. The first difference is named by its event.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from engine.audit.journal import GENESIS, event_hash
from engine.audit.seal import Sealer
from engine.models import versions
from engine.models.case_migration import EVENT_KIND as MIGRATED
from engine.models.case_migration import replay_migrated
from engine.runtime import Runtime, StepContext, reopen_task
from engine.storage.db import cases, events, instances, waits, work_items
from engine.storage.state import data_from_json, load_state, state_hash
from engine.worklist import assigned_to, ready_user_tasks

# The external inputs a replay applies; every other event kind is a fact of the application.
REPLAYED_KINDS = frozenset({"instance_started", "task_completed", "task_corrected", "timer_fired",
                            "message_delivered", "instance_cancelled", MIGRATED})
# Who holds a task: not replayed, but the worklist rows are compared with them.
CLAIM_KINDS = frozenset({"task_claimed", "task_unclaimed", "task_reassigned"})


@dataclass
class Verdict:
    case_id: int
    case_number: str
    problems: list[str] = field(default_factory=list)
    first_bad_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, message: str, seq: int | None = None) -> None:
        if seq is not None and self.first_bad_seq is None:
            self.first_bad_seq = seq
        self.problems.append(message)


@dataclass
class _Replayed:
    uid: str
    version_id: int
    state: str
    counter: int
    # The workflow the last replayed step left, as the live engine had it when it wrote the
    # instance's worklist and wait rows from it (None: load it from ``state``). Only read after
    # the replay, never stepped again: every step reloads from the state text, as live.
    workflow: Any = None


class Verifier:
    def __init__(self, runtime: Runtime, specs: versions.SpecCache, sealer: Sealer) -> None:
        self.runtime = runtime
        self.specs = specs
        self.sealer = sealer

    def verify(self, conn: Connection, case_id: int) -> Verdict:
        case = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        verdict = Verdict(case_id, case["case_number"] if case else f"#{case_id}")
        if case is None:
            verdict.fail("zaak bestaat niet")
            return verdict
        query = select(events).where(events.c.case_id == case_id).order_by(events.c.seq)
        rows = [dict(r) for r in conn.execute(query).mappings()]
        self._check_chain(case, rows, verdict)
        if verdict.ok:
            replayed, claims = self._replay(conn, case, rows, verdict)
            if verdict.ok:
                self._check_stored(conn, case, replayed, claims, verdict)
        return verdict

    # -- the chain ------------------------------------------------------------------------------
    def _check_chain(self, case: RowMapping, rows: list[dict[str, Any]], verdict: Verdict) -> None:
        prev = GENESIS
        for expected_seq, row in enumerate(rows, start=1):
            seq = row["seq"]
            if seq != expected_seq:
                verdict.fail(f"gebeurtenis {expected_seq} ontbreekt in de keten", expected_seq)
                return
            recomputed = event_hash(prev, seq, row["kind"], row["actor"], row["at"], row["task_id"],
                                    row["payload"], row["state_hash"])
            if row["prev_hash"] != prev or recomputed != row["hash"]:
                verdict.fail(f"gebeurtenis {seq} ({row['kind']}) is gewijzigd: de hashketen klopt niet", seq)
                return
            prev = row["hash"]
        if case["event_count"] != len(rows) or case["head_hash"] != prev:
            verdict.fail(f"de keten eindigt niet waar de zaak zegt (gebeurtenis {case['event_count']})",
                         len(rows) + 1)
        elif not self.sealer.check(case["id"], case["event_count"], case["head_hash"], case["seal"]):
            verdict.fail("het zegel op de keten klopt niet: de historie is buiten trede om herschreven",
                         len(rows))

    # -- the replay -----------------------------------------------------------------------------
    def _replay(self, conn: Connection, case: RowMapping, rows: list[dict[str, Any]],
                verdict: Verdict) -> tuple[dict[int, _Replayed], dict[str, str | None]]:
        replayed: dict[int, _Replayed] = {}
        claims: dict[str, str | None] = {}
        for row in rows:
            kind, seq = row["kind"], row["seq"]
            payload = data_from_json(row["payload"])
            if kind in CLAIM_KINDS:
                claims[row["task_id"]] = None if kind == "task_unclaimed" else payload["user"]
                continue
            if kind not in REPLAYED_KINDS:  # application facts: in the chain, not replayed
                continue
            ctx = StepContext(case["id"], case["case_number"], case["gemeente"], row["at"], row["actor"])
            try:
                if kind == "instance_started":
                    replayed[row["instance_id"]] = self._start(conn, payload, ctx)
                elif kind == MIGRATED:  # the process designer's hook (engine/models/case_migration.py)
                    self._keep_claims(conn, replayed[row["instance_id"]], claims)
                    replay_migrated(self.runtime, self.specs, conn, replayed[row["instance_id"]],
                                    payload, ctx)
                    replayed[row["instance_id"]].workflow = None
                else:
                    self._advance(conn, replayed[row["instance_id"]], kind, row, payload, ctx)
            except Exception as exc:  # noqa: BLE001 - any failure to replay is a finding
                verdict.fail(f"gebeurtenis {seq} ({kind}) kan niet opnieuw worden uitgevoerd: {exc}", seq)
                return replayed, claims
            if state_hash(replayed[row["instance_id"]].state) != row["state_hash"]:
                verdict.fail(f"gebeurtenis {seq} ({kind} door {row['actor']}): de opnieuw berekende toestand "
                             "wijkt af van de vastgelegde", seq)
                return replayed, claims
            if kind == "task_completed":
                claims.pop(row["task_id"], None)
        return replayed, claims

    def _start(self, conn: Connection, payload: dict[str, Any], ctx: StepContext) -> _Replayed:
        version = self.specs.version(conn, payload["process_version_id"])
        spec, subs = self.specs.get(conn, version)
        outcome = self.runtime.start(spec, subs, payload["uid"], payload["data"], ctx)
        return _Replayed(payload["uid"], version.id, outcome.state, outcome.id_counter, outcome.workflow)

    def _keep_claims(self, conn: Connection, inst: _Replayed, claims: dict[str, str | None]) -> None:
        """A migration keeps the claims of the tasks that stay open (``rebuild_work_items``), also
        those that came from an assignee variable under the old model: fix them before migrating."""
        for task in ready_user_tasks(self._workflow(conn, inst)):
            claims.setdefault(str(task.id), assigned_to(task))

    def _workflow(self, conn: Connection, inst: _Replayed) -> BpmnWorkflow:
        if inst.workflow is not None:
            return inst.workflow
        spec, subs = self.specs.get(conn, self.specs.version(conn, inst.version_id))
        return load_state(inst.state, spec, subs)

    def _advance(self, conn: Connection, inst: _Replayed, kind: str, row: dict[str, Any],
                 payload: dict[str, Any],
                 ctx: StepContext) -> None:
        spec, subs = self.specs.get(conn, self.specs.version(conn, inst.version_id))
        outcome = self.runtime.advance(spec, subs, inst.uid, inst.state, inst.counter, ctx,
                                       _action(kind, row, payload))
        inst.state, inst.counter, inst.workflow = outcome.state, outcome.id_counter, outcome.workflow

    # -- what is stored now ---------------------------------------------------------------------
    def _check_stored(self, conn: Connection, case: RowMapping, replayed: dict[int, _Replayed],
                      claims: dict[str, str | None], verdict: Verdict) -> None:
        last = case["event_count"]
        stored = {r["id"]: r for r in conn.execute(
            select(instances).where(instances.c.case_id == case["id"])).mappings()}
        if set(stored) != set(replayed):
            verdict.fail("de procesinstanties van de zaak wijken af van de historie", last)
            return
        expected_items: dict[str, tuple[int, str, str | None]] = {}
        expected_waits = 0
        for instance_id, inst in replayed.items():
            row = stored[instance_id]
            if row["state"] != inst.state or row["state_hash"] != state_hash(inst.state):
                verdict.fail(f"de opgeslagen toestand van instantie {instance_id} ({row['process_id']}) "
                             "wijkt af van de historie", last)
                return
            workflow = self._workflow(conn, inst)
            expected_waits += len(workflow.waiting_events())
            for task in ready_user_tasks(workflow):
                tid = str(task.id)  # claimed as recorded, else as the assignee variable says
                claim = claims[tid] if tid in claims else assigned_to(task)
                expected_items[tid] = (instance_id, task.task_spec.name, claim)
        actual_items = {r.task_id: (r.instance_id, r.task_name, r.claimed_by) for r in conn.execute(
            select(work_items.c.task_id, work_items.c.instance_id, work_items.c.task_name,
                   work_items.c.claimed_by).where(work_items.c.case_id == case["id"]))}
        if actual_items != expected_items:
            verdict.fail("de werkvoorraad van de zaak wijkt af van de historie (taken of claims)", last)
        n_waits = len(conn.execute(select(waits.c.id).where(waits.c.case_id == case["id"])).all())
        if n_waits != expected_waits:
            verdict.fail("de wachtende timers/berichten van de zaak wijken af van de historie", last)


def _action(kind: str, row: dict[str, Any], payload: dict[str, Any]) -> Callable[[BpmnWorkflow], None]:
    if kind == "task_completed":
        def complete(workflow: BpmnWorkflow) -> None:
            task = workflow.get_task_from_id(UUID(row["task_id"]))
            if task is None or task.state != TaskState.READY:
                raise ValueError(f"taak {row['task_name']} stond niet open")
            task.data.update(payload["data"])
            task.run()
        return complete
    if kind == "task_corrected":
        return lambda workflow: reopen_task(workflow, row["task_id"])
    if kind == "timer_fired":
        return lambda workflow: workflow.refresh_timers()
    if kind == "instance_cancelled":  # an incident cancelled (engine/scheduling/incidents.py)
        return lambda workflow: workflow.cancel()
    name, body = payload["name"], payload["payload"]
    return lambda workflow: workflow.send_event(BpmnEvent(MessageEventDefinition(name), body))


def verdict_json(verdict: Verdict) -> str:
    return json.dumps({"case": verdict.case_number, "ok": verdict.ok, "problems": verdict.problems,
                       "first_bad_event": verdict.first_bad_seq})
