"""Models from Camunda Modeler (Camunda 7 dialect): each ``camunda:`` construct translated or refused.

(SpiffArena's form layouts are translated in the same pass: engine/models/spiffarena.py.)

A designer arriving with a Camunda model gets, per construct, either a faithful translation into
trede's dialect (with a line that says what it became) or a refusal that names the construct and
what to write instead. Nothing is dropped silently. The translated documents, and the form files
made from ``camunda:formData``, are what is validated and deployed (``versions.deploy`` stores the
translation, so a deployed version never changes when this translator does).

Translated: ``camunda:decisionRef`` (the called decision), ``camunda:assignee`` as ``${variable}``
(assignment by that variable), ``camunda:candidateGroups`` with one group (the task's lane),
``camunda:formKey`` (the form file of that name), ``camunda:formData`` (a generated form),
``camunda:collection``/``camunda:elementVariable`` (multi-instance data), JUEL ``${...}`` and simple
FEEL conditions and timer values (the sandbox's Python), and settings without effect in trede
(``camunda:asyncBefore`` and the like: each named). Everything else in the namespace is refused.
"""
from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from engine.models.expressions import BPMN_NS, SPIFF_NS
from engine.models.forms import FORM_PROPERTY
from engine.models.spiffarena import UI_PROPERTY, UiTranslation, translate_ui_schemas

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"  # Camunda 8: refused, element by element
_B, _C, _S = f"{{{BPMN_NS}}}", f"{{{CAMUNDA_NS}}}", f"{{{SPIFF_NS}}}"
_SPIFF_PREFIX = {"spiffworkflow": SPIFF_NS}
# Settings of Camunda's job executor and history: trede runs every step in one transaction and
# keeps history by its own retention rules, so they change nothing here; each is named.
_WITHOUT_EFFECT = {
    "asyncBefore": "trede voert elke stap in één transactie uit",
    "asyncAfter": "trede voert elke stap in één transactie uit",
    "exclusive": "trede voert elke stap in één transactie uit",
    "jobPriority": "trede kent geen taakprioriteit van de job executor",
    "historyTimeToLive": "de bewaartermijn volgt de selectielijst van de zaak",
    "versionTag": "trede nummert de versies zelf",
    "isStartableInTasklist": "een zaak start via intake of de API",
    "candidateStarterGroups": "wie een proces start regelt intake (rollen)",
    "candidateStarterUsers": "wie een proces start regelt intake (rollen)",
    "async": "trede voert elke stap in één transactie uit",
    "diagramRelationId": "een kenmerk van de modeler van Camunda, niet van het proces",
}
_INSTEAD = {
    "class": "een spiffworkflow:serviceTaskOperator (een service van trede)",
    "delegateExpression": "een spiffworkflow:serviceTaskOperator (een service van trede)",
    "expression": "een scripttaak in Python of een spiffworkflow:serviceTaskOperator",
    "type": "een spiffworkflow:serviceTaskOperator (een service van trede)",
    "topic": "een spiffworkflow:serviceTaskOperator (een service van trede)",
    "resultVariable": "laat het weg: trede zet de uitkomsten als losse variabelen in de zaak",
    "mapDecisionResult": "laat het weg: trede zet de uitkomsten als losse variabelen in de zaak",
    "decisionRefBinding": "laat het weg: trede neemt de beslissing uit de bundel of de beslisservice",
    "candidateUsers": "camunda:assignee=\"${variabele}\" of een lane (candidateGroups)",
    "dueDate": "de eigenschap streefdatum van trede",
    "followUpDate": "de eigenschap streefdatum van trede",
    "priority": "laat het weg: trede ordent de werkvoorraad op termijn",
    "inputOutput": "een scripttaak in Python die de variabelen zet",
    "in": "laat het weg: trede geeft een aangeroepen proces alle gegevens mee",
    "out": "laat het weg: trede geeft alle gegevens van een aangeroepen proces terug",
    "executionListener": "een scripttaak of spiffworkflow:preScript/postScript",
    "taskListener": "een spiffworkflow:preScript/postScript",
    "properties": "spiffworkflow:properties",
    "script": "een bpmn:script in Python",
    "connector": "een spiffworkflow:serviceTaskOperator (een service van trede)",
    "failedJobRetryTimeCycle": "laat het weg: een mislukte stap wordt een incident voor de beheerder",
    "calledElementBinding": "laat het weg: trede roept de nieuwste versie aan",
    "calledElementVersion": "laat het weg: trede roept de nieuwste versie aan",
    "calledElementTenantId": "laat het weg: trede kiest per gemeente",
    "decisionRefTenantId": "laat het weg: trede kiest per gemeente",
    "errorCodeVariable": "laat het weg",
    "errorMessageVariable": "laat het weg",
    "variableName": "een exclusieve gateway",
    "variableEvents": "een exclusieve gateway",
    "initiator": "laat het weg: wie een zaak opende staat in haar historie",
}
# Where each translated attribute means something in trede; elsewhere it is refused.
_ACTIVITIES = ("userTask", "task", "manualTask", "scriptTask", "serviceTask", "businessRuleTask",
               "callActivity",
               "subProcess", "sendTask", "receiveTask")
_HANDLED_ON = {"decisionRef": ("businessRuleTask",), "assignee": ("userTask",),
               "candidateGroups": ("userTask",), "formKey": ("userTask",),
               "collection": _ACTIVITIES, "elementVariable": _ACTIVITIES}
_ELSEWHERE = {"formKey": "een gebruikerstaak met het formulier; wat een zaak bij de start nodig heeft staat "
                         "in de dataInputs van bpmn:ioSpecification (gevraagd bij de intake)",
              "formData": "een gebruikerstaak met het formulier; wat een zaak bij de start nodig heeft staat "
                          "in de dataInputs van bpmn:ioSpecification (gevraagd bij de intake)"}
_FIELD_ATTRIBUTES = frozenset({"id", "label", "type", "defaultValue"})
_FIELD_CHILDREN = frozenset({"validation", "value"})
_FORM_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"}, "long": {"type": "integer"}, "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
_JUEL = re.compile(r"^\s*\$\{(?P<body>.*)\}\s*$", re.S)
_ISO_TIME = re.compile(r"^(R\d*/)?(P[0-9YMWDTHS.,]+|\d{4}-\d{2}-\d{2}(T[0-9:.+\-Z]*)?)(/P[0-9YMWDTHS.,]+)?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Note:
    """One line of the translation: what was written and what it became (or why it was refused)."""

    file: str
    line: int | None
    element_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.element_id}: {self.message}" if self.element_id else \
            f"{where}: {self.message}"


@dataclass
class Translation:
    files: dict[str, bytes]
    notes: list[Note] = field(default_factory=list)  # what was translated
    refused: list[Note] = field(default_factory=list)  # what cannot be: problems of the bundle
    # The lanes made from camunda:candidateGroups, (note, group): the application checks that each
    # names a role (the engine knows none), else the task would be open to anyone.
    lanes: list[tuple[Note, str]] = field(default_factory=list)


def is_camunda(content: bytes) -> bool:
    return CAMUNDA_NS.encode() in content


def translate_bundle(files: Mapping[str, bytes], parse: Any) -> Translation:
    """Translate every Camunda document of the bundle; ``parse`` is the safe XML parser."""
    result = Translation(dict(files))
    for name, content in files.items():
        if not isinstance(content, (bytes, bytearray)) or not name.lower().endswith(".bpmn"):
            continue
        camunda, juel, zeebe = is_camunda(bytes(content)), b"${" in content, ZEEBE_NS.encode() in content
        if not (camunda or juel or zeebe):
            continue
        try:
            root = parse(bytes(content)).getroot()
        except Exception:  # noqa: BLE001 - reported by the validation that follows
            continue
        doc = _Document(name, root, result)
        if zeebe:
            doc.refuse_zeebe()
        if camunda:
            doc.translate()
        elif juel:  # JUEL is never Python: translated wherever it is written
            doc.translate_juel()
        if not doc.changed:
            continue
        result.files[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        for form_name, form in doc.forms.items():
            result.files[form_name] = json.dumps(form, ensure_ascii=False, indent=2).encode()
    _spiffarena_layouts(result, parse)
    return result


def _spiffarena_layouts(result: Translation, parse: Any) -> None:
    """SpiffArena's UI schemas merged into their forms (engine/models/spiffarena.py)."""
    ui = UiTranslation(dict(result.files))
    for name, content in result.files.items():
        if not isinstance(content, (bytes, bytearray)) or not name.lower().endswith(".bpmn") \
                or UI_PROPERTY.encode() not in content:
            continue
        try:
            root = parse(bytes(content)).getroot()
        except Exception:  # noqa: BLE001 - reported by the validation that follows
            continue
        translate_ui_schemas(name, root, ui)
    for name, root in ui.rewritten.items():
        ui.files[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    for ui_file, _ in ui.merged:  # merged into its form: not a form of its own
        ui.files.pop(ui_file, None)
    result.files = ui.files
    result.notes += [Note(*found) for found in ui.notes]
    result.refused += [Note(*found) for found in ui.refused]


class _Document:
    def __init__(self, name: str, root: etree._Element, result: Translation) -> None:
        self.name, self.root, self.result = name, root, result
        self.forms: dict[str, dict[str, Any]] = {}
        self.changed = False
        self.stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]

    def note(self, element: etree._Element, message: str) -> None:
        self.result.notes.append(Note(self.name, element.sourceline, _owner(element), message))
        self.changed = True

    def refuse(self, element: etree._Element, construct: str, instead: str) -> None:
        message = f"{construct} wordt niet ondersteund; schrijf in plaats daarvan {instead}"
        self.result.refused.append(Note(self.name, element.sourceline, _owner(element), message))

    def refuse_zeebe(self) -> None:
        """Camunda 8 (zeebe:) extensions: one refusal per element that carries them."""
        owners: dict[etree._Element, set[str]] = {}
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            parent = element.getparent()
            if etree.QName(element).namespace == ZEEBE_NS and (
                    parent is None or etree.QName(parent).namespace != ZEEBE_NS):
                holder = parent.getparent() if parent is not None else None  # past extensionElements
                owner = holder if holder is not None else parent
                owners.setdefault(owner if owner is not None else element, set()).add(
                    f"zeebe:{etree.QName(element).localname}")
            for attr in element.attrib:
                if attr.startswith(f"{{{ZEEBE_NS}}}"):
                    owners.setdefault(element, set()).add(f"zeebe:{attr.split('}')[1]}")
        for owner, constructs in owners.items():
            self.refuse(owner, f"{', '.join(sorted(constructs))} (Camunda 8)",
                        "het Camunda 7-dialect (camunda:) of trede's eigen BPMN (spiffworkflow:)")

    def translate_juel(self) -> None:
        """Only the JUEL conditions and timers of a document in no Camunda dialect."""
        for element in list(self.root.iter(f"{_B}conditionExpression")):
            if _JUEL.match(element.text or ""):
                self._condition(element)
        for kind in ("timeDate", "timeDuration", "timeCycle"):
            for element in list(self.root.iter(f"{_B}{kind}")):
                if _JUEL.match(element.text or ""):
                    self._timer(element)

    def translate(self) -> None:
        for element in list(self.root.iter()):
            if not isinstance(element.tag, str):
                continue
            for attr in list(element.attrib):
                if attr.startswith(_C):
                    self._attribute(element, attr[len(_C):])
            if element.tag == f"{_B}conditionExpression":
                self._condition(element)
            elif element.tag == f"{_B}scriptTask" and (element.get("scriptFormat") or "python").lower() \
                    not in ("python", "text/x-python"):
                self.refuse(element, f"een script in {element.get('scriptFormat')!r}",
                            "het script in Python (het draait in de sandbox van trede)")
            elif (parent := element.getparent()) is not None and parent.tag == f"{_B}timerEventDefinition":
                self._timer(element)
        for element in list(self.root.iter(f"{_C}*")):
            self._element(element)
        for definition in list(self.root.iter(f"{_B}messageEventDefinition")):
            self._message_variable(definition)

    def _message_variable(self, definition: etree._Element) -> None:
        """Camunda sets a message's variables on the case; SpiffWorkflow keeps a caught message only
        in a variable named on its definition: the message goes into a variable of its own name."""
        event = definition.getparent()
        if event is None or etree.QName(event).localname == "intermediateThrowEvent" \
                or etree.QName(event).localname == "endEvent" \
                or definition.find(f".//{_S}messageVariable") is not None:
            return
        variable = _message_variable(event)
        if variable is None:
            return
        holder = definition.find(f"{_B}extensionElements")
        if holder is None:
            holder = etree.Element(f"{_B}extensionElements")
            definition.insert(0, holder)
        etree.SubElement(holder, f"{_S}messageVariable", nsmap=_SPIFF_PREFIX).text = variable
        self.note(event, f"bericht {variable!r} → de inhoud komt in variabele {variable!r} (Camunda zette de "
                         f"velden los in de zaak; lees ze als {variable}[\"veld\"])")

    # -- attributes ------------------------------------------------------------------------------
    def _attribute(self, element: etree._Element, local: str) -> None:
        value = element.get(f"{_C}{local}") or ""
        tag = etree.QName(element).localname
        handler = {"decisionRef": self._decision, "assignee": self._assignee,
                   "candidateGroups": self._groups, "formKey": self._form_key,
                   "collection": self._collection, "elementVariable": self._element_variable}.get(local)
        if handler is not None and tag not in _HANDLED_ON.get(local, (tag,)):
            self.refuse(element, f"camunda:{local} op {tag}", _ELSEWHERE.get(local, "trede's eigen BPMN"))
        elif handler is not None:
            handler(element, value)
        elif local in _WITHOUT_EFFECT:
            del element.attrib[f"{_C}{local}"]
            self.note(element, f"camunda:{local}={value!r} zonder effect in trede: {_WITHOUT_EFFECT[local]}")
        else:
            self.refuse(element, f"camunda:{local} op {tag}", _INSTEAD.get(local, "trede's eigen BPMN"))

    def _decision(self, task: etree._Element, ref: str) -> None:
        if not _NAME.match(ref):
            self.refuse(task, f"camunda:decisionRef={ref!r} (een expressie)", "het id van de beslissing")
            return
        called = etree.SubElement(_extensions(task), f"{_S}calledDecisionId", nsmap=_SPIFF_PREFIX)
        called.text = ref
        del task.attrib[f"{_C}decisionRef"]
        self.note(task, f"camunda:decisionRef={ref!r} → roept beslissing {ref!r} aan")

    def _assignee(self, task: etree._Element, value: str) -> None:
        match = _JUEL.match(value)
        variable = match.group("body").strip() if match else None
        if variable is None or not _NAME.match(variable):
            self.refuse(task, f"camunda:assignee={value!r}",
                        "camunda:assignee=\"${variabele}\": trede wijst toe via een procesvariabele met de "
                        "gebruikersnaam, of laat de taak in de werkvoorraad van haar lane")
            return
        _property(task, "assignee", variable)
        del task.attrib[f"{_C}assignee"]
        self.note(task, f"camunda:assignee={value!r} → toegewezen aan wie variabele {variable!r} noemt")

    def _groups(self, task: etree._Element, value: str) -> None:
        groups = [g.strip() for g in value.split(",") if g.strip()]
        if len(groups) != 1 or _JUEL.match(value):
            self.refuse(task, f"camunda:candidateGroups={value!r}",
                        "één groep: trede zet een taak in één lane (de rol die haar oppakt)")
            return
        process = task.getparent()
        while process is not None and process.tag != f"{_B}process":
            process = process.getparent()
        if process is None:
            return
        lanes = process.find(f"{_B}laneSet")
        if lanes is not None and any(ref.text == task.get("id") for ref in lanes.iter(f"{_B}flowNodeRef")):
            self.refuse(task, f"camunda:candidateGroups={value!r} op een taak die al in een lane staat",
                        "alleen de lane")
            return
        if lanes is None:
            lanes = etree.Element(f"{_B}laneSet", id=f"{process.get('id')}_lanes")
            _insert_first(process, lanes, skip=("documentation", "extensionElements", "auditing",
                                                "monitoring", "property"))
        lane = next((ln for ln in lanes.iter(f"{_B}lane") if ln.get("name") == groups[0]), None)
        if lane is None:
            lane = etree.SubElement(lanes, f"{_B}lane", id=f"lane_{_ident(groups[0])}", name=groups[0])
        etree.SubElement(lane, f"{_B}flowNodeRef").text = task.get("id")
        del task.attrib[f"{_C}candidateGroups"]
        self.note(task, f"camunda:candidateGroups={value!r} → lane {groups[0]!r} "
                        "(wie die rol heeft pakt de taak op)")
        self.result.lanes.append((self.result.notes[-1], groups[0]))

    def _form_key(self, task: etree._Element, key: str) -> None:
        if ":" in key or not re.match(r"^[\w.-]+$", key):
            self.refuse(task, f"camunda:formKey={key!r} (een HTML- of Camunda-formulier)",
                        f"een formulier in JSON naast het model, bijv. formKey=\"{_ident(key)}\" met "
                        f"{_ident(key)}.json (zie bpmn/processes/*/forms)")
            return
        filename = key if key.endswith(".json") else f"{key}.json"
        _property(task, FORM_PROPERTY, filename)
        del task.attrib[f"{_C}formKey"]
        self.note(task, f"camunda:formKey={key!r} → formulier {filename!r} uit de bundel")

    def _collection(self, task: etree._Element, value: str) -> None:
        match = _JUEL.match(value)
        name = match.group("body").strip() if match else value.strip()
        loop = task.find(f"{_B}multiInstanceLoopCharacteristics")
        if loop is None or not _NAME.match(name):
            self.refuse(task, f"camunda:collection={value!r}",
                        "camunda:collection=\"${lijst}\" met de naam van een lijst in de zaak")
            return
        ref = etree.Element(f"{_B}loopDataInputRef")
        ref.text = name
        loop.insert(0, ref)
        del task.attrib[f"{_C}collection"]
        self.note(task, f"camunda:collection={value!r} → één keer per element van lijst {name!r}")

    def _element_variable(self, task: etree._Element, name: str) -> None:
        loop = task.find(f"{_B}multiInstanceLoopCharacteristics")
        if loop is None or not _NAME.match(name):
            self.refuse(task, f"camunda:elementVariable={name!r}", "de naam van een variabele")
            return
        item = etree.Element(f"{_B}inputDataItem", id=name, name=name)  # SpiffWorkflow reads the id
        after = loop.find(f"{_B}loopDataInputRef")
        loop.insert(loop.index(after) + 1 if after is not None else 0, item)
        del task.attrib[f"{_C}elementVariable"]
        self.note(task, f"camunda:elementVariable={name!r} → elk element heet {name!r} in zijn taak")

    # -- extension elements ----------------------------------------------------------------------
    def _element(self, element: etree._Element) -> None:
        if element.getparent() is None or not isinstance(element.tag, str):
            return
        local = etree.QName(element).localname
        parent = element.getparent()
        if parent is not None and etree.QName(parent).namespace == CAMUNDA_NS:
            return  # part of a construct handled (or refused) as a whole
        task = parent.getparent() if parent is not None else None
        if local == "formData" and task is not None and any(
                p.get("name") == FORM_PROPERTY for p in task.iter(f"{_S}property")):
            self.refuse(element, "camunda:formData naast camunda:formKey", "één van beide")
        elif local == "formData" and task is not None and etree.QName(task).localname != "userTask":
            self.refuse(element, f"camunda:formData op {etree.QName(task).localname}", _ELSEWHERE["formData"])
        elif local == "formData" and task is not None:
            self._form_data(task, element)
        elif local in ("in", "out") and dict(element.attrib) == {"variables": "all"} and parent is not None:
            parent.remove(element)
            self.note(task if task is not None else parent,
                      f"camunda:{local} variables=\"all\" → zo doet trede het altijd: een aangeroepen proces "
                      f"krijgt alle gegevens mee en geeft ze alle terug")
        elif local == "inputOutput" and task is not None and _catches_message(task):
            self.refuse(element, "camunda:inputOutput op een berichtgebeurtenis",
                        f"niets: het bericht komt in variabele {_message_variable(task)!r}; lees een veld "
                        f"daaruit in de volgende stap (bijv. {_message_variable(task)}[\"bedrag\"])")
        else:
            self.refuse(element, f"camunda:{local}", _INSTEAD.get(local, "trede's eigen BPMN"))

    def _form_data(self, task: etree._Element, form_data: etree._Element) -> None:
        properties: dict[str, Any] = {}
        required: list[str] = []
        if form_data.attrib:
            self.refuse(form_data, f"camunda:formData {' '.join(form_data.attrib)}",
                        "een formulier zonder businessKey: het zaaknummer is de sleutel van de zaak")
            return
        for form_field in form_data.iter(f"{_C}formField"):
            field_id = form_field.get("id") or ""
            extra = [a for a in form_field.attrib if a not in _FIELD_ATTRIBUTES] + [
                f"camunda:{etree.QName(c).localname}" for c in form_field if isinstance(c.tag, str)
                and etree.QName(c).localname not in _FIELD_CHILDREN]
            if extra:
                self.refuse(form_field, f"{', '.join(extra)} van formulierveld {field_id!r}",
                            "alleen id, label, type, defaultValue, validatie en keuzewaarden")
                return
            kind = form_field.get("type") or "string"
            schema = self._field_schema(form_field, kind)
            if schema is None or not _NAME.match(field_id):
                self.refuse(form_field, f"formulierveld {field_id!r} van type {kind!r}",
                            "een veld van type string, long, boolean, date of enum")
                return
            schema["title"] = form_field.get("label") or field_id
            if form_field.get("defaultValue") is not None:
                schema["default"] = _default(form_field.get("defaultValue") or "", kind)
            for constraint in form_field.iter(f"{_C}constraint"):
                name, config = constraint.get("name"), constraint.get("config")
                key = {"minlength": "minLength", "maxlength": "maxLength", "min": "minimum",
                       "max": "maximum"}.get(name or "")
                if name == "required":
                    required.append(field_id)
                elif key and config and config.lstrip("-").isdigit():
                    schema[key] = int(config)
                else:
                    self.refuse(constraint, f"validatie {name!r} van formulierveld {field_id!r}",
                                "required, minlength, maxlength, min of max met een getal")
                    return
            properties[field_id] = schema
        filename = f"{self.stem}-{task.get('id')}.json"
        self.forms[filename] = {"title": task.get("name") or task.get("id"), "type": "object",
                                "required": required, "properties": properties,
                                "x-order": list(properties)}
        _property(task, FORM_PROPERTY, filename)
        extensions = form_data.getparent()
        if extensions is not None:
            extensions.remove(form_data)
        self.note(task, f"camunda:formData ({len(properties)} velden: {', '.join(properties)}) → formulier "
                        f"{filename!r}")

    def _field_schema(self, form_field: etree._Element, kind: str) -> dict[str, Any] | None:
        if kind in _FORM_TYPES:
            return dict(_FORM_TYPES[kind])
        if kind == "enum":
            values = [(v.get("id"), v.get("name") or v.get("id")) for v in form_field.iter(f"{_C}value")]
            if not values:
                return None
            return {"type": "string", "enum": [v for v, _ in values],
                    "x-enumNames": [label for _, label in values]}
        return None

    # -- expressions -----------------------------------------------------------------------------
    def _condition(self, element: etree._Element) -> None:
        text = (element.text or "").strip()
        language = (element.get("language") or "").lower()
        match = _JUEL.match(text)
        if language in ("", "juel") and match:
            python = juel_to_python(match.group("body"))
            what = "JUEL"
        elif language == "feel" or text.startswith("="):
            python = feel_to_python(text.lstrip("="))
            what = "FEEL"
        elif language not in ("", "python"):
            self.refuse(element, f"een voorwaarde in {element.get('language')!r}", "de voorwaarde in Python")
            return
        else:
            return  # already Python (trede's own dialect)
        if python is None:
            self.refuse(element, f"{what}-voorwaarde {text!r}",
                        "een eenvoudige vergelijking (bijv. ${bedrag > 5000}) of de voorwaarde in Python")
            return
        element.text = python
        element.attrib.pop("language", None)
        self.note(element, f"{what}-voorwaarde {text!r} → {python!r}")

    def _timer(self, element: etree._Element) -> None:
        text = (element.text or "").strip()
        match = _JUEL.match(text)
        if match:
            python = juel_to_python(match.group("body"))
            if python is None:
                self.refuse(element, f"timer {text!r}", "een ISO 8601-waarde of een Python-expressie")
                return
            element.text = python
            self.note(element, f"timer {text!r} → {python!r}")
        elif _ISO_TIME.match(text):
            element.text = json.dumps(text)
            self.note(element, f"timer {text!r} → de tekst {json.dumps(text)} "
                               "(trede leest timers als Python)")
        elif len(text.split()) in (6, 7) and not text.startswith(('"', "'")):
            self.refuse(element, f"cron-timer {text!r}",
                        "een ISO 8601-herhaling, bijv. \"R/P1D\" (elke dag) of \"R/P1W\" (elke week)")


# --- JUEL and FEEL to Python ----------------------------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^'\\]*'|\"[^\"\\]*\")|(?P<name>[A-Za-z_][\w.]*)"
                    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!()+\-*/%=]))")
_JUEL_WORDS = {"and": "and", "or": "or", "not": "not", "empty": "not", "eq": "==", "ne": "!=", "lt": "<",
               "gt": ">", "le": "<=", "ge": ">=", "true": "True", "false": "False", "null": "None"}
_JUEL_OPS = {"&&": "and", "||": "or", "!": "not", "==": "==", "!=": "!=", "<": "<", ">": ">", "<=": "<=",
             ">=": ">=", "(": "(", ")": ")", "+": "+", "-": "-", "*": "*", "/": "/", "%": "%"}
_FEEL_OPS = {**{k: v for k, v in _JUEL_OPS.items() if k not in ("&&", "||", "!", "==")}, "=": "=="}
_FEEL_WORDS = {"and": "and", "or": "or", "true": "True", "false": "False", "null": "None"}


def _tokens_to_python(text: str, words: Mapping[str, str], ops: Mapping[str, str]) -> str | None:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            return None
        pos = match.end()
        if match.group("num") or match.group("str"):
            out.append(match.group("num") or match.group("str"))
        elif match.group("name"):
            name = match.group("name")
            if name in words:
                out.append(words[name])
            elif name.lower() in words or "." in name:
                return None  # FALSE, a.b (bean access): not translated
            else:
                out.append(name)
        elif match.group("op") in ops:
            out.append(ops[match.group("op")])
        else:
            return None
    python = " ".join(out)
    try:
        ast.parse(python, mode="eval")  # only parsed: the sandbox compiles it at validation
    except SyntaxError:
        return None
    return python or None


def juel_to_python(body: str) -> str | None:
    """A simple JUEL expression (comparisons, and/or/not, literals, names) in Python; None otherwise."""
    return _tokens_to_python(body, _JUEL_WORDS, _JUEL_OPS)


def feel_to_python(text: str) -> str | None:
    """A simple FEEL condition (comparisons with ``=``, and/or, literals, names) in Python; None otherwise."""
    return _tokens_to_python(text, _FEEL_WORDS, _FEEL_OPS)


# --- helpers ---------------------------------------------------------------------------------------------
def _catches_message(event: etree._Element) -> bool:
    return etree.QName(event).localname in ("intermediateCatchEvent", "boundaryEvent", "startEvent") \
        and event.find(f"{_B}messageEventDefinition") is not None


def _message_variable(event: etree._Element) -> str | None:
    """The variable a caught message goes into: the message's name as a Python name."""
    definition = event.find(f"{_B}messageEventDefinition")
    ref = definition.get("messageRef") if definition is not None else None
    root = event.getroottree().getroot()
    message = next((m for m in root.iter(f"{_B}message") if m.get("id") == ref), None) if ref else None
    name = message.get("name") if message is not None else None
    return _ident(name) if name else None

def _owner(element: etree._Element) -> str | None:
    node: etree._Element | None = element
    while node is not None:
        local = etree.QName(node).localname
        if etree.QName(node).namespace == BPMN_NS and node.get("id") and not local.endswith(
                ("EventDefinition", "Expression", "LoopCharacteristics")):
            return node.get("id")
        node = node.getparent()
    return None


def _extensions(task: etree._Element) -> etree._Element:
    found = task.find(f"{_B}extensionElements")
    if found is None:
        found = etree.Element(f"{_B}extensionElements")
        _insert_first(task, found)
    return found


def _property(task: etree._Element, name: str, value: str) -> None:
    extensions = _extensions(task)
    props = extensions.find(f"{_S}properties")
    if props is None:
        props = etree.SubElement(extensions, f"{_S}properties", nsmap=_SPIFF_PREFIX)
    etree.SubElement(props, f"{_S}property", name=name, value=value)


def _insert_first(parent: etree._Element, child: etree._Element,
                  skip: tuple[str, ...] = ("documentation",)) -> None:
    """Before the flow content, after what the BPMN schema puts first (``skip``)."""
    index = 0
    while index < len(parent) and isinstance(parent[index].tag, str) \
            and etree.QName(parent[index]).localname in skip:
        index += 1
    parent.insert(index, child)


def _ident(text: str) -> str:
    return re.sub(r"\W+", "_", text.rsplit(":", 1)[-1]).strip("_") or "formulier"


def _default(value: str, kind: str) -> Any:
    if kind == "long" and value.lstrip("-").isdigit():
        return int(value)
    if kind == "boolean":
        return value.lower() == "true"
    return value
