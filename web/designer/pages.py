"""Data for the designer's pages, assembled from the services (routes stay a few lines)."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from casework.accounts.service import User
from casework.designer import approvals, model_tests
from casework.designer.diff import BundleDiff, diff_bundles
from casework.designer.versions import (
    VersionRow,
    active_version_id,
    bundle_files,
    get_version_row,
    list_versions,
    process_ids,
)
from engine.errors import InvalidInput, NotFound
from engine.models.safe_xml import parse_safe_xml
from engine.service import CaseEngine
from engine.storage.db import read_only
from web.designer.layout import add_diagram, needs_diagram


@dataclass
class ProcessPage:
    process_id: str
    versions: list[VersionRow]
    active_id: int | None
    pending: list[approvals.Pending]
    decided: list[approvals.Pending]
    tests: list[model_tests.ModelTest]
    decision_tests: list[model_tests.ModelTest]  # of the decisions its active version calls


def overview(engine: CaseEngine, user: User) -> dict:
    return {"processes": process_ids(engine.db, user.gemeente),
            "pending": approvals.list_pending(engine.db, user.gemeente)}


def process_page(engine: CaseEngine, user: User, process_id: str) -> ProcessPage:
    found = list_versions(engine.db, process_id, user.gemeente)
    if not found:
        raise NotFound(f"proces {process_id} is niet uitgerold")
    decided = [p for p in approvals.list_pending(engine.db, user.gemeente, process_id, status=None)
               if p.status != "pending"][:10]
    active = active_version_id(engine.db, process_id, user.gemeente)
    shown = next((v for v in found if v.id == active), found[0])
    bundle = bundle_files(engine.db, shown.deployment_id)
    return ProcessPage(process_id, found, active,
                       approvals.list_pending(engine.db, user.gemeente, process_id), decided,
                       model_tests.tests_for(engine.db, user.gemeente, "process", process_id),
                       model_tests.decision_tests_of(engine.db, user.gemeente, bundle, process_id))


@dataclass
class Drawing:
    """One model of a diff drawn twice, before and after, with its changed elements marked."""

    file: str
    before: str | None  # the model as BPMN XML (with a generated diagram if it had none)
    after: str | None
    marks: dict[str, list[str]]  # added / removed / changed / moved -> element ids


def version_diff(engine: CaseEngine, user: User, old_id: int,
                 new_id: int) -> tuple[VersionRow, VersionRow, BundleDiff, list[Drawing]]:
    old = get_version_row(engine.db, old_id, user.gemeente)
    new = get_version_row(engine.db, new_id, user.gemeente)
    before, after = bundle_files(engine.db, old.deployment_id), bundle_files(engine.db, new.deployment_id)
    found = diff_bundles(before, after)
    return old, new, found, drawings(before, after, found)


def request_diff(engine: CaseEngine, request: approvals.Pending) -> tuple[BundleDiff, list[Drawing]]:
    before, after = approvals.sides(engine.db, request)
    found = diff_bundles(before, after)
    return found, drawings(before, after, found)


def drawings(before: dict[str, str], after: dict[str, str], found: BundleDiff) -> list[Drawing]:
    """The process models the diff touches, side by side, so a reviewer sees where each change is."""
    marks: dict[str, dict[str, list[str]]] = {}

    def mark(file: str, kind: str, element_id: str) -> None:
        if file.endswith(".bpmn"):
            kinds = marks.setdefault(file, {"added": [], "removed": [], "changed": [], "moved": []})
            kinds[kind].append(element_id)

    for e in found.added:
        mark(e.file, "added", e.id)
    for e in found.removed:
        mark(e.file, "removed", e.id)
    for c in found.changed:
        mark(c.element.file, "changed", c.element.id)
    for file, element_id in found.moved:
        mark(file, "moved", element_id)
    out = []
    for file, kinds in sorted(marks.items()):
        old, new = _drawable(before.get(file)), _drawable(after.get(file))
        for kind, ids in kinds.items():  # a timer definition is drawn as its event: mark that
            kinds[kind] = sorted({_drawn_as(new if kind != "removed" else old, i) for i in ids})
        out.append(Drawing(file, old, new, kinds))
    return out


_CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess", "laneSet", "definitions")


def _drawn_as(text: str | None, element_id: str) -> str:
    """The id of the shape or line that shows an element (itself, or the flow element holding it)."""
    if text is None:
        return element_id
    try:
        root = parse_safe_xml(text.encode("utf-8")).getroot()
    except Exception:  # noqa: BLE001 - a model that cannot be read is drawn without its marks
        return element_id
    found = root.find(f".//*[@id='{element_id}']") if "'" not in element_id else None
    while found is not None:
        parent = found.getparent()
        if parent is None or etree.QName(parent).localname in _CONTAINERS:
            return str(found.get("id") or element_id)
        found = parent
    return element_id


def _drawable(text: str | None) -> str | None:
    return add_diagram(text) if text is not None else None


def modeler_bundle(engine: CaseEngine, user: User, version_id: int) -> dict:
    """What the modeler loads: the version and every file of its bundle."""
    row = get_version_row(engine.db, version_id, user.gemeente)
    files = bundle_files(engine.db, row.deployment_id)
    laid_out = [name for name, text in files.items() if name.endswith(".bpmn") and needs_diagram(text)]
    for name in laid_out:  # bpmn-js cannot open a model without a diagram: give it a plain one
        files[name] = add_diagram(files[name])
    return {"version_id": row.id, "process_id": row.process_id, "version": row.version,
            "gemeente": row.gemeente, "files": files, "laid_out": laid_out}


def download(engine: CaseEngine, user: User, version_id: int, name: str) -> tuple[str, str]:
    """A file exactly as deployed (without a generated diagram)."""
    files = bundle_files(engine.db, get_version_row(engine.db, version_id, user.gemeente).deployment_id)
    if name not in files:
        raise NotFound(f"bestand {name} zit niet in deze versie")
    return files[name], name.rsplit("/", 1)[-1]


def files_from_json(payload: object) -> dict[str, str]:
    files = payload.get("files") if isinstance(payload, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise InvalidInput("verwacht {\"files\": {bestandsnaam: inhoud}}")
    return files


def problems_json(problems) -> list[dict]:
    return [{"file": p.file, "line": p.line, "element_id": p.element_id, "element": p.element,
             "message": p.message} for p in problems]


def run_tests(engine: CaseEngine, user: User, process_id: str,
              files: dict[str, str] | None) -> list[model_tests.TestOutcome]:
    """The process's model tests (and decision tests of the gemeente) on a bundle: edited or active."""
    if files is None:
        version_id = active_version_id(engine.db, process_id, user.gemeente)
        if version_id is None:
            raise NotFound(f"proces {process_id} is niet uitgerold")
        files = bundle_files(engine.db, get_version_row(engine.db, version_id, user.gemeente).deployment_id)
    tests = [t for t in model_tests.tests_for(engine.db, user.gemeente)
             if t.target == process_id or t.kind == "decision"]
    with read_only(engine.db).connect() as conn:  # decision tests see the designer's rule versions
        return model_tests.run_bundle_tests(engine.runtime, engine.runtime.decisions,
                                            approvals.encode_files(files), user.gemeente, tests, conn)
