"""The decision service: one entry point for the CLI, the REST API and business rule tasks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from engine.sandbox.environment import SandboxLimitExceeded
from processes.decisions.catalogue import Catalogue, Version, load_catalogue
from processes.decisions.deployed import versions_at
from processes.decisions.errors import DecisionError
from processes.decisions.evaluate import Evaluation, TableEvaluator
from processes.decisions.listing import describe
from processes.decisions.model import DecisionTable
from processes.decisions.routing import routed
from processes.decisions.types import coerce_input, to_json_value

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "bpmn" / "rules"
LEGAL_ZONE = ZoneInfo("Europe/Amsterdam")
# Case data fields that carry a case's legal reference date, in order of preference.
REFERENCE_DATE_FIELDS = ("aanvraagdatum", "ontvangstAanvraag", "datumAanvraag")


@dataclass(frozen=True)
class DecisionResult:
    decision_id: str
    gemeente: str
    version: date  # geldig vanaf of the table that answered
    outputs: dict[str, Any]  # typed: Decimal money, date, lists for COLLECT
    rules_fired: list[str]  # "ruleId: description", in rule order
    inputs: dict[str, Any]  # after defaults and type coercion
    adopted_from: str | None = None  # the pack that defines an adopted table
    used: tuple[str, ...] = ()  # ids of the fired rules whose outputs are in the answer
    hit_policy: str = "UNIQUE"  # with its aggregation, e.g. "COLLECT SUM"
    explanation: str = ""  # which rules matched, which output won and why (Dutch)
    required: tuple[dict[str, Any], ...] = ()  # per required decision (a diagram) what it gave and why

    def outputs_json(self) -> dict[str, Any]:
        """The outputs as `trede decide` prints them."""
        return to_json_value(self.outputs)


class DecisionService:
    def __init__(self, rules_dir: Path = DEFAULT_RULES_DIR) -> None:
        self._catalogue: Catalogue = load_catalogue(Path(rules_dir))
        self._evaluators: dict[tuple[Path, str], TableEvaluator] = {}

    def check(self) -> int:
        """Compile every cell and output expression of every pack in the sandbox (a deploy-time check).

        Evaluators are otherwise built on first use, so that `trede decide` stays quick. Returns the
        number of tables checked; raises PackError naming the file and rule.
        """
        versions = {
            id(v.table): v for d in self._catalogue.decision_ids() for v in self._catalogue.versions_of(d)
        }
        for version in versions.values():
            self._evaluator(version.table)
        return len(versions)

    def catalogue(self) -> list[dict[str, Any]]:
        """Every decision with gemeenten, inputs, outputs and versions (`trede decisions --json`)."""
        return describe(self._catalogue)

    def decide(
        self, decision_id: str, gemeente: str, inputs: Mapping[str, Any], on: date | None = None,
        conn: Connection | None = None,
    ) -> DecisionResult:
        """Evaluate with the rules in force on ``on`` (default: today in Europe/Amsterdam); with a
        connection, versions deployed from the designer count too."""
        on = on or datetime.now(LEGAL_ZONE).date()
        return self.evaluate_version(self.in_force(decision_id, gemeente, on, conn), inputs)

    def in_force(self, decision_id: str, gemeente: str, on: date, conn: Connection | None = None,
                 at: datetime | None = None) -> Version:
        """The table that answers on ``on``: pack files and (with ``conn``) the versions deployed
        in the database up to ``at`` (None: up to now)."""
        deployed: list[Version] = []
        if conn is not None and self._catalogue.has(decision_id, gemeente):
            deployed = versions_at(conn, gemeente, decision_id, at)
        return self._catalogue.resolve(decision_id, gemeente, on, deployed)

    def has(self, decision_id: str, gemeente: str) -> bool:
        """Whether the gemeente's pack carries the decision (only those can be edited)."""
        return self._catalogue.has(decision_id, gemeente)

    def decisions_of(self, gemeente: str) -> list[str]:
        return [d for d in self._catalogue.decision_ids() if self._catalogue.has(d, gemeente)]

    def evaluate_version(self, version: Version, inputs: Mapping[str, Any]) -> DecisionResult:
        """Evaluate one given version (a designer's candidate is tested this way)."""
        try:
            return self._evaluate(version, inputs)
        except SandboxLimitExceeded:
            # A caller's input made the rules' arithmetic run past a sandbox bound (issue 17,
            # finding 11): a refusal of the request, in one line, not a fault of trede.
            raise DecisionError("de berekening is afgebroken: zij overschrijdt een grens van de "
                                "sandbox (rekentijd, geheugen of grootte); controleer de invoer") from None
        except ArithmeticError:  # e.g. an amount of 1e300 that no money rounding can hold
            raise DecisionError("een invoerwaarde is te groot of te klein om mee te rekenen") from None

    def evaluate_in_case(
        self, decision_id: str, data: Mapping[str, Any], gemeente: str, today: date,
        at: datetime | None = None, conn: Connection | None = None,
    ) -> dict[str, Any]:
        """For a business rule task: the outputs plus a ``beslissing_<id>`` trace to merge into the data.

        The rules are those in force on the case's legal reference date (the application date if
        the data has one, else ``today``), not those current when the process was deployed; of the
        versions deployed from the designer (read on the step's connection ``conn``), only those
        deployed by the step's time ``at``: a replay at the recorded time finds the same table.
        """
        peildatum = reference_date(data, today)
        version = self.in_force(decision_id, gemeente, peildatum, conn, at)
        names = {clause.name for clause in version.table.caller_inputs()}
        result = self._evaluate(version, {key: value for key, value in data.items() if key in names})
        outputs = result.outputs_json()
        fired = [_rule_ref(fired) for fired in result.rules_fired]
        trace = {
            "outputs": outputs,
            "regel": fired[0] if fired else None,
            "regels": fired,
            "gebruikt": list(result.used),
            "hitPolicy": result.hit_policy,
            "uitleg": result.explanation,
            "versie": result.version.isoformat(),
            "gemeente": gemeente,
            "adoptedFrom": result.adopted_from,
            "peildatum": peildatum.isoformat(),
            "inputs": to_json_value(result.inputs),
        }
        if result.required:
            trace["vereist"] = to_json_value(list(result.required))
        if version.deployed_id is not None:
            # A version from the designer: which one, and the hash of its text (pack files are named
            # by gemeente and versie; their records stay as before, so old cases replay unchanged).
            trace["regelversie"] = version.deployed_id
            trace["inhoudHash"] = version.content_hash
        # the gemeente's lane routing on this decision (pack.json "routering", routing.py)
        lanes = routed(self._catalogue.routing_of(gemeente), decision_id, outputs, data, peildatum)
        return {**outputs, f"beslissing_{decision_id}": trace, **lanes}

    def evaluate_request(self, decision_id: str, body: Any, conn: Connection | None = None) -> dict[str, Any]:
        """``POST /api/decisions/<id>/evaluate`` with ``{"gemeente", "input", "on"}``: the outputs
        (with ``conn``: the versions deployed from the designer count, as in a case)."""
        if not isinstance(body, Mapping):
            raise DecisionError("request body must be a JSON object with gemeente, input and on")
        unknown = sorted(set(body) - {"gemeente", "input", "on"})
        if unknown:
            raise DecisionError(f"unknown field(s) in request: {', '.join(unknown)}")
        gemeente = body.get("gemeente")
        if not isinstance(gemeente, str):
            raise DecisionError("field 'gemeente' is required and must be a string")
        on = parse_on(body["on"]) if body.get("on") is not None else None
        inputs = body.get("input") if body.get("input") is not None else {}
        return self.decide(decision_id, gemeente, inputs, on, conn).outputs_json()

    def _evaluate(self, version: Version, inputs: Mapping[str, Any]) -> DecisionResult:
        """The decision with every decision it requires, required ones first: their outputs are
        the later tables' inputs of the same name."""
        values = typed_inputs(version.table, inputs)
        known = dict(values)
        required = []
        for table in version.table.order():
            evaluation = self._evaluator(table).evaluate({clause.name: known[clause.name]
                                                          for clause in table.inputs})
            known.update(evaluation.outputs)
            if table is not version.table:
                required.append(_required(table, evaluation))
        explanation = evaluation.explanation
        if required:
            explanation += " Vereiste beslissingen, in de volgorde waarin ze zijn genomen: " + "; ".join(
                f"{entry['naam'] or entry['beslissing']} ({entry['uitleg']})" for entry in required) + "."
        fired = [
            f"{rule.id}: {rule.description}" if rule.description else rule.id for rule in evaluation.fired
        ]
        adopted_from = version.source_gemeente if version.adopted else None
        return DecisionResult(
            version.table.id,
            version.gemeente,
            version.geldig_vanaf,
            evaluation.outputs,
            fired,
            values,
            adopted_from,
            evaluation.used,
            _policy(version.table),
            explanation,
            tuple(required),
        )

    def _evaluator(self, table: DecisionTable) -> TableEvaluator:
        key = (table.path, table.id)
        if key not in self._evaluators:
            self._evaluators[key] = TableEvaluator(table)
        return self._evaluators[key]


def _policy(table: DecisionTable) -> str:
    return " ".join(filter(None, (table.hit_policy, table.aggregation)))


def _required(table: DecisionTable, evaluation: Evaluation) -> dict[str, Any]:
    """What a required decision gave, with its rules and why, for the decision record."""
    shown = ", ".join(f"{name} = {json.dumps(to_json_value(value), ensure_ascii=False)}"
                      for name, value in evaluation.outputs.items())
    return {
        "beslissing": table.id,
        "naam": table.name,
        "outputs": evaluation.outputs,
        "regels": [{"id": rule.id, "omschrijving": rule.description} for rule in evaluation.fired],
        "gebruikt": list(evaluation.used),
        "hitPolicy": _policy(table),
        "uitleg": f"{shown}: {evaluation.explanation}",
    }


def typed_inputs(table: DecisionTable, inputs: Any) -> dict[str, Any]:
    """Every input a caller gives (of the whole graph, for a diagram): given values
    type-checked, the rest at their defaults."""
    if not isinstance(inputs, Mapping):
        raise DecisionError("de invoer moet een JSON-object zijn met de namen en waarden van de invoer")
    known = {clause.name: clause for clause in table.caller_inputs()}
    unknown = sorted(set(inputs) - set(known))
    if unknown:
        raise DecisionError(
            f"onbekende invoer voor {table.id}: {', '.join(unknown)} (invoer: {', '.join(known)})"
        )
    values = {}
    for name, clause in known.items():
        value = coerce_input(name, clause.type, inputs.get(name))
        if value is not None and clause.allowed is not None and value not in clause.allowed:
            allowed = ", ".join(json.dumps(item) for item in clause.allowed)
            raise DecisionError(
                f"invoer {name!r} moet een van {allowed} zijn, niet {json.dumps(to_json_value(value))}"
            )
        values[name] = clause.default if value is None else value
    return values


def parse_on(text: Any) -> date:
    """A reference date as given by a caller (`--on`, the API's "on")."""
    if isinstance(text, str) and len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise DecisionError(f"de datum moet JJJJ-MM-DD zijn, niet {text!r}")


def reference_date(data: Mapping[str, Any], today: date) -> date:
    """The case's legal reference date: the application date when the data has one, else today."""
    for name in REFERENCE_DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, date):
            return value if not isinstance(value, datetime) else value.date()
        if value is not None:
            return parse_on(value)
    return today


def _rule_ref(fired: str) -> dict[str, str]:
    rule_id, _, description = fired.partition(": ")
    return {"id": rule_id, "omschrijving": description}


@cache
def get_decision_service() -> DecisionService:
    """The process-wide service over the repository's rule packs (loaded once)."""
    return DecisionService()
