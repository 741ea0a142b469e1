"""Data for the designer's pages, assembled from the services (routes stay a few lines)."""
from __future__ import annotations

from dataclasses import dataclass

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


def overview(engine: CaseEngine, user: User) -> dict:
    return {"processes": process_ids(engine.db, user.gemeente),
            "pending": approvals.list_pending(engine.db, user.gemeente)}


def process_page(engine: CaseEngine, user: User, process_id: str) -> ProcessPage:
    found = list_versions(engine.db, process_id, user.gemeente)
    if not found:
        raise NotFound(f"proces {process_id} is niet uitgerold")
    decided = [p for p in approvals.list_pending(engine.db, user.gemeente, process_id, status=None)
               if p.status != "pending"][:10]
    return ProcessPage(process_id, found, active_version_id(engine.db, process_id, user.gemeente),
                       approvals.list_pending(engine.db, user.gemeente, process_id), decided,
                       model_tests.tests_for(engine.db, user.gemeente, "process", process_id))


def version_diff(engine: CaseEngine, user: User, old_id: int,
                 new_id: int) -> tuple[VersionRow, VersionRow, BundleDiff]:
    old = get_version_row(engine.db, old_id, user.gemeente)
    new = get_version_row(engine.db, new_id, user.gemeente)
    return old, new, diff_bundles(bundle_files(engine.db, old.deployment_id),
                                  bundle_files(engine.db, new.deployment_id))


def request_diff(engine: CaseEngine, request: approvals.Pending) -> BundleDiff:
    return approvals.changes(engine.db, request)


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
    return [{"file": p.file, "line": p.line, "element_id": p.element_id, "message": p.message}
            for p in problems]


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
