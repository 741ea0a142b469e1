"""What a new version of a decision table changes, cell by cell, in words: what the second designer
reads before approving it (issue 20 item 6).

Rules are keyed by their id and columns by the input or output name the rules read and write, so a
change names the rule (with its description, the source it implements), the column and the old and
new cell. Anything else in the XML that differs (names, labels, annotations) is listed too, through
the bundle diff (``casework/designer/diff.py``), so nothing that changed is left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casework.designer.diff import diff_bundles
from processes.decisions.model import DecisionTable, InputClause, Rule, parse_table

# Elements whose every change the cell-level lines already describe.
_COVERED = frozenset({"rule", "inputEntry", "outputEntry", "input", "output", "inputExpression",
                      "inputValues", "outputValues", "decisionTable"})
EMPTY = "leeg"
_TOOL_STAMP = ("@exporter",)


@dataclass(frozen=True)
class CellChange:
    rule: str  # "r5_recht (art. 16: ...)" or "" for the table as a whole
    column: str  # "bedrag (uitvoer)" or ""
    old: str
    new: str

    def __str__(self) -> str:
        where = ", ".join(filter(None, (f"regel {self.rule}" if self.rule else "",
                                        f"kolom {self.column}" if self.column else "")))
        return f"{where}: {self.old} → {self.new}" if where else f"{self.old} → {self.new}"


def table_diff(decision_id: str, old: str, new: str) -> list[CellChange]:
    """Every difference between two versions of a table, the run-relevant ones first."""
    before = parse_table(old.encode("utf-8"), Path(f"{decision_id}.dmn"))
    after = parse_table(new.encode("utf-8"), Path(f"{decision_id}.dmn"))
    changes = _table(before, after) + _columns(before, after) + _rules(before, after)
    return changes + _other(decision_id, old, new)


def _cell(text: str | None) -> str:
    return EMPTY if text is None else text


def _table(before: DecisionTable, after: DecisionTable) -> list[CellChange]:
    out = []
    old_policy = " ".join(filter(None, (before.hit_policy, before.aggregation)))
    new_policy = " ".join(filter(None, (after.hit_policy, after.aggregation)))
    if old_policy != new_policy:
        out.append(CellChange("", "hitbeleid", old_policy, new_policy))
    if before.name != after.name:
        out.append(CellChange("", "naam van de beslissing", before.name or EMPTY, after.name or EMPTY))
    return out


def _describe_input(clause: InputClause) -> str:
    allowed = f", waarden {', '.join(map(repr, clause.allowed))}" if clause.allowed else ""
    return f"{clause.label} ({clause.name}, {clause.type}{allowed})"


def _columns(before: DecisionTable, after: DecisionTable) -> list[CellChange]:
    out = []
    old_in, new_in = {c.name: c for c in before.inputs}, {c.name: c for c in after.inputs}
    for name in [*old_in, *(n for n in new_in if n not in old_in)]:
        was, becomes = old_in.get(name), new_in.get(name)
        if was != becomes:
            out.append(CellChange("", f"{name} (invoer)",
                                  "geen kolom" if was is None else _describe_input(was),
                                  "verwijderd" if becomes is None else _describe_input(becomes)))
    old_out, new_out = {c.name: c for c in before.outputs}, {c.name: c for c in after.outputs}
    for name in [*old_out, *(n for n in new_out if n not in old_out)]:
        was_out, becomes_out = old_out.get(name), new_out.get(name)
        if was_out != becomes_out:
            out.append(CellChange("", f"{name} (uitvoer)",
                                  "geen kolom" if was_out is None else f"type {was_out.type}",
                                  "verwijderd" if becomes_out is None else f"type {becomes_out.type}"))
    return out


def _named(rule: Rule) -> str:
    return f"{rule.id} ({rule.description})" if rule.description else rule.id


def _values(table: DecisionTable, rule: Rule) -> dict[str, tuple[str, str | None]]:
    """column key -> (column in words, cell) for every input and output cell of the rule."""
    cells = {f"in:{c.name}": (f"{c.label} (invoer {c.name})" if c.label != c.name else f"{c.name} (invoer)",
                              text)
             for c, text in zip(table.inputs, rule.cells, strict=True)}
    cells.update({f"out:{c.name}": (f"{c.name} (uitvoer)", text)
                  for c, text in zip(table.outputs, rule.outputs, strict=True)})
    return cells


def _rules(before: DecisionTable, after: DecisionTable) -> list[CellChange]:
    out = []
    old_rules, new_rules = {r.id: r for r in before.rules}, {r.id: r for r in after.rules}
    for rule in after.rules:
        was = old_rules.get(rule.id)
        if was is None:
            cells = "; ".join(f"{column} = {_cell(text)}" for column, text in _values(after, rule).values()
                              if text is not None)
            out.append(CellChange(_named(rule), "", "geen regel", f"nieuwe regel: {cells or 'alles leeg'}"))
            continue
        if was.description != rule.description:
            out.append(CellChange(rule.id, "omschrijving", was.description or EMPTY,
                                  rule.description or EMPTY))
        old_cells, new_cells = _values(before, was), _values(after, rule)
        for key in [*new_cells, *(k for k in old_cells if k not in new_cells)]:
            column, new_text = new_cells[key] if key in new_cells else (old_cells[key][0], None)
            old_text = old_cells[key][1] if key in old_cells else None
            if old_text != new_text:
                out.append(CellChange(_named(rule), column, _cell(old_text), _cell(new_text)))
    for rule in before.rules:
        if rule.id not in new_rules:
            out.append(CellChange(_named(rule), "", "bestaande regel", "verwijderd"))
    kept_old = [r.id for r in before.rules if r.id in new_rules]
    kept_new = [r.id for r in after.rules if r.id in old_rules]
    if kept_old != kept_new:
        out.append(CellChange("", "volgorde van de regels", ", ".join(kept_old), ", ".join(kept_new)))
    return out


def _other(decision_id: str, old: str, new: str) -> list[CellChange]:
    name = f"{decision_id}.dmn"
    found = diff_bundles({name: old}, {name: new})
    out = []
    for element in found.added:
        if element.type not in _COVERED:
            out.append(CellChange("", f"{element.type} {element.id}", "geen", "toegevoegd"))
    for element in found.removed:
        if element.type not in _COVERED:
            out.append(CellChange("", f"{element.type} {element.id}", "aanwezig", "verwijderd"))
    for change in found.changed:
        if change.element.type in _COVERED:
            continue
        for what, was, becomes in change.fields:
            if what.startswith(_TOOL_STAMP):  # the editor's name and version, stamped on save
                continue
            out.append(CellChange("", f"{change.element.type} {change.element.id}: {what}",
                                  was if was is not None else EMPTY,
                                  becomes if becomes is not None else EMPTY))
    return out
