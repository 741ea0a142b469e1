"""Element-level difference between two bundles: added, removed and changed elements by id.

Elements are compared by their ``id`` with their type, name, other attributes and the text of
the expressions and extension properties they hold (conditions, scripts, timers, form keys).
Diagram interchange (BPMNDI/DMNDI: positions, waypoints) is left out: moving a shape is no change
to what a case does. Form definitions and other JSON files are compared as whole files.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from engine.models.safe_xml import parse_safe_xml

DI_NAMESPACES = ("http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                 "http://www.omg.org/spec/DD/20100524/DI", "https://www.omg.org/spec/DMN/20191111/DMNDI/",
                 "http://www.omg.org/spec/DMN/20180521/DMNDI/", "http://www.omg.org/spec/DMN/20180521/DC/",
                 "http://www.omg.org/spec/DMN/20180521/DI/")


@dataclass(frozen=True)
class Element:
    file: str
    id: str
    type: str
    name: str | None
    details: dict[str, str]  # attribute or nested-content key -> value


@dataclass
class Change:
    element: Element
    before: Element
    fields: list[tuple[str, str | None, str | None]]  # (what, old, new)


@dataclass
class BundleDiff:
    added: list[Element] = field(default_factory=list)
    removed: list[Element] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_bundles(old: Mapping[str, str], new: Mapping[str, str]) -> BundleDiff:
    before, after = _index(old), _index(new)
    result = BundleDiff()
    for key, element in after.items():
        if key not in before:
            result.added.append(element)
        elif before[key] != element:
            result.changed.append(Change(element, before[key], _fields(before[key], element)))
    result.removed = [e for key, e in before.items() if key not in after]
    return result


def _fields(old: Element, new: Element) -> list[tuple[str, str | None, str | None]]:
    out = []
    if old.type != new.type:
        out.append(("type", old.type, new.type))
    if old.name != new.name:
        out.append(("naam", old.name, new.name))
    for key in sorted(set(old.details) | set(new.details)):
        if old.details.get(key) != new.details.get(key):
            out.append((key, old.details.get(key), new.details.get(key)))
    return out


def _index(files: Mapping[str, str]) -> dict[tuple[str, str], Element]:
    elements: dict[tuple[str, str], Element] = {}
    for name, text in files.items():
        if name.endswith((".bpmn", ".dmn")):
            for element in model_elements(name, text):
                elements[("xml", element.id)] = element
        else:
            elements[("bestand", name)] = Element(name, name, "bestand", name, {"inhoud": _normal_json(text)})
    return elements


def _normal_json(text: str) -> str:
    try:
        return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return text


def model_elements(file: str, text: str) -> list[Element]:
    root = parse_safe_xml(text.encode("utf-8") if isinstance(text, str) else text)
    found = []
    for node in root.iter(etree.Element):
        element_id = node.get("id")
        if element_id is None or etree.QName(node).namespace in DI_NAMESPACES:
            continue
        qname = etree.QName(node)
        details = {f"@{_attr_name(k)}": v for k, v in node.attrib.items() if k not in ("id", "name")}
        _content(node, "", details)
        found.append(Element(file, element_id, qname.localname, node.get("name"), details))
    return found


def _attr_name(key: str) -> str:
    qname = etree.QName(key)
    return qname.localname if qname.namespace is None else f"{{{qname.namespace}}}{qname.localname}"


def _content(node, path: str, details: dict[str, str]) -> None:
    """Text and attributes of nested elements that have no id of their own (those are elements too)."""
    counts: dict[str, int] = {}
    for child in node.iterchildren(etree.Element):
        if child.get("id") is not None:
            continue
        local = etree.QName(child).localname
        counts[local] = counts.get(local, 0) + 1
        key = f"{path}{local}" if counts[local] == 1 else f"{path}{local}[{counts[local]}]"
        text = (child.text or "").strip()
        if text:
            details[key] = text
        for attr, value in child.attrib.items():
            details[f"{key}@{_attr_name(attr)}"] = value
        _content(child, key + "/", details)
