"""The DMN TCK, compliance level 2 (tests/fixtures/dmn-tck, Apache-2.0): every test case of the 28
models, through trede's DMN evaluator. A model counts as correct when all its cases give the
expected result, refused when trede says which construct it does not run, and wrong otherwise.
Issue 21: 0 wrong, at least 24 correct. The figure is printed at the end of the run."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from engine.dmn.definitions import DecisionModel, Unsupported
from tests.dmn.tck import FIGURE, cases, models, same


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


@pytest.mark.parametrize("model_dir", models(), ids=lambda path: path.name)
def test_tck_model_is_answered_correctly_or_refused_by_name(model_dir):
    kind, detail = outcome(model_dir)
    FIGURE[kind].append(f"{model_dir.name}{': ' + detail if detail else ''}")
    assert kind != "wrong", detail
    if kind == "refused":
        assert "wordt niet ondersteund" in detail or "alleen" in detail


def test_the_figure_meets_the_issue():
    results = [outcome(path)[0] for path in models()]
    assert len(results) == 28
    assert results.count("wrong") == 0 and results.count("correct") >= 24, results
