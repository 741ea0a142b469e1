"""Reading the DMN TCK's test case files (tests/fixtures/dmn-tck) and comparing results."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

TCK_ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "dmn-tck"
TCK = TCK_ROOT / "compliance-level-2"
# The compliance-level-3 models that exercise decision requirements diagrams: several decisions,
# literal expressions, business knowledge models and their invocation (issue 21 item 3).
TCK3 = TCK_ROOT / "compliance-level-3"
NS = {"t": "http://www.omg.org/spec/DMN/20160719/testcase"}
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


# model name (and what was refused or wrong) per level and kind, filled by test_tck.py, printed by
# conftest.py
FIGURES: dict[int, dict[str, list[str]]] = {
    level: {"correct": [], "refused": [], "wrong": []} for level in (2, 3)}
FIGURE = FIGURES[2]


def figure_lines() -> list[str]:
    lines = []
    for level, figure in FIGURES.items():
        if not any(figure.values()):
            continue
        total = sum(len(entries) for entries in figure.values())
        lines += [f"DMN TCK compliance level {level}: {len(figure['correct'])} correct, "
                  f"{len(figure['refused'])} refused, {len(figure['wrong'])} wrong, of {total} models"]
        lines += [f"  refused {entry}" for entry in figure["refused"]]
        lines += [f"  WRONG {entry}" for entry in figure["wrong"]]
    return lines


@dataclass(frozen=True)
class Case:
    id: str
    inputs: dict[str, Any]
    expected: dict[str, Any]  # decision name -> value


def models(level: int = 2) -> list[Path]:
    return sorted(path for path in (TCK if level == 2 else TCK3).iterdir() if path.is_dir())


def cases(model_dir: Path) -> list[Case]:
    found = []
    for file in sorted(model_dir.glob("*-test-*.xml")):
        root = etree.parse(str(file)).getroot()
        for case in root.findall("t:testCase", NS):
            inputs = {node.get("name"): _value(node) for node in case.findall("t:inputNode", NS)}
            expected = {node.get("name"): _value(node.find("t:expected", NS))
                        for node in case.findall("t:resultNode", NS)}
            found.append(Case(case.get("id", ""), inputs, expected))
    return found


def _value(node: etree._Element) -> Any:
    value = node.find("t:value", NS)
    if value is not None:
        return _scalar(value)
    components = node.findall("t:component", NS)
    if components:
        return {component.get("name"): _value(component) for component in components}
    items = node.find("t:list", NS)
    if items is not None:
        return [_value(item) for item in items.findall("t:item", NS)]
    return None


def _scalar(value: etree._Element) -> Any:
    if value.get(f"{XSI}nil") == "true":
        return None
    kind, text = value.get(f"{XSI}type", "xsd:string"), value.text or ""
    if kind.split(":")[-1] in ("decimal", "double", "int", "integer", "long"):
        return Decimal(text)
    if kind.endswith("boolean"):
        return text.strip() == "true"
    if kind.endswith("date"):
        return date.fromisoformat(text.strip())
    return text


def same(actual: Any, expected: Any) -> bool:
    """Equal as the TCK means it: contexts and lists deeply; numbers exactly, except that an
    expected value written with 15 or more significant digits was computed in binary floating
    point: 0008 expects 562.707359373292 where the exact value (and FEEL's decimal128 answer) is
    562.70735937326592715...; those are compared to a relative 1e-12."""
    if isinstance(expected, Decimal):
        if isinstance(actual, bool) or not isinstance(actual, (Decimal, int)):
            return False
        digits = len(expected.as_tuple().digits)
        if digits < 15:
            return Decimal(actual) == expected
        return abs(Decimal(actual) - expected) <= abs(expected) * Decimal("1e-12")
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and \
            all(same(actual[key], expected[key]) for key in expected)
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and \
            all(same(a, e) for a, e in zip(actual, expected, strict=True))
    return type(actual) is type(expected) and actual == expected
