"""Model tests: scenarios a designer attaches to a process or a decision, run without the database.

A process scenario (JSON)::

    {"start": {...start data...},
     "steps": [{"task": "<bpmn id or name of a ready user task>", "data": {...}},
               {"wacht": "P14D"},                        # move the clock (ISO 8601 duration): due timers fire
               {"bericht": "<message name>", "inhoud": {...}},  # a message arrives (its payload)
               ...],
     "expect": {"path": ["<user task id>", ...],   # user tasks that became ready, in order
                "data": {...},                     # values that must be in the data at the end
                "completed": true}}                # optional

A decision scenario: ``{"inputs": {...}, "expect": {...outputs...}, "peildatum": "YYYY-MM-DD"}``
(peildatum optional: the rules in force that day, else today's), answered by the gemeente's
rule packs (``processes.decisions``). Process scenarios run on ``engine.runtime.Runtime`` with the
time frozen at a fixed moment (moved only by a "wacht" step) and no database writes, against the bundle
under test. A timer fires and a message arrives as on a running case (engine.scheduling.due_work).
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine

from casework.tables import model_tests
from engine.errors import EngineError, InvalidInput, NotFound
from engine.models.expressions import NSMAP, called_decisions
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import Bundle, BundleInvalid, parse_bundle
from engine.runtime import Runtime, StepContext
from engine.sandbox.explain import describe
from engine.scheduling.waits import delivered_event, wait_keys
from engine.storage.db import read_only
from engine.storage.rows import inserted_id
from engine.worklist import ready_user_tasks
from processes.decisions.model import PackError
from processes.decisions.service import DecisionService

# Scenarios run at a fixed moment, so that a scenario gives the same answer every day.
SCENARIO_NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KINDS = ("process", "decision")


@dataclass(frozen=True)
class ModelTest:
    id: int
    kind: str
    target: str
    name: str
    scenario: dict[str, Any]  # the JSON the designer wrote


@dataclass
class TestOutcome:
    test_id: int
    name: str
    passed: bool
    messages: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)


def add_test(db: Engine, gemeente: str, kind: str, target: str, name: str, scenario_json: str,
             actor: str) -> int:
    if kind not in KINDS:
        raise InvalidInput("soort: kies proces of beslissing")
    try:
        scenario = json.loads(scenario_json)
    except ValueError as exc:
        raise InvalidInput(f"scenario: geen geldige JSON ({exc})") from exc
    _check_shape(kind, scenario)
    if not name.strip():
        raise InvalidInput("naam: geef de test een naam")
    with db.begin() as conn:
        return inserted_id(conn.execute(model_tests.insert().values(
            gemeente=gemeente, kind=kind, target=target, name=name.strip(), scenario=json.dumps(scenario),
            created_by=actor, created_at=datetime.now(UTC))))


def _check_shape(kind: str, scenario: Any) -> None:
    if not isinstance(scenario, dict):
        raise InvalidInput("scenario: verwacht een JSON-object")
    if kind == "decision":
        if not isinstance(scenario.get("inputs"), dict) or not isinstance(scenario.get("expect"), dict):
            raise InvalidInput("scenario: een beslistest heeft 'inputs' en 'expect' (objecten)")
        return
    steps = scenario.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(s, dict) and _step_kind(s) for s in steps):
        raise InvalidInput("scenario: 'steps' is een lijst van {\"task\": ..., \"data\": {...}}, "
                           "{\"wacht\": \"P14D\"} of {\"bericht\": \"naam\", \"inhoud\": {...}}")
    for number, step in enumerate(steps, start=1):
        if "wacht" in step and _duration(step["wacht"]) is None:
            raise InvalidInput(f"scenario: stap {number}: 'wacht' is een ISO 8601-duur zoals \"P14D\" of "
                               f"\"PT5M\", niet {step['wacht']!r}")
        if "bericht" in step and not isinstance(step.get("inhoud", {}), dict):
            raise InvalidInput(f"scenario: stap {number}: 'inhoud' van een bericht is een object")
    if not isinstance(scenario.get("expect", {}), dict):
        raise InvalidInput("scenario: 'expect' is een object")


def _step_kind(step: Mapping[str, Any]) -> str | None:
    """task, wacht or bericht: exactly one of them."""
    kinds = [k for k in ("task", "wacht", "bericht") if k in step]
    return kinds[0] if len(kinds) == 1 else None


def _duration(value: Any) -> dict[str, float] | None:
    if not isinstance(value, str) or not value.startswith("P"):
        return None
    try:
        parsed: dict[str, float] = TimerEventDefinition.parse_iso_duration(value)
    except Exception:  # noqa: BLE001 - SpiffWorkflow raises a bare Exception for a bad duration
        return None
    return parsed


def delete_test(db: Engine, test_id: int, gemeente: str) -> None:
    with db.begin() as conn:
        conn.execute(delete(model_tests).where(model_tests.c.id == test_id,
                                               model_tests.c.gemeente == gemeente))


def tests_for(db: Engine, gemeente: str, kind: str | None = None,
              target: str | None = None) -> list[ModelTest]:
    query = select(model_tests).where(model_tests.c.gemeente == gemeente).order_by(model_tests.c.id)
    if kind:
        query = query.where(model_tests.c.kind == kind)
    if target:
        query = query.where(model_tests.c.target == target)
    with read_only(db).connect() as conn:
        return [ModelTest(r["id"], r["kind"], r["target"], r["name"], json.loads(r["scenario"]))
                for r in conn.execute(query).mappings()]


def decisions_called(files: Mapping[str, str], process_id: str) -> set[str]:
    """The decisions the process's business rule tasks call, in the given bundle."""
    found: set[str] = set()
    for name, text in files.items():
        if not name.lower().endswith(".bpmn"):
            continue
        try:
            root = parse_safe_xml(text.encode("utf-8")).getroot()
        except Exception:  # noqa: BLE001 - an unreadable file calls nothing
            continue
        for process in root.iterfind("bpmn:process", NSMAP):
            if process.get("id") == process_id:
                found |= {ref.strip("\"'") for _task, ref in called_decisions(process) if ref}
    return found


def decision_tests_of(db: Engine, gemeente: str, files: Mapping[str, str],
                      process_id: str) -> list[ModelTest]:
    """The gemeente's saved decision tests of the decisions this process calls (its page lists them)."""
    called = decisions_called(files, process_id)
    return [t for t in tests_for(db, gemeente, "decision") if t.target in called]


def get_test(db: Engine, test_id: int, gemeente: str) -> ModelTest:
    found = [t for t in tests_for(db, gemeente) if t.id == test_id]
    if not found:
        raise NotFound(f"modeltest {test_id} bestaat niet")
    return found[0]


def run_bundle_tests(runtime: Runtime, decisions: DecisionService | None, files: Mapping[str, bytes],
                     gemeente: str, tests: list[ModelTest],
                     conn: Connection | None = None) -> list[TestOutcome]:
    """Run the tests that concern this bundle: process scenarios on its processes, decision tests
    (with ``conn``: on the rule versions deployed from the designer too, as cases decide)."""
    try:
        bundle = parse_bundle(files)
    except BundleInvalid as exc:
        return [TestOutcome(t.id, t.name, False, [f"het model is ongeldig: {exc}"]) for t in tests]
    outcomes: list[TestOutcome] = []
    for test in tests:
        if test.kind == "process":
            outcomes.append(run_process_test(runtime, bundle, gemeente, test))
        else:
            outcomes.append(run_decision_test(decisions, gemeente, test, conn))
    return outcomes


def run_process_test(runtime: Runtime, bundle: Bundle, gemeente: str, test: ModelTest) -> TestOutcome:
    outcome = TestOutcome(test.id, test.name, False)
    scenario = test.scenario
    try:
        spec, subs = bundle.get_spec(test.target)
    except KeyError:
        outcome.messages.append(f"proces {test.target} zit niet in deze bundel")
        return outcome
    uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"trede-model-test/{test.id}"))
    ctx = StepContext(0, "MODELTEST", gemeente, SCENARIO_NOW, "modeltest")
    try:
        step = runtime.start(spec, subs, uid, dict(scenario.get("start", {})), ctx)
        seen = _note_ready(step.workflow, set(), outcome.path)
        for number, wanted in enumerate(scenario.get("steps", []), start=1):
            if "wacht" in wanted or "bericht" in wanted:
                moved = _event_step(runtime, spec, subs, uid, step, ctx, wanted, number)
                if isinstance(moved, str):
                    outcome.messages.append(moved)
                    return outcome
                step, ctx = moved
                seen = _note_ready(step.workflow, seen, outcome.path)
                continue
            task = _find_ready(step.workflow, str(wanted["task"]))
            if task is None:
                ready = ", ".join(t.task_spec.bpmn_id for t in ready_user_tasks(step.workflow)) or "geen"
                outcome.messages.append(
                    f"stap {number}: taak {wanted['task']} staat niet open (open: {ready})")
                return outcome
            step = runtime.advance(spec, subs, uid, step.state, step.id_counter, ctx,
                                   _completion(task.id, dict(wanted.get("data", {}))))
            seen = _note_ready(step.workflow, seen, outcome.path)
    except EngineError as exc:
        outcome.messages.append(f"het proces faalde: {exc}")
        return outcome
    outcome.messages.extend(_compare_process(step.workflow, scenario.get("expect", {}), outcome.path))
    outcome.passed = not outcome.messages
    return outcome


def _event_step(runtime: Runtime, spec: Any, subs: Any, uid: str, step: Any, ctx: StepContext,
                wanted: Mapping[str, Any], number: int) -> tuple[Any, StepContext] | str:
    """A "wacht" (the clock moves; timers due by then fire) or "bericht" step, as a running case takes
    it; a Dutch message when nothing waits for it."""
    waiting = wait_keys(step.workflow)
    if "wacht" in wanted:
        duration = _duration(wanted["wacht"])
        if duration is None:
            return f"stap {number}: 'wacht' is geen ISO 8601-duur: {wanted['wacht']!r}"
        later = replace(ctx, now=ctx.now + TimerEventDefinition.get_timedelta_from_start(duration, ctx.now))
        if not any(kind == "timer" for kind, _name, _due in waiting):
            return f"stap {number}: er wacht geen timer (het proces wacht op: {_waiting_text(waiting)})"
        return runtime.advance(spec, subs, uid, step.state, step.id_counter, later,
                               lambda workflow: workflow.refresh_timers()), later
    name = str(wanted["bericht"])
    if ("message", name, None) not in waiting:
        return (f"stap {number}: niets wacht op bericht {name!r} "
                f"(het proces wacht op: {_waiting_text(waiting)})")
    body = dict(wanted.get("inhoud") or {})
    return runtime.advance(spec, subs, uid, step.state, step.id_counter, ctx,
                           lambda workflow: workflow.send_event(
                               delivered_event("message_delivered", name, body))), ctx


def _waiting_text(waiting: tuple[Any, ...]) -> str:
    names = [f"timer {name}" if kind == "timer" else f"bericht {name}" for kind, name, _due in waiting]
    return ", ".join(names) or "niets"


def _note_ready(workflow: BpmnWorkflow, seen: set[uuid.UUID], path: list[str]) -> set[uuid.UUID]:
    for task in ready_user_tasks(workflow):
        if task.id not in seen:
            seen = seen | {task.id}
            path.append(task.task_spec.bpmn_id or task.task_spec.name)
    return seen


def _find_ready(workflow: BpmnWorkflow, wanted: str) -> Task | None:
    for task in ready_user_tasks(workflow):
        spec = task.task_spec
        if wanted in (spec.bpmn_id, spec.name, spec.bpmn_name):
            return task
    return None


def _completion(task_id: uuid.UUID, data: dict[str, Any]) -> Callable[[BpmnWorkflow], None]:
    def complete(workflow: BpmnWorkflow) -> None:
        task = workflow.get_task_from_id(task_id)
        task.data.update(data)
        task.run()
    return complete


def _current_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    if workflow.is_completed():
        return dict(workflow.data)
    data: dict[str, Any] = {}
    for task in workflow.get_tasks(state=TaskState.COMPLETED | TaskState.READY | TaskState.WAITING):
        data.update(task.data)
    return data


def _compare_process(workflow: BpmnWorkflow, expect: Mapping[str, Any], path: list[str]) -> list[str]:
    problems: list[str] = []
    if "path" in expect and list(expect["path"]) != path:
        problems.append(f"pad: verwacht {expect['path']}, kreeg {path}")
    if "completed" in expect and bool(expect["completed"]) != workflow.is_completed():
        problems.append("het proces is " + ("niet " if expect["completed"] else "") + "afgerond")
    data = _current_data(workflow)
    for key, value in (expect.get("data") or {}).items():
        if _jsonish(data.get(key)) != value:
            problems.append(f"gegeven {key}: verwacht {value!r}, kreeg {_jsonish(data.get(key))!r}")
    return problems


def _jsonish(value: Any) -> Any:
    """Compare the way the scenario is written: JSON (dates as ISO text, Decimals as numbers)."""
    return json.loads(json.dumps(value, default=_plain))


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else float(value)


def failure_text(exc: Exception) -> str:
    """Why a test's run failed, in Dutch: our own errors say it already; Python's are described
    (``engine.sandbox.explain``), never shown by class name."""
    return str(exc) if isinstance(exc, (EngineError, PackError)) else describe(exc)


def run_decision_test(decisions: DecisionService | None, gemeente: str, test: ModelTest,
                      conn: Connection | None = None) -> TestOutcome:
    outcome = TestOutcome(test.id, test.name, False)
    if decisions is None:
        outcome.messages.append("de beslisservice is niet beschikbaar")
        return outcome
    try:
        on = date.fromisoformat(test.scenario["peildatum"]) if test.scenario.get("peildatum") else None
        result = decisions.decide(test.target, gemeente, test.scenario["inputs"], on, conn)
    except Exception as exc:  # noqa: BLE001 - the rule pack's error is the test's finding
        outcome.messages.append(f"de beslissing faalde: {failure_text(exc)}")
        return outcome
    got = result.outputs_json()
    for key, value in test.scenario["expect"].items():
        if got.get(key) != value:
            outcome.messages.append(f"uitkomst {key}: verwacht {value!r}, kreeg {got.get(key)!r}")
    outcome.passed = not outcome.messages
    return outcome
