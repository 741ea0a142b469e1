"""Safe parsing and validation of a bundle of .bpmn/.dmn files (deploy time and ``trede validate``).

Order matters: the XML is parsed safely first (``engine.models.safe_xml``) and only that tree reaches
SpiffWorkflow; then XSD validation, sandbox compilation of every piece of code
(``engine.models.expressions``), the structural checks of what the engine can execute
(``engine.models.support``), and finally SpiffWorkflow building every executable process.
Every finding is a ``Problem`` with file and line; bad input never escapes as a traceback.
"""
from __future__ import annotations

import dataclasses
import errno
import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.assignment import assignee_problems
from engine.decisions import TredeBpmnParser
from engine.dmn.checks import diagram_problems, table_problems
from engine.dmn.drd import is_diagram
from engine.dmn.namespaces import dmn_version, unknown_namespace
from engine.dmn.table import language_of, read_table
from engine.models.camunda import translate_bundle
from engine.models.event_checks import wait_problems
from engine.models.expressions import (
    BPMN_NS,
    INPUT_ENTRY,
    NSMAP,
    SPIFF_NS,
    TIMER_EXPRESSION,
    bpmn_code,
    called_decisions,
    dmn_code,
    feel_hint,
)
from engine.models.flows import default_flow_problems
from engine.models.forms import FORM_SUFFIX, form_file_problems, form_references, is_form, missing_forms
from engine.models.labels import element_label, kind_name
from engine.models.safe_xml import MAX_MODEL_BYTES, UnsafeXml, parse_safe_xml
from engine.models.support import FLOW_NODES, document_level, unsupported_elements
from engine.models.timers import bare_iso, literal_timer_problems
from engine.sandbox.environment import SandboxViolation, check_code
from engine.sandbox.explain import describe
from engine.scheduling import streefdatum

__all__ = [
    "MAX_MODEL_BYTES", "Problem", "BundleInvalid", "Bundle", "parse_bundle", "validate_bundle",
    "read_model_files",
]
log = logging.getLogger(__name__)
MODEL_SUFFIXES = (".bpmn", ".dmn", FORM_SUFFIX)
# lxml schema objects keep their error log on the object: one validation at a time.
_XSD_LOCK = threading.Lock()
_DMN_VALIDATORS: dict[str, BpmnValidator | None] = {}


@dataclass(frozen=True)
class Problem:
    """One finding. ``element``: the element as a person names it ("Scripttaak ‘Bereken premie’
    (script_premie)", ``engine.models.labels``), filled in when the element is found in its file."""

    file: str
    line: int | None
    element_id: str | None
    message: str
    element: str | None = None

    @property
    def text(self) -> str:
        """The message with the element it is about: what a person reads."""
        who = self.element or self.element_id
        return f"{who}: {self.message}" if who else self.message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.text}"


class BundleInvalid(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Bundle:
    files: dict[str, bytes]
    parser: SpiffBpmnParser
    process_ids: list[str]
    decision_ids: list[str]

    def get_spec(self, process_id: str) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
        """(spec, subprocess specs) of an executable process of this bundle."""
        if process_id not in self.process_ids:
            known = ", ".join(self.process_ids) or "geen"
            raise KeyError(f"proces {process_id!r} zit niet in deze bundel (processen: {known})")
        return self.parser.get_spec(process_id), self.parser.get_subprocess_specs(process_id)


@dataclass
class _Doc:
    name: str
    kind: str  # "bpmn" | "dmn"
    root: etree._Element
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, element_id: str | None) -> int | None:
        if element_id:
            found = self.root.xpath("//*[@id=$id]", id=element_id)
            if found:
                line: int | None = found[0].sourceline
                return line
        return None


def parse_bundle(files: Mapping[str, bytes], *, legacy: bool = False) -> Bundle:
    """Parse and validate; raises ``BundleInvalid`` listing every problem.

    ``legacy``: a bundle deployed before the standard decision engine (``deployments.dmn_engine``
    NULL): its decisions run as they did then (``TredeBpmnParser``), so they are not checked anew.
    """
    problems, bundle = _build_guarded(files, legacy)
    if problems or bundle is None:
        raise BundleInvalid(problems)
    return bundle


def validate_bundle(files: Mapping[str, bytes]) -> list[Problem]:
    """Every problem of the bundle; ``[]`` when it can be deployed. Never raises for bad input."""
    return _build_guarded(files)[0]


def _build_guarded(files: Mapping[str, bytes], legacy: bool = False) -> tuple[list[Problem], Bundle | None]:
    try:
        return _build(files, legacy)
    except Exception:  # noqa: BLE001 - the promise is "a Problem, never a traceback"
        log.exception("validating a bundle failed")
        message = ("interne fout bij het valideren; het model is niet gecontroleerd. "
                   "Meld dit aan de beheerder (de details staan in het serverlog)")
        return [Problem("<bundel>", None, None, message)], None


def read_model_files(paths: Sequence[str | Path]) -> dict[str, bytes]:
    """Read files, and the *.bpmn/*.dmn files of directories; raises ``BundleInvalid`` on problems."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for given in paths:
        for name, member in _expand(Path(given), problems):
            if name not in files:
                _read_one(name, member, files, problems)
    if problems:
        raise BundleInvalid(problems)
    return files


def _expand(path: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """A file stays itself; a directory becomes its *.bpmn/*.dmn files and the form definitions
    (*.json) beside them or in a subfolder such as ``forms/``."""
    if not path.is_dir():
        return [(str(path), path)]
    try:
        members = sorted(p for p in path.rglob("*") if p.is_file() and (
            (p.parent == path and p.suffix.lower() in (".bpmn", ".dmn")) or p.suffix.lower() == FORM_SUFFIX))
    except OSError as exc:
        problems.append(Problem(str(path), None, None, f"map kan niet worden gelezen: {_os_error(exc)}"))
        return []
    if not members:
        problems.append(Problem(str(path), None, None, "de map bevat geen .bpmn- of .dmn-bestanden"))
    return [(str(p), p) for p in members]


def _read_one(name: str, path: Path, files: dict[str, bytes], problems: list[Problem]) -> None:
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_MODEL_BYTES + 1)
    except FileNotFoundError:
        problems.append(Problem(name, None, None, "bestand of map bestaat niet"))
        return
    except OSError as exc:
        problems.append(Problem(name, None, None, f"bestand kan niet worden gelezen: {_os_error(exc)}"))
        return
    if len(content) > MAX_MODEL_BYTES:
        message = f"het bestand is groter dan de grens van {MAX_MODEL_BYTES:,} bytes".replace(",", ".")
        problems.append(Problem(name, None, None, message))
        return
    files[name] = content


# --- building ---------------------------------------------------------------------------------


def _build(files: Mapping[str, bytes], legacy: bool) -> tuple[list[Problem], Bundle | None]:
    # Camunda Modeler documents are translated first (or refused construct by construct).
    translation = translate_bundle(files, parse_safe_xml)
    files = translation.files
    problems = [Problem(n.file, n.line, n.element_id, n.message) for n in translation.refused]
    docs: list[_Doc] = []
    for name, content in files.items():
        if is_form(str(name)):
            problems.extend(Problem(str(name), line, None, message)
                            for line, message in form_file_problems(str(name), content))
            continue
        loaded = _load(str(name), content)
        if isinstance(loaded, Problem):
            problems.append(loaded)
        else:
            docs.append(loaded)
    if not docs and not problems:
        problems.append(Problem("<bundel>", None, None, "geen modelbestanden meegegeven"))
    executable = _executable_process_ids(docs)
    decision_ids = _check_decisions(docs, legacy)
    for doc in docs:
        _check_document(doc, set(executable), bool(executable or decision_ids), legacy)
        for filename, line, task_id in missing_forms(form_references(doc.root), files):
            doc.problems.append(Problem(doc.name, line, task_id,
                                        f"formulier {filename!r} zit niet in de bundel"))
        for line, element_id, message in assignee_problems(doc.root):
            doc.problems.append(Problem(doc.name, line, element_id, message))
        for prop in doc.root.iter(f"{{{SPIFF_NS}}}property"):
            if prop.get("name") != streefdatum.PROPERTY:
                continue
            if wrong := streefdatum.problem(prop.get("value") or ""):
                doc.problems.append(Problem(doc.name, prop.sourceline, None, wrong))
    parser = TredeBpmnParser(legacy=legacy)  # XSD validation already done per document above
    for doc in docs:
        if not doc.problems:
            _add_to_parser(parser, doc)
        problems.extend(sorted(doc.problems, key=lambda p: (p.line is None, p.line or 0)))
    if problems:
        return _labelled(problems, docs), None
    problems = list(_build_specs(parser, docs, executable)) + list(_parse_decisions(parser, docs))
    bundle = Bundle({n: c for n, c in files.items() if not is_form(str(n))}, parser, executable, decision_ids)
    return _labelled(problems, docs), None if problems else bundle


def _labelled(problems: list[Problem], docs: list[_Doc]) -> list[Problem]:
    """Each problem with its element named as a person sees it (kind, name, id)."""
    roots = {doc.name: doc.root for doc in docs}
    out = []
    for problem in problems:
        root = roots.get(problem.file)
        found = (root.xpath("//*[@id=$id]", id=problem.element_id)
                 if root is not None and problem.element_id else [])
        out.append(dataclasses.replace(problem, element=element_label(found[0])) if found else problem)
    return out


def _os_error(exc: OSError) -> str:
    dutch = {errno.EACCES: "geen toegang", errno.EISDIR: "het is een map", errno.ENOENT: "bestaat niet",
             errno.ENOTDIR: "het is geen map"}
    return dutch.get(exc.errno or 0, "het besturingssysteem weigert")


def _load(name: str, content: Any) -> _Doc | Problem:
    if not isinstance(content, (bytes, bytearray)):
        return Problem(name, None, None, "de inhoud van het bestand moet bytes zijn")
    try:
        root = parse_safe_xml(bytes(content)).getroot()
    except UnsafeXml as exc:
        return Problem(name, exc.line, None, exc.message)
    qname = etree.QName(root)
    if qname.localname == "definitions" and qname.namespace == BPMN_NS:
        return _Doc(name, "bpmn", root)
    if qname.localname == "definitions" and (name.lower().endswith(".dmn")
                                             or "DMN" in (qname.namespace or "").upper()):
        if dmn_version(qname.namespace) is None:
            return Problem(name, root.sourceline, None, unknown_namespace(qname.namespace))
        return _Doc(name, "dmn", root)
    return Problem(name, root.sourceline, None,
                   f"geen BPMN- of DMN-bestand: het bevat geen proces en geen beslissing "
                   f"(het hoofdelement is ‘{qname.localname}’, verwacht ‘definitions’ van BPMN of DMN)")


def _processes(doc: _Doc) -> list[etree._Element]:
    return doc.root.findall("bpmn:process", NSMAP) if doc.kind == "bpmn" else []


def _is_executable(process: etree._Element) -> bool:
    # SpiffWorkflow's rule: a missing isExecutable counts as executable.
    return process.get("isExecutable", "true") == "true"


def _executable_process_ids(docs: list[_Doc]) -> list[str]:
    return [pid for doc in docs for p in _processes(doc) if _is_executable(p) and (pid := p.get("id"))]


def _check_decisions(docs: list[_Doc], legacy: bool) -> list[str]:
    """Decision ids in file order; one decision (with a decision table) per DMN file."""
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.kind != "dmn":
            continue
        ns = {"dmn": etree.QName(doc.root).namespace or ""}  # a DMN document always has one
        decisions = doc.root.findall("dmn:decision", ns)
        if not decisions:
            doc.problems.append(Problem(doc.name, doc.root.sourceline, None,
                                        "het DMN-bestand bevat geen beslissing: voeg een beslistabel toe"))
        elif not legacy and is_diagram(doc.root):  # a decision requirements diagram
            for line, element_id, message in diagram_problems(doc.root):
                doc.problems.append(Problem(doc.name, line, element_id, message))
            for decision in decisions:
                _note_decision(doc, decision, seen)
            continue
        for extra in decisions[1:]:
            doc.problems.append(Problem(doc.name, extra.sourceline, extra.get("id"),
                                        "één beslissing per DMN-bestand: zet deze beslissing in een "
                                        "eigen bestand"))
        if decisions:
            _check_one_decision(doc, decisions[0], ns, seen, legacy)
    return list(seen)


def _check_one_decision(doc: _Doc, decision: etree._Element, ns: dict[str, str], seen: dict[str, str],
                        legacy: bool) -> None:
    decision_id = decision.get("id")
    table = read_table(decision)
    if table is None:
        doc.problems.append(Problem(doc.name, decision.sourceline, decision_id,
                                    "de beslissing heeft geen beslistabel (alleen beslistabellen kunnen "
                                    "worden uitgevoerd)"))
    elif not legacy:
        for line, message in table_problems(table, legacy):
            doc.problems.append(Problem(doc.name, line, decision_id, message))
    _note_decision(doc, decision, seen)


def _note_decision(doc: _Doc, decision: etree._Element, seen: dict[str, str]) -> None:
    decision_id = decision.get("id")
    if decision_id in seen:
        doc.problems.append(Problem(doc.name, decision.sourceline, decision_id,
                                    f"deze beslissings-id wordt ook gebruikt in {seen[decision_id]}: "
                                    "kies een andere id"))
    elif decision_id:
        seen[decision_id] = doc.name


def _check_document(doc: _Doc, executable: set[str], anything_runs: bool, legacy: bool) -> None:
    doc.problems.extend(_xsd_problems(doc))
    if doc.kind == "bpmn" or _dmn_language(doc, legacy) == "python":
        doc.problems.extend(_code_problems(doc))  # FEEL tables are compiled by table_problems
    if doc.kind != "bpmn":
        return
    for found in document_level(doc.root):
        doc.problems.append(Problem(doc.name, found.line, found.element_id, found.message))
    for timer in literal_timer_problems(doc.root):
        doc.problems.append(Problem(doc.name, timer.line, timer.element_id, timer.message))
    for wait in wait_problems(doc.root):  # what a case could wait for without a recorded wait
        doc.problems.append(Problem(doc.name, wait.line, wait.element_id, wait.message))
    for flow in default_flow_problems(doc.root):
        doc.problems.append(Problem(doc.name, flow.line, flow.element_id, flow.message))
    for task, ref in called_decisions(doc.root):
        if ref is None:
            doc.problems.append(Problem(doc.name, task.sourceline, task.get("id"),
                                        "de beslistaak roept geen beslissing aan: kies de beslissing "
                                        "(spiffworkflow:calledDecisionId)"))
    if not _processes(doc) and not doc.root.findall("bpmn:collaboration", NSMAP):
        doc.problems.append(Problem(doc.name, doc.root.sourceline, None,
                                    "het BPMN-bestand bevat geen proces: teken een proces met een "
                                    "startgebeurtenis, of laat dit bestand weg"))
    for process in _processes(doc):
        doc.problems.extend(_process_problems(doc, process, executable, anything_runs))


def _process_problems(doc: _Doc, process: etree._Element, executable: set[str], anything_runs: bool
                      ) -> Iterator[Problem]:
    if not _is_executable(process):
        # A non-executable pool next to executable processes is documentation; alone it means
        # nothing in the files can run, so say so and list what would block running it.
        has_nodes = any(etree.QName(c).localname in FLOW_NODES for c in process if isinstance(c.tag, str))
        if anything_runs or not has_nodes:
            return
        yield Problem(doc.name, process.sourceline, process.get("id"),
                      'het proces is niet uitvoerbaar (isExecutable="false"): zet ‘uitvoerbaar’ aan')
    for found in unsupported_elements(process, executable):
        yield Problem(doc.name, found.line, found.element_id, found.message)


def _dmn_language(doc: _Doc, legacy: bool) -> str:
    if not legacy and is_diagram(doc.root):
        return "feel"  # checked as a whole by diagram_problems
    ns = {"dmn": etree.QName(doc.root).namespace or ""}
    decision = doc.root.find("dmn:decision", ns)
    table = read_table(decision) if decision is not None else None
    return "python" if table is None else language_of(table, legacy)


def _code_problems(doc: _Doc) -> Iterator[Problem]:
    codes = bpmn_code(doc.root) if doc.kind == "bpmn" else dmn_code(doc.root)
    for code in codes:
        if code.what == TIMER_EXPRESSION and bare_iso(code.shown):
            continue  # said in Dutch, with the quotes to add, by literal_timer_problems
        hint = feel_hint(code.shown) if code.what == INPUT_ENTRY else None
        if hint:
            yield Problem(doc.name, code.line, code.element_id, f"{code.what} {_excerpt(code.shown)}: {hint}")
            continue
        try:
            check_code(code.code, code.mode)
        except SandboxViolation as violation:
            line = code.line
            # A script task's own script needs no "script:": its label says Scripttaak.
            message = violation.message if code.what == "script" else f"{code.what}: {violation.message}"
            if code.mode == "eval":
                message = f"{code.what} {_excerpt(code.shown)}: {violation.message}"
            elif violation.lineno and (violation.lineno > 1 or "\n" in code.code.strip()):
                message = _at_line(violation.message, violation.lineno, code.what)
                line = line + violation.lineno - 1 if line else None
            yield Problem(doc.name, line, code.element_id, message)


def _at_line(message: str, lineno: int, what: str) -> str:
    """"ongeldige Python-syntax op regel 2 van het script: ..." / "... (regel 2 van het script)"."""
    syntax = "ongeldige Python-syntax"
    if message.startswith(syntax):
        return f"{syntax} op regel {lineno} van het {what}{message[len(syntax):]}"
    return f"{message} (regel {lineno} van het {what})"


def _excerpt(code: str, limit: int = 60) -> str:
    flat = " ".join(code.split())
    return f"‘{flat if len(flat) <= limit else flat[: limit - 3] + '...'}’"


def _xsd_problems(doc: _Doc) -> Iterator[Problem]:
    validator = VALIDATOR if doc.kind == "bpmn" else _dmn_validator(etree.QName(doc.root).namespace)
    if validator is None:
        return
    try:
        with _XSD_LOCK:
            validator.validate(doc.root, doc.name)
    except ValidationException as exc:
        yield _from_validation(exc, doc)


def _dmn_validator(namespace: str | None) -> BpmnValidator | None:
    key = namespace or ""
    schema = DMN_SCHEMAS.get(key)
    if schema is None:
        return None
    with _XSD_LOCK:
        if key not in _DMN_VALIDATORS:
            try:
                _DMN_VALIDATORS[key] = BpmnValidator(schema)
            except etree.XMLSchemaParseError:
                # SpiffWorkflow 3.2 ships DMN 1.2's DMNDI schema under the DI schema's name, so
                # DMN12.xsd cannot load: 1.2 documents are read like 1.4/1.5, without the XSD.
                _DMN_VALIDATORS[key] = None
        return _DMN_VALIDATORS[key]


_PREFIXES = {
    "{http://www.omg.org/spec/BPMN/20100524/MODEL}": "bpmn:",
    "{http://spiffworkflow.org/bpmn/schema/1.0/core}": "spiffworkflow:",
    **{f"{{{ns}}}": "dmn:" for ns in DMN_SCHEMAS},
}


def _from_validation(exc: ValidationException, doc: _Doc, fallback_line: int | None = None) -> Problem:
    message = str(exc.args[0]) if exc.args else ""
    for uri, prefix in _PREFIXES.items():
        message = message.replace(uri, prefix)
    message = re.sub(r"'bpmn:(\w+)'", lambda m: f"'{kind_name(m[1]).lower()} (bpmn:{m[1]})'", message)
    line = exc.line_number if isinstance(exc.line_number, int) and exc.line_number > 0 else None
    element_id = getattr(exc, "id", None) or None
    line = line or doc.line_of(element_id) or fallback_line
    return Problem(doc.name, line, element_id, _dutch_parser_message(" ".join(message.split()).rstrip(".")))


# The schema's (lxml) and SpiffWorkflow's parser's texts, as a designer reads them.
_PARSER_TEXTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Element '(?P<e>[^']+)': This element is not expected"),
     "het element ‘{e}’ hoort hier niet volgens het schema (verkeerde plek of volgorde)"),
    (re.compile(r"Element '(?P<e>[^']+)': Missing child element"),
     "het element ‘{e}’ mist een verplicht onderdeel volgens het schema"),
    (re.compile(r"Element '(?P<e>[^']+)', attribute '(?P<a>[^']+)': The attribute '[^']+' is not allowed"),
     "het attribuut ‘{a}’ hoort niet bij ‘{e}’"),
    (re.compile(r"Element '(?P<e>[^']+)': The attribute '(?P<a>[^']+)' is required but missing"),
     "het verplichte attribuut ‘{a}’ van ‘{e}’ ontbreekt"),
    (re.compile(r"Element '(?P<e>[^']+)', attribute '(?P<a>[^']+)': '(?P<v>[^']*)' is not a valid value of "
                r"the atomic type 'xs:ID'"),
     "‘{v}’ is geen geldige id voor ‘{e}’: begin met een letter, zonder spaties"),
    (re.compile(r"Element '(?P<e>[^']+)', attribute '(?P<a>[^']+)': '(?P<v>[^']*)' is not a valid value"),
     "‘{v}’ is geen geldige waarde voor het attribuut ‘{a}’ van ‘{e}’"),
    (re.compile(r"Element '(?P<e>[^']+)': '(?P<v>[^']*)' is not a valid value"),
     "‘{v}’ is geen geldige waarde voor ‘{e}’"),
    (re.compile(r"Duplicate key-sequence \['(?P<v>[^']*)'\]|ID '(?P<w>[^']*)' already defined"),
     "de id ‘{v}{w}’ wordt twee keer gebruikt: elke id moet uniek zijn"),
    (re.compile(r"No matching (?:key|ID) .*'(?P<v>[^']*)'"),
     "de verwijzing ‘{v}’ wijst naar niets in dit bestand"),
    (re.compile(r"Element '(?P<e>[^']+)'"),
     "het element ‘{e}’ volgt het schema niet"),
    (re.compile(r"No start event found|Process has no start event", re.I),
     "het proces heeft geen startgebeurtenis"),
    (re.compile(r"Process '?(?P<p>[^' ]+)'? already exists|Duplicate process id", re.I),
     "het proces ‘{p}’ staat in meer dan één bestand"),
    (re.compile(r"Invalid Task Type|Unsupported|not supported", re.I),
     "dit element kan de procesmotor niet uitvoeren"),
)


def _dutch_parser_message(english: str) -> str:
    for pattern, dutch in _PARSER_TEXTS:
        found = pattern.search(english)
        if found:
            return dutch.format(**{k: v or "" for k, v in found.groupdict().items()})
    return "de procesmotor kan dit deel van het model niet lezen; controleer het element en zijn verbindingen"


def _add_to_parser(parser: TredeBpmnParser, doc: _Doc) -> None:
    try:
        if doc.kind == "bpmn":
            parser.add_bpmn_xml(doc.root, filename=doc.name)
        else:
            parser.add_dmn_xml(doc.root, filename=doc.name)
    except ValidationException as exc:
        doc.problems.append(_from_validation(exc, doc, doc.root.sourceline))
    except Exception as exc:  # noqa: BLE001 - SpiffWorkflow raises plain errors on odd input
        log.info("SpiffWorkflow could not read %s: %s", doc.name, exc)
        doc.problems.append(Problem(doc.name, doc.root.sourceline, None,
                                    "de procesmotor kan dit bestand niet lezen; controleer de elementen en "
                                    "hun verbindingen"))


def _build_specs(parser: TredeBpmnParser, docs: list[_Doc], executable: list[str]) -> Iterator[Problem]:
    by_name = {doc.name: doc for doc in docs}
    for process_id in executable:
        process_parser = parser.get_process_parser(process_id)
        doc = by_name.get(process_parser.filename) if process_parser else None
        if doc is None:
            continue
        try:
            parser.get_spec(process_id)
            parser.get_subprocess_specs(process_id)
        except ValidationException as exc:
            target = by_name.get(exc.file_name, doc)
            yield _from_validation(exc, target, target.line_of(process_id) or target.root.sourceline)
        except Exception as exc:  # noqa: BLE001
            log.info("SpiffWorkflow could not build %s: %s", process_id, exc)
            yield Problem(doc.name, doc.line_of(process_id), process_id,
                          "de procesmotor kan dit proces niet opbouwen; controleer de elementen en hun "
                          "verbindingen")


def _parse_decisions(parser: TredeBpmnParser, docs: list[_Doc]) -> Iterator[Problem]:
    by_name = {doc.name: doc for doc in docs}
    for decision_id, dmn_parser in parser.dmn_parsers.items():
        doc = by_name[dmn_parser.filename]
        if _dmn_language(doc, parser.legacy) == "feel":
            continue  # compiled by table_problems; SpiffWorkflow's reader is for Python cells
        try:
            dmn_parser.parse()
        except ValidationException as exc:
            yield _from_validation(exc, doc, doc.line_of(decision_id))
        except Exception as exc:  # noqa: BLE001
            log.info("SpiffWorkflow could not read decision %s: %s", decision_id, exc)
            yield Problem(doc.name, doc.line_of(decision_id), decision_id,
                          f"de beslissing kan niet worden gelezen: {describe(exc)}")

