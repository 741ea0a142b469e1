"""The hit policies of the DMN standard (DMN 1.5, section 8.2.11), applied to the rules that matched.

One place for every decision table the engine runs, whatever language its cells are in: the
caller finds the matching rules and their output values, this module decides what the table
answers and explains it in words a case manager and an auditor can read.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SINGLE_HIT = ("UNIQUE", "FIRST", "PRIORITY", "ANY")
MULTIPLE_HIT = ("COLLECT", "RULE ORDER", "OUTPUT ORDER")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")
# How the explanation names each aggregation.
_AGGREGATION_WORDS = {"SUM": "som", "MIN": "kleinste", "MAX": "grootste", "COUNT": "aantal"}


class DecisionConflict(Exception):
    """The matching rules break the hit policy (UNIQUE: more than one; ANY: they disagree)."""


@dataclass(frozen=True)
class OutputColumn:
    name: str
    order: tuple[Any, ...] | None = None  # output values, highest priority first (PRIORITY, OUTPUT ORDER)


@dataclass(frozen=True)
class Hit:
    rule_id: str
    outputs: dict[str, Any]  # output name -> value


@dataclass(frozen=True)
class Outcome:
    """What the table answers.

    ``columns``: per output name its value (single hit) or list of values (multiple hit), the
    shape the task data gets. ``value``: the standard's result (a value, a context, a list, or
    the aggregate). ``fired``: the rules that matched; ``used``: the rules whose outputs are in
    the result, in result order. ``explanation``: one Dutch sentence.
    """

    columns: dict[str, Any]
    value: Any
    fired: tuple[str, ...]
    used: tuple[str, ...]
    explanation: str


def refusal(hit_policy: str, aggregation: str | None, outputs: Sequence[OutputColumn]) -> str | None:
    """Why a table with this hit policy cannot run (Dutch), or None when it can."""
    if hit_policy not in SINGLE_HIT + MULTIPLE_HIT:
        return f"hit policy {hit_policy!r} bestaat niet in de DMN-standaard (toegestaan: " \
               f"{', '.join(SINGLE_HIT + MULTIPLE_HIT)})"
    if aggregation is not None:
        if hit_policy != "COLLECT":
            return f"aggregatie {aggregation} mag alleen bij hit policy COLLECT, niet bij {hit_policy}"
        if aggregation not in AGGREGATIONS:
            return f"aggregatie {aggregation!r} bestaat niet (toegestaan: {', '.join(AGGREGATIONS)})"
        if len(outputs) != 1:
            return f"COLLECT {aggregation} kan alleen bij een tabel met één uitvoerkolom " \
                   f"(deze heeft er {len(outputs)})"
    if hit_policy in ("PRIORITY", "OUTPUT ORDER") and not any(column.order for column in outputs):
        # an output without output values does not rank (DMN 1.5, 8.2.11); with none, nothing does
        return f"hit policy {hit_policy} rangschikt op de toegestane uitvoerwaarden, maar geen uitvoer " \
               "noemt die (outputValues)"
    return None


def apply(hit_policy: str, aggregation: str | None, outputs: Sequence[OutputColumn],
          hits: Sequence[Hit], table: str = "", defaults: dict[str, Any] | None = None) -> Outcome:
    """The table's answer for the matching rules ``hits`` (in rule order); ``defaults``: the
    outputs' default values (defaultOutputEntry), the answer when no rule matches."""
    fired = tuple(hit.rule_id for hit in hits)
    if not hits and defaults is not None:
        value = defaults[outputs[0].name] if len(outputs) == 1 else dict(defaults)
        shown = ", ".join(f"{name} = {_show(item)}" for name, item in defaults.items())
        return Outcome(dict(defaults), value, (), (), f"{hit_policy}: geen regel is van toepassing; de "
                       f"standaarduitkomst van de tabel (defaultOutputEntry) geldt: {shown}.")
    if hit_policy in SINGLE_HIT:
        chosen = _single(hit_policy, outputs, hits, table)
        return _single_outcome(hit_policy, outputs, hits, chosen)
    ordered = list(hits)
    if hit_policy == "OUTPUT ORDER":
        ordered.sort(key=lambda hit: _priority(outputs, hit))
    if hit_policy == "COLLECT" and aggregation is not None:
        return _aggregate(aggregation, outputs[0].name, fired, ordered)
    columns = {column.name: [hit.outputs[column.name] for hit in ordered] for column in outputs}
    value = [_result_of(outputs, hit) for hit in ordered]
    used = tuple(hit.rule_id for hit in ordered)
    how = {"COLLECT": "alle uitkomsten verzameld",
           "RULE ORDER": "alle uitkomsten in de volgorde van de regels",
           "OUTPUT ORDER": "alle uitkomsten, gerangschikt op de volgorde van de uitvoerwaarden"}[hit_policy]
    each = ", ".join(f"{hit.rule_id} geeft {_outputs(outputs, hit)}" for hit in ordered)
    listed = f": {each}" if ordered else ""
    return Outcome(columns, value, fired, used, f"{hit_policy}: {_matched(fired)}; {how}{listed}.")


def _single(hit_policy: str, outputs: Sequence[OutputColumn], hits: Sequence[Hit], table: str) -> Hit | None:
    if not hits:
        return None
    if hit_policy == "UNIQUE" and len(hits) > 1:
        raise DecisionConflict(f"beslistabel {table} (hit policy UNIQUE): meer dan één regel is van "
                               f"toepassing: {', '.join(hit.rule_id for hit in hits)}")
    if hit_policy == "ANY" and any(hit.outputs != hits[0].outputs for hit in hits[1:]):
        raise DecisionConflict(f"beslistabel {table} (hit policy ANY): de regels "
                               f"{', '.join(hit.rule_id for hit in hits)} zijn van toepassing maar geven "
                               "verschillende uitkomsten")
    if hit_policy == "PRIORITY":
        return min(hits, key=lambda hit: _priority(outputs, hit))
    return hits[0]


def _single_outcome(hit_policy: str, outputs: Sequence[OutputColumn], hits: Sequence[Hit],
                    chosen: Hit | None) -> Outcome:
    fired = tuple(hit.rule_id for hit in hits)
    if chosen is None:
        columns = {column.name: None for column in outputs}
        explanation = f"{hit_policy}: geen regel is van toepassing; geen uitkomst."
        return Outcome(columns, None, fired, (), explanation)
    why = {
        "UNIQUE": "de enige regel die van toepassing is",
        "FIRST": "de eerste regel die van toepassing is",
        "ANY": "de regels die van toepassing zijn geven dezelfde uitkomst",
        "PRIORITY": "de uitkomst met de hoogste prioriteit in de volgorde van de uitvoerwaarden",
    }[hit_policy]
    others = [hit for hit in hits if hit.rule_id != chosen.rule_id]
    if hit_policy == "PRIORITY" and others:
        ranked = sorted(others, key=lambda hit: _priority(outputs, hit))
        why += f": {_outputs(outputs, chosen)} gaat voor " + ", ".join(
            f"{_outputs(outputs, hit)} ({hit.rule_id})" for hit in ranked)
    if hit_policy == "FIRST" and others:
        verb = "telt" if len(others) == 1 else "tellen"
        why += f"; {', '.join(hit.rule_id for hit in others)} {verb} niet mee"
    return Outcome(dict(chosen.outputs), _result_of(outputs, chosen), fired, (chosen.rule_id,),
                   f"{hit_policy}: {_matched(fired)}; uitkomst van {chosen.rule_id} ({why}).")


def _aggregate(aggregation: str, name: str, fired: tuple[str, ...], hits: Sequence[Hit]) -> Outcome:
    values = [hit.outputs[name] for hit in hits if hit.outputs[name] is not None]
    result: Any
    if aggregation == "COUNT":
        result = len(hits)  # FEEL count() of the outputs (DMN 1.5, 8.2.11)
    elif not values:
        result = None
    elif aggregation == "SUM":
        result = sum(values[1:], values[0])
    else:
        result = min(values) if aggregation == "MIN" else max(values)
    used = tuple(hit.rule_id for hit in hits)
    if aggregation == "COUNT":
        terms = f" ({len(hits)} {'regel' if len(hits) == 1 else 'regels'})"
    elif values:
        joiner = " + " if aggregation == "SUM" else ", "
        terms = f" ({joiner.join(_show(value) for value in values)})"
    else:
        terms = ""
    explanation = f"COLLECT {aggregation}: {_matched(fired)}; {_AGGREGATION_WORDS[aggregation]} van " \
                  f"{name}{terms} = {_show(result)}."
    return Outcome({name: result}, result, fired, used, explanation)


def _priority(outputs: Sequence[OutputColumn], hit: Hit) -> tuple[int, ...]:
    """Sort key: per output (first output first) the position of the value in its output values."""
    key = []
    for column in outputs:
        if not column.order:
            continue
        value = hit.outputs[column.name]
        key.append(column.order.index(value) if value in column.order else len(column.order))
    return tuple(key)


def _outputs(outputs: Sequence[OutputColumn], hit: Hit) -> str:
    """A rule's outputs as words: the value alone for one output, else name = value pairs."""
    if len(outputs) == 1:
        return _show(hit.outputs[outputs[0].name])
    return "(" + ", ".join(f"{column.name} = {_show(hit.outputs[column.name])}" for column in outputs) + ")"


def _result_of(outputs: Sequence[OutputColumn], hit: Hit) -> Any:
    return hit.outputs[outputs[0].name] if len(outputs) == 1 else dict(hit.outputs)


def _matched(fired: tuple[str, ...]) -> str:
    if not fired:
        return "geen regel is van toepassing"
    if len(fired) == 1:
        return f"regel {fired[0]} is van toepassing"
    return f"regels {', '.join(fired)} zijn van toepassing"


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return "geen" if value is None else str(value)
