"""The decision requirements graph of one DMN document (DMN 1.5, chapter 6): its decisions, business
knowledge models and input data, and what each requires.

Only reading and checking: a requirement that points nowhere, or decisions that require each
other in a circle, is a problem with the line and the decisions named (Dutch), found when the
model is validated, never when a case runs. ``order`` gives the decisions a decision needs, each
once, required ones first: the order in which they are evaluated.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

KINDS = {"decision": "beslissing", "businessKnowledgeModel": "business knowledge model",
         "inputData": "invoer"}


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    kind: str  # "decision", "businessKnowledgeModel" or "inputData"
    line: int | None
    decisions: tuple[str, ...]  # ids of the decisions it requires (informationRequirement)
    inputs: tuple[str, ...]  # ids of the input data it requires
    knowledge: tuple[str, ...]  # ids of the business knowledge models it invokes
    node: etree._Element


@dataclass(frozen=True)
class GraphProblem:
    line: int | None
    element_id: str | None
    message: str  # Dutch


class Graph:
    def __init__(self, root: etree._Element) -> None:
        self.ns = {"dmn": etree.QName(root).namespace or ""}
        self.problems: list[GraphProblem] = []
        self.elements: dict[str, Element] = {}
        for kind in KINDS:
            for node in root.findall(f"dmn:{kind}", self.ns):
                element = self._element(kind, node)
                self.elements[element.id] = element
        self._check_references()
        self._check_cycles()

    def of_kind(self, kind: str) -> list[Element]:
        return [element for element in self.elements.values() if element.kind == kind]

    def decision(self, ref: str) -> Element | None:
        """A decision by its id, else by its name."""
        found = self.elements.get(ref)
        if found is not None and found.kind == "decision":
            return found
        return next((element for element in self.of_kind("decision") if element.name == ref), None)

    def order(self, decision_id: str) -> list[Element]:
        """``decision_id`` and every decision it requires, directly or not, required ones first."""
        found: list[Element] = []

        def visit(element: Element) -> None:
            if element in found:
                return
            for required in element.decisions:
                visit(self.elements[required])
            found.append(element)
        visit(self.elements[decision_id])
        return found

    def _element(self, kind: str, node: etree._Element) -> Element:
        ns = self.ns

        def refs(path: str) -> tuple[str, ...]:
            return tuple(_href(ref.get("href")) for ref in node.findall(path, ns))
        return Element(
            node.get("id") or node.get("name") or "", node.get("name") or "", kind, node.sourceline,
            refs("dmn:informationRequirement/dmn:requiredDecision"),
            refs("dmn:informationRequirement/dmn:requiredInput"),
            refs("dmn:knowledgeRequirement/dmn:requiredKnowledge"),
            node,
        )

    def _check_references(self) -> None:
        wanted = (("decisions", "decision", "vereiste beslissing"),
                  ("inputs", "inputData", "vereiste invoer"),
                  ("knowledge", "businessKnowledgeModel", "vereist business knowledge model"))
        for element in list(self.elements.values()):
            for field, kind, what in wanted:
                for ref in getattr(element, field):
                    target = self.elements.get(ref)
                    if target is not None and target.kind == kind:
                        continue
                    where = ("staat in een ander bestand; trede leest geen imports" if "#" in ref
                             else "bestaat niet in dit bestand")
                    self.problems.append(GraphProblem(
                        element.line, element.id,
                        f"{KINDS[element.kind]} {element.name!r}: {what} {ref!r} {where}"))

    def _check_cycles(self) -> None:
        """Decisions that require each other in a circle, each circle named once."""
        done: set[str] = set()
        for start in self.of_kind("decision"):
            path: list[str] = []
            cycle = self._cycle_from(start.id, path, done)
            if cycle is not None:
                names = " -> ".join(self.elements[ref].name or ref for ref in cycle)
                first = self.elements[cycle[0]]
                self.problems.append(GraphProblem(
                    first.line, first.id,
                    f"beslissingen vereisen elkaar in een kring: {names}; een beslissing kan niet "
                    "wachten op haar eigen uitkomst (haal één informationRequirement weg)"))
                return  # one circle at a time: the next shows once this one is gone

    def _cycle_from(self, ref: str, path: list[str], done: set[str]) -> list[str] | None:
        if ref in path:
            return [*path[path.index(ref):], ref]
        if ref in done or ref not in self.elements:
            return None
        path.append(ref)
        for required in self.elements[ref].decisions:
            cycle = self._cycle_from(required, path, done)
            if cycle is not None:
                return cycle
        path.pop()
        done.add(ref)
        return None


def _href(href: str | None) -> str:
    """``#id`` -> ``id``; a reference into another file keeps its file part (refused)."""
    text = (href or "").strip()
    return text[1:] if text.startswith("#") else text


def is_diagram(root: etree._Element) -> bool:
    """Whether a DMN document is more than one decision table: several decisions, a requirement
    between decisions, a business knowledge model, or a decision whose logic is not a table.
    Such a document is evaluated as a whole (``engine.dmn.definitions``)."""
    ns = {"dmn": etree.QName(root).namespace or ""}
    decisions = root.findall("dmn:decision", ns)
    return (len(decisions) > 1 or root.find("dmn:businessKnowledgeModel", ns) is not None
            or any(d.find("dmn:informationRequirement/dmn:requiredDecision", ns) is not None
                   or d.find("dmn:decisionTable", ns) is None for d in decisions))
