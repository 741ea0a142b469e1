"""A business rule task that calls a decision of a decision requirements diagram.

The called decision is evaluated with every decision it requires, in dependency order
(``engine.dmn.definitions.DecisionModel.run``), on the task's data. Its outputs go into the
data as a single table's do (one key per output; a literal expression or invocation under the
decision's name), and ``beslissing_<decision id>`` records how: the called decision's rules or
expression, and per required decision what it gave and why (``vereist``), in the shape of the
single table's record so that the dossier and the audit pages show it alike.
"""
from __future__ import annotations

from typing import Any

from engine.dmn.definitions import DecisionModel, Run
from engine.dmn.engine import nest, storable
from engine.dmn.logic import Step, show


class DiagramEngine:
    """Stands in for SpiffWorkflow's DMNEngine on a business rule task."""

    def __init__(self, model: DecisionModel, decision_id: str) -> None:
        self.model = model
        self.decision_id = decision_id

    def result(self, task: Any) -> dict[str, Any]:
        run = self.model.run(self.decision_id, task.data)
        result = nest(storable(run.step.columns))
        result[f"beslissing_{self.decision_id}"] = storable(record(run))
        for key in result:  # SpiffWorkflow deep-merges: a new decision replaces the old lists
            task.data.pop(key, None)
        return result


def record(run: Run) -> dict[str, Any]:
    """The decision record of the called decision, with what its required decisions gave."""
    step = run.step
    required = [_entry(done) for done in run.steps[:-1]]
    explanation = _why(step)
    if required:
        explanation += " Vereiste beslissingen, in de volgorde waarin ze zijn genomen: " + "; ".join(
            f"{done.name} = {show(done.value)} ({_why(done)})" for done in run.steps[:-1]) + "."
    fired = _rules(step)
    used = [entry for entry in fired if entry["id"] in step.used]
    return {
        "outputs": step.columns,
        "regel": used[0] if len(used) == 1 else None,
        "regels": fired,
        "gebruikt": list(step.used),
        "hitPolicy": step.hit_policy,
        "uitleg": explanation,
        "versie": None,
        "gemeente": None,
        "peildatum": None,
        "inputs": step.inputs,
        "soort": step.kind,
        "aanroepen": [_call(call) for call in step.calls],
        "vereist": required,
    }


def _why(step: Step) -> str:
    """The step's explanation, with the business knowledge models it called and what they gave."""
    if not step.calls:
        return step.explanation
    return f"{step.explanation} Aanroep: {'; '.join(call.explanation for call in step.calls)}"


def _rules(step: Step) -> list[dict[str, str]]:
    return [{"id": rule_id, "omschrijving": step.rules.get(rule_id, "")} for rule_id in step.fired]


def _entry(step: Step) -> dict[str, Any]:
    return {"beslissing": step.name, "id": step.id, "soort": step.kind, "waarde": step.value,
            "hitPolicy": step.hit_policy, "regels": _rules(step), "gebruikt": list(step.used),
            "uitleg": step.explanation, "aanroepen": [_call(call) for call in step.calls]}


def _call(step: Step) -> dict[str, Any]:
    return {"bkm": step.name, "waarde": step.value, "uitleg": step.explanation,
            "regels": _rules(step), "gebruikt": list(step.used)}
