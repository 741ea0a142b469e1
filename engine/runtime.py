"""Running one step of one process instance: load, attach the sandbox, act, serialize.

Everything SpiffWorkflow does inside a step happens with the step's time frozen, task ids drawn
from the instance's own sequence and a CPU budget on model code. The sandboxed script engine is
attached after every load, because deserialization would otherwise restore the default,
unrestricted one.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.engine import Connection

from engine.assignment import LANE_ROUTING
from engine.clock import frozen_at
from engine.decisions import DecisionProvider
from engine.errors import EngineError, StepFailed
from engine.models.labels import kind_name, label
from engine.sandbox import determinism, spiff_logging, timer_bounds  # noqa: F401 - spiff_logging: log work off
from engine.sandbox.environment import SandboxedScriptEngine, SandboxLimitExceeded, make_script_engine
from engine.sandbox.explain import describe
from engine.sandbox.limits import checkpoint, last_task, step_budget
from engine.scheduling.waits import WaitKey, wait_keys
from engine.storage.state import data_to_json, dump_state, load_state
from engine.worklist import ready_task_ids

LEGAL_TZ = ZoneInfo("Europe/Amsterdam")
ServiceHandler = Callable[["StepContext", Any, dict[str, Any]], Any]
# SpiffWorkflow's service-task call: (task, {name: {"value", "type"}}) -> JSON text.
SpiffService = Callable[[Any, Mapping[str, Any] | None], str]


@dataclass
class SpawnRequest:
    process_id: str
    data: dict[str, Any]


@dataclass
class DeadlineRequest:
    action: str  # set | close
    params: dict[str, Any]


@dataclass
class MessageRequest:
    name: str
    payload: dict[str, Any]


@dataclass
class StepContext:
    """What model code may know about the step it runs in."""

    case_id: int
    case_number: str
    gemeente: str
    now: datetime
    actor: str
    spawns: list[SpawnRequest] = field(default_factory=list)
    deadlines: list[DeadlineRequest] = field(default_factory=list)
    # Messages to the other instances of the same dossier that wait for them (``send_message``).
    messages: list[MessageRequest] = field(default_factory=list)
    # Application writes a service handler asks for, applied in the step's own transaction after
    # its event (see StepCore.spawn): callables (conn, case, instance_id, actor, now, append) -> case | None,
    # ``append`` being the engine's event append (for an event of their own).
    # Handlers stay pure, so a replay (which discards them) recomputes the same state.
    effects: list[Callable[..., dict[str, Any] | None]] = field(default_factory=list)
    # The step's connection, for a decision provider that reads versions from the database (read
    # only: a replay passes its snapshot). None where no database is involved (model tests).
    conn: Connection | None = None


@dataclass
class StepOutcome:
    workflow: BpmnWorkflow
    state: str
    id_counter: int
    # What the worklist and wait rows reflected before the step (None: unknown, rebuild them all).
    ready_before: frozenset[str] | None = None
    waits_before: tuple[WaitKey, ...] | None = None


class Runtime:
    def __init__(self, decisions: DecisionProvider | None, services: Mapping[str, ServiceHandler],
                 cpu_seconds: float) -> None:
        self.decisions = decisions
        self.services = dict(services)
        self.cpu_seconds = cpu_seconds

    def script_engine(self, ctx: StepContext) -> SandboxedScriptEngine:
        handlers = {name: _bind(handler, ctx) for name, handler in self.services.items()}
        handlers["start_process"] = _bind(_start_process_service, ctx)
        handlers["send_message"] = _bind(_send_message_service, ctx)
        handlers["set_deadline"] = _bind(_deadline_service("set"), ctx)
        handlers["close_deadline"] = _bind(_deadline_service("close"), ctx)
        engine = make_script_engine(handlers)
        if self.decisions is not None:
            provider = self.decisions
            legal_today = ctx.now.astimezone(LEGAL_TZ).date()  # legal dates are Amsterdam dates
            engine.decide = lambda decision_id, task: provider.evaluate_in_case(
                decision_id, task.data, ctx.gemeente, legal_today, at=ctx.now, conn=ctx.conn)
        return engine

    @contextmanager
    def _stepping(self, uid: str, counter: int, now: datetime) -> Iterator[determinism.IdSequence]:
        seq = determinism.IdSequence.of(uid, counter)
        with frozen_at(now), determinism.id_sequence(seq), step_budget(self.cpu_seconds):
            try:
                yield seq
            except EngineError:
                raise
            except timer_bounds.TimerOutOfBounds as exc:
                where = f" in {_task_label(exc.task)}" if exc.task is not None else ""
                said = exc.detail if where else str(exc)
                raise StepFailed(f"het model faalde{where}: {said}", exc.element) from exc
            except SandboxLimitExceeded as exc:
                task = last_task()
                name = _task_name(task)
                where = f" bij {_task_label(task)}" if task is not None else ""
                raise StepFailed(self._limit_message(exc).replace(":", f"{where}:", 1), name) from exc
            except SpiffWorkflowException as exc:
                raise _step_failed(exc) from exc
            except Exception as exc:  # noqa: BLE001 - model code may raise anything
                raise StepFailed(f"het model faalde: {describe(exc)}") from exc

    def _limit_message(self, exc: SandboxLimitExceeded) -> str:
        """The limit a step hit, in Dutch (the sandbox's own words stay as detail)."""
        if "CPU" in str(exc):
            return (f"de stap is afgebroken: het model rekende langer dan de grens van "
                    f"{self.cpu_seconds:g} s CPU-tijd per stap")
        if "geheugen" in str(exc):
            return f"de stap is afgebroken: het model gebruikte meer geheugen dan toegestaan ({exc})"
        return f"de stap is afgebroken: het model overschreed een grens van de sandbox ({exc})"

    def start(self, spec: BpmnProcessSpec, subprocess_specs: Mapping[str, BpmnProcessSpec], uid: str,
              data: dict[str, Any], ctx: StepContext) -> StepOutcome:
        with self._stepping(uid, 0, ctx.now) as seq:
            workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=self.script_engine(ctx))
            for task in workflow.get_tasks(state=TaskState.READY):
                task.data.update(data)
            workflow.do_engine_steps(will_complete_task=checkpoint)
            return StepOutcome(workflow, dump_state(workflow), seq.counter, frozenset(), ())

    def advance(self, spec: BpmnProcessSpec, subprocess_specs: Mapping[str, BpmnProcessSpec], uid: str,
                state: str, counter: int, ctx: StepContext,
                action: Callable[[BpmnWorkflow], None], loaded: BpmnWorkflow | None = None) -> StepOutcome:
        """One step from ``state``. ``loaded``: the workflow ``state`` was dumped from, stepped on
        instead of loading the text again (the verifier's fast path, which checks the result against
        the recorded state hash and else steps again from the text); no worklist diff is taken then."""
        with self._stepping(uid, counter, ctx.now) as seq:
            workflow = loaded if loaded is not None else load_state(state, spec, subprocess_specs)
            workflow.script_engine = self.script_engine(ctx)
            if loaded is None:
                ready_before, waits_before = ready_task_ids(workflow), wait_keys(workflow)
            else:
                ready_before, waits_before = frozenset(), ()
            action(workflow)
            workflow.do_engine_steps(will_complete_task=checkpoint)
            return StepOutcome(workflow, dump_state(workflow), seq.counter, ready_before, waits_before)


def reopen_task(workflow: BpmnWorkflow, task_id: str) -> None:
    """Reset the workflow to a completed task (a correction); a finished workflow runs again."""
    workflow.reset_from_task_id(uuid.UUID(task_id))
    workflow.completed = False  # SpiffWorkflow keeps the flag once set; the reset made work again


def _bind(handler: ServiceHandler, ctx: StepContext) -> SpiffService:
    """Adapt an application handler to SpiffWorkflow's service-task call.

    SpiffWorkflow hands over parameters as {name: {"value", "type"}} and expects a JSON string back.
    """

    def call(task: Any, params: Mapping[str, Any] | None) -> str:
        plain = {name: (p["value"] if isinstance(p, dict) and "value" in p else p)
                 for name, p in (params or {}).items()}
        result = handler(ctx, task, plain)
        return result if isinstance(result, str) else data_to_json(result)

    return call


def _start_process_service(ctx: StepContext, task: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Built-in service task: start another bounded process instance in the same dossier."""
    process_id = params.get("process_id") or params.get("process")
    if not process_id:
        raise StepFailed("start_process: parameter 'process_id' ontbreekt", task.task_spec.bpmn_name)
    data = params.get("data") or {}
    if not isinstance(data, dict):
        raise StepFailed("start_process: parameter 'data' moet een object zijn", task.task_spec.bpmn_name)
    data = dict(data)
    routing = task.data.get(LANE_ROUTING)
    if routing and LANE_ROUTING not in data:  # the lanes routed in the dossier hold for what it starts
        data[LANE_ROUTING] = routing
    ctx.spawns.append(SpawnRequest(str(process_id), data))
    return {"started": process_id}


def _send_message_service(ctx: StepContext, task: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Built-in service task: a message to the other instances of the same dossier waiting for it
    (delivered after the step, in its transaction; none waiting is no error)."""
    name = params.get("name")
    if not name:
        raise StepFailed("send_message: parameter 'name' ontbreekt", task.task_spec.bpmn_name)
    payload = params.get("payload") or {}
    if not isinstance(payload, dict):
        raise StepFailed("send_message: parameter 'payload' moet een object zijn", task.task_spec.bpmn_name)
    ctx.messages.append(MessageRequest(str(name), dict(payload)))
    return {"bericht": str(name)}


def _deadline_service(action: str) -> ServiceHandler:
    """Built-in service tasks ``set_deadline`` / ``close_deadline``: legal terms as data."""

    def handler(ctx: StepContext, task: Any, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("name"):
            raise StepFailed(f"{action}_deadline: parameter 'name' ontbreekt", task.task_spec.bpmn_name)
        ctx.deadlines.append(DeadlineRequest(action, dict(params)))
        return {"termijn": params["name"]}

    return handler


def _task_name(task: Any) -> str | None:
    if task is None:
        return None
    spec = task.task_spec
    name: str | None = spec.bpmn_name or spec.bpmn_id or spec.name
    return name


def _task_label(task: Any) -> str:
    """"Scripttaak ‘Bereken premie’ (script_premie)" for a running task (``engine.models.labels``)."""
    spec = task.task_spec
    kind = type(spec).__name__
    kind = kind_name(kind[:1].lower() + kind[1:]) if kind else "Element"
    return label(kind, spec.bpmn_name, spec.bpmn_id or spec.name)


# SpiffWorkflow's own run-time texts (no model code behind them), as a designer reads them.
_SPIFF_TEXTS = (
    ("No conditions satisfied", "geen enkele voorwaarde van de gateway geldt en er is geen standaardroute"),
    ("Unable to parse", "de waarde kan niet als ISO 8601-datum, -duur of -cyclus worden gelezen"),
)


def _cause(exc: BaseException) -> BaseException | None:
    """The exception model code raised, behind SpiffWorkflow's wrapper (``raise ... from``)."""
    seen: set[int] = set()
    found: BaseException | None = exc.__cause__ or exc.__context__
    while found is not None and isinstance(found, SpiffWorkflowException) and id(found) not in seen:
        seen.add(id(found))
        found = found.__cause__ or found.__context__
    return None if isinstance(found, SpiffWorkflowException) else found


def _step_failed(exc: SpiffWorkflowException) -> StepFailed:
    task = getattr(exc, "task", None)
    name = _task_name(task)
    line = getattr(exc, "line_number", None) or None
    where = f" in {_task_label(task)}" if task is not None else ""
    at_line = f" (regel {line})" if line else ""
    cause = _cause(exc)
    if cause is not None:
        detail = describe(cause)
    else:
        text = str(exc).split("\n")[0]
        detail = next((dutch for english, dutch in _SPIFF_TEXTS if english in text),
                      "de procesmotor kon niet verder; controleer het element en zijn verbindingen")
    return StepFailed(f"het model faalde{where}{at_line}: {detail}", name, line)
