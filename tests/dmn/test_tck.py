"""The DMN TCK (tests/fixtures/dmn-tck, Apache-2.0): every test case of the 28 compliance-level-2
models, and of the compliance-level-3 models that exercise decision requirements diagrams
(several decisions, literal expressions, business knowledge models invoked by ``invocation`` or
by name), through trede's DMN evaluator. A model counts as correct when all its cases give the
expected result, refused when trede says which construct it does not run, and wrong otherwise.
Issue 21: 0 wrong, at least 24 correct of level 2. The figure is printed at the end of the run."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from engine.dmn.definitions import DecisionModel, Unsupported
from tests.dmn.tck import FIGURES, cases, models, same


def outcome(model_dir: Path) -> tuple[str, str]:
    """("correct" | "refused" | "wrong", detail) for one TCK model."""
    try:
        model = DecisionModel(etree.parse(str(model_dir / f"{model_dir.name}.dmn")).getroot())
    except Unsupported as exc:
        return "refused", str(exc)
    for case in cases(model_dir):
        for decision, expected in case.expected.items():
            actual = model.evaluate(decision, case.inputs)
            if not same(actual, expected):
                return "wrong", f"case {case.id}, {decision}: {actual!r}, expected {expected!r}"
    return "correct", ""


@pytest.mark.parametrize("level, model_dir", [(level, path) for level in (2, 3) for path in models(level)],
                         ids=lambda item: item.name if isinstance(item, Path) else f"level{item}")
def test_tck_model_is_answered_correctly_or_refused_by_name(level, model_dir):
    kind, detail = outcome(model_dir)
    FIGURES[level][kind].append(f"{model_dir.name}{': ' + detail if detail else ''}")
    assert kind != "wrong", detail
    if kind == "refused":
        assert "wordt niet ondersteund" in detail or "alleen" in detail


def test_the_figure_meets_the_issue():
    results = [outcome(path)[0] for path in models()]
    assert len(results) == 28
    assert results.count("wrong") == 0 and results.count("correct") >= 24, results
    assert outcome(models()[8]) == ("correct", ""), "0009-invocation-arithmetic: a BKM called by name"


def test_the_level_3_diagrams_with_decisions_and_knowledge_models_are_answered():
    results = {path.name: outcome(path)[0] for path in models(3)}
    assert results == {
        "0005-literal-invocation": "correct",  # BKM PMT called by name from a literal expression
        "0020-vacation-days": "correct",  # five decisions, tables with defaults, literal expressions
        "0034-drg-scopes": "refused",  # boxed contexts (<context>): not in issue 21's scope
        "0037-dt-on-bkm-implicit-params": "correct",  # a BKM that is a table, by <invocation>
        "0038-dt-on-bkm-explicit-params": "refused",  # a BKM whose logic is a boxed context
    }
