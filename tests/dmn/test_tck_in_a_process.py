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


DIAGRAM_MODELS = ["0005-literal-invocation", "0020-vacation-days", "0037-dt-on-bkm-implicit-params"]


@pytest.mark.parametrize("name", DIAGRAM_MODELS)
def test_tck_diagram_through_a_business_rule_task(name):
    """Level 3: the task calls the decision by id; a literal expression or invocation answers under
    the decision's name, as the TCK expects it, with every required decision evaluated first."""
    model_dir = next(path for path in models(3) if path.name == name)
    text = (model_dir / f"{name}.dmn").read_bytes()
    root = etree.fromstring(text)
    by_name = {d.get("name"): d for d in root.findall("{*}decision")}
    for case in cases(model_dir):
        for decision_name, expected in case.expected.items():
            decision = by_name[decision_name]
            data = _run({"model.dmn": text}, decision.get("id"), case.inputs)
            spec = read_table(decision)
            key = spec.outputs[0].name if spec is not None else decision_name
            assert same(data[key], expected), (case.id, decision_name, data[key], expected)
            assert data[f"beslissing_{decision.get('id')}"]["uitleg"]
