"""A process's own content, as a digest: what decides whether a deploy gives it a new version.

A bundle holds many processes; editing one should not re-version the others (issue 20, item 8).
A process's digest covers exactly what it runs and shows: its ``bpmn:process`` element, the diagram
plane that draws it, the file's shared definitions (messages, errors, signals, the collaboration that
names it), the forms its user tasks name, every DMN file of the bundle (a business rule task may call
any of them) and, recursively, the processes it calls. Two bundles give a process the same digest
exactly when none of that changed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

from lxml import etree

from engine.models.expressions import BPMN_NS
from engine.models.forms import basename, form_references, is_form
from engine.models.safe_xml import parse_safe_xml

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
_OWN_ROOTS = ("process", "collaboration", "BPMNDiagram")  # handled per process, not shared


class _Files:
    """The bundle's BPMN files parsed once; which file holds which process."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.roots: dict[str, etree._Element] = {}
        self.holder: dict[str, str] = {}  # process id -> file name
        self.executable: list[str] = []
        for name in sorted(files):
            if not name.lower().endswith(".bpmn"):
                continue
            try:
                root = parse_safe_xml(files[name]).getroot()
            except Exception:  # noqa: BLE001 - an unreadable file has no processes to version
                continue
            self.roots[name] = root
            for process in root.findall(f"{{{BPMN_NS}}}process"):
                if process.get("id"):
                    self.holder.setdefault(str(process.get("id")), name)
                    if process.get("isExecutable", "true") == "true":  # SpiffWorkflow's rule
                        self.executable.append(str(process.get("id")))

    def dmn_bytes(self) -> bytes:
        return b"".join(name.encode() + b"\0" + self.files[name]
                        for name in sorted(self.files) if name.lower().endswith(".dmn"))

    def form(self, filename: str) -> bytes:
        for name in sorted(self.files):
            if is_form(name) and basename(name) == basename(filename):
                return self.files[name]
        return b""


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


def _own_parts(files: _Files, process_id: str) -> tuple[bytes, list[str]]:
    """The canonical bytes of the process's own parts, and the processes it calls."""
    name = files.holder.get(process_id)
    if name is None:
        return b"", []
    root = files.roots[name]
    process = root.find(f"{{{BPMN_NS}}}process[@id='{process_id}']")
    if process is None:
        return b"", []
    parts = [_c14n(process)]
    for child in root:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local not in _OWN_ROOTS:
            parts.append(_c14n(child))  # messages, errors, signals ... the process may refer to
        elif local == "collaboration" and child.find(
                f"{{{BPMN_NS}}}participant[@processRef='{process_id}']") is not None:
            parts.append(_c14n(child))
    drawn = {process_id} | {str(c.get("id")) for c in root.findall(f"{{{BPMN_NS}}}collaboration")
                            if c.find(f"{{{BPMN_NS}}}participant[@processRef='{process_id}']") is not None}
    for plane in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane"):
        if plane.get("bpmnElement") in drawn:
            parts.append(_c14n(plane))
    for form_name, _line, _task in form_references(process):
        parts.append(form_name.encode() + b"\0" + files.form(form_name))
    called = [str(c.get("calledElement")) for c in process.iter(f"{{{BPMN_NS}}}callActivity")
              if c.get("calledElement")]
    return b"\0".join(parts), called


def process_digests(files: Mapping[str, bytes]) -> dict[str, str]:
    """The digest of every process in the bundle's BPMN files (executable or not)."""
    parsed = _Files(files)
    dmn = hashlib.sha256(parsed.dmn_bytes()).hexdigest()
    own: dict[str, tuple[str, list[str]]] = {}
    for process_id in parsed.holder:
        content, called = _own_parts(parsed, process_id)
        own[process_id] = (hashlib.sha256(content).hexdigest(), called)

    def closure(process_id: str) -> list[str]:
        seen: list[str] = []
        todo = [process_id]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.append(current)
            todo.extend(own.get(current, ("", []))[1])
        return sorted(seen)

    digests = {}
    for process_id in own:
        digest = hashlib.sha256(dmn.encode())
        for member in closure(process_id):  # a called process missing from the bundle counts as absent
            digest.update(member.encode() + b"\0" + own.get(member, ("-", []))[0].encode())
        digests[process_id] = digest.hexdigest()
    return digests


def executable_process_ids(files: Mapping[str, bytes]) -> list[str]:
    """The processes a deploy versions (as ``Bundle.process_ids``, without parsing the specs)."""
    return _Files(files).executable
