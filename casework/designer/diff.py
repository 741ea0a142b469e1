"""What a new bundle changes, element by element: what a reviewer reads before approving a deploy.

Elements are keyed by file AND id: ids such as ``f04`` recur in most files of a bundle, and a diff
keyed by id alone showed one file's element in place of another's. Each element is compared with
its type, name, other attributes and the text of what it holds (conditions, scripts, timers, form
keys, decision cells), described in words. Diagram interchange (BPMNDI/DMNDI) is compared apart:
a moved shape changes no case, but the reviewer sees that the drawing changed and where. Form
definitions and other JSON files are compared as whole files.
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
# What a designer calls the parts of an element (the raw key is shown beside anything not listed).
LABELS = {
    "conditionExpression": "voorwaarde", "script": "script", "@default": "standaardpad",
    "@sourceRef": "komt van", "@targetRef": "gaat naar", "timerEventDefinition/timeDuration": "timer (duur)",
    "timerEventDefinition/timeDate": "timer (datum)", "timerEventDefinition/timeCycle": "timer (herhaling)",
    "timeDuration": "timer (duur)", "timeDate": "timer (datum)", "timeCycle": "timer (herhaling)",
    "@calledDecisionId": "beslissing", "@decisionRef": "beslissing", "@hitPolicy": "hitbeleid",
    "@messageRef": "bericht", "@calledElement": "aangeroepen proces", "@cancelActivity": "onderbrekend",
    "@attachedToRef": "vast aan", "documentation": "documentatie", "text": "cel",
    "inputExpression/text": "invoerexpressie", "@typeRef": "type", "@label": "label",
}
Field = tuple[str, str | None, str | None]  # (what, old, new)


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
    fields: list[Field]


@dataclass
class BundleDiff:
    added: list[Element] = field(default_factory=list)
    removed: list[Element] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (file, element id) redrawn

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)

    def lines(self) -> list[str]:
        """The diff in words, one line per change (the CLI prints these; the page shows a table)."""
        out = [f"toegevoegd: {e.file} {e.type} {e.id}{_named(e)}" for e in self.added]
        out += [f"verwijderd: {e.file} {e.type} {e.id}{_named(e)}" for e in self.removed]
        for c in self.changed:
            for what, old, new in c.fields:
                out.append(f"gewijzigd: {c.element.file} {c.element.type} {c.element.id}{_named(c.element)}: "
                           f"{what} {old if old is not None else '—'} → {new if new is not None else '—'}")
        out += [f"tekening gewijzigd: {file} {element_id}" for file, element_id in self.moved]
        return out


def _named(element: Element) -> str:
    return f" ({element.name})" if element.name else ""


def diff_bundles(old: Mapping[str, str], new: Mapping[str, str]) -> BundleDiff:
    before, after = _index(old), _index(new)
    result = BundleDiff()
    for key, element in after.items():
        if key not in before:
            result.added.append(element)
        elif before[key] != element:
            result.changed.append(Change(element, before[key], _fields(before[key], element)))
    result.removed = [e for key, e in before.items() if key not in after]
    old_di, new_di = _drawing(old), _drawing(new)
    result.moved = sorted(k for k in old_di.keys() & new_di.keys() if old_di[k] != new_di[k])
    return result


def label(key: str) -> str:
    """A field in words, with its place in the XML for whoever needs to find it."""
    known = LABELS.get(key) or LABELS.get(key.split("/")[-1])
    return f"{known} ({key})" if known and known != key else key


def _fields(old: Element, new: Element) -> list[Field]:
    out: list[Field] = []
    if old.type != new.type:
        out.append(("soort", old.type, new.type))
    if old.name != new.name:
        out.append(("naam", old.name, new.name))
    for key in sorted(set(old.details) | set(new.details)):
        if old.details.get(key) != new.details.get(key):
            out.append((label(key), old.details.get(key), new.details.get(key)))
    return out


def _index(files: Mapping[str, str]) -> dict[tuple[str, str], Element]:
    elements: dict[tuple[str, str], Element] = {}
    for name, text in files.items():
        if name.endswith((".bpmn", ".dmn")):
            for element in model_elements(name, text):
                elements[(name, element.id)] = element
        else:
            elements[(name, "")] = Element(name, name, "bestand", None, _json_fields(text))
    return elements


def _json_fields(text: str) -> dict[str, str]:
    """A form definition as path -> value, so a change names the field of the form that changed."""
    try:
        data = json.loads(text)
    except ValueError:
        return {"inhoud": text}
    fields: dict[str, str] = {}

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                walk(inner, f"{path}/{key}" if path else str(key))
        else:
            fields[path or "inhoud"] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    walk(data, "")
    return fields


def model_elements(file: str, text: str | bytes) -> list[Element]:
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


def _drawing(files: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """(file, element drawn) -> its shape's bounds or its edge's waypoints, as text."""
    drawn: dict[tuple[str, str], str] = {}
    for name, text in files.items():
        if not name.endswith((".bpmn", ".dmn")):
            continue
        root = parse_safe_xml(text.encode("utf-8") if isinstance(text, str) else text)
        for node in root.iter(etree.Element):
            target = node.get("bpmnElement") or node.get("dmnElementRef")
            if target is None or etree.QName(node).namespace not in DI_NAMESPACES:
                continue
            # where the element is drawn: its bounds or waypoints (a label's own place is left out:
            # bpmn-js writes one for every named element it saves; a plane has no place of its own)
            geometry = [" ".join(f"{k}={v}" for k, v in sorted(child.attrib.items()))
                        for child in node.iterchildren(etree.Element)
                        if etree.QName(child).namespace in DI_NAMESPACES
                        and etree.QName(child).localname in ("Bounds", "waypoint")]
            drawn[(name, target)] = "; ".join(geometry)
    return drawn


def _attr_name(key: str) -> str:
    qname = etree.QName(key)
    return qname.localname if qname.namespace is None else f"{{{qname.namespace}}}{qname.localname}"


def _content(node: etree._Element, path: str, details: dict[str, str]) -> None:
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
