"""The expression sandbox: every script, condition, timer and DMN cell of a model runs here.

SpiffWorkflow's default environment runs model code with plain ``exec``/``eval`` and full
builtins, so an uploaded BPMN could run shell commands. This environment runs the same code
compiled by RestrictedPython (``engine.sandbox.compile``) with guarded attribute/item access, a
whitelist of builtins and helpers (``engine.sandbox.helpers``) and CPU/size limits
(``engine.sandbox.limits``). Semantics follow SpiffWorkflow's ``TaskDataEnvironment``: scripts
change the task data dict in place; callables and non-data names are removed afterwards.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.sandbox.compile import SandboxViolation, check_code, compile_code
from engine.sandbox.explain import DutchError, describe
from engine.sandbox.helpers import GUARDS, HELPERS, SANDBOX_BUILTINS
from engine.sandbox.limits import SandboxLimitExceeded, cpu_budget, sandboxed_run

__all__ = [
    "SandboxViolation", "SandboxLimitExceeded", "compile_code", "check_code", "cpu_budget",
    "SandboxedEnvironment", "SandboxedScriptEngine", "make_script_engine", "HELPERS",
]

# SpiffWorkflow finds the failing line of a script by looking for frames of this file name.
_SPIFF_FILENAME = "<string>"

Service = Callable[[Any, dict[str, Any]], Any]


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """Runs model code with RestrictedPython guards, safe builtins and CPU/size limits."""

    def __init__(self, environment_globals: Mapping[str, Any] | None = None) -> None:
        super().__init__(dict(environment_globals or {}))
        self._builtins = {**SANDBOX_BUILTINS, **self.globals}

    def evaluate(
        self, expression: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> Any:
        code = compile_code(expression, "eval", _SPIFF_FILENAME)
        scope = dict(external_context or {})
        scope.update(context)
        _drop_guard_names(scope)
        scope["__builtins__"] = self._builtins
        with sandboxed_run():
            return eval(code, scope)  # noqa: S307 - restricted code object, guarded builtins

    def execute(
        self, script: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> bool:
        external_context = external_context or {}
        code = compile_code(script, "exec", _SPIFF_FILENAME)
        self._check_for_overwrite(context, external_context)
        _drop_guard_names(context)
        context.update(external_context)
        context["__builtins__"] = self._builtins
        try:
            with sandboxed_run():
                exec(code, context)  # noqa: S102 - restricted code object, guarded builtins
        finally:
            self._clean(context, external_context)
        return True

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        raise NotImplementedError("service tasks are dispatched by SandboxedScriptEngine.call_service")

    def _check_for_overwrite(self, context: Mapping[str, Any], external_context: Mapping[str, Any]) -> None:
        # Same fail-fast as SpiffWorkflow: data that hides a configured global makes it uncallable.
        clash = set(self.globals).intersection(context) | set(external_context).intersection(context)
        if clash:
            raise ValueError(
                "You have task data that overwrites a predefined function(s). Please change the "
                f"following variable or field name(s) to something else: {sorted(clash)}"
            )

    def _clean(self, context: dict[str, Any], external_context: Mapping[str, Any]) -> None:
        for key in list(context):
            value = context[key]
            if key == "__builtins__" or callable(value) or key in external_context or key in self.globals:
                context.pop(key)


def _drop_guard_names(scope: dict[str, Any]) -> None:
    # Data can never supply a guard (e.g. a form field named "_getattr_").
    for name in GUARDS.keys() & scope.keys():
        scope.pop(name)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"service result contains a {type(value).__name__}, which is not JSON")


class SandboxedScriptEngine(PythonScriptEngine):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """SpiffWorkflow script engine running all model code in the sandbox.

    Service tasks (``spiffworkflow:serviceTaskOperator id="name"``) call ``services[name](task,
    params)`` where params maps each parameter id to its evaluated value.
    """

    environment: SandboxedEnvironment

    def __init__(self, services: Mapping[str, Service] | None = None) -> None:
        super().__init__(environment=SandboxedEnvironment())
        self.services: dict[str, Service] = dict(services or {})

    # A limit hit leaves the task in ERROR (SpiffWorkflow does that for any exception) and is
    # raised as SandboxLimitExceeded itself, so the caller can tell "too expensive" from "wrong".

    def execute(self, task: Any, script: str, external_context: Mapping[str, Any] | None = None) -> bool:
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except SandboxLimitExceeded:
            raise
        except Exception as exc:
            raise self.create_task_exec_exception(task, script, exc) from exc

    def evaluate(self, task: Any, expression: str, external_context: Mapping[str, Any] | None = None) -> Any:
        """As SpiffWorkflow's, but the error message says why (a refusal, a NameError)."""
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SandboxLimitExceeded:
            raise
        except SpiffWorkflowException as exc:
            exc.add_note(f"bij de expressie ‘{expression}’")
            raise
        except Exception as exc:
            message = f"de expressie ‘{expression}’: {describe(exc)}"
            raise WorkflowTaskException(message, task=task, exception=exc) from exc

    def call_service(
        self,
        task: Any,
        operation_name: str | None = None,
        operation_params: Mapping[str, Mapping[str, Any]] | None = None,
        **kwargs: Any,
    ) -> str:
        """Run the named service and return JSON text (SpiffWorkflow ``json.loads`` the result).

        A service that returns ``str`` is taken to return JSON text already; any other result is
        encoded here (dates as ISO text, Decimal as text).
        """
        service = self.services.get(operation_name or "")
        if service is None:
            known = ", ".join(sorted(self.services)) or "geen"
            why = DutchError(f"de service ‘{operation_name}’ bestaat niet (bekend: {known})")
            raise WorkflowTaskException(str(why), task=task) from why
        params = {name: param.get("value") for name, param in (operation_params or {}).items()}
        result = service(task, params)
        return result if isinstance(result, str) else json.dumps(result, default=_json_default)


def make_script_engine(services: Mapping[str, Service] | None = None) -> SandboxedScriptEngine:
    """A fresh sandboxed engine (set it again after every ``deserialize_json``)."""
    return SandboxedScriptEngine(services)
