"""Four-eyes deploys: a designer submits a bundle, a second designer or a beheerder approves it.

A deploy only takes effect at approval, and only when the bundle is valid and every model test
that concerns it passes; otherwise the request is refused with the reasons and the active version
stays exactly as it was (nothing is written to the deployment tables).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine, RowMapping

from casework.accounts.service import User
from casework.designer import model_tests
from casework.designer.diff import BundleDiff, diff_bundles
from casework.designer.versions import active_version_id, bundle_files, get_version_row
from casework.roles import ROLES, lane_role
from casework.tables import pending_deployments
from engine.errors import ConflictError, EngineError, InvalidInput, NotFound
from engine.models.camunda import translate_bundle
from engine.models.process_digest import process_digests
from engine.models.safe_xml import parse_safe_xml
from engine.models.validation import BundleInvalid, Problem, parse_bundle, validate_bundle
from engine.models.versions import bundle_hash
from engine.service import CaseEngine
from engine.storage.db import read_only
from engine.storage.rows import inserted_id
from processes.decisions.service import DecisionService

APPROVER_ROLES = ("procesontwerper", "beheerder")


class NotAllowed(EngineError):
    """The four-eyes rule or the gemeente boundary forbids this."""


@dataclass(frozen=True)
class Pending:
    id: int
    gemeente: str
    process_id: str
    base_version_id: int | None
    files: dict[str, str]
    note: str | None
    status: str
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision: dict[str, Any]  # the approver's findings, as stored (JSON)
    deployment_id: int | None
    content_hash: str  # of the bundle as submitted: what the reviewer saw is what gets deployed


@dataclass(frozen=True)
class Decision:
    approved: bool
    message: str
    problems: list[str]
    versions: list[int]  # version numbers created


def encode_files(files: Mapping[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


def submit(db: Engine, user: User, process_id: str | None, base_version_id: int | None,
           files: Mapping[str, str], note: str | None) -> int | list[Problem]:
    """Store a deploy request for the user's gemeente; an invalid bundle is answered with its problems.
    ``process_id`` None (the CLI, the API): the request is named after the bundle's first process that
    changed, and compared with the version of it that is active in the gemeente.

    An API token (a system user; the API checks its scope ``deploys:submit``) may submit, as
    ``api:<name>``, but never approve (``may_decide``): a person approves it in the browser."""
    if not (user.system or any(user.has(r) for r in APPROVER_ROLES)):
        raise NotAllowed("alleen een procesontwerper of beheerder vraagt een uitrol aan")
    if not files:
        raise InvalidInput("de bundel is leeg")
    raw = encode_files(files)
    problems = validate_bundle(raw) + lane_problems(raw)
    if problems:
        return problems
    in_bundle = parse_bundle(raw).process_ids
    if not in_bundle:
        raise InvalidInput("de bundel bevat geen proces: alleen een bundel met een uitvoerbaar proces "
                           "(.bpmn) wordt uitgerold; een beslistabel hoort bij een proces of in de regelset "
                           "van de gemeente")
    if process_id is None:
        process_id = _first_changed(db, user.gemeente, raw, in_bundle)
        base_version_id = active_version_id(db, process_id, user.gemeente)
    if process_id not in in_bundle:
        raise InvalidInput(f"proces {process_id} zit niet (meer) in de bundel")
    with db.begin() as conn:
        return inserted_id(conn.execute(pending_deployments.insert().values(
            gemeente=user.gemeente, process_id=process_id, base_version_id=base_version_id,
            files=json.dumps(dict(files)), content_hash=bundle_hash(raw), note=note or None, status="pending",
            submitted_by=submitter(user), submitted_at=datetime.now(UTC), decision="{}",
        )))


def lane_problems(files: Mapping[str, bytes]) -> list[Problem]:
    """A lane made from a Camunda group that names no role of trede would let anyone do the task."""
    return [Problem(note.file, note.line, note.element_id,
                    f"camunda:candidateGroups {group!r} is geen rol van trede: de taak zou voor iedereen "
                    f"open staan; noem een rol ({', '.join(sorted(ROLES))})")
            for note, group in translate_bundle(files, parse_safe_xml).lanes if lane_role(group) is None]


def translations(files: Mapping[str, str]) -> list[str]:
    """What a Camunda Modeler model's ``camunda:`` constructs become in trede, a line each
    (``file:line: element: ...``): the reviewer approves the translation, not only the upload."""
    return [str(note) for note in translate_bundle(encode_files(files), parse_safe_xml).notes]


def _first_changed(db: Engine, gemeente: str, raw: Mapping[str, bytes], in_bundle: list[str]) -> str:
    """The bundle's first process whose own content differs from the version the gemeente starts new
    cases on (what a deploy would give a new version), else its first process."""
    digests = process_digests(raw)
    for process_id in in_bundle:
        active = active_version_id(db, process_id, gemeente)
        if active is None:
            return process_id
        deployed = encode_files(bundle_files(db, get_version_row(db, active, gemeente).deployment_id))
        if process_digests(deployed).get(process_id) != digests.get(process_id):
            return process_id
    return in_bundle[0]


def submitter(user: User) -> str:
    """Who a request names as its submitter: a token is marked, so no person shares its name."""
    return f"api:{user.username}" if user.system else user.username


def changes(db: Engine, request: Pending) -> BundleDiff:
    """What the request changes compared with the version the designer started from: exactly what the
    reviewer approves (the bundle deployed at approval is the one stored with the request)."""
    before, after = sides(db, request)
    return diff_bundles(before, after)


def sides(db: Engine, request: Pending) -> tuple[dict[str, str], dict[str, str]]:
    """The bundle the designer started from (empty for a first version) and the one requested."""
    before: dict[str, str] = {}
    if request.base_version_id:
        base = get_version_row(db, request.base_version_id, request.gemeente)
        before = bundle_files(db, base.deployment_id)
    return before, dict(request.files)


def list_pending(db: Engine, gemeente: str, process_id: str | None = None,
                 status: str | None = "pending") -> list[Pending]:
    query = (select(pending_deployments).where(pending_deployments.c.gemeente == gemeente)
             .order_by(pending_deployments.c.id.desc()))
    if process_id:
        query = query.where(pending_deployments.c.process_id == process_id)
    if status:
        query = query.where(pending_deployments.c.status == status)
    with read_only(db).connect() as conn:
        return [_pending(r) for r in conn.execute(query).mappings()]


def get_pending(db: Engine, pending_id: int, gemeente: str) -> Pending:
    with read_only(db).connect() as conn:
        row = conn.execute(select(pending_deployments).where(
            pending_deployments.c.id == pending_id, pending_deployments.c.gemeente == gemeente,
        )).mappings().first()
    if row is None:
        raise NotFound(f"uitrolverzoek {pending_id} bestaat niet")
    return _pending(row)


def may_decide(user: User, request: Pending) -> str | None:
    """Why the user may not approve or refuse this request, or None when they may."""
    if user.system:
        return "een API-token keurt geen uitrol goed: een tweede persoon beoordeelt het verzoek in de browser"
    if not any(user.has(r) for r in APPROVER_ROLES):
        return "alleen een procesontwerper of beheerder beoordeelt een uitrol"
    if user.gemeente != request.gemeente:
        return "dit verzoek hoort bij een andere gemeente"
    if submitter(user) == request.submitted_by:
        return "vier ogen: u kunt uw eigen uitrol niet goedkeuren"
    if request.status != "pending":
        return "dit verzoek is al beoordeeld"
    return None


def approve(engine: CaseEngine, pending_id: int, user: User) -> Decision:
    """Check, test and deploy; a failure refuses the request and deploys nothing."""
    request = get_pending(engine.db, pending_id, user.gemeente)
    reason = may_decide(user, request)
    if reason:
        raise NotAllowed(reason)
    _claim(engine.db, pending_id)
    raw = encode_files(request.files)
    if bundle_hash(raw) != request.content_hash:  # changed in the database after it was submitted
        changed = ["de bundel is na het indienen gewijzigd: u keurt alleen goed wat u hebt gezien"]
        _decide(engine.db, pending_id, "refused", user, {"problems": changed})
        return Decision(False, "Uitrol geweigerd: de vorige versie blijft actief.", changed, [])
    try:
        problems = [str(p) for p in validate_bundle(raw)] or _failing_tests(engine, raw, request.gemeente)
    except Exception:
        _release(engine.db, pending_id)  # an unexpected failure must not leave the request stuck
        raise
    if problems:
        _decide(engine.db, pending_id, "refused", user, {"problems": problems})
        return Decision(False, "Uitrol geweigerd: de vorige versie blijft actief.", problems, [])
    try:
        actor = f"{request.submitted_by}, akkoord {user.username}"
        result = engine.deploy(raw, request.gemeente, actor=actor)
    except (EngineError, BundleInvalid) as exc:
        _decide(engine.db, pending_id, "refused", user, {"problems": [str(exc)]})
        return Decision(False, "Uitrol geweigerd: de vorige versie blijft actief.", [str(exc)], [])
    numbers = [v.version for v in result.new if v.process_id == request.process_id]
    deployment_id = result.new[0].deployment_id if result.new else None
    _decide(engine.db, pending_id, "approved", user,
            {"versions": [[v.process_id, v.version, v.id] for v in result.new],
             "kept": [[v.process_id, v.version, v.id] for v in result.versions
                      if v.process_id in result.kept]},
            deployment_id)
    if not result.created:
        message = "Er is niets veranderd aan de processen van deze bundel; er is geen nieuwe versie gemaakt."
    elif numbers:
        message = f"Uitgerold als versie {numbers[0]} ({result.summary()})."
    else:
        message = f"Uitgerold ({result.summary()})."
    return Decision(True, message, [], numbers)


def refuse(db: Engine, pending_id: int, user: User, reason: str) -> None:
    request = get_pending(db, pending_id, user.gemeente)
    problem = may_decide(user, request)
    if problem and not (user.username == request.submitted_by and request.status == "pending"):
        raise NotAllowed(problem)  # the submitter may withdraw their own request
    _claim(db, pending_id)
    status = "withdrawn" if user.username == request.submitted_by else "refused"
    _decide(db, pending_id, status, user, {"problems": [reason or "afgewezen"]})


def _failing_tests(engine: CaseEngine, raw: dict[str, bytes], gemeente: str) -> list[str]:
    bundle = parse_bundle(raw)
    text = "\n".join(content.decode("utf-8", "replace") for content in raw.values())
    tests = [t for t in model_tests.tests_for(engine.db, gemeente)
             if (t.kind == "process" and t.target in bundle.process_ids)
             or (t.kind == "decision" and t.target in text)]
    # The engine knows its decision provider only by the protocol it calls; decision tests need the
    # rule packs' service (the provider trede plugs in), so anything else counts as no service.
    provider = engine.runtime.decisions
    decisions = provider if isinstance(provider, DecisionService) else None
    with read_only(engine.db).connect() as conn:
        outcomes = model_tests.run_bundle_tests(engine.runtime, decisions, raw, gemeente, tests, conn)
    return [f"modeltest ‘{o.name}’ faalt: {'; '.join(o.messages)}" for o in outcomes if not o.passed]


def _claim(db: Engine, pending_id: int) -> None:
    """Take the request out of 'pending' first, so two approvers cannot both deploy it."""
    with db.begin() as conn:
        done = conn.execute(update(pending_deployments).where(
            pending_deployments.c.id == pending_id, pending_deployments.c.status == "pending",
        ).values(status="deciding")).rowcount
    if done != 1:
        raise ConflictError("dit verzoek wordt of is al beoordeeld")


def _release(db: Engine, pending_id: int) -> None:
    with db.begin() as conn:
        conn.execute(update(pending_deployments).where(pending_deployments.c.id == pending_id)
                     .values(status="pending"))


def _decide(db: Engine, pending_id: int, status: str, user: User, decision: Mapping[str, Any],
            deployment_id: int | None = None) -> None:
    with db.begin() as conn:
        conn.execute(update(pending_deployments).where(pending_deployments.c.id == pending_id).values(
            status=status, decided_by=user.username, decided_at=datetime.now(UTC),
            decision=json.dumps(decision, ensure_ascii=False), deployment_id=deployment_id))


def _pending(row: RowMapping) -> Pending:
    return Pending(row["id"], row["gemeente"], row["process_id"], row["base_version_id"],
                   json.loads(row["files"]), row["note"], row["status"], row["submitted_by"],
                   row["submitted_at"], row["decided_by"], row["decided_at"],
                   json.loads(row["decision"] or "{}"), row["deployment_id"], row["content_hash"])
