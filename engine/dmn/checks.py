"""What a decision table must satisfy before it may run: refused at validation, never run."""
from __future__ import annotations

import ast
from collections.abc import Iterator

from lxml import etree

from engine.dmn.definitions import DecisionModel, Unsupported
from engine.dmn.feel_table import CellError, FeelTable
from engine.dmn.hit_policy import refusal
from engine.dmn.table import FEEL_URIS, PYTHON_URIS, TableSpec, language_of
from engine.models.expressions import dmn_entry_code


def table_problems(table: TableSpec, legacy: bool = False) -> Iterator[tuple[int | None, str]]:
    """(line, Dutch message) for each construct of ``table`` that trede cannot run faithfully."""
    name = f"beslistabel {table.id or table.decision_id}"
    why = refusal(table.hit_policy, table.aggregation, table.output_columns())
    if why is not None:
        yield table.line, f"{name}: {why}"
    language = language_of(table, legacy)
    if language not in ("feel", "python"):
        yield table.line, (f"{name}: expressionLanguage {language!r} wordt niet ondersteund; trede leest "
                           f"FEEL (standaard, of {sorted(FEEL_URIS)[0]}) en Python "
                           f"({sorted(PYTHON_URIS)[0]})")
        return
    mixed = {clause.language for clause in table.inputs if clause.language} - (FEEL_URIS | PYTHON_URIS)
    if mixed:
        yield table.line, f"{name}: invoerexpressie in {', '.join(sorted(mixed))} wordt niet ondersteund"
    if language == "python" and any(clause.default is not None for clause in table.outputs):
        # SpiffWorkflow's reading of Python cells ignores defaults: the table would answer null
        yield table.line, (f"{name}: een standaarduitkomst (defaultOutputEntry) werkt alleen in een "
                           "FEEL-tabel; schrijf een laatste regel met '-' in elke invoercel")
    if language == "feel":
        try:
            FeelTable(table)
        except CellError as exc:
            hint = PYTHON_HINT if _reads_as_python(table) else ""
            yield exc.line, f"{name}: {exc}{hint}"


PYTHON_HINT = ("; zijn de cellen Python (zoals SpiffArena ze schrijft)? Zet dan "
               'expressionLanguage="https://www.python.org/" op <definitions>')


def _reads_as_python(table: TableSpec) -> bool:
    """Whether every cell of the table is Python as SpiffWorkflow reads it (a modeller's likely
    intent when FEEL cannot read it)."""
    texts = [clause.expression for clause in table.inputs]
    for rule in table.rules:
        texts += [dmn_entry_code(None, text) for text in rule.input_entries if text is not None]
        texts += [text for text in rule.output_entries if text is not None]
    try:
        for text in texts:
            ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def diagram_problems(root: etree._Element) -> list[tuple[int | None, str | None, str]]:
    """(line, element id, Dutch message) for a decision requirements diagram trede cannot run:
    a construct it does not evaluate, a requirement that points nowhere, decisions that require
    each other in a circle (named), or logic that is not FEEL."""
    language = root.get("expressionLanguage")
    if language in PYTHON_URIS:
        return [(root.sourceline, root.get("id"),
                 "een beslissingsdiagram (meer beslissingen in één bestand, beslissingen die elkaar "
                 "vereisen, business knowledge models) wordt in FEEL geschreven; Python-cellen kunnen "
                 "alleen in een bestand met één beslistabel")]
    try:
        DecisionModel(root)
    except Unsupported as exc:
        return [(exc.line, exc.element_id, str(exc))]
    return []
