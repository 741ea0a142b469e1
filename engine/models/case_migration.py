"""Moving running process instances onto another deployed version of their process (issue 7).

A migration is a step like any other: the instance is loaded with its old spec, SpiffWorkflow's
``diff_workflow``/``migrate_workflow`` re-point its tasks at the new spec (open tasks are reset and
re-predicted), the engine runs on, and the new state, the worklist/wait rows and one
``instance_migrated`` event are written in one transaction. Replay applies the same step at that
event (``replay_migrated``), so ``CaseEngine.verify`` stays green.

The dry run performs exactly that step in memory and reports, per instance, whether it can move
and why not. Open timers keep their due time when their definition did not change.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.util.diff import WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.task_spec import BusinessRuleTaskConverter, SpiffBpmnTaskConverter
from SpiffWorkflow.spiff.specs.defaults import BusinessRuleTask
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.engine import Connection, RowMapping

from engine.decisions import ProvidedDecision
from engine.errors import ConflictError, EngineError, NotFound
from engine.models import versions
from engine.runtime import Runtime, StepContext, StepOutcome
from engine.storage.db import cases, events, instances
from engine.storage.state import data_from_json, load_state, state_hash
from engine.worklist import rebuild_waits, rebuild_work_items

if TYPE_CHECKING:  # engine.audit.replay imports this module, and engine.service imports engine.audit.replay
    from engine.audit.replay import _Replayed
    from engine.service import CaseEngine

EVENT_KIND = "instance_migrated"


class _BusinessRuleTaskConverter(BusinessRuleTaskConverter):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """SpiffWorkflow's converter reads the table of a decision the bundle carries; a decision the
    engine's provider answers at run time (engine.decisions.ProvidedDecision) has none, and the
    diff of two versions compares it by the decision it names."""

    def to_dict(self, spec: Any) -> dict[str, Any]:
        if not isinstance(spec.dmnEngine, ProvidedDecision):
            return dict(super().to_dict(spec))
        dct = dict(self.get_default_attributes(spec))
        dct.update(SpiffBpmnTaskConverter.to_dict(self, spec))
        dct["decision_table"] = {"provided": spec.dmnEngine.decision_id}
        return dct


# A registry of our own for comparing specs: the state serializer's registry toggles an encoder
# mode under a lock, and a comparison has no business holding that lock.
_SPEC_REGISTRY = BpmnWorkflowSerializer.configure(
    {**SPIFF_CONFIG, BusinessRuleTask: _BusinessRuleTaskConverter})
_OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


class MigrationRefused(EngineError):
    """The instance cannot move to the target version; ``reasons`` says why (Dutch)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class InstanceCheck:
    """The dry-run verdict for one instance."""

    instance_id: int
    case_id: int
    case_number: str
    gemeente: str
    process_id: str
    from_version_id: int
    from_version: int
    can_migrate: bool = False
    reasons: list[str] = field(default_factory=list)  # why it cannot move
    notes: list[str] = field(default_factory=list)  # what will happen when it moves


# the verdict, and when the instance can move: the migrated state and the step's context
_Checked = tuple["InstanceCheck", StepOutcome | None, StepContext | None]


@dataclass(frozen=True)
class MigrationResult:
    instance_id: int
    case_id: int
    migrated: bool
    message: str


class Migrator:
    """Dry run, bulk migration and revert of running instances, on top of a CaseEngine."""

    def __init__(self, engine: CaseEngine) -> None:
        self.engine = engine

    # -- selection -------------------------------------------------------------------------------
    def select(self, process_id: str, version_id: int | None = None, gemeente: str | None = None
               ) -> list[int]:
        """Running instances of a process, optionally only on one version / in one gemeente."""
        query = (select(instances.c.id).join(cases, cases.c.id == instances.c.case_id)
                 .where(instances.c.process_id == process_id, instances.c.status == "running")
                 .order_by(instances.c.id))
        if version_id is not None:
            query = query.where(instances.c.process_version_id == version_id)
        if gemeente is not None:
            query = query.where(cases.c.gemeente == gemeente)
        with self.engine.reader.connect() as conn:
            return list(conn.execute(query).scalars())

    # -- dry run -----------------------------------------------------------------------------------
    def dry_run(self, target_version_id: int, instance_ids: list[int]) -> list[InstanceCheck]:
        """Per instance: can it move, and if not, why. Writes nothing."""
        now = self.engine.clock.now()
        with self.engine.reader.connect() as conn:
            target = versions.get_version(conn, target_version_id)
            return [self._check(conn, target, instance_id, now)[0] for instance_id in instance_ids]

    def _check(self, conn: Connection, target: versions.ProcessVersion, instance_id: int,
               now: datetime, actor: str = "dry-run") -> _Checked:
        row = conn.execute(select(instances, cases.c.case_number, cases.c.gemeente)
                           .join(cases, cases.c.id == instances.c.case_id)
                           .where(instances.c.id == instance_id)).mappings().first()
        if row is None:
            raise NotFound(f"procesinstantie {instance_id} bestaat niet")
        current = versions.get_version(conn, row["process_version_id"])
        check = InstanceCheck(instance_id, row["case_id"], row["case_number"], row["gemeente"],
                              row["process_id"], current.id, current.version)
        refusal = _scope_problem(row, current, target)
        if refusal:
            check.reasons.append(refusal)
            return check, None, None
        ctx = StepContext(row["case_id"], row["case_number"], row["gemeente"], now, actor, conn=conn)
        try:
            outcome = self.trial(conn, row["uid"], row["state"], row["id_counter"], current, target, ctx,
                                 check.notes)
        except MigrationRefused as exc:
            check.reasons.extend(exc.reasons)
            return check, None, None
        except EngineError as exc:
            check.reasons.append(f"de instantie loopt vast op de nieuwe versie: {exc}")
            return check, None, None
        check.can_migrate = True
        return check, outcome, ctx

    def trial(self, conn: Connection, uid: str, state: str, counter: int,
              current: versions.ProcessVersion, target: versions.ProcessVersion, ctx: StepContext,
              notes: list[str] | None = None) -> StepOutcome:
        """The migration step itself (also what replay runs): raises MigrationRefused."""
        old_spec, old_subs = self.engine.specs.get(conn, current)
        new_spec, new_subs = self.engine.specs.get(conn, target)
        outcome = self.engine.runtime.advance(old_spec, old_subs, uid, state, counter, ctx,
                                              _migrate_action(new_spec, new_subs, notes))
        try:  # the new state must load with the new spec alone, or the case could never continue
            load_state(outcome.state, new_spec, new_subs)
        except Exception as exc:  # noqa: BLE001 - any failure to reload is a refusal
            raise MigrationRefused([f"de toestand laadt niet met versie {target.version}: {exc}"]) from exc
        return outcome

    # -- migrate and revert ------------------------------------------------------------------------
    def migrate(self, target_version_id: int, instance_ids: list[int], actor: str) -> list[MigrationResult]:
        """Move each instance in a transaction of its own; one refusal does not stop the others."""
        return [self._migrate_one(i, target_version_id, actor, None) for i in instance_ids]

    def revert(self, instance_id: int, actor: str) -> MigrationResult:
        """Move an instance back to the version it came from at its last migration."""
        with self.engine.reader.connect() as conn:
            last = conn.execute(select(events.c.seq, events.c.payload).where(
                events.c.instance_id == instance_id, events.c.kind == EVENT_KIND,
            ).order_by(events.c.seq.desc()).limit(1)).first()
        if last is None:
            raise NotFound(f"procesinstantie {instance_id} is nooit gemigreerd")
        payload = data_from_json(last.payload)
        return self._migrate_one(instance_id, payload["from_version_id"], actor, last.seq)

    def _migrate_one(self, instance_id: int, target_version_id: int, actor: str,
                     revert_of: int | None) -> MigrationResult:
        from engine.steps import _lock_case  # late: see the TYPE_CHECKING import above

        engine = self.engine
        now = engine.clock.now()
        case_id = None
        try:
            with engine.db.begin() as conn:
                case_id = conn.execute(select(instances.c.case_id).where(
                    instances.c.id == instance_id)).scalar()
                if case_id is None:
                    raise NotFound(f"procesinstantie {instance_id} bestaat niet")
                case = _lock_case(conn, case_id)
                target = versions.get_version(conn, target_version_id)
                check, outcome, ctx = self._check(conn, target, instance_id, now, actor)
                if outcome is None or ctx is None:  # both None when the instance cannot move
                    raise MigrationRefused(check.reasons)
                case = self._persist(conn, case, instance_id, check, target, outcome, actor, now, revert_of)
                engine.core.spawn(conn, case, ctx, instance_id, actor, now)  # what the engine steps asked for
        except EngineError as exc:
            return MigrationResult(instance_id, case_id or 0, False, str(exc))
        word = "teruggezet" if revert_of else "gemigreerd"
        return MigrationResult(instance_id, case_id, True,
                               f"{check.case_number}: {word} van versie {check.from_version} "
                               f"naar versie {target.version}")

    def _persist(self, conn: Connection, case: dict[str, Any], instance_id: int, check: InstanceCheck,
                 target: versions.ProcessVersion, outcome: StepOutcome, actor: str, now: datetime,
                 revert_of: int | None) -> dict[str, Any]:
        engine = self.engine
        inst = conn.execute(select(instances.c.version).where(instances.c.id == instance_id)).mappings().one()
        digest = state_hash(outcome.state)
        completed = outcome.workflow.is_completed()
        result = conn.execute(update(instances).where(
            instances.c.id == instance_id, instances.c.version == inst["version"],
            instances.c.process_version_id == check.from_version_id,
        ).values(state=outcome.state, state_hash=digest, id_counter=outcome.id_counter,
                 version=inst["version"] + 1, updated_at=now, process_version_id=target.id,
                 status="completed" if completed else "running", completed_at=now if completed else None))
        if result.rowcount != 1:
            raise ConflictError(f"zaak {case['case_number']} is intussen door iemand anders gewijzigd")
        # Rebuilt, not synced: the same ready task may now carry another title, lane or form.
        rebuild_work_items(conn, outcome.workflow, instance_id=instance_id, case_id=case["id"],
                           gemeente=case["gemeente"], process_id=check.process_id, now=now)
        rebuild_waits(conn, outcome.workflow, instance_id=instance_id, case_id=case["id"])
        payload = {"from_version_id": check.from_version_id, "to_version_id": target.id,
                   "from_version": check.from_version, "to_version": target.version,
                   "process_id": check.process_id, "notes": check.notes, "revert_of": revert_of}
        case = engine.core.append(conn, case, kind=EVENT_KIND, actor=actor, at=now, payload=payload,
                              instance_id=instance_id, state_hash=digest)
        return case


def replay_migrated(runtime: Runtime, specs: versions.SpecCache | versions.StoredSpecs, conn: Connection,
                    inst: _Replayed, payload: dict[str, Any], ctx: StepContext) -> None:
    """Replay hook for ``engine.audit.replay``: apply a recorded migration to the replayed instance.

    ``inst`` is replay's ``_Replayed`` (uid, version_id, state, counter); it moves onto the target
    version exactly as the live migration did.
    """
    if inst.version_id != payload["from_version_id"]:
        raise ValueError(f"migratie vanaf versie-id {payload['from_version_id']}, "
                         f"maar de instantie stond op {inst.version_id}")
    current = versions.get_version(conn, payload["from_version_id"])
    target = versions.get_version(conn, payload["to_version_id"])
    old_spec, old_subs = specs.get(conn, current)
    new_spec, new_subs = specs.get(conn, target)
    outcome = runtime.advance(old_spec, old_subs, inst.uid, inst.state, inst.counter, ctx,
                              _migrate_action(new_spec, new_subs, None))
    inst.state, inst.counter, inst.version_id = outcome.state, outcome.id_counter, target.id


# -- the step ---------------------------------------------------------------------------------------
def _scope_problem(row: RowMapping, current: versions.ProcessVersion,
                   target: versions.ProcessVersion) -> str | None:
    if row["status"] != "running":
        return "de instantie is al afgesloten"
    if target.process_id != row["process_id"]:
        return f"versie {target.version} hoort bij proces {target.process_id}, niet bij {row['process_id']}"
    if target.gemeente not in (row["gemeente"], versions.SHARED):
        return (f"versie {target.version} is uitgerold voor {target.gemeente}, "
                f"de zaak hoort bij {row['gemeente']}")
    if target.id == current.id:
        return f"de instantie staat al op versie {target.version}"
    return None


def _migrate_action(new_spec: BpmnProcessSpec, new_subs: dict[str, BpmnProcessSpec],
                    notes: list[str] | None) -> Callable[[BpmnWorkflow], None]:
    def act(workflow: BpmnWorkflow) -> None:
        top, sub_diffs = diff_workflow(_SPEC_REGISTRY, workflow, new_spec, new_subs)
        reasons = _blockers(workflow, top, sub_diffs)
        if reasons:
            raise MigrationRefused(reasons)
        if notes is not None:
            notes.extend(_notes(top))
        timers = _open_timers(workflow, top)
        migrate_workflow(top, workflow, new_spec)
        for sp_id, diff in sub_diffs.items():
            sub = workflow.subprocesses[sp_id]
            migrate_workflow(diff, sub, new_subs[sub.spec.name])
        workflow.subprocess_specs = new_subs
        for task_id, value in timers.items():  # a timer that did not change keeps its due time
            task = workflow.tasks.get(task_id)
            if task is not None:
                task.internal_data["event_value"] = value

    return act


def _label(task: Task) -> str:
    spec = task.task_spec
    return f"‘{spec.bpmn_name or spec.bpmn_id or spec.name}’"


def _blockers(workflow: BpmnWorkflow, top: WorkflowDiff,
              sub_diffs: Mapping[str, WorkflowDiff | None]) -> list[str]:
    reasons = []
    for task in top.removed:
        if task.task_spec.bpmn_id is None:
            continue  # internal helper specs (Start, End, ...) come and go with the model
        if task.has_state(_OPEN):
            reasons.append(f"taak {_label(task)} staat open maar bestaat niet meer in de nieuwe versie")
        elif task.has_state(TaskState.COMPLETED | TaskState.CANCELLED):  # predicted ones are re-predicted
            reasons.append(f"taak {_label(task)} is al doorlopen maar bestaat niet meer in de nieuwe versie")
    for task in top.changed:
        new = top.alignment.get(task)
        if new is not None and type(new) is not type(task.task_spec) and task.has_state(_OPEN):
            reasons.append(f"taak {_label(task)} staat open en is van type veranderd "
                           f"({type(task.task_spec).__name__} → {type(new).__name__})")
    for sp_id, diff in sub_diffs.items():
        if diff is None and not workflow.subprocesses[sp_id].is_completed():
            reasons.append(f"lopend subproces {workflow.subprocesses[sp_id].spec.name} "
                           "bestaat niet meer in de nieuwe versie")
    return reasons


def _notes(top: WorkflowDiff) -> list[str]:
    notes = []
    for task in top.changed:
        if task.has_state(_OPEN) and task.task_spec.bpmn_id:
            notes.append(f"open taak {_label(task)} is gewijzigd en wordt opnieuw klaargezet")
    return notes


def _open_timers(workflow: BpmnWorkflow, top: WorkflowDiff) -> dict[UUID, Any]:
    changed = {t.id for t in top.changed}
    return {task.id: task.internal_data["event_value"]
            for task in workflow.get_tasks(state=TaskState.WAITING, skip_subprocesses=True)
            if "event_value" in task.internal_data and task.id not in changed}
