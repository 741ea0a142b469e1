"""How a message names a model element: its kind in Dutch, its name and its id.

"Scripttaak ‘Bereken premie’ (script_premie)": the kind tells a designer what to look for, the name
is what the diagram shows, the id is what the properties panel and the XML show. Validation
(``engine.models.validation``) and run-time failures (``engine.runtime``) both name elements here.
"""
from __future__ import annotations

from lxml import etree

__all__ = ["KINDS", "kind_name", "label", "element_label"]

# BPMN and DMN element names (local names) as the Dutch modeller calls them.
KINDS = {
    "task": "Taak", "userTask": "Gebruikerstaak", "manualTask": "Handmatige taak",
    "scriptTask": "Scripttaak", "serviceTask": "Servicetaak", "sendTask": "Verzendtaak",
    "receiveTask": "Ontvangsttaak", "businessRuleTask": "Beslistaak", "callActivity": "Aanroepactiviteit",
    "subProcess": "Subproces", "transaction": "Transactie", "adHocSubProcess": "Ad-hocsubproces",
    "startEvent": "Startgebeurtenis", "endEvent": "Eindgebeurtenis",
    "intermediateCatchEvent": "Tussengebeurtenis", "intermediateThrowEvent": "Tussengebeurtenis",
    "boundaryEvent": "Randgebeurtenis", "exclusiveGateway": "Exclusieve gateway",
    "inclusiveGateway": "Inclusieve gateway", "parallelGateway": "Parallelle gateway",
    "eventBasedGateway": "Gebeurtenisgateway", "complexGateway": "Complexe gateway",
    "sequenceFlow": "Pijl", "messageFlow": "Berichtpijl", "process": "Proces", "lane": "Baan",
    "laneSet": "Banen", "participant": "Deelnemer", "collaboration": "Samenwerking",
    "dataStore": "Gegevensopslag", "dataStoreReference": "Gegevensopslag", "dataObject": "Gegevensobject",
    "dataObjectReference": "Gegevensobject", "message": "Bericht", "signal": "Signaal", "error": "Fout",
    "escalation": "Escalatie", "definitions": "Bestand", "textAnnotation": "Notitie",
    # DMN
    "decision": "Beslissing", "decisionTable": "Beslistabel", "rule": "Regel", "input": "Invoerkolom",
    "output": "Uitvoerkolom", "inputEntry": "Invoercel", "outputEntry": "Uitvoercel",
    "inputData": "Invoergegeven", "businessKnowledgeModel": "Kennismodel",
    "knowledgeSource": "Kennisbron", "literalExpression": "Expressie",
}


def kind_name(localname: str) -> str:
    """The Dutch kind of an element ("scriptTask" → "Scripttaak"); "Element" when unknown."""
    return KINDS.get(localname, "Element")


def label(kind: str, name: str | None, element_id: str | None) -> str:
    """"Scripttaak ‘Bereken premie’ (script_premie)"; without a name "Scripttaak (script_premie)"."""
    name = " ".join((name or "").split())
    shown = f"{kind} ‘{name}’" if name and name != element_id else kind
    return f"{shown} ({element_id})" if element_id else shown


def element_label(element: etree._Element) -> str:
    """The label of an element of a BPMN/DMN tree; a DMN cell or rule also says which rule it is."""
    local = etree.QName(element).localname if isinstance(element.tag, str) else ""
    name = element.get("name") or element.get("label")
    if local in ("rule", "inputEntry", "outputEntry"):
        return _dmn_place(element, local)
    return label(kind_name(local), name, element.get("id"))


def _dmn_place(element: etree._Element, local: str) -> str:
    rule = element if local == "rule" else element.getparent()
    table = rule.getparent() if rule is not None else None
    if rule is None or table is None:
        return label(kind_name(local), None, element.get("id"))
    rules = [r for r in table if isinstance(r.tag, str) and etree.QName(r).localname == "rule"]
    number = rules.index(rule) + 1 if rule in rules else None
    where = f"Regel {number}" if number else "Regel"
    if local == "rule":
        return label(where, None, element.get("id"))
    siblings = [c for c in rule if isinstance(c.tag, str) and etree.QName(c).localname == local]
    columns = [c for c in table if isinstance(c.tag, str)
               and etree.QName(c).localname == ("input" if local == "inputEntry" else "output")]
    index = siblings.index(element) if element in siblings else -1
    column = columns[index] if 0 <= index < len(columns) else None
    heading = None
    if column is not None:
        heading = column.get("label") or column.get("name")
        if heading is None:
            text = column.find("{*}inputExpression/{*}text")
            heading = text.text.strip() if text is not None and text.text else None
    cell = f"{where}, kolom ‘{heading}’" if heading else f"{where}, {kind_name(local).lower()}"
    return label(cell, None, element.get("id"))
