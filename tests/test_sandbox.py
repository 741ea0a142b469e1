"""The expression sandbox: model code runs with SpiffWorkflow's semantics but cannot escape or hang."""
from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.models.validation import parse_bundle
from engine.sandbox import limits as sandbox_limits
from engine.sandbox.environment import (
    SandboxedEnvironment,
    SandboxLimitExceeded,
    SandboxViolation,
    check_code,
    compile_code,
    cpu_budget,
    make_script_engine,
)
from engine.sandbox.guards import MAX_SIZE
from engine.sandbox.helpers import add_months, months_between, parse_date, round_money

MODELS = Path(__file__).parent / "models"
HOSTILE = MODELS / "hostile"


@pytest.fixture
def env() -> SandboxedEnvironment:
    return SandboxedEnvironment()


# --- semantics --------------------------------------------------------------------------------


def test_script_changes_task_data_and_leaves_no_helpers_behind(env):
    data = {"startdatum": date(2024, 1, 31), "uren": 3}
    env.execute(
        "einddatum = add_months(startdatum, 1)\n"
        "bedrag = round_money(uren * 12.5)\n"
        "dubbel = lambda x: x * 2\n"
        "def helper(x):\n    return x + 1\n"
        "totaal = helper(dubbel(uren))",
        data,
    )
    assert data == {
        "startdatum": date(2024, 1, 31), "uren": 3, "einddatum": date(2024, 2, 29),
        "bedrag": Decimal("37.50"), "totaal": 7,
    }


def test_expression_sees_task_data_and_external_context(env):
    assert env.evaluate("trede <= 2 and naam == 'x'", {"trede": 1, "naam": "x"}) is True
    assert env.evaluate("dmninputexpr + 1", {}, {"dmninputexpr": 41}) == 42


def test_task_data_may_shadow_a_helper_name(env):
    # A form field called "date" must not break scripts (it simply wins, as data always does).
    data = {"date": "2024-05-01"}
    env.execute("d = parse_date(date)", data)
    assert data["d"] == date(2024, 5, 1)


def test_task_data_cannot_replace_a_guard(env):
    assert env.evaluate("x.real", {"x": 3, "_getattr_": "not a function"}) == 3


def test_date_helpers_use_calendar_arithmetic():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months("2024-04-01", 6) == date(2024, 10, 1)
    assert months_between(date(2024, 1, 15), date(2024, 7, 14)) == 5
    assert months_between(date(2024, 7, 15), date(2024, 1, 15)) == -6
    assert round_money(2.675) == Decimal("2.68")
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    with pytest.raises(ValueError):
        parse_date("31-01-2024")


def test_helpers_are_available_inside_model_code(env):
    result = env.evaluate(
        "(add_weeks(d, 8), add_days(d, 1), timedelta(days=1), sorted([3, 1]), Decimal('1.5'))",
        {"d": date(2024, 1, 1)},
    )
    assert result == (date(2024, 2, 26), date(2024, 1, 2), date(2024, 1, 2) - date(2024, 1, 1),
                      [1, 3], Decimal("1.5"))


def test_compiled_code_is_cached():
    assert compile_code("a + 1", "eval") is compile_code("a + 1", "eval")


# --- escapes refused at compile time ------------------------------------------------------------

COMPILE_REFUSED = [
    ("__import__('os')", "eval", "__import__"),
    ("import os", "exec", "modules importeren mag niet in modelcode (import os)"),
    ("from os import system", "exec", "modules importeren mag niet in modelcode (from os"),
    ("().__class__.__base__.__subclasses__()", "eval", "__subclasses__"),
    ("getattr(x, '__class__')", "eval", "getattr"),
    ("'{0.__class__}'.format(1)", "eval", ".format"),
    ("str.format('{0.__class__}', 1)", "eval", ".format"),
    ("'{a.__class__}'.format_map({'a': 1})", "eval", ".format_map"),
    ("open('/etc/passwd')", "eval", "open"),
    ("eval('1')", "eval", "‘eval’ mag niet"),
    ("exec('1')", "exec", "‘exec’ mag niet"),
    ("compile('1', 'f', 'eval')", "eval", "compile"),
    ("globals()", "eval", "globals"),
    ("vars()", "eval", "vars"),
    ("locals()", "eval", "locals"),
    ("(i for i in []).gi_frame", "eval", "gi_frame"),
    ("g = (i for i in [1])\nx = g.gi_frame.f_back.f_globals", "exec", "‘.f_globals’ mag niet in modelcode"),
    ("datetime.now()", "eval", "leest de klok"),
    ("date.today()", "eval", "leest de klok"),
    ("class A:\n    pass", "exec", "class"),
    ("print('x')", "exec", "print"),
    ("x = (", "exec", "ongeldige Python-syntax: een haakje wordt geopend maar niet gesloten"),
]


@pytest.mark.parametrize(("source", "mode", "fragment"), COMPILE_REFUSED)
def test_escape_is_refused_at_compile_time(env, source, mode, fragment):
    with pytest.raises(SandboxViolation) as refused:
        check_code(source, mode)
    assert fragment in refused.value.message
    assert refused.value.lineno is not None
    # And the environment refuses it too: nothing reaches exec/eval.
    with pytest.raises(SandboxViolation):
        (env.evaluate if mode == "eval" else env.execute)(source, {"x": 1})


def test_violation_reports_the_line_within_the_script():
    with pytest.raises(SandboxViolation) as refused:
        check_code("x = 1\ny = 2\nimport os\n")
    assert refused.value.lineno == 3
    assert str(refused.value).startswith("regel 3: modules importeren mag niet in modelcode (import os)")


# --- size and CPU limits at run time ------------------------------------------------------------

SIZE_REFUSED = [
    "10**10**10",
    "'a' * 10**10",
    "[0] * 10**9",
    "1 << 10**9",
    "'%10000000000d' % 1",
    "f'{1:10000000000}'",
    "'a'.ljust(10**9)",
    "(1).to_bytes(10**10, 'big')",
    "list(range(10**9))",
    "('ab' * 1000).replace('a', 'a' * 1000)",
    # A list can hold a million references to one big string: turning it into text is weighed.
    "str(['a' * 1000] * 10000)",
    "repr(['a' * 1000] * 10000)",
    "f'{[\"a\" * 1000] * 10000}'",
    "'%s' % (['a' * 1000] * 10000,)",
    "','.join(['a' * 1000] * 10000)",
    # Decimal('1e999999') is cheap, but int() or f'{x:f}' of it would run for minutes.
    "int(Decimal('1e999999'))",
    "round(Decimal('1e99999'))",
    "f\"{Decimal('1e999999'):f}\"",
]


@pytest.mark.parametrize("source", SIZE_REFUSED)
def test_huge_values_are_refused_before_they_are_built(env, source):
    started = time.perf_counter()
    with pytest.raises(SandboxLimitExceeded, match="grens van"):
        env.evaluate(source, {})
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("source", [
    "x = 'a' * 1000\nwhile True:\n    x *= 2",
    "x = [0] * 1000\nwhile True:\n    x.extend(x)",
    "s = 'a' * 1000\nwhile True:\n    s = f'{s}{s}'",
    "s = 'a' * 1000\nwhile True:\n    s = s + s",
])
def test_doubling_in_a_loop_stops_at_the_size_limit(env, source):
    with pytest.raises(SandboxLimitExceeded, match="grens van"):
        env.execute(source, {})


def test_guarded_builtins_still_behave_like_the_real_ones(env):
    assert env.evaluate(
        "isinstance(1, int) and isinstance('a', (str, int)) and not isinstance(1.5, int)"
        " and isinstance(x, Decimal) and str(5) == '5' and int('7') == 7 and round(2.5) == 2",
        {"x": Decimal("1.5")},
    ) is True
    assert env.evaluate("sum(t, timedelta(0))", {"t": [timedelta(1)] * 3}) == timedelta(3)
    assert env.evaluate("list(zip([1, 2], 'ab'))", {}) == [(1, "a"), (2, "b")]
    with pytest.raises(TypeError, match="sum"):
        env.evaluate("sum([[0]] * 10, [])", {})
    with pytest.raises(AttributeError):  # Python's semantics, not RestrictedPython's None
        env.evaluate("x.nope", {"x": 1})
    for unbound in ("str.join(',', ['a'])", "list.extend(x, x)", "int.to_bytes(1, 10, 'big')"):
        with pytest.raises(AttributeError, match="gebruik de methode op een waarde"):
            env.evaluate(unbound, {"x": [1]})


def test_big_but_allowed_values_still_work(env):
    assert len(env.evaluate("'a' * n", {"n": MAX_SIZE})) == MAX_SIZE
    assert env.evaluate("len(list(range(n)))", {"n": MAX_SIZE}) == MAX_SIZE


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="memory is read from /proc (Linux)")
def test_memory_growth_is_limited(env, monkeypatch):
    monkeypatch.setattr(sandbox_limits, "MAX_MEMORY_GROWTH", 8 * 1024 * 1024)
    with cpu_budget(5), pytest.raises(SandboxLimitExceeded, match="grens van 8 MB geheugen"):
        env.execute("kept = []\nwhile True:\n    kept.append(('x' * 100000).upper())", {})


def test_normal_arithmetic_still_works(env):
    assert env.evaluate("2**10 + 3 * 4 - 7 % 3 + (1 << 4)", {}) == 1024 + 12 - 1 + 16
    assert env.evaluate("'ab' * 3 + f'{x:>4}' + '%05d' % 42", {"x": 7}) == "ababab   700042"


@pytest.mark.parametrize("source", [
    "while True:\n    pass",
    "n = 0\nwhile True:\n    try:\n        n += 1\n    except Exception:\n        pass",
    "def f(n):\n    return f(n - 1) + f(n - 1) if n else 0\nx = f(60)",
    "f = lambda n: f(n - 1) + f(n - 1) if n else 0\nx = f(60)",
    "x = sum(1 for a in range(10**6) for b in range(10**6))",
])
def test_cpu_limit_stops_endless_code(env, source):
    started = time.perf_counter()
    with cpu_budget(0.2), pytest.raises(SandboxLimitExceeded, match="grens van 0.2 s CPU-tijd"):
        env.execute(source, {})
    assert time.perf_counter() - started < 2.0


def test_cpu_limit_works_outside_the_main_thread(env):
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            with cpu_budget(0.2):
                env.execute("while True:\n    pass", {})
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert isinstance(outcome[0], SandboxLimitExceeded)


def test_cpu_budget_is_shared_by_all_code_in_one_step(env):
    busy = "n = 0\nfor i in range(200000):\n    n += i"
    started = time.thread_time()
    env.execute(busy, {})
    cost = time.thread_time() - started
    runs = 0
    with cpu_budget(cost * 2.5), pytest.raises(SandboxLimitExceeded):  # noqa: PT012
        for _ in range(20):
            env.execute(busy, {})
            runs += 1
    assert 1 <= runs < 20


def test_default_budget_applies_without_a_cpu_budget_block(env, monkeypatch):
    monkeypatch.setattr(sandbox_limits, "DEFAULT_CPU_SECONDS", 0.2)
    with pytest.raises(SandboxLimitExceeded, match="0.2 s"):
        env.execute("while True:\n    pass", {})


# --- inside SpiffWorkflow -----------------------------------------------------------------------


def _aanvraag_bundle():
    files = {p.name: p.read_bytes() for p in (MODELS / "aanvraag.bpmn", MODELS / "ladder.dmn")}
    return parse_bundle(files)


def _start(spec, subprocesses, engine, **data) -> BpmnWorkflow:
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=engine)
    workflow.get_tasks()[0].data.update(data)
    workflow.do_engine_steps()
    return workflow


def test_process_with_script_dmn_gateway_service_and_timer_runs_in_the_sandbox():
    spec, subprocesses = _aanvraag_bundle().get_spec("aanvraag")
    calls = []
    engine = make_script_engine({"notify": lambda task, params: calls.append(params) or {"ok": True}})

    done = _start(spec, subprocesses, engine, startdatum=date(2024, 1, 31), uren=3, trede=1)
    assert done.is_completed()
    assert done.data["begeleidingsspoor"] == "activering"
    assert done.data["einddatum"] == date(2024, 2, 29)
    assert done.data["bedrag"] == Decimal("37.50")
    assert calls == []

    waiting = _start(spec, subprocesses, engine, startdatum=date(2024, 1, 31), uren=3, trede=4)
    assert not waiting.is_completed()
    assert calls == [{"bericht": "spoor: re-integratiebegeleiding"}]
    assert len(waiting.waiting_events()) == 1  # the "P14D" timer was evaluated in the sandbox


def test_unknown_service_operation_is_a_clear_error():
    spec, subprocesses = _aanvraag_bundle().get_spec("aanvraag")
    with pytest.raises(WorkflowTaskException, match="de service ‘notify’ bestaat niet"):
        _start(spec, subprocesses, make_script_engine({}), startdatum=date(2024, 1, 1), uren=1, trede=5)


def test_service_result_lands_in_the_task_data():
    spec, subprocesses = _aanvraag_bundle().get_spec("aanvraag")
    engine = make_script_engine({"notify": lambda task, params: {"verstuurd": date(2024, 3, 1)}})
    workflow = _start(spec, subprocesses, engine, startdatum=date(2024, 1, 1), uren=1, trede=5)
    melden = next(t for t in workflow.get_tasks() if t.task_spec.name == "Melden")
    assert melden.data["melding"] == {"verstuurd": "2024-03-01"}


def test_cpu_limit_in_a_workflow_is_raised_as_such_and_the_task_is_in_error():
    workflow = _run_script_model("while True:\n    pass")
    with cpu_budget(0.2), pytest.raises(SandboxLimitExceeded, match="s CPU-tijd"):
        workflow.do_engine_steps()
    [failed] = workflow.get_tasks(state=TaskState.ERROR)
    assert failed.task_spec.name == "Evil"


def test_script_error_reports_its_line_through_spiffworkflow():
    workflow = _run_script_model("x = 1\ny = x / 0\n")
    with pytest.raises(WorkflowTaskException) as failed:
        workflow.do_engine_steps()
    assert failed.value.line_number == 2


def _run_script_model(script: str) -> BpmnWorkflow:
    text = (HOSTILE / "script_eval.bpmn").read_text().replace("x = eval('1 + 1')", script)
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(text.encode())
    return BpmnWorkflow(parser.get_spec("hostile"), script_engine=make_script_engine())


def _unvalidated(*paths: Path, process_id: str) -> BpmnWorkflow:
    """Parse WITHOUT trede's validation, so only the run-time sandbox stands in the way."""
    parser = SpiffBpmnParser()
    for path in paths:
        if path.suffix == ".dmn":
            parser.add_dmn_files([str(path)])
        else:
            parser.add_bpmn_files([str(path)])
    return BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))


def test_dmn_cells_run_in_the_sandbox():
    paths = (MODELS / "runtime" / "calls_evil_decision.bpmn", HOSTILE / "dmn_cell_import.dmn")
    # With SpiffWorkflow's default engine the hostile cell really runs ...
    unsafe = _unvalidated(*paths, process_id="evil_call")
    unsafe.script_engine = PythonScriptEngine(environment=TaskDataEnvironment())
    unsafe.get_tasks()[0].data["trede"] = 1
    unsafe.do_engine_steps()
    assert unsafe.is_completed() and unsafe.data["begeleidingsspoor"] == "activering"
    # ... and in the sandbox the same cell is refused.
    safe = _unvalidated(*paths, process_id="evil_call")
    safe.script_engine = make_script_engine()
    safe.get_tasks()[0].data["trede"] = 1
    with pytest.raises(WorkflowTaskException, match="‘__import__’ mag niet in modelcode"):
        safe.do_engine_steps()


def test_timer_expressions_run_in_the_sandbox():
    workflow = _unvalidated(HOSTILE / "timer_import.bpmn", process_id="hostile")
    workflow.script_engine = make_script_engine()
    with pytest.raises(WorkflowTaskException, match="‘__import__’ mag niet in modelcode"):
        workflow.do_engine_steps()


# Every hostile model with code, run WITHOUT validation: the run-time sandbox alone refuses it.
RUNTIME_REFUSALS = {
    "script_import_os": "modules importeren mag niet in modelcode (import os)",
    "script_from_import": "(from subprocess import",
    "script_dunder_import": "__import__",
    "script_subclasses": "__subclasses__",
    "script_getattr_class": "getattr",
    "script_format_walk": ".format",
    "script_str_format": ".format",
    "script_format_map": ".format_map",
    "script_open": "open",
    "script_eval": "‘eval’ mag niet",
    "script_exec": "‘exec’ mag niet",
    "script_compile": "compile",
    "script_globals": "globals",
    "script_vars": "vars",
    "script_locals": "locals",
    "script_gen_frame": "mag niet in modelcode",
    "script_clock": "leest de klok",
    "script_while_true": "s CPU-tijd",
    "script_swallow_limit": "s CPU-tijd",
    "script_pow_tower": "grens van",
    "script_str_mult": "grens van",
    "script_list_mult": "grens van",
    "prescript_import": "(import subprocess)",
    "condition_import": "__import__",
    "timer_import": "__import__",
    "service_param_open": "open",
}


def test_every_hostile_model_with_code_is_covered():
    code_models = {p.stem for p in HOSTILE.glob("*.bpmn") if not p.stem.startswith("xml_")}
    assert code_models == set(RUNTIME_REFUSALS)


@pytest.mark.parametrize("name", sorted(RUNTIME_REFUSALS))
def test_hostile_model_is_refused_at_run_time(name):
    workflow = _unvalidated(HOSTILE / f"{name}.bpmn", process_id="hostile")
    workflow.script_engine = make_script_engine({"notify": lambda task, params: {}})
    with cpu_budget(0.3), pytest.raises((WorkflowTaskException, SandboxLimitExceeded)) as refused:
        workflow.do_engine_steps()
    assert RUNTIME_REFUSALS[name] in str(refused.value)
