"""A decision table of a deployed bundle, run on a business rule task.

SpiffWorkflow's DMNEngine knows UNIQUE (as FIRST) and COLLECT (without aggregation); every other
hit policy it answered wrongly. ``TableEngine`` keeps SpiffWorkflow's reading of Python cells and
applies the standard's hit policies (``engine.dmn.hit_policy``) to all matching rules, and
records which rules fired and why in ``beslissing_<decision id>``, the decision record that the
dossier and the audit pages show.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine

from engine.dmn.feel.values import Months
from engine.dmn.feel_table import FeelTable
from engine.dmn.hit_policy import Hit, Outcome, OutputColumn, apply
from engine.dmn.table import TableSpec


class TableEngine(DMNEngine):  # type: ignore[misc]  # untyped SpiffWorkflow base
    """``feel``: the table compiled as FEEL; None: Python cells, read as SpiffWorkflow reads them."""

    def __init__(self, decision_table: Any, spec: TableSpec | None, feel: FeelTable | None = None) -> None:
        super().__init__(decision_table)
        self.spec = spec
        self.feel = feel
        if feel is not None:
            self.keys = list(feel.output_names)
        else:  # SpiffWorkflow's output key: the output's name, else its label
            self.keys = [output.name or output.label for output in decision_table.outputs]
        orders = {} if spec is None else {c.name: c.order for c in spec.output_columns()}
        self.columns = tuple(OutputColumn(key, orders.get(key)) for key in self.keys)

    def decide(self, task: Any) -> list[Any]:
        """Every rule that matches, in rule order (SpiffWorkflow stopped at the first for UNIQUE)."""
        return [rule for rule in self.decision_table.rules if self._DMNEngine__check_rule(rule, task)]

    def result(self, task: Any) -> dict[str, Any]:
        values = self._input_values(task)
        outcome = self.outcome(task, values if self.feel is not None else None)
        result = nest(storable(outcome.columns))
        if self.spec is not None:
            inputs = {clause.expression: value
                      for clause, value in zip(self.spec.inputs, values, strict=True)}
            result[f"beslissing_{self.spec.decision_id}"] = storable(_record(self.spec, outcome, inputs))
        return result

    def outcome(self, task: Any, inputs: list[Any] | None = None) -> Outcome:
        defaults = None
        if self.feel is not None:
            hits = self.feel.hits(task.data, inputs)
            defaults = self.feel.default_outputs(task.data) if not hits else None
        else:
            hits = [Hit(rule.id, self._outputs(rule, task)) for rule in self.decide(task)]
        table = self.decision_table
        name = self.spec.decision_id if self.spec is not None else table.id
        aggregation = self.spec.aggregation if self.spec is not None else None
        return apply(table.hit_policy, aggregation, self.columns, hits, name, defaults)

    def _input_values(self, task: Any) -> list[Any]:
        """The value of each input column (compared by the cells, shown in the record)."""
        if self.spec is None:
            return []
        if self.feel is not None:
            return self.feel.input_values(task.data)
        found = []
        for clause in self.spec.inputs:
            try:
                found.append(task.workflow.script_engine.evaluate(task, clause.expression))
            except Exception:  # noqa: BLE001 - the record shows no value; the cells report errors
                found.append(None)
        return found

    def _outputs(self, rule: Any, task: Any) -> dict[str, Any]:
        script_engine = task.workflow.script_engine
        values = {}
        for key, entry in zip(self.keys, rule.outputEntries, strict=True):
            values[key] = script_engine.evaluate(task, entry.text) if entry.text else ""
        return values


def storable(value: Any) -> Any:
    """FEEL values the workflow state cannot hold as such: durations and date-times as ISO text."""
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, Months):
        return str(value)
    if isinstance(value, timedelta):
        return _iso_duration(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _iso_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return f"{sign}P{days}D" + (f"T{time}" if time else "")


def nest(columns: dict[str, Any]) -> dict[str, Any]:
    """Output names with dots become nested dictionaries, as SpiffWorkflow has always done."""
    result: dict[str, Any] = {}
    for key, value in columns.items():
        target = result
        *path, last = key.split(".")
        for part in path:
            target = target.setdefault(part, {})
        target[last] = value
    return result


def _record(spec: TableSpec, outcome: Outcome, inputs: dict[str, Any]) -> dict[str, Any]:
    """The decision record: outputs, the rules that fired, the ones used, and why, in the shape
    the rule packs' record has (a bundled table has no pack version, gemeente or peildatum)."""
    descriptions = {rule.id: rule.description for rule in spec.rules}
    fired = [{"id": rule_id, "omschrijving": descriptions.get(rule_id, "")} for rule_id in outcome.fired]
    used = [{"id": rule_id, "omschrijving": descriptions.get(rule_id, "")} for rule_id in outcome.used]
    return {
        "outputs": outcome.columns,
        "regel": used[0] if len(used) == 1 else None,
        "regels": fired,
        "gebruikt": [entry["id"] for entry in used],
        "hitPolicy": spec.hit_policy + (f" {spec.aggregation}" if spec.aggregation else ""),
        "uitleg": outcome.explanation,
        "versie": None,
        "gemeente": None,
        "peildatum": None,
        "inputs": inputs,
    }
