"""The TCK's decision tables as a process designer would use them: deployed in a bundle next to a
process whose business rule task calls the decision, run on SpiffWorkflow with trede's engine.
Every expected result of the TCK comes out of the task data (one column per output), so what
trede deploys answers as the standard says, not only the stand-alone evaluator."""
from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.dmn.table import read_table
from engine.models.validation import parse_bundle
from engine.sandbox.environment import make_script_engine
from tests.dmn.helpers import PROCESS
from tests.dmn.tck import cases, models, same

TABLE_MODELS = [path for path in models()
                if b"<decisionTable" in (path / f"{path.name}.dmn").read_bytes()]


def _run(files: dict[str, bytes], decision_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    process = PROCESS.replace(">Tabel</spiffworkflow:calledDecisionId>",
                              f">{decision_id}</spiffworkflow:calledDecisionId>")
    spec, subprocesses = parse_bundle({**files, "proces.bpmn": process.encode()}).get_spec("Proces")
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=make_script_engine())
    workflow.get_tasks()[0].data.update(inputs)
    workflow.do_engine_steps()
    return workflow.data


def _columns(expected: Any, names: list[str], multiple: bool) -> dict[str, Any]:
    """The TCK's expected value as task data columns (a list of contexts becomes lists per output)."""
    if len(names) == 1:
        return {names[0]: expected}
    if multiple:
        return {name: [row[name] for row in expected] for name in names}
    return {name: (expected or {}).get(name) for name in names}


def test_the_tck_has_17_table_models():
    assert len(TABLE_MODELS) == 17


@pytest.mark.parametrize("model_dir", TABLE_MODELS, ids=lambda path: path.name)
def test_tck_table_through_a_business_rule_task(model_dir):
    text = (model_dir / f"{model_dir.name}.dmn").read_bytes()
    root = etree.fromstring(text)
    decision = root.find("{*}decision")
    spec = read_table(decision)
    names = [clause.name for clause in spec.outputs]
    multiple = spec.hit_policy in ("COLLECT", "RULE ORDER", "OUTPUT ORDER") and spec.aggregation is None
    for case in cases(model_dir):
        data = _run({"model.dmn": text}, decision.get("id"), case.inputs)
        for expected in case.expected.values():
            for name, value in _columns(expected, names, multiple).items():
                assert same(data[name], value), (case.id, name, data[name], value)
