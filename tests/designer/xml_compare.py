"""Semantic comparison of a BPMN document with its roundtrip, as the BPMN MIWG roundtrip test means it.

Every element and attribute of the original must be in the roundtrip, compared by namespace and
value; prefixes, the order of elements and attributes, whitespace, line endings and the encoding
may change. "Same value" is the BPMN 2.0 schema's notion, read from the XSDs shipped with
SpiffWorkflow (nothing listed by hand):

- an attribute that carries its schema default (``startQuantity="1"``) equals the attribute left out;
- numbers compare by value (``30.0`` is ``30``);
- QName values (``xsi:type="bpmn:tFormalExpression"``, ``typeRef="xsd:string"``) compare by the
  namespace their prefix stands for; an ``xsi:type`` naming the element's declared type is redundant;
- a member of a substitution group (``<formalExpression>``) equals its head element with the
  member's type (``<expression xsi:type="tFormalExpression">``).

Elements are matched within their nearest ancestor that has an id, so a moved element counts as lost.
Additions (bpmn-js adds a diagram plane for a collapsed subprocess) are not losses.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import SpiffWorkflow
from lxml import etree

XSD = "{http://www.w3.org/2001/XMLSchema}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
SCHEMA_DIR = Path(SpiffWorkflow.__file__).parent / "bpmn" / "parser" / "schema"
SCHEMAS = ("Semantic.xsd", "BPMN20.xsd", "BPMNDI.xsd", "DI.xsd", "DC.xsd")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


@dataclass
class Schema:
    defaults: dict[str, dict[str, str]]  # type "{ns}name" -> {attribute: default}, with inherited ones
    declared: dict[str, str]  # element tag -> its declared type, "{ns}name"
    substitutes: dict[str, str]  # member element tag -> head element tag


def _qname(node, value: str, target: str) -> str:
    prefix, _, local = value.rpartition(":")
    namespace = node.nsmap.get(prefix or None, target if not prefix else None)
    return f"{{{namespace}}}{local}"


@cache
def schema() -> Schema:
    types: dict[str, tuple[dict[str, str], str | None]] = {}
    declared: dict[str, str] = {}
    substitutes: dict[str, str] = {}
    for name in SCHEMAS:
        root = etree.parse(str(SCHEMA_DIR / name)).getroot()
        target = root.get("targetNamespace")
        for ctype in root.iter(f"{XSD}complexType"):
            if ctype.get("name"):
                defaults = {a.get("name"): a.get("default") for a in ctype.iter(f"{XSD}attribute")
                            if a.get("default") is not None and a.get("name")}
                extension = ctype.find(f"{XSD}complexContent/{XSD}extension")
                base = _qname(extension, extension.get("base"), target) if extension is not None else None
                types[f"{{{target}}}{ctype.get('name')}"] = (defaults, base)
        for element in root.iter(f"{XSD}element"):
            if element.get("name") and element.get("type"):
                tag = f"{{{target}}}{element.get('name')}"
                declared.setdefault(tag, _qname(element, element.get("type"), target))
                if element.get("substitutionGroup"):
                    substitutes[tag] = _qname(element, element.get("substitutionGroup"), target)

    def collected(type_name: str | None) -> dict[str, str]:
        if type_name not in types:
            return {}
        own, base = types[type_name]
        return {**collected(base), **own}

    return Schema({t: collected(t) for t in types}, declared, substitutes)


def _text(value: str) -> str:
    return " ".join(value.replace("\r\n", "\n").replace("\r", "\n").split())


@dataclass(frozen=True)
class Item:
    context: str  # the nearest ancestor with an id
    tag: str
    attrs: frozenset
    text: str

    def __str__(self) -> str:
        return f"{self.context} | {self.tag} {sorted(self.attrs)} {self.text!r}"


def _normal(node) -> tuple[str, frozenset]:
    info = schema()
    attrs = dict(node.attrib)
    explicit = attrs.pop(XSI_TYPE, None)
    type_name = (explicit if explicit.startswith("{") else _qname(node, explicit, "")) if explicit \
        else info.declared.get(node.tag)
    defaults = info.defaults.get(type_name, {})
    tag = node.tag
    while tag in info.substitutes:  # <formalExpression> is <expression xsi:type="tFormalExpression">
        tag = info.substitutes[tag]
    out = set()
    if type_name and type_name != info.declared.get(tag):
        out.add((XSI_TYPE, type_name))
    for key, value in attrs.items():
        if NUMBER.match(value):
            value = repr(float(value))
        default = defaults.get(key)
        if default is not None and NUMBER.match(default):
            default = repr(float(default))
        if value == default:
            continue  # the schema's default: the same as leaving the attribute out
        elif re.match(r"^[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*$", value) and value.split(":")[0] in node.nsmap:
            value = _qname(node, value, "")
        out.add((key, _text(value)))
    return tag, frozenset(out)


def items(root) -> list[Item]:
    """Every element with its own attributes and text, in the context of its nearest ancestor with an id."""
    found = []
    for node in root.iter(etree.Element):
        owner = next((a for a in node.iterancestors() if a.get("id")), None)
        context = f"{etree.QName(owner).localname}#{owner.get('id')}" if owner is not None else "/"
        tag, attrs = _normal(node)
        found.append(Item(context, tag, attrs, _text(node.text or "")))
    return found


def parse(content: bytes | str):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return etree.fromstring(data, etree.XMLParser(remove_comments=True, resolve_entities=False))


def compare(original: bytes | str, roundtrip: bytes | str) -> tuple[list[str], list[str]]:
    """(lost, added): what of the original is missing or different in the roundtrip, and extras.

    An element whose attributes the roundtrip only extended (bpmn-js writes ``isMarkerVisible`` on
    gateway shapes) is not lost: its added attributes are listed under 'added'.
    """
    before, after = Counter(items(parse(original))), Counter(items(parse(roundtrip)))
    lost, extra = before - after, after - before
    added: list[str] = []
    for item in list(lost.elements()):
        same = (item.context, item.tag, item.text)
        wider = next((e for e in extra.elements()
                      if (e.context, e.tag, e.text) == same and e.attrs > item.attrs), None)
        if wider is not None:
            lost[item] -= 1
            extra[wider] -= 1
            added.append(f"{item.context} | {item.tag}: + {sorted(wider.attrs - item.attrs)}")
    added += [str(e) for e in (+extra).elements()]
    return sorted(str(i) for i in (+lost).elements()), sorted(added)


def losses(original: bytes | str, roundtrip: bytes | str) -> list[str]:
    return compare(original, roundtrip)[0]
